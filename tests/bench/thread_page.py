"""Benchmark: server time to render a thread of 1,000 comments (seeded), with the number of SQL queries.

Run with `make bench` (or `.venv/bin/python -m tests.bench.thread_page [--comments N] [--runs N]`).
Set BENCH_DATABASE_URL to measure on PostgreSQL; by default a temporary SQLite file is used.
It reports figures; it asserts nothing about speed (timings belong in benchmarks, not tests).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult import caching, create_app
from consult.db import make_engine
from consult.migrations import upgrade
from tests.conftest import count_queries, reset_postgres
from tests.factories import make_group, make_process, make_thread, make_user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        reset_postgres(url)
    else:
        url = "sqlite:///" + str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    upgrade(url)
    app = create_app(
        {
            "ENV": "testing",
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-secret-key-0123456789abcdef0123",
            "RATELIMIT_ENABLED": False,
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 8,
            "ARGON2_PARALLELISM": 1,
        }
    )
    engine = make_engine(url)
    with app.app_context(), Session(engine.execution_options(consult_write=True)) as db:
        process = make_process(db, slug=f"bench-{time.time_ns()}")
        author = make_user(db)
        group = make_group(db, process, members=[author])
        thread_id = make_thread(db, group, author, replies=args.comments, seed=42).id
        count = db.scalar(sa.select(sa.func.count()).select_from(sa.table("comments")))

    client = app.test_client()
    client.get(f"/threads/{thread_id}")  # warm up templates and caches
    app_engine = app.extensions["consult.engine"]

    def clear_cache() -> None:
        with app.app_context():
            caching.cache.clear()

    print(f"thread page: {count} comments in the database ({engine.dialect.name})")
    # Rendered: the page cache emptied before each request (a signed-in reader, or the first after a change).
    # Cached: what signed-out readers get while the thread is unchanged (consult/caching.py).
    for label, before in (("rendered", clear_cache), ("cached", lambda: None)):
        before()
        with count_queries(app_engine) as statements:
            client.get(f"/threads/{thread_id}")
        timings = []
        for _ in range(args.runs):
            before()
            started = time.perf_counter()
            response = client.get(f"/threads/{thread_id}")
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(
            f"{label}: {len(statements)} SQL queries; server time over {args.runs} runs: median "
            f"{statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, min {timings[0]:.1f} ms (goal: under 50 ms)"
        )


if __name__ == "__main__":
    main()
