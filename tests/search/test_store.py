"""The per-thread searcher cache follows the index from empty to its first documents."""

from __future__ import annotations

from consult.search import store as search_store
from consult.search.store import IndexStore


def test_a_searcher_opened_on_an_empty_index_sees_the_first_documents(tmp_path):
    """Whoosh cannot refresh a searcher of an index with no segments; the cache must reopen it, not fail."""
    store = IndexStore(str(tmp_path / "index"))
    search_store.forget_searchers()
    with store.writer_lock(timeout=1):
        store.open_for_writing()
    empty = search_store.searcher(store)
    assert empty is not None and empty.doc_count() == 0
    with store.writer_lock(timeout=1):
        writer = store.open_for_writing().writer()
        writer.add_document(key="process:1", doc_type="process", doc_id=1, title="First")
        writer.commit()
    try:
        assert search_store.searcher(store).doc_count() == 1
    finally:
        search_store.forget_searchers()
