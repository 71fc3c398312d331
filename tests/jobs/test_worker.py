"""The real worker process (`flask --app consult worker`): shut down mid-job, the job is run again, not lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from consult import mail_delivery
from tests.jobs.smtp import fake_smtp

ROOT = Path(__file__).resolve().parents[2]


def start_worker(tmp_path: Path, smtp_port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "CONSULT_JOBS_WORKER_NAME": "test-worker",
        "CONSULT_ENV": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path}/worker.sqlite3",
        "CONSULT_JOBS_URL": f"sqlite:///{tmp_path}/jobs.sqlite3",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_port),
        "MAIL_USE_TLS": "false",
        "CONSULT_JOBS_SHUTDOWN_TIMEOUT": "30",
    }
    env.pop("REDIS_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "consult", "worker", "--workers", "1", "--no-periodic"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def wait_for(condition, timeout: float = 180.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def kill(process: subprocess.Popen) -> None:
    """Kill the worker if it still runs, and close its output pipe (a test's failure must not leak it)."""
    if process.poll() is None:
        process.kill()
    if process.stdout is not None and not process.stdout.closed:
        process.communicate(timeout=60)


def stop(process: subprocess.Popen, sig: int) -> str:
    process.send_signal(sig)
    output, _ = process.communicate(timeout=120)
    return output.decode(errors="replace")


def test_a_worker_stopped_mid_job_loses_no_mail(app, huey, tmp_path):
    """SIGTERM interrupts the running job and puts it back on the queue; the next worker sends it once.

    (SIGINT, the deploy/ units' stop signal, first waits up to JOBS_SHUTDOWN_TIMEOUT for running jobs.)
    """
    with fake_smtp() as server:
        server.hold = True  # the first delivery hangs until released: the job is mid-way
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_USE_TLS=False)
        with app.app_context():
            mail_delivery.send("someone@example.org", "Mid-job", "Still arrives.")
        first = start_worker(tmp_path, server.port)
        try:
            assert server.connected.wait(180), "the worker took the job"
            log = stop(first, signal.SIGTERM)
        finally:
            kill(first)
        assert "interrupted" in log, log
        assert huey.pending_count() == 1, "the interrupted job is back in the queue"
        assert server.messages == []

        server.hold = False
        server.release.set()
        second = start_worker(tmp_path, server.port)
        try:
            assert wait_for(lambda: len(server.messages) == 1), "the next worker delivered it"
        finally:
            stop(second, signal.SIGINT)
        assert "Subject: Mid-job" in server.messages[0]
        assert huey.pending_count() == 0


def test_a_worker_killed_outright_queues_its_job_again_when_it_restarts(app, huey, tmp_path):
    """SIGKILL gives no chance to clean up: the job was off the queue, but the worker's record of it was kept."""
    with fake_smtp() as server:
        server.hold = True
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_USE_TLS=False)
        with app.app_context():
            mail_delivery.send("someone@example.org", "Killed mid-job", "Still arrives.")
        first = start_worker(tmp_path, server.port)
        try:
            assert server.connected.wait(180), "the worker took the job"
        finally:
            kill(first)
        assert huey.pending_count() == 0, "huey took it off the queue"

        server.hold = False
        server.release.set()
        second = start_worker(tmp_path, server.port)
        try:
            assert wait_for(lambda: len(server.messages) == 1), "the restarted worker queued it again and sent it"
        finally:
            log = stop(second, signal.SIGINT)
        assert "was running when this worker was killed" in log, log
        assert "Subject: Killed mid-job" in server.messages[0]
