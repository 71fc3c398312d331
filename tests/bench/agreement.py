"""Benchmark: import and analyse each shared Polis conversation, beside red-dwarf's pipeline on the same votes.

Run with `make bench BENCH=agreement` (or `.venv/bin/python -m tests.bench.agreement [--runs N] [--import-runs N]`).
Imports go into a temporary SQLite file (BENCH_DATABASE_URL for PostgreSQL). For each conversation it prints the
import time, our analysis (analyse() on the vote matrix, and the whole cache refresh: read votes, analyse, write
the report), and red-dwarf's run_pipeline on the same latest votes in the same process, as median and best of
several runs. Goal (DESIGN.md §6, issue 5): our analysis of the largest conversation at least 5× faster than
red-dwarf's and under 100 ms. It reports figures and asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

# consult loads NumPy (nothing above does), so consult.agreement pins BLAS to one thread for ours and red-dwarf alike.
from consult import create_app
from consult.agreement import analysis, interchange, services
from consult.db import make_engine
from consult.migrations import upgrade
from tests.agreement.polisdata import CONVERSATIONS, DATA, LARGEST
from tests.conftest import reset_postgres

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # red-dwarf's pydantic models warn on import
    from reddwarf.implementations.polis import run_pipeline


def timed(action: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds of each run."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(times: list[float]) -> str:
    return f"median {statistics.median(times):7.1f} ms, best {min(times):7.1f} ms"


def reddwarf_input(votes: analysis.Votes) -> tuple[list[dict], list]:
    """The same latest votes as red-dwarf's records, and its moderated-out statements."""
    records = [
        {"participant_id": votes.participants[i], "statement_id": votes.statements[j], "vote": int(x), "modified": 0}
        for i, row in enumerate(votes.matrix.tolist())
        for j, x in enumerate(row)
        if x == x  # not NaN
    ]
    return records, [s for s, out in zip(votes.statements, votes.moderated_out, strict=True) if out]


def bench(app: Flask, engine: Engine, name: str, runs: int, import_runs: int) -> tuple[list[float], list[float]]:
    """Print one conversation's figures; return our analysis times and red-dwarf's."""
    imports, process_id = [], None
    with app.app_context(), Session(engine, expire_on_commit=False) as db:
        for n in range(import_runs):
            started = time.perf_counter()
            process_id = interchange.import_polis(db, DATA / name, f"{name[:30]}-{n}-{time.time_ns()}").id
            db.commit()
            imports.append((time.perf_counter() - started) * 1000)
        votes = services.build_votes(db, process_id)
        reading = timed(lambda: services.build_votes(db, process_id), max(3, runs // 3))
        analyse = timed(lambda: analysis.analyse(votes), runs)
        refresh = timed(lambda: (services.refresh_analysis(db, process_id, force=True), db.commit()), runs)
    records, moderated_out = reddwarf_input(votes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reddwarf = timed(lambda: run_pipeline(votes=records, mod_out_statement_ids=moderated_out), runs)
    people, statements = votes.matrix.shape
    print(f"\n{name}: {people} participants × {statements} statements, {len(records)} current votes")
    print(f"  import (every vote event)       {summary(imports)}")
    print(f"  read votes from the database    {summary(reading)}")
    print(f"  ours: analyse()                 {summary(analyse)}")
    print(f"  ours: refresh the cache         {summary(refresh)}   (read, analyse, write the report)")
    print(f"  red-dwarf: run_pipeline()       {summary(reddwarf)}")
    ratio = statistics.median(reddwarf) / statistics.median(analyse)
    print(f"  red-dwarf / ours                {ratio:7.1f}× (medians), {min(reddwarf) / min(analyse):.1f}× (best runs)")
    return analyse, reddwarf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="analysis runs per conversation (ours and red-dwarf's)")
    parser.add_argument("--import-runs", type=int, default=3, help="imports per conversation, each a new process")
    args = parser.parse_args()
    if not DATA.is_dir():
        raise SystemExit(f"the shared Polis data is not at {DATA}; set CONSULT_SHARED_DIR")

    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        reset_postgres(url)
    else:
        url = "sqlite:///" + str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    upgrade(url)
    app = create_app({"ENV": "testing", "DATABASE_URL": url, "SECRET_KEY": "bench-secret-key-0123456789abcdef0123"})
    engine = make_engine(url).execution_options(consult_write=True)
    print(f"agreement analysis on {engine.dialect.name}; {args.runs} analysis runs, {args.import_runs} imports each")
    results = {name: bench(app, engine, name, args.runs, args.import_runs) for name in CONVERSATIONS}
    for label, pick in (("medians", statistics.median), ("best runs", min)):
        ours, theirs = (pick(t) for t in results[LARGEST])
        verdict = "met" if ours < 100 and theirs / ours >= 5 else "NOT met"
        print(f"goal on {LARGEST} ({label}): ours {ours:.1f} ms, red-dwarf {theirs / ours:.1f}× slower: {verdict}")


if __name__ == "__main__":
    main()
