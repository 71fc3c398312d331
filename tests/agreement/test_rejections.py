"""What happens to a proposed statement is visible: to its author with the reason, and in the public moderation log."""

from __future__ import annotations

import re

import sqlalchemy as sa

from consult.accounts.models import Role
from consult.agreement.models import Statement, StatementStatus
from tests.factories import make_process, post


def _propose(client, login, author, text: str) -> None:
    login(author)
    assert post(client, "/processes/debate/statements", text=text).status_code == 302


def _reject(client, login, db, facilitator, text: str, reason: str) -> Statement:
    statement = db.scalar(sa.select(Statement).where(Statement.text == text))
    login(facilitator)
    post(client, f"/processes/debate/statements/{statement.id}/decision", decision="reject", reason=reason)
    db.expire_all()
    return db.get(Statement, statement.id)


def test_an_author_sees_their_waiting_and_rejected_statements_with_the_reason(client, login, make_user, db):
    make_process(db, slug="debate")
    author, other = make_user(), make_user()
    facilitator = make_user(roles=(Role.FACILITATOR,))
    _propose(client, login, author, "Tell households before sharing")
    _propose(client, login, author, "Publish every data sharing agreement")
    rejected = _reject(client, login, db, facilitator, "Tell households before sharing", "Repeats statement 2")
    assert rejected.status == StatementStatus.REJECTED
    login(author)
    page = client.get("/processes/debate/statements").get_data(as_text=True)
    mine = page[page.index('id="your-statements"') :]
    assert "Tell households before sharing" in mine and "Repeats statement 2" in mine and "Rejected" in mine
    assert "Publish every data sharing agreement" in mine and "Waiting for a facilitator" in mine
    login(other)
    page = client.get("/processes/debate/statements").get_data(as_text=True)
    assert 'id="your-statements"' not in page and "Tell households before sharing" not in page


def test_the_moderation_log_lists_rejections_with_reason_and_facilitator_but_not_the_author(
    client, login, make_user, db
):
    make_process(db, slug="debate")
    author = make_user(display_name="Alice Author")
    facilitator = make_user(roles=(Role.FACILITATOR,), display_name="Fran Facilitator")
    _propose(client, login, author, "Tell households before sharing")
    rejected = _reject(client, login, db, facilitator, "Tell households before sharing", "Outside the remit")
    assert rejected.decided_by_id == facilitator.id and rejected.decided_at is not None
    post(client, "/account/sign-out")
    page = client.get("/processes/debate/moderation").get_data(as_text=True)
    section = page[page.index('id="rejected-statements"') :]
    assert "Outside the remit" in section and "Fran Facilitator" in section
    assert "Alice Author" not in page


def test_a_refused_vote_is_shown_as_an_error_never_in_a_success_banner(client, login, make_user, db):
    process = make_process(db, slug="debate")
    rejected = Statement(process_id=process.id, text="Already rejected", status=StatementStatus.REJECTED)
    db.add(rejected)
    db.commit()
    login(make_user())
    response = post(client, f"/processes/debate/statements/{rejected.id}/vote", value="agree")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    banners = re.findall(r'<div class="govuk-notification-banner[^"]*"[^>]*>.*?</div>\s*</div>', page, re.S)
    refusal = [b for b in banners if "not open for votes" in b]
    assert refusal, "the refusal is shown"
    assert all("govuk-notification-banner--success" not in b and 'role="alert"' in b for b in refusal)


def test_the_author_reads_a_waiting_statement_page_that_says_it_waits_for_a_facilitator(client, login, make_user, db):
    make_process(db, slug="debate")
    author = make_user()
    _propose(client, login, author, "Tell households before sharing")
    statement = db.scalar(sa.select(Statement).where(Statement.text == "Tell households before sharing"))
    page = client.get(f"/processes/debate/statements/{statement.id}").get_data(as_text=True)
    assert "Waiting for a facilitator" in page
