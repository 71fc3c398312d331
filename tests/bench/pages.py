"""Benchmark: consult's pages under load, served as in production, as ratios to two plain Flask baselines.

Run with `make bench BENCH=pages` (or `.venv/bin/python -m tests.bench.pages [--duration S] [--rounds N]`).
It needs PostgreSQL (BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/consult_bench, created if
missing), Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/14; only keys under its own prefix are used) and
wrk (`apt-get install wrk`; the Makefile's bench target installs it when it can). It:

1. fills the database (once: reused while it has the data; --fresh starts again): the content pages, the demo
   world, the austria-climate Polis conversation (522 statements, 1,116 participants; the import takes about a
   minute) and a thread of 1,000 comments; then builds the search index;
2. starts consult with gunicorn as the README says for production (2 workers, CONSULT_ENV=production, Redis),
   and the baselines (tests/bench/_baseline_app.py: a bare Flask "hello" and a plain Flask + SQLAlchemy + Jinja
   page of 50 rows from the same PostgreSQL) with gunicorn, 2 workers each, on loopback ports;
3. loads every page and both baselines with wrk, interleaved (baselines, then each page, in every round),
   repeated --rounds times at --connections (32), and prints each page's req/s, p50 and p99 as ratios to the
   baselines of the same round (medians over rounds), with its absolute figures;
4. loads each page at 200 connections for --load-duration seconds (10; wrk's 2 s timeout) and prints how many
   requests were answered, the errors (connect/read/write, non-2xx/3xx responses) and the timeouts.

Pages are read signed out (what a reverse proxy and most readers see: the cached rendering), and the biggest ones
signed in too (rendered on every request). Everything stays on 127.0.0.1; the run is bounded by
rounds × pages × duration (about 8 minutes with the defaults, plus the first fill). It reports figures and
asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

from consult.db import make_engine

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/consult_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"
AUSTRIA = ROOT.parent / "shared" / "data" / "polis" / "austria-climate.5twd2jsnkf.2022-08-08"
AUSTRIA_SLUG = "bench-austria-climate"
THREAD_TITLE = "Bench: a thread of 1,000 comments"
SECRET = "bench-only-secret-key-0123456789abcdef0123456789"
CONSULT_PORT, BASELINE_PORT = 8781, 8782


def sh(*args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(args, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)


def consult_env(url: str, redis_url: str, instance: Path) -> dict[str, str]:
    return os.environ | {
        "CONSULT_ENV": "production",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "CONSULT_CACHE_KEY_PREFIX": f"consult-bench-{time.time_ns()}:",
        "SITE_URL": f"https://127.0.0.1:{CONSULT_PORT}",
        "CONSULT_TRUSTED_HOSTS": "127.0.0.1",
        "CONSULT_SEARCH_INDEX": str(instance / "search-index"),
        "CONSULT_MAIL_OUTBOX": str(instance / "outbox"),
        "CONSULT_AGREEMENT_REFRESH": "off",
        "CONSULT_RATELIMIT_ENABLED": "false",  # the bench signs in once; wrk never posts
    }


def ensure_database(url: str) -> None:
    base = sa.make_url(url)
    engine = make_engine(base.set(database="postgres").render_as_string(hide_password=False))
    with engine.execution_options(isolation_level="AUTOCOMMIT").connect() as connection:
        if not connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": base.database}):
            connection.exec_driver_sql(f'CREATE DATABASE "{base.database}"')
    engine.dispose()


def has_data(url: str) -> bool:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return bool(
                connection.scalar(sa.text("SELECT count(*) FROM processes WHERE slug = :s"), {"s": AUSTRIA_SLUG})
                and connection.scalar(sa.text("SELECT count(*) FROM threads WHERE title = :t"), {"t": THREAD_TITLE})
            )
    except sa.exc.DBAPIError:
        return False
    finally:
        engine.dispose()


def fill(url: str, env: dict[str, str]) -> None:
    """The content, the demo world, austria-climate and a 1,000-comment thread, then the search index."""
    from tests.conftest import reset_postgres

    reset_postgres(url)
    flask = [str(VENV_BIN / "flask"), "--app", "consult"]
    dev = env | {"CONSULT_ENV": "development"}  # seed-demo runs only in development
    started = time.perf_counter()
    for command in (["migrate"], ["load-content"], ["seed-demo", "--password-file", env["BENCH_PASSWORD_FILE"]]):
        sh(*flask, *command, env=dev)
    sh(*flask, "agreement", "import-polis", str(AUSTRIA), "--process", AUSTRIA_SLUG, env=env)
    sh(str(VENV_BIN / "python"), "-m", "tests.bench.pages", "--make-thread", env=env)
    sh(*flask, "search", "reindex", env=env)
    print(f"database filled in {time.perf_counter() - started:.0f} s")


def make_thread(url: str) -> None:
    """A thread of 1,000 comments (seeded) in the demo's first working group."""
    from sqlalchemy.orm import Session

    from consult import create_app
    from consult.accounts.models import User
    from consult.processes.models import WorkingGroup
    from tests.factories import make_thread as make

    app = create_app({"DATABASE_URL": url})
    engine = make_engine(url)
    with app.app_context(), Session(engine.execution_options(consult_write=True)) as db:
        group = db.scalars(sa.select(WorkingGroup).order_by(WorkingGroup.id)).first()
        author = db.scalar(sa.select(User).where(User.email == "campaigner@demo.example.org"))
        make(db, group, author, replies=1000, seed=42, title=THREAD_TITLE)


