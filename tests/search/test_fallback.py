"""When the NumPy ranker cannot run a search, Whoosh's own searcher answers: the same results, only slower, no 500.

An upgrade that changes Whoosh's internals is simulated by breaking what the ranker reads (its posting block
decoder, or the class it expects postings in); a query node the ranker does not evaluate is the other way in.
"""

from __future__ import annotations

import logging
import pickle

import pytest
from whoosh import query

from consult.discussions.models import Comment
from consult.search import fallback, querying, ranking, spelling
from consult.search.querying import SearchRequest
from consult.search.schema import TEXT_ANALYZER
from tests.search.conftest import build_random_index, results

VISITOR = frozenset({"public"})
DEPARTMENT = frozenset({"public", "dept:1"})  # also sees the private documents of the random index
QUERIES = [
    "water",
    "data sharing",
    '"data sharing"',
    "shar*",
    "privacy OR consent",
    "tariff ANDMAYBE council",
    "(water OR fuel) AND (debt OR poverty)",
    "fuel NOT energy",
    "poverty ANDNOT debt",
    "NOT the",
    "missingword",
]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    s = build_random_index(str(tmp_path_factory.mktemp("fallback"))).searcher()
    yield s
    s.close()


def changed_block_format(raw: bytes):
    raise pickle.UnpicklingError("invalid load key, 'x'.")


class RenamedMatcher:
    """Stands for W3LeafMatcher after an upgrade renamed it: no posting reader is an instance of this."""


def break_the_ranker(monkeypatch, how: str = "block format") -> list[int]:
    """Make the ranker fail the way an upgrade could; returns a list that grows by one per fallback search."""
    monkeypatch.setattr(ranking, "CACHE", ranking._DecodedCache(limit=0))  # no list decoded earlier hides the break
    if how == "block format":
        monkeypatch.setattr(ranking, "loads", changed_block_format)
    else:
        monkeypatch.setattr(ranking, "W3LeafMatcher", RenamedMatcher)
    monkeypatch.setattr(fallback, "_warned", set())
    calls: list[int] = []
    real_rank = fallback.rank
    monkeypatch.setattr(fallback, "rank", lambda *args: calls.append(1) or real_rank(*args))
    return calls


def shown(outcome: querying.Outcome) -> tuple:
    return [(h.doc_type, h.doc_id) for h in outcome.hits], outcome.total, outcome.pages, outcome.page


@pytest.mark.parametrize("how", ["block format", "renamed class"])
@pytest.mark.parametrize(("types", "tokens", "page"), [((), VISITOR, 1), (("thread",), DEPARTMENT, 2)])
@pytest.mark.parametrize("typed", QUERIES)
def test_whoosh_answers_with_the_rankers_results_and_counts(searcher, monkeypatch, typed, types, tokens, page, how):
    request = SearchRequest(text=typed, types=types, page=page)
    fast = querying.search(searcher, request, tokens)
    calls = break_the_ranker(monkeypatch, how)
    slow = querying.search(searcher, request, tokens)
    assert shown(slow) == shown(fast)
    if typed == "missingword":
        assert fast.total == 0
        return
    assert calls == [1] and fast.total > 2 * querying.PAGE_SIZE
    if "NOT" not in typed:  # Whoosh adds 1 per NOT to every result of the query: the order is the same
        assert [h.score for h in slow.hits] == pytest.approx([h.score for h in fast.hits], rel=1e-6)


def test_a_query_node_the_ranker_does_not_evaluate_is_answered_by_whoosh(searcher, monkeypatch):
    wildcard = query.Wildcard("body", "wat?r")
    with pytest.raises(ranking.Unsupported):
        ranking.Ranker(searcher).evaluate(wildcard)
    monkeypatch.setattr(querying, "parse", lambda text: (wildcard, []))
    found = querying.search(searcher, SearchRequest(text="wat?r"), VISITOR)
    reader = searcher.reader()
    hidden = querying.hidden_documents(searcher, VISITOR)
    expected = {
        d
        for d in range(reader.doc_count_all())
        if not reader.is_deleted(d)
        and d not in hidden
        and "water" in {t.text for t in TEXT_ANALYZER(searcher.stored_fields(d)["body"])}
    }
    assert found.total == len(expected) and len(found.hits) == querying.PAGE_SIZE
    assert {h.doc_id for h in found.hits} <= expected


def test_each_kind_of_failure_is_logged_once(searcher, monkeypatch, caplog):
    break_the_ranker(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="consult.search.fallback"):
        for typed in ("water", "fuel", "water"):
            querying.search(searcher, SearchRequest(text=typed), VISITOR)
        assert len(caplog.records) == 1 and "UnpicklingError" in caplog.records[0].getMessage()
        monkeypatch.setattr(querying, "parse", lambda text: (query.Wildcard("body", "wat?r"), []))
        querying.search(searcher, SearchRequest(text="wat?r"), VISITOR)
        querying.search(searcher, SearchRequest(text="wat?r"), VISITOR)
    assert len(caplog.records) == 2 and "Unsupported(Wildcard)" in caplog.records[1].getMessage()


@pytest.fixture
def corpus(db, world):
    bodies = [
        "Data sharing needs strong safeguards for households.",
        "We shared the consultation response with every council.",
        "Water companies already hold social tariff lists.",
    ] + [f"Filler comment number {n} about eligibility thresholds." for n in range(25)]
    db.add_all(Comment(thread_id=world.thread.id, author_id=world.people.member.id, body=b) for b in bodies)
    db.commit()
    return world


@pytest.mark.parametrize(
    "params",
    [
        {"q": "safeguards"},
        {"q": '"data sharing"'},
        {"q": "consult*"},
        {"q": "tariff OR water"},
        {"q": "filler NOT households", "page": "2"},
        {"q": "filler", "page": "3", "type": "comment"},
    ],
)
def test_search_page_shows_the_same_results_when_the_ranker_breaks(client, corpus, monkeypatch, params):
    fast = results(client.get("/search", query_string=params))
    calls = break_the_ranker(monkeypatch)
    slow = client.get("/search", query_string=params)
    assert slow.status_code == 200 and calls == [1]
    assert results(slow) == fast and fast


def test_did_you_mean_and_privacy_hold_when_the_ranker_breaks(client, corpus, search_as, monkeypatch):
    break_the_ranker(monkeypatch)
    html = client.get("/search", query_string={"q": "safegards housholds"}).get_data(as_text=True)
    assert "Did you mean" in html and ">safeguards household" in html
    assert search_as(None, "draftproposalword") == [] and search_as(None, "sharednotesword") == []
    assert search_as(corpus.people.officer, "draftproposalword")


def test_a_suggestion_that_cannot_be_worked_out_either_way_leaves_just_none(searcher, monkeypatch):
    def fails(self, text, **kwargs):
        raise ValueError("automaton")

    monkeypatch.setattr(fallback, "_warned", set())
    monkeypatch.setattr(spelling.VisibleCorrector, "suggest", fails)
    outcome = querying.search(searcher, SearchRequest(text="watr"), VISITOR)
    assert outcome.total == 0 and outcome.suggestion is None
