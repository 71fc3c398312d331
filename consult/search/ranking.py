"""BM25F ranking in NumPy over Whoosh's own posting lists and statistics.

Why: Whoosh's matchers score each match in Python (about 2 µs), and their block-max skipping rarely fires with
real document lengths, so a word found in most documents took a quarter of a second. Here a query is evaluated
bottom-up on whole posting arrays: each term's postings are read block by block straight from Whoosh's files,
scored with Whoosh's BM25F formula and statistics (the same numbers Whoosh gives: tests/search/test_ranking.py),
and combined with set operations. Phrases compare word positions as arrays. The index stays Whoosh's: writing,
segments, deletions and spelling are untouched.

Decoding a long posting list is most of a query's cost (Whoosh pickles each block), so decoded lists are kept in
a process-wide cache bounded by size. Segments never change once written, so an entry is valid for as long as
its segment exists; deletions are applied fresh on every read.

Supported query nodes are the ones our parser makes (querying.parser): Term, Prefix, Phrase, And, Or, Not,
AndNot, AndMaybe and Require. Anything else raises Unsupported, as does a posting list not in Whoosh's block
format; the search then runs through Whoosh's own searcher instead (consult/search/fallback.py), only slower.
The Whoosh internals read here are listed and checked in tests/search/test_whoosh_internals.py.
"""

from __future__ import annotations

import itertools
import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from pickle import loads  # Whoosh's own block format, read from our own index files

import numpy as np
from whoosh import query
from whoosh.searching import Searcher

try:  # Whoosh internals: if an upgrade moved one, every search raises TypeError here and takes the fallback
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
    from whoosh.util.numeric import _length_byte_cache
except ImportError:  # only after an upgrade: tests/search/test_whoosh_internals.py names what moved
    LENGTHS_COLUMN = W3LeafMatcher = _lenfield = _length_byte_cache = None

B = 0.75  # Whoosh's BM25F defaults (whoosh.scoring.BM25F)
K1 = 1.2
CACHE_BYTES = 128 * 2**20  # decoded posting lists kept per process (a 100,000-comment index needs about 60 MiB)
CACHE_FROM = 256  # shorter lists decode in well under a millisecond: not worth a cache entry
_BYTE_TO_LENGTH = None if _length_byte_cache is None else np.asarray(_length_byte_cache, dtype=np.float64)
_EMPTY_IDS = np.zeros(0, dtype=np.int64)
_EMPTY_SCORES = np.zeros(0, dtype=np.float64)


class Unsupported(Exception):
    """A query node this ranker does not evaluate."""


@dataclass
class Scored:
    """Matching documents (sorted global docnums, unique) and their scores."""

    ids: np.ndarray
    scores: np.ndarray

    @classmethod
    def empty(cls) -> Scored:
        return cls(_EMPTY_IDS, _EMPTY_SCORES)


class _DecodedCache:
    """Decoded posting lists by (segment, field, term, kind), least recently used dropped past a size."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self._items: OrderedDict[tuple, tuple[np.ndarray, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> tuple[np.ndarray, ...] | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple, value: tuple[np.ndarray, ...]) -> None:
        nbytes = sum(a.nbytes for a in value)
        if nbytes > self.limit:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = value
            self.size += nbytes
            while self.size > self.limit:
                _, dropped = self._items.popitem(last=False)
                self.size -= sum(a.nbytes for a in dropped)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0


CACHE = _DecodedCache(CACHE_BYTES)


def _blocks(matcher) -> Iterable[tuple]:
    """Each block's raw (deltas, weights, values) and its length, straight from the postings file."""
    while True:
        raw = matcher._postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
        if matcher._compression:
            raw = zlib.decompress(raw)
        yield loads(raw), matcher._blocklength  # noqa: S301 - see the import
        if matcher._lastblock:
            return
        matcher._goto(matcher._nextoffset)


def _undelta(deltas: Iterable[int], lengths: list[int]) -> np.ndarray:
    """Ids delta-encoded from zero in each block: a running sum, restarted at every block."""
    running = np.cumsum(np.fromiter(deltas, dtype=np.int64, count=sum(lengths)))
    starts = np.cumsum([0, *lengths[:-1]])
    before = np.where(starts > 0, running[np.maximum(starts - 1, 0)], 0)
    return running - np.repeat(before, lengths)


