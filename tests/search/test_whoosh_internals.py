"""Every Whoosh internal consult relies on, checked on a small real index.

consult/search/ranking.py reads Whoosh's posting blocks and length columns directly, and whoosh_fixes.py replaces a
method of Whoosh's per-document reader. Both are written against whoosh-reloaded 2.7.5, pinned in pyproject.toml.
After an upgrade, a failure here names the internal that moved and who reads it. (Search keeps answering through
Whoosh's own, slower searcher meanwhile: consult/search/fallback.py.)
"""

from __future__ import annotations

import importlib
import itertools

import pytest
from whoosh import index as whoosh_index
from whoosh import writing
from whoosh.codec import whoosh3
from whoosh.filedb.filestore import RamStorage
from whoosh.util.numeric import byte_to_length

from consult.search import ranking, whoosh_fixes
from consult.search.schema import SCHEMA

COMMON = 300  # documents holding the common word: over two blocks of 128 postings
RANKER = "consult/search/ranking.py"
FIXES = "consult/search/whoosh_fixes.py"

# (module, name, who reads it)
MODULE_NAMES = [
    ("whoosh.codec.whoosh3", "LENGTHS_COLUMN", f"{RANKER} Ranker._segment_lengths"),
    ("whoosh.codec.whoosh3", "W3LeafMatcher", f"{RANKER} _decode"),
    ("whoosh.codec.whoosh3", "_lenfield", f"{RANKER} Ranker._segment_lengths"),
    ("whoosh.codec.whoosh3", "W3PerDocReader", f"{FIXES} (patches its _cached_reader)"),
    ("whoosh.util.numeric", "_length_byte_cache", f"{RANKER} _BYTE_TO_LENGTH"),
    ("whoosh.searching", "Searcher", f"{RANKER} Ranker"),
]

# (object, attribute path, who reads it): the objects are the real ones of the index below.
ATTRIBUTES = [
    ("searcher", "reader().leaf_readers", f"{RANKER} Ranker.__init__"),
    ("searcher", "reader().expand_prefix", f"{RANKER} Ranker.evaluate (Prefix)"),
    ("searcher", "idf", f"{RANKER} Ranker.term"),
    ("searcher", "avg_field_length", f"{RANKER} Ranker.term"),
    ("searcher", "docs_for_query", f"{RANKER} Ranker.documents"),
    ("segment_reader", "segment().segment_id", f"{RANKER} cache keys"),
    ("segment_reader", "deleted_docs_set", f"{RANKER} Ranker.deleted"),
    ("segment_reader", "doc_count_all", f"{RANKER} Ranker._segment_lengths, live_documents"),
    ("segment_reader", "_terms.term_info", f"{RANKER} Ranker._segment_postings"),
    ("segment_reader", "_terms._postfile", f"{RANKER} Ranker._segment_postings"),
    ("segment_reader", "_text_to_bytes", f"{RANKER} Ranker._segment_postings"),
    ("segment_reader", "_codec.postings_reader", f"{RANKER} Ranker._segment_postings"),
    ("segment_reader", "_perdoc._cached_reader", f"{RANKER} Ranker._segment_lengths"),
    ("segment_reader", "_perdoc._readers", f"{FIXES} _cached_reader"),
    ("segment_reader", "_perdoc.column_reader", f"{FIXES} _cached_reader"),
    ("segment_reader", "_perdoc.has_column", f"{FIXES} _cached_reader"),
    ("term_info", "doc_frequency", f"{RANKER} Ranker._segment_postings"),
    ("matcher", "_postfile.get", f"{RANKER} _blocks"),
    ("matcher", "_dataoffset", f"{RANKER} _blocks"),
    ("matcher", "_nextoffset", f"{RANKER} _blocks"),
    ("matcher", "_compression", f"{RANKER} _blocks"),
    ("matcher", "_blocklength", f"{RANKER} _blocks"),
    ("matcher", "_lastblock", f"{RANKER} _blocks"),
    ("matcher", "_goto", f"{RANKER} _blocks"),
    ("matcher", "format.decode_positions", f"{RANKER} _positions"),
    ("length_column", "_count", f"{RANKER} Ranker._segment_lengths"),
    ("length_column", "_basepos", f"{RANKER} Ranker._segment_lengths"),
    ("length_column", "_dbfile.get", f"{RANKER} Ranker._segment_lengths"),
]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    """Two segments, one deletion; a word in COMMON documents (several blocks) and one in a single document."""
    ix = whoosh_index.create_in(str(tmp_path_factory.mktemp("internals")), SCHEMA)
    with ix.writer() as writer:
        for n in range(COMMON):
            body = "water data sharing " * (1 + n % 4) + ("unique" if n == 7 else "")
            writer.add_document(key=f"comment:{n}", doc_type="comment", doc_id=n, title="Water", body=body)
    with ix.writer() as writer:
        writer.add_document(key="comment:9999", doc_type="comment", doc_id=9999, title="Late", body="water again")
        writer.delete_by_term("key", "comment:3")
    with ix.searcher() as s:
        yield s


