"""Search wired into the app: the index folder from config, draining after each commit, and one search."""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, current_app, g
from huey.exceptions import RetryTask
from markupsafe import Markup
from sqlalchemy.orm import Session

from consult.jobs import queue as jobs
from consult.search import queue, registry
from consult.search.contract import Viewer
from consult.search.querying import Outcome, SearchRequest, search
from consult.search.store import IndexStore, searcher

log = logging.getLogger(__name__)


def index_folder(app: Flask) -> str:
    return app.config.get("SEARCH_INDEX") or os.path.join(app.instance_path, "search-index")


def store() -> IndexStore:
    return IndexStore(index_folder(current_app))


def writer_session() -> Session:
    """A session of its own for index upkeep (in tests the factory hands back the test's session)."""
    return current_app.extensions["consult.session_factory"](True)


def drain_now(timeout: float | None = None) -> queue.DrainResult:
    """Apply queued changes now if no other process is writing the index; otherwise they wait for later."""
    session = writer_session()
    try:
        return queue.drain(
            session, store(), timeout=current_app.config["SEARCH_LOCK_WAIT"] if timeout is None else timeout
        )
    finally:
        if session is not g.get("db_session"):
            session.close()


def init_app(app: Flask) -> None:
    """Queue changes from every session; after a request or command that committed some, apply them."""
    app.config.setdefault("SEARCH_INDEX", "")
    app.config.setdefault("SEARCH_LOCK_WAIT", 0.2)
    app.config.setdefault("SEARCH_DRAIN_AFTER_COMMIT", True)
    queue.install()

    @app.teardown_appcontext
    def drain_after_commit(exc: BaseException | None) -> None:
        # Registered after consult.db's teardown, so it runs first, while the session is still open.
        if not g.pop("search_committed", False) or g.get("db_session") is None:
            return
        if exc is not None or not app.config["SEARCH_DRAIN_AFTER_COMMIT"]:
            return
        try:
            queue_drain()
        except Exception:  # the entries stay queued; the worker's catch-up or `flask search drain` applies them
            log.exception("search: could not queue a drain; entries stay queued")


DRAIN_QUEUED = "search-drain-queued"


def queue_drain() -> None:
    """Queue one drain job (at most one waits at a time; in immediate mode it runs now)."""
    if jobs.huey.immediate or jobs.huey.put_if_empty(DRAIN_QUEUED, b"1"):
        jobs.enqueue(drain_job)


@jobs.job(retries=3, retry_delay=10)
def drain_job() -> None:
    """Apply the search queue to the index; entries committed from now on queue another drain."""
    if not jobs.huey.immediate:
        jobs.huey.delete(DRAIN_QUEUED)
    result = drain_now(timeout=5.0)
    if result.busy:
        raise RetryTask("the index is being written by another process", delay=2)


@dataclass
class ResultItem:
    """One result as the page shows it, described from the database row (never from stale index fields)."""

    kind: str
    title: str
    url: str
    process: Any
    date: datetime | None
    snippet: Markup


def describe(db: Session, viewer: Viewer, outcome: Outcome) -> list[ResultItem]:
    """Load the page's rows in bulk and keep only those the feature's own rules let this person see."""
    wanted: dict[str, list[int]] = defaultdict(list)
    for hit in outcome.hits:
        wanted[hit.doc_type].append(hit.doc_id)
    rows: dict[str, dict[int, Any]] = {}
    for doc_type, ids in wanted.items():
        adapter = registry.get(doc_type)
        rows[doc_type] = adapter.load(db, ids) if adapter else {}
    items = []
    for hit in outcome.hits:
        adapter = registry.get(hit.doc_type)
        row = rows[hit.doc_type].get(hit.doc_id)
        if adapter is None or row is None or adapter.document(row) is None or not adapter.can_see(viewer, row):
            continue  # deleted, hidden or made private since it was indexed: the queue will catch up
        items.append(
            ResultItem(
                kind=adapter.label,
                title=adapter.title(row),
                url=adapter.url(row),
                process=adapter.process(row),
                date=hit.date,
                snippet=hit.snippet,
            )
        )
    return items


def run_search(db: Session, viewer: Viewer, request: SearchRequest) -> Outcome:
    """Search the current index; a missing index (never built) answers with no results."""
    found = searcher(store())
    if found is None:
        return Outcome(messages=["Search is not ready yet: the index has not been built."] if request.text else [])
    return search(found, request, viewer.tokens)
