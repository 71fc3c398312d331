"""Keeping the index current: changes are queued in the same transaction and applied after commit by one writer.

- A SQLAlchemy ``after_flush`` hook adds a ``search_queue`` row for every new, changed or deleted row of a
  registered model, on the same connection: a rollback discards the entries with the change, and a commit
  keeps them until the index has them, so a crash loses nothing. ORM ``update()`` and ``delete()``
  statements skip the flush, so a ``do_orm_execute`` hook queues the rows they pick before they run.
- ``drain`` takes the writer lock (one writer per index: DESIGN.md §4), re-reads each queued document from
  the database, applies it (update, or delete when gone or hidden), commits the index and only then deletes
  those queue rows. Crashing in between re-applies them next time, which is harmless.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import g, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from whoosh.index import Index
from whoosh.writing import IndexWriter

from consult.search import registry
from consult.search.contract import Document
from consult.search.models import SearchQueueEntry
from consult.search.querying import PRIVATE
from consult.search.store import IndexBusy, IndexStore
from consult.search.visibility import PUBLIC

QUEUED = "search_queued"  # session.info: entries were written in the open transaction
BATCH = 500

queue_table = SearchQueueEntry.__table__


def _changed_keys(session: Session) -> set[tuple[str, int]]:
    keys: set[tuple[str, int]] = set()
    for obj in session.new:
        keys.update(registry.keys_for(obj))
    for obj in session.deleted:
        keys.update(registry.keys_for(obj))
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=False):
            keys.update(registry.keys_for(obj))
    return keys


def after_flush(session: Session, flush_context: UOWTransaction) -> None:
    """Record what this flush changed, inside the same transaction."""
    keys = _changed_keys(session)
    if keys:
        session.connection().execute(sa.insert(queue_table), [{"doc_type": t, "doc_id": i} for t, i in sorted(keys)])
        session.info[QUEUED] = True


def before_bulk_change(state: ORMExecuteState) -> None:
    """An ORM `update()` or `delete()` skips the flush: queue the rows its WHERE picks, before it runs."""
    if not (state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    cls = mapper.class_ if mapper is not None else None
    if not registry.watched(cls):
        return
    picked = sa.select(cls)
    if state.statement.whereclause is not None:
        picked = picked.where(state.statement.whereclause)
    keys = {key for obj in state.session.scalars(picked) for key in registry.keys_for(obj)}
    enqueue(state.session, sorted(keys))


def after_commit(session: Session) -> None:
    """Note committed entries on this app context (request or command), whose teardown drains them.

    Outside an app context (scripts, test factories) they simply wait for the next drain.
    """
    if session.info.pop(QUEUED, False) and has_app_context():
        g.search_committed = True


def after_rollback(session: Session) -> None:
    session.info.pop(QUEUED, None)


_HOOKS: list[tuple[str, Callable[..., Any]]] = [
    ("after_flush", after_flush),
    ("do_orm_execute", before_bulk_change),
    ("after_commit", after_commit),
    ("after_soft_rollback", lambda session, previous: None if previous.nested else after_rollback(session)),
]


def install() -> None:
    """Listen on every Session (the app's, the tests' savepoint sessions, CLI ones); safe to call twice."""
    for name, fn in _HOOKS:
        if not event.contains(Session, name, fn):
            event.listen(Session, name, fn)


def enqueue(db: Session, keys: Iterable[tuple[str, int]]) -> None:
    """Queue documents by hand (Core statements on tables, which no hook sees); they go with the caller's commit."""
    rows = [{"doc_type": t, "doc_id": i} for t, i in keys]
    if rows:
        db.execute(sa.insert(queue_table), rows)
        db.info[QUEUED] = True


def fields(doc_type: str, doc_id: int, doc: Document) -> dict[str, Any]:
    """The Whoosh fields for one document."""
    values: dict[str, Any] = {
        "key": registry.key(doc_type, doc_id),
        "doc_type": doc_type,
        "doc_id": doc_id,
        "process_id": str(doc.process_id) if doc.process_id is not None else "",
        "visibility": " ".join(doc.visibility if PUBLIC in doc.visibility else (*doc.visibility, PRIVATE)),
        "parents": " ".join(doc.parents),
        "title": doc.title,
        "title_words": doc.title,
        "body": doc.body,
    }
    if doc.date is not None:
        values["date"] = doc.date
    return values