def targets(url: str) -> list[tuple[str, str]]:
    """(name, path) of every page measured, found in the filled database."""
    engine = make_engine(url)
    with engine.connect() as c:
        demo = c.execute(
            sa.text("SELECT id, slug FROM processes WHERE slug <> :s ORDER BY id"), {"s": AUSTRIA_SLUG}
        ).first()
        group = c.scalar(sa.text("SELECT slug FROM working_groups WHERE process_id = :p ORDER BY id"), {"p": demo.id})
        paper = c.scalar(
            sa.text("SELECT paper_id FROM paper_versions WHERE published_at IS NOT NULL ORDER BY id DESC LIMIT 1")
        )
        thread = c.scalar(sa.text("SELECT id FROM threads WHERE title = :t"), {"t": THREAD_TITLE})
    engine.dispose()
    pages = [
        ("home", "/"),
        ("objectives", "/objectives/"),
        ("processes", "/processes/"),
        ("a process", f"/processes/{demo.slug}"),
        ("a working group", f"/processes/{demo.slug}/groups/{group}"),
        ("search: rare word", "/search?q=tariff"),
        ("search: common word", "/search?q=climate"),
        ('search: "the"', "/search?q=the"),
        ("process Atom feed", f"/processes/{demo.slug}/feed.atom"),
        ("statements (522)", f"/processes/{AUSTRIA_SLUG}/statements"),
        ("thread (1,000 comments)", f"/threads/{thread}"),
        ("agreement (1,116 people)", f"/processes/{AUSTRIA_SLUG}/agreement"),
    ]
    if paper:
        pages.insert(4, ("a published paper", f"/papers/{paper}"))
    return pages


SIGNED_IN = {"statements (522)", "thread (1,000 comments)", "agreement (1,116 people)"}


@contextlib.contextmanager
def gunicorn(app: str, port: int, env: dict[str, str]) -> Iterator[None]:
    """gunicorn with 2 workers on loopback, as the README's production command; stopped on exit."""
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning", app],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                probe = f"http://127.0.0.1:{port}/" + ("hello" if "baseline" in app else "")
                urllib.request.urlopen(probe, timeout=5)
                break
            time.sleep(0.2)
        yield
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(password: str) -> str:
    """A signed-in session cookie for the demo participant, through the real sign-in form.

    The cookies are Secure (production) and the bench speaks plain http on loopback, so they are carried by hand.
    """
    opener = urllib.request.build_opener(_NoRedirect)
    base = f"http://127.0.0.1:{CONSULT_PORT}"
    with opener.open(f"{base}/account/sign-in") as response:
        page = response.read().decode()
        cookies = [c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or []]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": "campaigner@demo.example.org", "password": password})
    headers = {"Cookie": "; ".join(cookies)}
    request = urllib.request.Request(f"{base}/account/sign-in", data=data.encode(), headers=headers)  # noqa: S310
    try:
        opener.open(request)
        sys.exit("signing in did not redirect: the signed-in pages cannot be measured")
    except urllib.error.HTTPError as redirect:
        cookies = [c.split(";")[0] for c in redirect.headers.get_all("Set-Cookie") or []]
    return "; ".join(cookies)


LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def settle(url: str, limit: float = 120) -> None:
    """Wait until the server has answered every request still queued from the last run (wrk closes its connections
    when it stops, but gunicorn's sync workers still render each request waiting in the listen queue)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            started = time.monotonic()
            urllib.request.urlopen(url, timeout=limit).read()  # noqa: S310 - loopback
            if time.monotonic() - started < 1:
                return


def wrk(url: str, *, connections: int, duration: float, cookie: str = "") -> dict[str, float]:
    """One wrk run: req/s, p50 and p99 in ms, errors (socket and non-2xx/3xx) and timeouts; then the queue drains."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration:g}s", "--timeout", "2s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    origin = "/".join(url.split("/", 3)[:3])
    settle(origin + ("/hello" if origin.endswith(f":{BASELINE_PORT}") else "/static/css/app.css"))
    latency = {p: float(v) * UNITS[u] for p, v, u in LATENCY.findall(out)}
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    connect, read, write, timeout = (int(n) for n in socket.groups()) if socket else (0, 0, 0, 0)
    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency.get("50", float("nan")),
        "p99": latency.get("99", float("nan")),
        "errors": connect + read + write + (int(non2xx.group(1)) if non2xx else 0),
        "timeouts": timeout,
    }