def _decode(matcher, positions: bool) -> tuple[np.ndarray, ...]:
    """One term's postings in one segment: docnums and weights, or docnums and every position in each."""
    if not isinstance(matcher, W3LeafMatcher):
        # Postings inlined in the term info: whoosh-reloaded 2.7.5 never writes them (its inlining calls a method
        # that does not exist), so this is an upgrade's doing; Whoosh's own search answers instead.
        raise Unsupported(type(matcher).__name__)
    id_blocks, other_blocks, lengths = [], [], []
    for data, count in _blocks(matcher):
        id_blocks.append(data[0])
        lengths.append(count)
        if positions:
            other_blocks.append(data[2])
        else:
            weights = data[1]
            if weights is None or isinstance(weights, float):
                weights = itertools.repeat(1.0 if weights is None else weights, count)
            other_blocks.append(weights)
    ids = _undelta(itertools.chain.from_iterable(id_blocks), lengths)
    if positions:
        return _positions(ids, list(itertools.chain.from_iterable(other_blocks)), matcher.format)
    return ids, np.fromiter(itertools.chain.from_iterable(other_blocks), dtype=np.float64, count=len(ids))


def _positions(ids: np.ndarray, values: list[bytes], fmt) -> tuple[np.ndarray, np.ndarray]:
    """Every (docnum, position) of a term: two flat arrays, one row per occurrence."""
    decoded = [fmt.decode_positions(v) for v in values]
    counts = np.fromiter(map(len, decoded), dtype=np.int64, count=len(decoded))
    return np.repeat(ids, counts), np.fromiter(itertools.chain.from_iterable(decoded), dtype=np.int64)