def apply(db: Session, writer: IndexWriter, keys: Iterable[tuple[str, int]]) -> int:
    """Write the current database state of these documents; gone or hidden ones are deleted. Returns a count."""
    by_type: dict[str, set[int]] = defaultdict(set)
    for doc_type, doc_id in keys:
        by_type[doc_type].add(doc_id)
    # Documents whose visibility follows another's (a proposal's versions) are refreshed with it.
    for doc_type, ids in list(by_type.items()):
        adapter = registry.get(doc_type)
        if adapter is not None:
            for dep_type, dep_id in adapter.dependents(db, sorted(ids)):
                by_type[dep_type].add(dep_id)
    count = 0
    for doc_type, ids in by_type.items():
        adapter = registry.get(doc_type)
        rows = adapter.load(db, sorted(ids)) if adapter is not None else {}
        for doc_id in sorted(ids):
            key = registry.key(doc_type, doc_id)
            row = rows.get(doc_id)
            doc = adapter.document(row) if adapter is not None and row is not None else None
            if doc is None:
                writer.delete_by_term("key", key)
                if row is None:
                    # Gone from the database: its children went with it (ON DELETE CASCADE).
                    writer.delete_by_term("parents", key)
            else:
                writer.update_document(**fields(doc_type, doc_id, doc))
            count += 1
    return count


@dataclass
class DrainResult:
    applied: int = 0
    busy: bool = False


def pending(db: Session) -> int:
    return db.scalar(sa.select(sa.func.count()).select_from(queue_table)) or 0


def has_pending(db: Session) -> bool:
    return db.scalar(sa.select(queue_table.c.id).limit(1)) is not None


def drain(db: Session, store: IndexStore, *, timeout: float = 0.2, batch: int = BATCH) -> DrainResult:
    """Apply every queued entry as the one writer; if another process is writing, leave them for later."""
    try:
        with store.writer_lock(timeout):
            return DrainResult(applied=_drain_locked(db, store.open_for_writing(), batch))
    except IndexBusy:
        db.rollback()
        return DrainResult(busy=True)


def _drain_locked(db: Session, index: Index, batch: int) -> int:
    applied = 0
    while True:
        rows = db.execute(
            sa.select(queue_table.c.id, queue_table.c.doc_type, queue_table.c.doc_id)
            .order_by(queue_table.c.id)
            .limit(batch)
        ).all()
        if not rows:
            db.commit()
            return applied
        writer = index.writer(timeout=5.0)
        try:
            applied += apply(db, writer, {(r.doc_type, r.doc_id) for r in rows})
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        # Only now, with the index committed, are the entries done; entries queued meanwhile stay.
        _delete_entries(db, [r.id for r in rows])
        db.commit()


def _delete_entries(db: Session, ids: list[int]) -> None:
    for start in range(0, len(ids), 1000):
        db.execute(sa.delete(queue_table).where(queue_table.c.id.in_(ids[start : start + 1000])))


def count_documents(db: Session) -> dict[str, int]:
    """How many rows each registered type has in the database (the size of a rebuild)."""
    return {a.doc_type: sum(1 for _ in a.all_ids(db)) for a in registry.adapters()}


PARALLEL_FROM = 5000  # documents: below this, starting writer processes costs more than it saves
REBUILD_LIMIT_MB = 512  # per writer process: enough to sort ~100,000 comments' postings in memory


def rebuild_writer_options(documents: int) -> dict[str, Any]:
    """How a rebuild writes: big ones in one process per core, each writing its own segment (no final merge)."""
    procs = min(2, os.cpu_count() or 1) if documents >= PARALLEL_FROM else 1
    if procs > 1:
        return {"procs": procs, "multisegment": True, "limitmb": REBUILD_LIMIT_MB}
    return {"limitmb": REBUILD_LIMIT_MB}


def rebuild(
    db: Session,
    store: IndexStore,
    *,
    progress: Callable[[int], None] = lambda n: None,
    batch: int = 1000,
    lock_timeout: float = 60.0,
    writer_options: dict[str, Any] | None = None,
) -> int:
    """Build a new index from the database in a new folder, swap it in, then apply what was queued meanwhile.

    Searches keep reading the old index until the swap. The writer lock is held throughout, so drains
    elsewhere leave their entries queued (they are applied to the new index at the end) instead of
    writing to the old index and being lost in the swap.
    """
    with store.writer_lock(lock_timeout):
        # Entries already committed now are covered by the rows read below; later ones are applied after.
        covered = list(db.scalars(sa.select(queue_table.c.id)))
        db.commit()
        path, index = store.new_generation()
        all_ids = [(adapter, list(adapter.all_ids(db))) for adapter in registry.adapters()]
        db.commit()
        writer = index.writer(**(writer_options or rebuild_writer_options(sum(len(ids) for _, ids in all_ids))))
        total = 0
        try:
            for adapter, ids in all_ids:
                for start in range(0, len(ids), batch):
                    chunk = ids[start : start + batch]
                    rows = adapter.load(db, chunk)
                    for doc_id in chunk:
                        row = rows.get(doc_id)
                        doc = adapter.document(row) if row is not None else None
                        if doc is not None:
                            writer.add_document(**fields(adapter.doc_type, doc_id, doc))
                            total += 1
                    progress(len(chunk))
                db.commit()
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        store.swap_to(path)
        _delete_entries(db, covered)
        db.commit()
        _drain_locked(db, index, BATCH)
        return total