def segment_reader_of(searcher):
    return searcher.reader().leaf_readers()[0][0]


def term_info_of(searcher, word: str = "water"):
    reader = segment_reader_of(searcher)
    return reader._terms.term_info("body", reader._text_to_bytes("body", word))


def matcher_of(searcher, word: str = "water"):
    """A term's posting reader, made the way ranking.Ranker._segment_postings makes it."""
    reader = segment_reader_of(searcher)
    info = term_info_of(searcher, word)
    return reader._codec.postings_reader(reader._terms._postfile, info, reader.schema["body"].format)


def length_column_of(searcher):
    reader = segment_reader_of(searcher)
    return reader._perdoc._cached_reader(whoosh3._lenfield("body"), whoosh3.LENGTHS_COLUMN)


# The real objects whose internals are read, each reached the way ranking.py reaches it.
ROOTS = {
    "searcher": lambda searcher: searcher,
    "segment_reader": segment_reader_of,
    "term_info": term_info_of,
    "matcher": matcher_of,
    "length_column": length_column_of,
}


def resolve(obj, path: str):
    """Follow "a.b().c" from obj; raise AttributeError naming the step that is missing."""
    for step in path.split("."):
        name = step.removesuffix("()")
        if not hasattr(obj, name):
            raise AttributeError(f"{type(obj).__module__}.{type(obj).__name__} has no attribute {name!r}")
        obj = getattr(obj, name)
        if step.endswith("()"):
            obj = obj()
    return obj


def version() -> str:
    from importlib.metadata import version as installed

    return installed("whoosh-reloaded")


@pytest.mark.parametrize(("module", "name", "reader"), MODULE_NAMES, ids=[f"{m}.{n}" for m, n, _ in MODULE_NAMES])
def test_module_names_still_exist(module, name, reader):
    assert hasattr(importlib.import_module(module), name), (
        f"whoosh-reloaded {version()}: {module}.{name} is gone; it is read by {reader}"
    )


@pytest.mark.parametrize(("root", "path", "reader"), ATTRIBUTES, ids=[f"{r}.{p}" for r, p, _ in ATTRIBUTES])
def test_private_attributes_still_exist_on_the_real_objects(searcher, root, path, reader):
    try:
        obj = ROOTS[root](searcher)
    except Exception as error:  # any failure on the way is the message
        pytest.fail(f"whoosh-reloaded {version()}: cannot reach the {root} as ranking.py does ({error!r})")
    try:
        found = resolve(obj, path)
    except Exception as error:
        pytest.fail(f"whoosh-reloaded {version()}: {root}.{path} is not readable ({error}); it is read by {reader}")
    assert found is not None or path == "_perdoc._readers"


