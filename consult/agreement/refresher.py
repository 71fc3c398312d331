"""Recomputing cached analyses off the request path, after votes commit: at most one run at a time per process.

A vote only makes the cache stale (its vote-event count no longer matches; services.stale_processes). Then, by
the AGREEMENT_REFRESH setting:
- "background" (the default): a thread with its own database session recomputes the process's analysis, at most
  once per AGREEMENT_REFRESH_SECONDS (default 10) per process in this server process; votes that arrive while it
  runs or waits are folded into one more run.
- "inline": recompute on the request's own session right after the vote commits. Used when the app's sessions
  come from SESSION_FACTORY (the test fixtures' savepoint session, which another thread must not touch).
- "off": votes never trigger a recompute; `flask agreement refresh` (run from cron) and the facilitator's
  decisions do.
Several server processes each refresh on their own; `flask agreement refresh` catches anything a killed worker
missed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy.orm import Session

from consult.agreement import services
from consult.db import get_session

EXTENSION = "consult.agreement.refresher"
log = logging.getLogger(__name__)
_create_lock = threading.Lock()


class Refresher:
    """Runs `run(process_id)` in a background thread: one thread per process at a time, spaced by `interval`."""

    def __init__(self, run: Callable[[int], None], interval: float, *, clock=time.monotonic, sleep=time.sleep):
        self._run, self._interval, self._clock, self._sleep = run, interval, clock, sleep
        self._lock = threading.Lock()
        self._threads: dict[int, threading.Thread] = {}
        self._dirty: set[int] = set()
        self._last: dict[int, float] = {}

    def schedule(self, process_id: int) -> None:
        """Ask for a recompute; returns at once. A request made while one is running causes one more run after it."""
        with self._lock:
            self._dirty.add(process_id)
            if process_id in self._threads:
                return
            thread = threading.Thread(
                target=self._work, args=(process_id,), name=f"agreement-{process_id}", daemon=True
            )
            self._threads[process_id] = thread
        thread.start()

    def _work(self, process_id: int) -> None:
        while True:
            with self._lock:
                if process_id not in self._dirty:
                    del self._threads[process_id]
                    return
                wait = self._last.get(process_id, float("-inf")) + self._interval - self._clock()
            if wait > 0:
                self._sleep(wait)
            with self._lock:
                self._dirty.discard(process_id)
                self._last[process_id] = self._clock()
            try:
                self._run(process_id)
            except Exception:  # a failed run must not stop the bookkeeping; the next vote or cron tries again
                log.exception("agreement: refreshing the analysis of process %s failed", process_id)

    def wait(self, timeout: float = 30.0) -> bool:
        """Wait for every scheduled run to finish (for tests and shutdown); False if some are still going."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                threads = list(self._threads.values())
            if not threads:
                return True
            threads[0].join(max(0.0, deadline - time.monotonic()))
        with self._lock:
            return not self._threads


def mode(app: Flask) -> str:
    configured = app.config.get("AGREEMENT_REFRESH")
    if configured:
        return configured
    return "inline" if "consult.engine" not in app.extensions else "background"


def for_app(app: Flask) -> Refresher:
    """The app's refresher, made on first use; its runs open their own sessions on the app's engine."""
    with _create_lock:
        refresher = app.extensions.get(EXTENSION)
        if refresher is None:
            engine = app.extensions["consult.engine"].execution_options(consult_write=True)

            def run(process_id: int) -> None:
                with app.app_context(), Session(engine, expire_on_commit=False) as db:
                    services.refresh_analysis(db, process_id)
                    db.commit()

            refresher = Refresher(run, float(app.config.get("AGREEMENT_REFRESH_SECONDS", 10)))
            app.extensions[EXTENSION] = refresher
    return refresher


def votes_changed(process_id: int) -> None:
    """Call after the votes' commit: recompute the process's analysis as AGREEMENT_REFRESH says (see above)."""
    app = current_app._get_current_object()
    how = mode(app)
    if how == "background":
        for_app(app).schedule(process_id)
    elif how == "inline":
        db = get_session()
        services.refresh_analysis(db, process_id)
        db.commit()
