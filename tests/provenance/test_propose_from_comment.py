"""'Propose as a statement' on a comment: offered to those who may propose, pre-filled, and the link is kept."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from consult.agreement.models import Statement, StatementStatus
from consult.provenance.models import StatementSource
from consult.provenance.services import trim_at_word
from tests.factories import make_process, post

URL = "/processes/prov/statements/from-comment"


def prefilled(page: str) -> str:
    match = re.search(r'<textarea[^>]*name="text"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, page[:3000]
    return html.unescape(match.group(1)).strip()


def test_the_thread_offers_it_to_people_who_may_propose_and_not_to_visitors(client, login, world):
    thread_page = f"/threads/{world['thread'].id}"
    link = f"/processes/prov/statements/from-comment?comment={world['quoted'].id}"
    assert link not in client.get(thread_page).get_data(as_text=True)
    login(world["outsider"])  # statements are process-wide: any verified person may propose while it is open
    page = client.get(thread_page).get_data(as_text=True)
    assert link in html.unescape(page) and "Propose as a statement" in page
    assert f"comment={world['hidden'].id}" not in html.unescape(page)


def test_the_form_is_prefilled_with_the_comment_cut_at_a_word(client, login, world):
    login(world["member"])
    page = client.get(f"{URL}?comment={world['long'].id}").get_data(as_text=True)
    text = prefilled(page)
    assert len(text) <= 400 and text == trim_at_word(world["long"].body)
    assert world["long"].body.startswith(text) and world["long"].body[len(text)] == " "  # ends on a whole word
    short = prefilled(client.get(f"{URL}?comment={world['quoted'].id}").get_data(as_text=True))
    assert short == "Tell every household before sharing."  # Markdown taken out


def test_proposing_stores_the_statement_and_its_comment_link(client, login, world, db):
    login(world["member"])
    response = post(client, URL, comment_id=world["quoted"].id, text="Tell every household before any sharing")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    statement = db.scalar(sa.select(Statement).where(Statement.text == "Tell every household before any sharing"))
    assert statement.status == StatementStatus.PROPOSED and statement.author_id == world["member"].id
    source = db.scalar(sa.select(StatementSource).where(StatementSource.statement_id == statement.id))
    assert source.comment_id == world["quoted"].id and source.added_by_id == world["member"].id


@pytest.mark.parametrize("key", ["other_comment", "hidden"])
def test_a_comment_of_another_process_or_hidden_is_refused(client, login, world, db, key):
    login(world["member"])
    assert client.get(f"{URL}?comment={world[key].id}").status_code == 404
    response = post(client, URL, comment_id=world[key].id, text="A statement from elsewhere")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "cannot be a source" in page or "a thread of this process" in page
    assert "A statement from elsewhere" in page  # the text typed is kept
    assert db.scalar(sa.select(sa.func.count()).select_from(Statement)) == 1
    assert db.scalar(sa.select(sa.func.count()).select_from(StatementSource)) == 0


def test_an_empty_statement_is_refused_beside_the_field_and_keeps_the_comment(client, login, world, db):
    login(world["member"])
    response = post(client, URL, comment_id=world["quoted"].id, text="  ")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Enter the statement" in page and "Tell <strong>every</strong> household" in page
    assert db.scalar(sa.select(sa.func.count()).select_from(StatementSource)) == 0


def test_no_one_proposes_when_the_process_is_closed_or_when_signed_out(client, login, world, db, make_user):
    assert client.get(f"{URL}?comment={world['quoted'].id}").status_code == 302  # to sign in
    closed = make_process(db, slug="closed", state="closed")
    world["group"].process_id = closed.id
    db.commit()
    login(world["member"])
    assert client.get(f"/processes/closed/statements/from-comment?comment={world['quoted'].id}").status_code == 403
    refused = post(client, "/processes/closed/statements/from-comment", comment_id=world["quoted"].id, text="Late")
    assert refused.status_code == 403
    assert db.scalar(sa.select(sa.func.count()).select_from(StatementSource)) == 0