def test_posting_readers_are_block_matchers_even_for_a_single_posting(searcher):
    """ranking._decode reads blocks only; anything else (postings inlined in the term info) goes to the fallback."""
    for word in ("water", "uniqu"):
        matcher = matcher_of(searcher, word)
        assert isinstance(matcher, whoosh3.W3LeafMatcher), f"{word!r} postings came as {type(matcher).__name__}"


def test_posting_blocks_are_pickled_deltas_weights_and_values(searcher):
    """Each block: (docnum deltas from zero, weights as None/float/list, encoded positions), as _blocks reads it."""
    matcher = matcher_of(searcher)
    blocks = list(ranking._blocks(matcher))
    assert len(blocks) > 1, "the common word spans several blocks"
    for data, count in blocks:
        assert isinstance(data, tuple) and len(data) >= 3
        assert len(data[0]) == count and len(data[2]) == count
        assert data[1] is None or isinstance(data[1], float) or len(data[1]) == count
    ids = ranking._undelta(itertools.chain.from_iterable(d[0] for d, _ in blocks), [c for _, c in blocks])
    live = set(segment_reader_of(searcher).postings("body", "water").all_ids())
    assert ids.tolist() == sorted(live | {3}), "raw blocks still hold deleted document 3"
    assert matcher.format.decode_positions(blocks[0][0][2][0]) == [0], "document 0 starts with the word"


def test_length_column_is_one_byte_per_document_decoded_by_the_byte_table(searcher):
    segment_reader = segment_reader_of(searcher)
    lengths = ranking.Ranker._segment_lengths(segment_reader, "body")
    expected = [segment_reader.doc_field_length(d, "body") or 0 for d in range(segment_reader.doc_count_all())]
    assert lengths.tolist() == expected and len(set(expected)) > 1
    assert len(ranking._BYTE_TO_LENGTH) == 256
    assert all(ranking._BYTE_TO_LENGTH[b] == byte_to_length(b) for b in range(256))


def test_scores_read_from_internals_match_whooshs_own(searcher):
    """The sum of it all: the ranker's BM25F equals Whoosh's for a word across segments with a deletion."""
    from whoosh import query

    theirs = {hit.docnum: hit.score for hit in searcher.search(query.Term("body", "water"), limit=None)}
    found = ranking.Ranker(searcher).evaluate(query.Term("body", "water"))
    assert dict(zip(found.ids.tolist(), found.scores.tolist(), strict=True)) == pytest.approx(theirs, rel=1e-6)


def test_per_document_reader_asks_for_a_missing_column_once(searcher, monkeypatch):
    """whoosh_fixes is in place, and Whoosh still looks length columns up through the method it replaces."""
    assert whoosh3.W3PerDocReader._cached_reader is whoosh_fixes._cached_reader
    perdoc = segment_reader_of(searcher)._perdoc
    asked = []
    real_has_column = perdoc.has_column
    monkeypatch.setattr(perdoc, "has_column", lambda name: asked.append(name) or real_has_column(name))
    for docnum in (0, 1, 2):
        perdoc.doc_field_length(docnum, "key")  # an ID field: no length column
    assert asked == [whoosh3._lenfield("key")], "the missing column's answer is cached"


def test_posting_pool_spills_by_its_size_estimate_alone():
    """Why whoosh_fixes no longer raises the pool's `maxsize`: PostingPool.add never reads it (2.7.5)."""
    pool = writing.PostingPool(RamStorage(), None, limitmb=1, maxsize=2)
    for n in range(10):
        pool.add(("body", b"word%d" % n, n, 1.0, None))
    assert pool.runs == [] and len(pool.current) == 10, "a count limit spilled the pool: restore the maxsize patch"
    pool.add(("body", b"big", 10, 1.0, b"x" * 2**20))
    pool.add(("body", b"next", 11, 1.0, None))
    assert len(pool.runs) == 1, "past limitmb the pool spills"
    pool.cleanup()

