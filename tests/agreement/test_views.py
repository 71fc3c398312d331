"""Statements, voting and the analysis page over HTTP."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from consult.accounts.models import Role, Sector
from consult.agreement import services
from consult.agreement.models import AnalysisCache, Statement, StatementStatus, Vote, VoteEvent
from tests.factories import make_process, post
from tests.refusals import REFUSAL, flushes_then_refuses, left_behind


@pytest.fixture
def debate(db):
    process = make_process(db, slug="debate")
    statements = [Statement(process_id=process.id, text=f"Statement number {n}") for n in range(3)]
    db.add_all(statements)
    db.commit()
    return process, statements


def test_voting_twice_replaces_the_vote_and_the_list_shows_it(client, login, make_user, debate, db):
    process, (first, *_rest) = debate
    login(make_user())
    assert (
        post(client, f"/processes/debate/statements/{first.id}/vote", value="agree", reason="Clear").status_code == 302
    )
    post(client, f"/processes/debate/statements/{first.id}/vote", value="disagree")
    assert db.scalars(sa.select(Vote.value)).all() == [-1]
    assert db.scalar(sa.select(sa.func.count()).select_from(VoteEvent)) == 2
    page = client.get("/processes/debate/statements").get_data(as_text=True)
    assert "your vote: disagree" in page
    assert "0 agree · 1 disagree · 0 pass" in page


def test_the_flow_shows_the_next_unvoted_statement_then_finishes(client, login, make_user, debate):
    process, statements = debate
    login(make_user())
    for _ in statements:
        page = client.get("/processes/debate/vote").get_data(as_text=True)
        statement_id = re.search(r"/statements/(\d+)/vote", page).group(1)
        post(client, f"/processes/debate/statements/{statement_id}/vote", value="pass", next="/processes/debate/vote")
    assert "You have voted on every statement" in client.get("/processes/debate/vote").get_data(as_text=True)


@pytest.mark.parametrize("status", [StatementStatus.REJECTED, StatementStatus.PROPOSED])
def test_votes_on_statements_not_open_are_refused_and_nothing_is_recorded(client, login, make_user, debate, db, status):
    process, (first, *_rest) = debate
    first.status = status
    db.commit()
    login(make_user())
    response = post(client, f"/processes/debate/statements/{first.id}/vote", value="agree")
    assert "not open for votes" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.scalar(sa.select(sa.func.count()).select_from(Vote)) == 0


def test_unverified_and_closed_process_votes_are_refused(client, login, make_user, db):
    closed = make_process(db, slug="old", state="closed")
    statement = Statement(process_id=closed.id, text="Too late")
    db.add(statement)
    db.commit()
    login(make_user())
    post(client, f"/processes/old/statements/{statement.id}/vote", value="agree")
    login(make_user(verified=False))
    response = post(client, f"/processes/old/statements/{statement.id}/vote", value="agree")
    assert "Confirm your email address" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.scalar(sa.select(sa.func.count()).select_from(Vote)) == 0


def test_bad_vote_values_and_foreign_statements_are_refused(client, login, make_user, debate, db):
    process, (first, *_rest) = debate
    other = make_process(db, slug="other")
    login(make_user())
    post(client, f"/processes/debate/statements/{first.id}/vote", value="maybe")
    assert db.scalar(sa.select(sa.func.count()).select_from(Vote)) == 0
    assert post(client, f"/processes/{other.slug}/statements/{first.id}/vote", value="agree").status_code == 404
    long = post(client, f"/processes/debate/statements/{first.id}/vote", value="agree", reason="kept " + "x" * 281)
    page = long.get_data(as_text=True)
    assert long.status_code == 400 and "280 characters" in page and "kept " + "x" * 281 in page, "the reason is kept"


def test_participants_propose_and_facilitators_accept_or_reject_with_a_reason(client, login, make_user, debate, db):
    login(make_user())
    assert post(client, "/processes/debate/statements", text="Households should be told first").status_code == 302
    proposed = db.scalar(sa.select(Statement).where(Statement.text == "Households should be told first"))
    assert proposed.status == StatementStatus.PROPOSED
    assert post(client, "/processes/debate/statements", text="x" * 401).status_code == 400
    login(make_user(roles=(Role.FACILITATOR,)))
    post(client, f"/processes/debate/statements/{proposed.id}/decision", decision="reject", reason="")
    assert db.get(Statement, proposed.id).status == StatementStatus.PROPOSED, "rejection needs a reason"
    post(client, f"/processes/debate/statements/{proposed.id}/decision", decision="accept", reason="Clear")
    db.expire_all()
    assert db.get(Statement, proposed.id).status == StatementStatus.ACCEPTED


@pytest.mark.parametrize("decision", [None, "reject"])
def test_a_statement_not_accepted_is_shown_to_its_author_and_facilitators_only(
    client, login, make_user, debate, db, decision
):
    author, other, facilitator = make_user(), make_user(), make_user(roles=(Role.FACILITATOR,))
    login(author)
    post(client, "/processes/debate/statements", text="Tell households before sharing")
    proposed = db.scalar(sa.select(Statement).where(Statement.text == "Tell households before sharing"))
    if decision:
        login(facilitator)
        post(client, f"/processes/debate/statements/{proposed.id}/decision", decision=decision, reason="Duplicate")
    path = f"/processes/debate/statements/{proposed.id}"
    seen = {}
    for name, person in (("author", author), ("other", other), ("facilitator", facilitator)):
        login(person)
        seen[name] = client.get(path).status_code
    post(client, "/account/sign-out")
    seen["visitor"] = client.get(path).status_code
    assert seen == {"author": 200, "other": 404, "facilitator": 200, "visitor": 404}


def test_results_page_reads_the_cache_only_and_shows_map_and_table(client, login, make_user, debate, db, query_counter):
    process, statements = debate
    assert "No analysis yet" in client.get("/processes/debate/agreement").get_data(as_text=True)
    people = [make_user(sector=Sector.CIVIL_SOCIETY if n % 2 else Sector.PUBLIC_SECTOR) for n in range(10)]
    for n, person in enumerate(people):
        login(person)
        for s in statements:
            post(
                client,
                f"/processes/debate/statements/{s.id}/vote",
                value="agree" if (n % 2) == (s.id % 2) else "disagree",
            )
    cache = db.get(AnalysisCache, process.id)
    assert cache is not None and cache.vote_events == 30
    client.get("/processes/debate/agreement")
    with query_counter() as queries:
        page = client.get("/processes/debate/agreement").get_data(as_text=True)
    assert "Opinion groups (the map as a table)" in page
    assert not any("INSERT" in q or "UPDATE" in q for q in queries), "a read-only page never recomputes"
    assert len(queries) < 15
    # The map is an image of its own, one URL per analysis version, kept by browsers and proxies.
    (src,) = re.findall(r'<img class="consult-map" src="([^"]+)"', page)
    image = client.get(src)
    assert image.mimetype == "image/svg+xml" and "<svg" in image.get_data(as_text=True)
    assert 'role="img"' in image.get_data(as_text=True) and "immutable" in image.headers["Cache-Control"]
    assert client.get(src, headers={"If-None-Match": image.headers["ETag"]}).status_code == 304


def test_statement_list_query_count_does_not_grow(client, login, make_user, db, query_counter):
    process = make_process(db, slug="big")
    db.add_all([Statement(process_id=process.id, text=f"S{n}") for n in range(3)])
    db.commit()
    login(make_user())
    client.get("/processes/big/statements")
    with query_counter() as few:
        client.get("/processes/big/statements")
    db.add_all([Statement(process_id=process.id, text=f"T{n}") for n in range(40)])
    db.commit()
    client.get("/processes/big/statements")  # the first request after a commit also drains the search queue
    with query_counter() as many:
        client.get("/processes/big/statements")
    assert len(many) == len(few)


def test_a_refused_vote_comes_back_with_its_reason_and_leaves_nothing_behind(
    client, app, login, make_user, debate, db, monkeypatch
):
    process, (first, *_rest) = debate
    monkeypatch.setattr(services, "cast_vote", flushes_then_refuses(db))
    login(make_user())
    with left_behind(app, db) as counts:
        response = post(client, f"/processes/debate/statements/{first.id}/vote", value="agree", reason="Kept reason")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and counts[-1] == 0
    assert REFUSAL in page and 'value="Kept reason"' in page


def test_a_refused_statement_is_shown_on_its_form_and_leaves_nothing_behind(
    client, app, login, make_user, debate, db, monkeypatch
):
    monkeypatch.setattr(services, "add_statement", flushes_then_refuses(db, "text"))
    login(make_user())
    with left_behind(app, db) as counts:
        response = post(client, "/processes/debate/statements", text="Kept statement")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and REFUSAL in page and "Kept statement" in page
    assert counts[-1] == 0


@pytest.mark.parametrize("decision", [None, "", "maybe"])
def test_a_statement_decision_other_than_accept_or_reject_is_a_bad_request(
    client, login, make_user, debate, db, decision
):
    _, (first, *_rest) = debate
    first.status = StatementStatus.PROPOSED
    db.commit()
    login(make_user(roles=(Role.FACILITATOR,)))
    data = {"reason": "Clear"} | ({} if decision is None else {"decision": decision})
    assert post(client, f"/processes/debate/statements/{first.id}/decision", **data).status_code == 400
    db.expire_all()
    assert db.get(Statement, first.id).status == StatementStatus.PROPOSED


def test_a_rejection_reason_over_the_limit_comes_back_as_typed(client, login, make_user, debate, db):
    _, (first, *_rest) = debate
    first.status = StatementStatus.PROPOSED
    db.commit()
    login(make_user(roles=(Role.FACILITATOR,)))
    reason = "Duplicate of statement 2 " + "x" * 500
    response = post(client, f"/processes/debate/statements/{first.id}/decision", decision="reject", reason=reason)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "500 characters" in page and reason in page
    db.expire_all()
    assert db.get(Statement, first.id).status == StatementStatus.PROPOSED
