"""The search page: ranking, snippets, filters, paging, query syntax, suggestions, and odd input."""

from __future__ import annotations

import pytest

from consult.discussions.models import Comment
from tests import factories
from tests.search.conftest import results


@pytest.fixture
def corpus(db, world):
    thread = world.thread
    bodies = [
        "Data sharing needs strong safeguards for households.",
        "We shared the consultation response with every council.",
        "Water companies already hold social tariff lists.",
    ] + [f"Filler comment number {n} about eligibility thresholds." for n in range(25)]
    db.add_all(Comment(thread_id=thread.id, author_id=world.people.member.id, body=b) for b in bodies)
    db.commit()
    return world


def page(client, **params):
    response = client.get("/search", query_string=params)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_results_show_type_process_date_and_highlighted_snippet(client, corpus):
    html = page(client, q="safeguards")
    assert "<mark>safeguards</mark>" in html
    assert "Comment" in html and "Water poverty process" in html
    assert "<time datetime=" in html


def test_title_matches_rank_above_body_matches(client, corpus, db):
    factories.make_group(db, corpus.process, name="Eligibility thresholds", remit="Who qualifies.")
    found = results(client.get("/search", query_string={"q": "eligibility thresholds"}))
    assert found[0][1] == "Eligibility thresholds"


def test_stemming_phrase_and_prefix(client, corpus):
    assert "<mark>shared</mark>" in page(client, q="sharing")  # English stemming
    assert "<mark>Data</mark> <mark>sharing</mark>" in page(client, q='"data sharing"')
    assert results(client.get("/search", query_string={"q": '"safeguards sharing"'})) == [], "a phrase keeps its order"
    assert "<mark>consultation</mark>" in page(client, q="consult*")


def test_did_you_mean(client, corpus):
    html = page(client, q="safegards housholds")
    assert "Did you mean" in html and ">safeguards household" in html


def test_filters_by_type_process_and_date(client, corpus, db):
    other = factories.make_process(db, title="Another process", summary="Tariffs elsewhere.")
    factories.make_group(db, other, name="Tariff group", remit="tariff lists")
    both = results(client.get("/search", query_string={"q": "tariff"}))
    assert len(both) >= 2
    only_groups = results(client.get("/search", query_string={"q": "tariff", "type": "group"}))
    assert [t for _, t in only_groups] == ["Tariff group"]
    in_first = results(client.get("/search", query_string={"q": "tariff", "process": str(corpus.process.id)}))
    assert in_first and all(t != "Tariff group" for _, t in in_first)
    assert results(client.get("/search", query_string={"q": "tariff", "from": "2000-01-01", "to": "2000-12-31"})) == []
    html = page(client, q="tariff", **{"from": "not a date", "process": "999999"})
    assert "There is a problem with the filters" in html


def test_pagination(client, corpus):
    first = page(client, q="filler")
    assert "25 results" in first and "Page 1 of 3" in first
    third = results(client.get("/search", query_string={"q": "filler", "page": "3"}))
    assert len(third) == 5
    assert len(results(client.get("/search", query_string={"q": "filler", "page": "99999"}))) == 5


def test_header_search_box_on_every_page(client):
    html = page(client)
    assert 'id="header-search"' in html and 'for="header-search"' in html
    assert 'action="/search"' in client.get("/processes/").get_data(as_text=True)


NASTY = [
    '"unbalanced quote',
    'two "quotes" and "one',
    "AND",
    "OR NOT AND",
    "NOT",
    "()",
    "((((",
    "))",
    "*",
    "a*",
    "**",
    "title:water",
    "visibility:public",
    "[a TO z]",
    "{a TO}",
    "^2",
    "water^",
    "x" * 10_000,
    "water " * 5000,
    "\x00\x01\x02 water",
    "\x1b[31m red",
    "\u202eevil",
    "\ufeff",
    "'",
    "don't",
    "<script>alert(1)</script>",
    "%00",
    "😀 emoji",
    "~fuzzy~2",
    "water~",
    "a b c d e f g h i j k l m n o p q r s t u v w x y z aa bb cc",
    "\\",
    "/",
    "     ",
]


@pytest.mark.parametrize("q", NASTY)
def test_nasty_queries_give_a_page_with_a_message_or_results(client, corpus, q):
    response = client.get("/search", query_string={"q": q, "page": "-1"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html


def test_nasty_filter_values(client, corpus):
    for params in [{"type": "x" * 5000}, {"process": "-1"}, {"page": "9" * 50}, {"from": "2026-13-45"}, {"to": "\x00"}]:
        assert client.get("/search", query_string={"q": "water", **params}).status_code == 200
