"""The worker: `flask --app consult worker` runs huey's consumer with this app, records failures, counts jobs.

Shutting down: SIGINT (systemd's KillSignal in deploy/) lets running jobs finish; SIGTERM interrupts them and
puts each back on the queue (SIGNAL_INTERRUPTED below), so a job cut short is run again, not lost. A worker killed
outright queues again, when it next starts, the jobs it was running (track_running).
"""

from __future__ import annotations

import logging
import socket
import threading
import traceback
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from huey import signals
from huey.api import Task

from consult import metrics
from consult.jobs.models import FailedJob
from consult.jobs.queue import REQUEST_ID, huey, set_worker_app

log = logging.getLogger(__name__)


def public_arguments(task: Task) -> list[Any]:
    return list(task.args or ())


def record_failure(app: Flask, task: Task, error: BaseException) -> None:
    """Keep a job that failed with no retries left, with its arguments, for the admin page."""
    with app.app_context():
        open_session = app.extensions["consult.session_factory"]
        db = open_session(True)
        try:
            db.add(
                FailedJob(
                    task_name=task.name[:100],
                    task_id=str(task.id)[:64],
                    arguments=public_arguments(task),
                    error="".join(traceback.format_exception_only(type(error), error)).strip()[:4000],
                    request_id=(task.kwargs or {}).get(REQUEST_ID),
                )
            )
            db.commit()
        except Exception:
            db.rollback()
            log.exception("jobs: could not record the failure of %s", task.name)
        finally:
            if "consult.engine" in app.extensions:
                db.close()


_connected: list[Flask] = []


def connect_signals(app: Flask) -> None:
    """Count every outcome, keep final failures, and queue interrupted jobs again (once per process)."""
    if _connected:
        _connected[0] = app
        return
    _connected.append(app)

    @huey.signal(signals.SIGNAL_COMPLETE, signals.SIGNAL_ERROR, signals.SIGNAL_RETRYING, signals.SIGNAL_INTERRUPTED)
    def count(signal: str, task: Task, *args: Any) -> None:
        metrics.JOBS.labels(job=task.name, outcome=signal).inc()

    @huey.signal(signals.SIGNAL_ERROR)
    def failed(signal: str, task: Task, error: BaseException | None = None, *args: Any) -> None:
        if not task.retries and error is not None:
            record_failure(_connected[0], task, error)

    @huey.signal(signals.SIGNAL_INTERRUPTED)
    def interrupted(signal: str, task: Task, *args: Any) -> None:
        log.warning("jobs: %s %s was interrupted by shutdown; queued again", task.name, task.id)
        huey.enqueue(task)
        forget_running(task)


# Jobs a worker is running, kept in the queue's storage (one key per worker thread) until they end, so a worker
# killed outright (SIGKILL, power loss) queues them again when it starts next (huey itself drops a job once a
# worker has taken it). A worker is named by JOBS_WORKER_NAME (default: the host name); two workers on one
# machine need different names.
_identity: dict[str, Any] = {"name": "", "slots": 0}


def running_key(slot: int) -> str:
    return f"running:{_identity['name']}:Worker-{slot}"


def track_running(name: str, slots: int) -> None:
    """Remember each job while it runs; queue again what a killed run of this worker left behind."""
    _identity.update(name=name, slots=slots)
    for slot in range(1, slots + 1):
        left = huey.get(running_key(slot))  # reads and deletes
        if left is not None:
            task = huey.deserialize_task(left)
            log.warning("jobs: %s %s was running when this worker was killed; queued again", task.name, task.id)
            huey.enqueue(task)

    @huey.pre_execute()
    def remember(task: Task) -> None:
        if threading.current_thread().name.startswith("Worker-"):
            huey.put(f"running:{name}:{threading.current_thread().name}", huey.serialize_task(task))

    @huey.post_execute()
    def done(task: Task, value: Any, error: BaseException | None) -> None:
        if threading.current_thread().name.startswith("Worker-"):
            huey.delete(f"running:{name}:{threading.current_thread().name}")


def forget_running(task: Task) -> None:
    for slot in range(1, int(_identity["slots"]) + 1):
        kept = huey.get(running_key(slot), peek=True)
        if kept is not None and huey.deserialize_task(kept).id == task.id:
            huey.delete(running_key(slot))


@click.command("worker")
@click.option("--workers", "-w", default=2, show_default=True, help="jobs run at once (threads)")
@click.option("--no-periodic", is_flag=True, help="do not run the periodic jobs (run them on one worker only)")
@with_appcontext
def worker_command(workers: int, no_periodic: bool) -> None:
    """Run background jobs: emails, digests, analysis refresh, search indexing (Ctrl+C finishes running jobs)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if huey.immediate:
        raise click.ClickException("JOBS_IMMEDIATE is set: jobs run in the web process, there is nothing to serve")
    set_worker_app(app)
    connect_signals(app)
    track_running(app.config.get("JOBS_WORKER_NAME") or socket.gethostname(), workers)
    metrics.serve_worker_metrics(app)
    consumer = huey.create_consumer(
        workers=workers,
        worker_type="thread",
        periodic=not no_periodic,
        check_worker_health=True,
        # SIGINT waits this long for running jobs, then interrupts them (they are queued again, as on SIGTERM).
        shutdown_timeout=float(app.config.get("JOBS_SHUTDOWN_TIMEOUT", 60)),
    )
    consumer.run()
