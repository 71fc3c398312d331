"""Whoosh's own searcher, for a search the NumPy ranker cannot run: the same results, only slower, never a 500.

The ranker (ranking.py) reads Whoosh internals of the pinned version (tests/search/test_whoosh_internals.py lists
them). If an upgrade moves one, or a query holds a node the ranker does not evaluate, querying.search catches what
that raises and answers through here instead, with the same filters, mask, counts and scoring rules, using only
Whoosh's public API. Each kind of failure is logged once per process, so a broken upgrade is noticed, not drowned.
"""

from __future__ import annotations

import logging
import pickle
import struct
import traceback
import zlib

import numpy as np
from whoosh import query
from whoosh.searching import Searcher

from consult.search import ranking

log = logging.getLogger(__name__)

# What the ranker raises when a query or Whoosh's internals are not what it expects.
BROKEN: tuple[type[Exception], ...] = (
    ranking.Unsupported,
    AttributeError,
    TypeError,
    KeyError,
    IndexError,
    ValueError,
    struct.error,
    zlib.error,
    pickle.UnpicklingError,
    EOFError,
)

_warned: set[str] = set()


def kind_of(error: BaseException) -> str:
    """The exception's type and where it was raised: bounded by the code, never by what someone typed."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    what = f"({error})" if isinstance(error, ranking.Unsupported) else ""
    return f"{type(error).__name__}{what}{where}"


def warn_once(error: BaseException) -> None:
    """Log a kind of failure the first time only: every later search would repeat the same line."""
    kind = kind_of(error)
    if kind not in _warned:
        _warned.add(kind)
        log.warning("search: the fast ranker failed (%s); answering with Whoosh's own searcher", kind, exc_info=error)


def whoosh_query(q: query.Query) -> query.Query:
    """The query as the ranker scores it, for Whoosh's matchers.

    A prefix sums its words' scores, as the ranker's does (Whoosh's default gives it one constant score), and
    "a ANDNOT b" becomes "a AND NOT b": Whoosh's AndNot matcher keeps a document of `b` when `b`'s first match
    comes before `a`'s (tests/search/test_ranking.py). Whoosh scores each NOT as 1 where the ranker adds 0: every
    result of an AND with a NOT scores the same amount more, so the order stays the ranker's.
    """
    if isinstance(q, query.Prefix):
        return query.Prefix(q.fieldname, q.text, boost=q.boost, constantscore=False)
    if isinstance(q, query.AndNot):
        return query.And([whoosh_query(q.a), query.Not(whoosh_query(q.b))])
    return q.apply(whoosh_query) if q.children() else q


def _has_negation(q: query.Query) -> bool:
    return isinstance(q, query.Not) or any(_has_negation(sub) for sub in q.children())


def deleted_documents(searcher: Searcher) -> set[int]:
    """Deleted docnums; Whoosh's NOT matcher lets a segment's last deleted document through, so they are masked."""
    reader = searcher.reader()
    if not reader.has_deletions():
        return set()
    return {docnum for docnum in range(reader.doc_count_all()) if reader.is_deleted(docnum)}


def rank(
    searcher: Searcher, q: query.Query, narrowed: query.Query | None, hidden: frozenset[int], limit: int
) -> tuple[int, np.ndarray, np.ndarray]:
    """How many documents match and the best `limit` of them with their scores, by Whoosh's own matchers."""
    mask = set(hidden)
    if _has_negation(q):
        mask |= deleted_documents(searcher)
    # Every match, scored: Whoosh's top-N collector prunes its matchers by estimated scores even when asked not
    # to skip, and drops some of the best documents and miscounts the rest (tests/search/test_fallback.py).
    results = searcher.search(whoosh_query(q), limit=None, filter=narrowed, mask=mask or None)
    best = results[:limit]
    ids = np.fromiter((hit.docnum for hit in best), dtype=np.int64, count=len(best))
    scores = np.fromiter((hit.score for hit in best), dtype=np.float64, count=len(best))
    return len(results), ids, scores


class WhooshPostings:
    """What spelling.py reads from a Ranker (its searcher and a word's documents), through Whoosh's public API."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher

    def postings(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """A word's live documents (the reader leaves deleted ones out) and a weight of one for each."""
        reader = self.searcher.reader()
        if (fieldname, text) not in reader:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        ids = np.fromiter(reader.postings(fieldname, text).all_ids(), dtype=np.int64)
        return ids, np.ones(len(ids), dtype=np.float64)
