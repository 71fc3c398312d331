"""Keeping the index current: same-transaction queue, rollbacks, crashes, deletions, rebuilds and the commands."""

from __future__ import annotations

import os
import threading

import pytest
import sqlalchemy as sa
from whoosh import index as whoosh_index

from consult.pages.models import ContentPage
from consult.search import queue, services
from consult.search.models import SearchQueueEntry
from consult.search.querying import SearchRequest, search
from consult.search.store import IndexBusy, IndexStore
from tests import factories


def indexed_keys(app) -> set[str]:
    path = os.path.join(app.config["SEARCH_INDEX"], "current")
    if not whoosh_index.exists_in(path):
        return set()
    with whoosh_index.open_dir(path).searcher() as s:
        return {f["key"] for f in s.all_stored_fields()}


def drain(app):
    with app.app_context():
        return services.drain_now(timeout=5)


def test_changes_are_queued_in_the_same_transaction_and_a_rollback_never_reaches_the_index(app, db):
    process = factories.make_process(db)
    assert db.scalar(sa.select(sa.func.count()).select_from(SearchQueueEntry)) >= 1
    group_count_before = db.scalar(sa.select(sa.func.count()).select_from(SearchQueueEntry))
    nested = db.begin_nested()
    factories_group = ContentPage(slug="rolled-back", title="Rolled back", body="x", updated_on=process.created_at)
    factories_group.source_hash = "x"
    db.add(factories_group)
    db.flush()
    assert db.scalar(sa.select(sa.func.count()).select_from(SearchQueueEntry)) == group_count_before + 1
    nested.rollback()
    assert db.scalar(sa.select(sa.func.count()).select_from(SearchQueueEntry)) == group_count_before
    drain(app)
    assert f"process:{process.id}" in indexed_keys(app)
    assert not any(k.startswith("page:") for k in indexed_keys(app))
    assert queue.pending(db) == 0


def test_a_crash_while_writing_leaves_the_entries_queued(app, db, monkeypatch):
    process = factories.make_process(db)

    def boom(*args, **kwargs):
        raise RuntimeError("killed mid-write")

    monkeypatch.setattr(queue, "apply", boom)
    with pytest.raises(RuntimeError), app.app_context():
        queue.drain(db, services.store(), timeout=1)
    db.rollback()
    assert queue.pending(db) >= 1
    monkeypatch.undo()
    drain(app)
    assert f"process:{process.id}" in indexed_keys(app)


def test_a_busy_writer_leaves_work_for_later(app, db):
    process = factories.make_process(db)
    store = IndexStore(app.config["SEARCH_INDEX"])
    with store.writer_lock(1):
        with app.app_context():
            assert services.drain_now(timeout=0).busy
        with pytest.raises(IndexBusy), store.writer_lock(0):
            pass
    assert queue.pending(db) >= 1
    assert not drain(app).busy
    assert f"process:{process.id}" in indexed_keys(app)


def test_deleting_a_row_removes_it_and_its_children(app, db, make_user):
    member = make_user()
    process = factories.make_process(db)
    group = factories.make_group(db, process, members=(member,))
    thread = factories.make_thread(db, group, member, replies=3)
    drain(app)
    keys = indexed_keys(app)
    assert f"thread:{thread.id}" in keys and sum(k.startswith("comment:") for k in keys) == 4
    db.delete(factories.reload(db, process))  # the database cascades to groups, threads and comments
    db.commit()
    drain(app)
    assert indexed_keys(app) == set()


def test_reindex_builds_a_new_generation_and_search_answers_during_the_rebuild(app, db):
    for n in range(30):
        factories.make_process(db, title=f"Rebuild process {n}")
    drain(app)
    store = IndexStore(app.config["SEARCH_INDEX"])
    before = os.path.realpath(store.current_path)
    answers = []
    started = threading.Event()

    def progress(n):
        started.set()
        with app.app_context():  # a search in the middle of the rebuild reads the old index
            from consult.search.store import searcher

            answers.append(search(searcher(store), SearchRequest(text="rebuild"), frozenset({"public"})).total)

    with app.app_context():
        total = queue.rebuild(db, store, progress=progress, batch=10)
    assert started.is_set() and answers and all(a == 30 for a in answers)
    assert total == 30
    assert os.path.realpath(store.current_path) != before
    assert len(indexed_keys(app)) == 30


def test_search_commands(app, db):
    factories.make_process(db, title="Command process")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["search", "drain"])
    assert result.exit_code == 0, result.output
    assert "waiting" in result.output
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "documents indexed" in result.output
    result = runner.invoke(args=["search", "status"])
    assert "documents:" in result.output and "queued changes: 0" in result.output


def test_orm_bulk_update_and_delete_reach_the_index(app, db, make_user):
    """`update()`/`delete()` statements skip the flush hook; the rows they pick are queued all the same."""
    from consult.db import utcnow
    from consult.discussions.models import Comment

    member = make_user()
    process = factories.make_process(db)
    thread = factories.make_thread(db, factories.make_group(db, process, members=(member,)), member, replies=4)
    drain(app)
    comments = sorted(db.scalars(sa.select(Comment.id).where(Comment.thread_id == thread.id)))
    hidden, deleted = comments[1:3], comments[3:]
    db.execute(
        sa.update(Comment)
        .where(Comment.id.in_(hidden))
        .values(hidden_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.execute(sa.delete(Comment).where(Comment.id.in_(deleted)).execution_options(synchronize_session=False))
    db.commit()
    drain(app)
    keys = {k for k in indexed_keys(app) if k.startswith("comment:")}
    assert keys == {f"comment:{comments[0]}"}