class Ranker:
    """Evaluates one parsed query against one searcher's segments."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        reader = searcher.reader()
        self.leaves = reader.leaf_readers() if hasattr(reader, "leaf_readers") else [(reader, 0)]
        self._lengths: dict[str, np.ndarray] = {}
        self._deleted: dict[int, np.ndarray | None] = {}

    def deleted(self, segment) -> np.ndarray | None:
        """A segment's deleted docnums as an array (once per query, not per term), or None."""
        key = id(segment)
        if key not in self._deleted:
            found = segment.deleted_docs_set
            self._deleted[key] = np.fromiter(found, dtype=np.int64, count=len(found)) if found else None
        return self._deleted[key]

    # --- reading -----------------------------------------------------------------------------------------
    def _segment_postings(self, segment, fieldname: str, text: str, positions: bool) -> tuple[np.ndarray, ...]:
        key = (segment.segment().segment_id(), fieldname, text, positions)
        found = CACHE.get(key)
        if found is None:
            terms = segment._terms
            info = terms.term_info(fieldname, segment._text_to_bytes(fieldname, text))
            matcher = segment._codec.postings_reader(terms._postfile, info, segment.schema[fieldname].format)
            found = _decode(matcher, positions)
            if info.doc_frequency() >= CACHE_FROM:
                CACHE.put(key, found)
        return found

    def _read(self, fieldname: str, text: str, positions: bool) -> tuple[np.ndarray, np.ndarray]:
        """Two parallel arrays over every segment, global docnums first, deleted documents left out."""
        firsts, seconds = [], []
        for segment, offset in self.leaves:
            if (fieldname, text) not in segment:
                continue
            ids, other = self._segment_postings(segment, fieldname, text, positions)
            deleted = self.deleted(segment)
            if deleted is not None:
                keep = ~np.isin(ids, deleted)
                ids, other = ids[keep], other[keep]
            firsts.append(ids + offset)
            seconds.append(other)
        if not firsts:
            return _EMPTY_IDS, _EMPTY_IDS if positions else _EMPTY_SCORES
        return np.concatenate(firsts), np.concatenate(seconds)

    def postings(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Global docnums and weights of a term."""
        return self._read(fieldname, text, positions=False)

    def positions(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Global docnum and position of each occurrence of a term."""
        return self._read(fieldname, text, positions=True)

    def field_lengths(self, fieldname: str) -> np.ndarray:
        """Every document's length in a field, as Whoosh stores it (one byte, decoded)."""
        found = self._lengths.get(fieldname)
        if found is None:
            parts = []
            for segment, _ in self.leaves:
                key = (segment.segment().segment_id(), fieldname, None, "lengths")
                part = CACHE.get(key)
                if part is None:
                    part = (self._segment_lengths(segment, fieldname),)
                    CACHE.put(key, part)
                parts.append(part[0])
            found = self._lengths[fieldname] = np.concatenate(parts) if parts else _EMPTY_SCORES
        return found

    @staticmethod
    def _segment_lengths(segment, fieldname: str) -> np.ndarray:
        count = segment.doc_count_all()
        column = segment._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        codes = np.zeros(count, dtype=np.uint8)
        if column is not None:
            stored = min(count, column._count)
            codes[:stored] = np.frombuffer(column._dbfile.get(column._basepos, stored), dtype=np.uint8)
        return _BYTE_TO_LENGTH[codes]

    def live_documents(self) -> np.ndarray:
        """Every docnum not deleted (for a query that is only NOT something)."""
        parts = []
        for segment, offset in self.leaves:
            ids = np.arange(segment.doc_count_all(), dtype=np.int64)
            deleted = self.deleted(segment)
            if deleted is not None:
                ids = ids[~np.isin(ids, deleted)]
            parts.append(ids + offset)
        return np.concatenate(parts) if parts else _EMPTY_IDS

    def documents(self, q: query.Query) -> np.ndarray:
        """The docnums a filter query matches (terms and their AND/OR here; anything else through Whoosh)."""
        if isinstance(q, query.Term):
            return self.postings(q.fieldname, q.text)[0]
        if isinstance(q, query.And):
            return _intersect_all([self.documents(sub) for sub in q.subqueries])
        if isinstance(q, query.Or):
            return np.unique(np.concatenate([self.documents(sub) for sub in q.subqueries] or [_EMPTY_IDS]))
        return np.fromiter(sorted(self.searcher.docs_for_query(q)), dtype=np.int64)

    # --- scoring -----------------------------------------------------------------------------------------
    def term(self, fieldname: str, text: str, boost: float = 1.0) -> Scored:
        """BM25F of one term, with Whoosh's idf and average field length (the whole index's)."""
        ids, weights = self.postings(fieldname, text)
        if not len(ids):
            return Scored.empty()
        idf = self.searcher.idf(fieldname, text)
        average = self.searcher.avg_field_length(fieldname) or 1
        lengths = self.field_lengths(fieldname)[ids]
        lengths[lengths == 0] = 1  # Whoosh's default for a missing length
        scores = idf * (weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / average))
        return Scored(ids, scores * boost)

    def evaluate(self, q: query.Query) -> Scored:
        """The documents a query matches and their scores, as Whoosh would sum them."""
        if q is query.NullQuery:
            return Scored.empty()
        if isinstance(q, query.Term):
            return self.term(q.fieldname, q.text, q.boost)
        if isinstance(q, query.Prefix):
            words = list(itertools.islice(self.searcher.reader().expand_prefix(q.fieldname, q.text), 2000))
            return _scale(_union([self.term(q.fieldname, w) for w in words]), q.boost)
        if isinstance(q, query.Phrase):
            return _scale(self.phrase(q.fieldname, q.words), q.boost)
        if isinstance(q, query.AndNot):
            return _without(self.evaluate(q.a), self.evaluate(q.b))
        if isinstance(q, query.AndMaybe):
            return _maybe(self.evaluate(q.a), self.evaluate(q.b))
        if isinstance(q, query.Require):
            return restrict(self.evaluate(q.a), self.evaluate(q.b).ids)
        if isinstance(q, query.Not):
            return _without(Scored(self.live_documents(), _EMPTY_SCORES), self.evaluate(q.query), zero=True)
        if isinstance(q, query.And):
            positive = [s for s in q.subqueries if not isinstance(s, query.Not)]
            negative = _union([self.evaluate(s.query) for s in q.subqueries if isinstance(s, query.Not)])
            if not positive:
                return _without(Scored(self.live_documents(), _EMPTY_SCORES), negative, zero=True)
            found = _without(_intersection([self.evaluate(s) for s in positive]), negative)
            return _scale(found, q.boost)
        if isinstance(q, query.Or):
            return _scale(_union([self.evaluate(s) for s in q.subqueries]), q.boost)
        raise Unsupported(type(q).__name__)

    def phrase(self, fieldname: str, words: list[str]) -> Scored:
        """Documents with the words in a row in this field, scored as the words together."""
        words = [w.decode("utf-8") if isinstance(w, bytes) else w for w in words]
        scored = _intersection([self.term(fieldname, w) for w in dict.fromkeys(words)])
        if len(words) < 2 or not len(scored.ids):
            return scored
        occurrences = []
        for word in words:
            docs, places = self.positions(fieldname, word)
            keep = np.isin(docs, scored.ids, assume_unique=False)
            occurrences.append((docs[keep], places[keep]))
        span = max(int(p.max()) for _, p in occurrences if len(p)) + len(words) + 1
        # A run starts at position p of a document when word i is at p + i for every i.
        starts = [docs * span + places - i for i, (docs, places) in enumerate(occurrences)]
        runs = _intersect_all([np.unique(s) for s in starts])
        return restrict(scored, np.unique(runs // span))


def _intersect_all(parts: list[np.ndarray]) -> np.ndarray:
    if not parts:
        return _EMPTY_IDS
    parts = sorted(parts, key=len)
    found = parts[0]
    for other in parts[1:]:
        found = np.intersect1d(found, other, assume_unique=True)
    return found


def _scale(found: Scored, boost: float) -> Scored:
    if boost != 1.0:
        found.scores = found.scores * boost
    return found


def _union(parts: Iterable[Scored]) -> Scored:
    """Documents in any part; a document's score is the sum of the parts it is in (Whoosh's OR)."""
    parts = [p for p in parts if len(p.ids)]
    if not parts:
        return Scored.empty()
    if len(parts) == 1:
        return parts[0]
    ids, where = np.unique(np.concatenate([p.ids for p in parts]), return_inverse=True)
    scores = np.bincount(where, weights=np.concatenate([p.scores for p in parts]), minlength=len(ids))
    return Scored(ids, scores)


def _intersection(parts: list[Scored]) -> Scored:
    """Documents in every part, with the sum of their scores (Whoosh's AND)."""
    if not parts:
        return Scored.empty()
    parts = sorted(parts, key=lambda p: len(p.ids))
    ids, scores = parts[0].ids, parts[0].scores
    for other in parts[1:]:
        ids, mine, theirs = np.intersect1d(ids, other.ids, assume_unique=True, return_indices=True)
        scores = scores[mine] + other.scores[theirs]
    return Scored(ids, scores)


def _without(found: Scored, excluded: Scored, zero: bool = False) -> Scored:
    keep = ~np.isin(found.ids, excluded.ids, assume_unique=True)
    scores = np.zeros(int(keep.sum())) if zero else found.scores[keep]
    return Scored(found.ids[keep], scores)


def restrict(found: Scored, allowed: np.ndarray) -> Scored:
    """Only the documents in `allowed` (a filter: scores unchanged)."""
    keep = np.isin(found.ids, allowed, assume_unique=True)
    return Scored(found.ids[keep], found.scores[keep])


def exclude(found: Scored, masked: np.ndarray) -> Scored:
    """All but the documents in `masked` (what the searcher may not see)."""
    keep = ~np.isin(found.ids, masked)
    return Scored(found.ids[keep], found.scores[keep])


def _maybe(found: Scored, extra: Scored) -> Scored:
    """AND MAYBE: the first part's documents, plus the second's score where it matches too."""
    _, mine, theirs = np.intersect1d(found.ids, extra.ids, assume_unique=True, return_indices=True)
    scores = found.scores.copy()
    scores[mine] += extra.scores[theirs]
    return Scored(found.ids, scores)


def top(found: Scored, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The best `count` documents: highest score first, then lowest docnum (Whoosh's order)."""
    ids, scores = found.ids, found.scores
    if len(ids) > count:
        cut = np.argpartition(-scores, count - 1)[:count]
        # Ties at the cut-off: take every document scoring as the last one, so the docnum order decides.
        floor = scores[cut].min()
        cut = np.flatnonzero(scores >= floor)
        ids, scores = ids[cut], scores[cut]
    order = np.lexsort((ids, -scores))[:count]
    return ids[order], scores[order]
