"""Several processes changing content at once, each draining after its commits: nothing is lost or doubled."""

from __future__ import annotations

import multiprocessing
from datetime import date

from whoosh import index as whoosh_index

from consult import create_app
from consult.db import get_session
from consult.migrations import upgrade
from consult.pages.models import ContentPage
from consult.search import queue, services

PROCESSES = 4
PAGES_EACH = 20


def config(url: str, index: str) -> dict:
    return {
        "ENV": "testing",
        "DATABASE_URL": url,
        "SECRET_KEY": "concurrency-test-secret-key-0123456789abcdef",
        "SEARCH_INDEX": index,
        "SEARCH_LOCK_WAIT": 0.05,  # short on purpose: most drains find the lock taken and leave work queued
        "RATELIMIT_ENABLED": False,
    }


def worker(n: int, url: str, index: str) -> None:
    app = create_app(config(url, index))
    for i in range(PAGES_EACH):
        with app.app_context():  # each commit is followed by a drain attempt, as at the end of a request
            db = get_session(write=True)
            page = ContentPage(
                slug=f"w{n}-p{i}", title=f"Worker {n} page {i}", body="concurrent", updated_on=date(2026, 1, 1)
            )
            page.source_hash = "x"
            db.add(page)
            db.commit()
        if i % 5 == 4:  # and some edits, so updates race with inserts
            with app.app_context():
                db = get_session(write=True)
                db.get(ContentPage, page.id).title = f"Worker {n} page {i} edited"
                db.commit()


def test_many_processes_updating_at_once_lose_nothing(tmp_path):
    url = "sqlite:///" + str(tmp_path / "concurrent.sqlite3")
    index = str(tmp_path / "index")
    upgrade(url)
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=worker, args=(n, url, index)) for n in range(PROCESSES)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(120)
    assert all(p.exitcode == 0 for p in workers)

    app = create_app(config(url, index))
    with app.app_context():
        result = services.drain_now(timeout=10)  # what cron's `search drain` does with leftovers
        assert not result.busy
        db = get_session()
        assert queue.pending(db) == 0
        titles = {p.id: p.title for p in db.query(ContentPage)}
    assert len(titles) == PROCESSES * PAGES_EACH
    with whoosh_index.open_dir(str(tmp_path / "index" / "current")).searcher() as s:
        keys = [fields["key"] for fields in s.all_stored_fields()]
        indexed = {fields["doc_id"]: fields["title"] for fields in s.all_stored_fields()}
    assert len(keys) == len(set(keys)) == PROCESSES * PAGES_EACH, "every page indexed exactly once"
    assert indexed == titles, "the index holds the latest title of every page"
