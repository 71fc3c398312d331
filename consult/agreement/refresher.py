"""Recomputing cached analyses off the request path, as jobs on the task queue, one writer per process.

A vote only makes the cache stale (its vote-event count no longer matches; services.stale_processes). Then, by
the AGREEMENT_REFRESH setting:
- "queue" (the default): after the vote commits, a `refresh_analysis` job is queued to run
  AGREEMENT_REFRESH_SECONDS (default 10) later, at most one waiting per process across every machine (a marker
  in the queue's storage), so votes arriving meanwhile are folded into that one run. In immediate mode (tests)
  it runs at once.
- "off": votes queue nothing; the worker's periodic catch-up is off too; `flask agreement refresh` (cron) and
  the facilitator's decisions refresh.
Web workers start no threads. Wherever it runs, a refresh is the one writer for its process:
- PostgreSQL: the refresh's transaction holds the process's advisory lock (locking.lock_analysis) from before it
  reads the votes until it commits, so refreshes of one process run one after another on every machine.
- SQLite: the analysis is computed in a read-only transaction (votes go on meanwhile), then written in a short
  write transaction only if the cache row is still the one it was computed from (compare-and-set); otherwise it
  is computed again from the newer row. An older result never overwrites a newer one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy.orm import Session

from consult.agreement import services
from consult.agreement.models import AnalysisCache
from consult.jobs import queue as jobs

log = logging.getLogger(__name__)
ATTEMPTS = 5  # compare-and-set tries on SQLite before leaving the rest to the next job


def mode(app: Flask) -> str:
    return app.config.get("AGREEMENT_REFRESH") or "queue"


def marker(process_id: int) -> str:
    return f"agreement-refresh-queued:{process_id}"


def votes_changed(process_id: int) -> None:
    """Call after the votes' commit: queue one refresh of the process's analysis (see above)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if mode(app) == "off":
        return
    try:
        if jobs.huey.immediate:
            jobs.enqueue(refresh_job, process_id)
            return
        if not jobs.huey.put_if_empty(marker(process_id), b"1"):
            return  # one is already waiting and will see these votes
        delay = float(app.config.get("AGREEMENT_REFRESH_SECONDS", 10))
        jobs.enqueue_in(delay, refresh_job, process_id)
    except Exception:  # the vote is saved; the worker's catch-up refreshes stale analyses every minute
        log.exception("agreement: could not queue the refresh of process %s; the catch-up will do it", process_id)


@jobs.job(retries=2, retry_delay=30)
def refresh_job(process_id: int) -> None:
    """The queued refresh: clear the marker first, so votes from now on queue another run after this one."""
    if not jobs.huey.immediate:
        jobs.huey.delete(marker(process_id))
    refresh(process_id)


def refresh(process_id: int, *, force: bool = False) -> AnalysisCache | None:
    """Bring one process's cached analysis up to date as its only writer (see above)."""
    open_session = current_app.extensions["consult.session_factory"]
    if "consult.engine" not in current_app.extensions:
        # Test fixtures hand every caller the test's own session: refresh in its transaction.
        db = open_session(True)
        cache = services.refresh_analysis(db, process_id, force=force)
        db.commit()
        return cache
    if current_app.extensions["consult.engine"].dialect.name == "postgresql":
        with open_session(True) as db:
            cache = services.refresh_analysis(db, process_id, force=force)
            db.commit()
            return cache
    return refresh_compare_and_set(open_session, process_id, force=force)


def refresh_compare_and_set(
    open_session: Callable[[bool], Session], process_id: int, *, force: bool = False
) -> AnalysisCache | None:
    """SQLite: compute outside the write lock, then write only over the row the computation started from."""
    for _ in range(ATTEMPTS):
        with open_session(False) as reader:
            update = services.compute_update(reader, process_id, force=force)
            reader.rollback()
        if update is None:
            return None
        with open_session(True) as writer:
            row = writer.get(AnalysisCache, process_id)
            current = (row.vote_events, row.computed_at) if row is not None else None
            if current == update.based_on:
                cache = services.store_update(writer, update)
                writer.commit()
                return cache
            writer.rollback()
        force = False  # another writer stored a newer state meanwhile: continue from it
    log.warning("agreement: process %s's analysis kept changing over %d tries; left for later", process_id, ATTEMPTS)
    return None