def run(args: argparse.Namespace) -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk (make bench BENCH=pages installs it when run as root)")
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    instance = ROOT / "instance" / "bench"
    instance.mkdir(parents=True, exist_ok=True)
    env = consult_env(url, redis_url, instance) | {"BENCH_PASSWORD_FILE": str(instance / "demo-password.txt")}
    ensure_database(url)
    if args.fresh or not has_data(url):
        fill(url, env)
    from tests.bench import _baseline_app as baseline_app

    baseline_app.fill(url)
    pages = targets(url)
    password = (instance / "demo-password.txt").read_text().strip()
    baseline_env = os.environ | {"BASELINE_DATABASE_URL": url.replace("postgresql://", "postgresql+psycopg://", 1)}
    consult = f"http://127.0.0.1:{CONSULT_PORT}"
    baseline = f"http://127.0.0.1:{BASELINE_PORT}"
    with (
        gunicorn("wsgi:app", CONSULT_PORT, env),
        gunicorn("tests.bench._baseline_app:app", BASELINE_PORT, baseline_env),
    ):
        cookie = sign_in(password)
        runs = [(name, consult + path, "") for name, path in pages]
        runs += [(f"{name}, signed in", consult + path, cookie) for name, path in pages if name in SIGNED_IN]
        for _, target, with_cookie in runs:  # warm up: templates, caches, the search lists
            wrk(target, connections=4, duration=1, cookie=with_cookie)
        single = {name: one_by_one(target, with_cookie) for name, target, with_cookie in runs}
        results: dict[str, list[dict[str, float]]] = {name: [] for name, _, _ in runs}
        hello, rows = [], []
        for round_ in range(args.rounds):
            print(f"round {round_ + 1} of {args.rounds}", file=sys.stderr)
            for name, target, with_cookie in runs:
                hello.append(wrk(f"{baseline}/hello", connections=args.connections, duration=args.duration))
                rows.append(wrk(f"{baseline}/rows", connections=args.connections, duration=args.duration))
                figures = wrk(target, connections=args.connections, duration=args.duration, cookie=with_cookie)
                figures |= {"hello": hello[-1]["rps"], "rows": rows[-1]["rps"], "rows_p50": rows[-1]["p50"]}
                results[name].append(figures)
        loaded = {
            name: wrk(target, connections=200, duration=args.load_duration, cookie=with_cookie)
            for name, target, with_cookie in runs
        }
    report(results, loaded, single, hello, rows, args)


def one_by_one(url: str, cookie: str, times: int = 5) -> tuple[int, float]:
    """The status and median time of single requests, one after another (no load): the page's own server time."""
    timings, status = [], 0
    opener = urllib.request.build_opener(_NoRedirect)
    for _ in range(times):
        request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310 - loopback
        started = time.perf_counter()
        try:
            with opener.open(request) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        timings.append((time.perf_counter() - started) * 1000)
    return status, statistics.median(timings)


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def report(results, loaded, single, hello, rows, args) -> None:
    median = statistics.median
    print(
        f"\nconsult pages vs baselines: {args.rounds} rounds of {args.duration:g} s at {args.connections} connections,"
        f" interleaved; ratios are medians of per-round ratios (page ÷ baseline in the same round)"
    )
    print(
        f"baselines: hello {median(r['rps'] for r in hello):.0f} req/s; 50 rows {median(r['rps'] for r in rows):.0f}"
        f" req/s, p50 {median(r['p50'] for r in rows):.1f} ms, p99 {median(r['p99'] for r in rows):.1f} ms"
    )
    header = (
        f"{'page':<36}{'req/s':>8}{'÷ rows':>8}{'÷ hello':>9}{'p50 ms':>9}{'p50 ÷ rows':>12}{'p99 ms':>9}"
        f"{'200 conn: answered':>20}{'errors':>8}{'timeouts':>10}{'one request':>14}"
    )
    print(header)
    for name, figures in results.items():
        print(
            f"{name:<36}{median(f['rps'] for f in figures):>8.0f}"
            f"{median(ratio(f['rps'], f['rows']) for f in figures):>8.2f}"
            f"{median(ratio(f['rps'], f['hello']) for f in figures):>9.3f}"
            f"{median(f['p50'] for f in figures):>9.1f}{median(ratio(f['p50'], f['rows_p50']) for f in figures):>12.1f}"
            f"{median(f['p99'] for f in figures):>9.1f}{loaded[name]['requests']:>20}"
            f"{loaded[name]['errors']:>8.0f}{loaded[name]['timeouts']:>10.0f}"
            f"{single[name][1]:>8.1f} ms {single[name][0]}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=5, help="seconds per wrk run (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--load-duration", type=float, default=10, help="seconds per page at 200 connections")
    parser.add_argument("--fresh", action="store_true", help="empty and refill the database first")
    parser.add_argument("--make-thread", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make_thread:
        make_thread(os.environ["DATABASE_URL"])
        return
    with tempfile.TemporaryDirectory():
        run(args)


if __name__ == "__main__":
    main()
