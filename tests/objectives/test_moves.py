"""Lifecycle moves as buttons: each role sees only its moves, stopping moves ask first, refusals say what is missing."""

from __future__ import annotations

import re

import pytest

from consult.db import utcnow
from consult.objectives import criteria, lifecycle
from consult.objectives.lifecycle import Status
from consult.objectives.models import Proposal
from tests.factories import reload
from tests.objectives.test_proposals import move, start_draft

ROLES = [lifecycle.DEPARTMENT, lifecycle.FACILITATOR, lifecycle.BOARD, lifecycle.ADMIN]


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("role", ROLES)
def test_a_role_is_offered_exactly_the_moves_its_rules_allow(status, role):
    paused_from = Status.REVIEW_BOARD if status == Status.PAUSED else None
    offered = lifecycle.moves_for(status, frozenset({role}), paused_from)
    allowed = [
        target
        for target in lifecycle.allowed_targets(status, paused_from)
        if not lifecycle.refusal_reasons(status, target, frozenset({role}), ALL_FACTS, paused_from)
    ]
    assert [m.target for m in offered] == allowed
    for m in offered:
        assert m.confirm == (m.target in {Status.PAUSED, Status.WITHDRAWN, Status.REJECTED}), m


ALL_FACTS = dict.fromkeys(lifecycle.REQUIREMENT_MESSAGES, True)


@pytest.fixture
def at_board(db, cast):
    """A public proposal with the review board."""
    officer = cast["officer"]
    proposal = Proposal(
        department_id=officer.organisation_id,
        created_by_id=officer.id,
        answers={"title": "Passported benefits"},
        status=Status.REVIEW_BOARD,
        submitted_at=utcnow(),
    )
    db.add(proposal)
    db.commit()
    return proposal


def buttons(page: str) -> set[str]:
    """The text of every move offered on a proposal page: submit buttons and links drawn as buttons."""
    found = re.findall(r'<button type="submit" class="govuk-button[^"]*"[^>]*>\s*([^<]+?)\s*</button>', page)
    found += re.findall(r'role="button"[^>]*>\s*([^<]+?)\s*</a>', page)
    return set(found)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("board", {"Send for ministerial decision", "Send back for revision", "Reject the proposal"}),
        ("officer", {"Withdraw the proposal", "Pause the proposal", "Reject the proposal"}),
        ("facilitator", {"Pause the proposal"}),
        ("participant", set()),
        ("other", set()),  # an officer of another department
    ],
)
def test_each_role_sees_only_its_own_moves_as_buttons(client, login, cast, at_board, who, expected):
    login(cast[who])
    page = client.get(f"/objectives/proposals/{at_board.id}").get_data(as_text=True)
    offered = buttons(page) - {"Sign out"}
    assert offered == expected
    assert ('id="moves"' in page) is bool(expected)
    assert 'name="target"' not in page or "<select" not in page, "no dropdown of statuses"


@pytest.mark.parametrize(("who", "target"), [("board", "paused"), ("facilitator", "rejected"), ("officer", "laid")])
def test_a_forged_move_of_another_role_is_forbidden_and_changes_nothing(client, login, cast, db, at_board, who, target):
    login(cast[who])
    assert move(client, at_board, target).status_code == 403
    assert reload(db, at_board).status == Status.REVIEW_BOARD


def test_pausing_asks_first_and_only_the_confirmed_form_pauses(client, login, cast, db, at_board):
    login(cast["officer"])
    page = client.get(f"/objectives/proposals/{at_board.id}").get_data(as_text=True)
    confirm_url = f"/objectives/proposals/{at_board.id}/moves/paused"
    assert f'href="{confirm_url}"' in page
    confirm = client.get(confirm_url)
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200
    assert "Are you sure you want to pause the proposal?" in html
    assert 'name="confirmed" value="yes"' in html and "Yes, pause the proposal" in html
    unconfirmed = move(client, at_board, "paused", "Waiting for the budget", confirmed="")
    assert unconfirmed.status_code == 200 and "Are you sure you want to pause" in unconfirmed.get_data(as_text=True)
    assert "Waiting for the budget" in unconfirmed.get_data(as_text=True), "the reason is kept"
    assert reload(db, at_board).status == Status.REVIEW_BOARD
    assert move(client, at_board, "paused", "Waiting for the budget", confirmed="maybe").status_code == 400
    assert reload(db, at_board).status == Status.REVIEW_BOARD
    assert move(client, at_board, "paused", "Waiting for the budget").status_code == 302
    assert reload(db, at_board).status == Status.PAUSED


def test_withdrawing_warns_it_cannot_be_undone_and_needs_a_reason(client, login, cast, db, at_board):
    login(cast["officer"])
    html = client.get(f"/objectives/proposals/{at_board.id}/moves/withdrawn").get_data(as_text=True)
    assert "Withdrawing cannot be undone" in html
    no_reason = move(client, at_board, "withdrawn", "")
    assert no_reason.status_code == 400
    assert "Give a reason" in no_reason.get_data(as_text=True)
    assert "Are you sure you want to withdraw the proposal?" in no_reason.get_data(as_text=True)
    assert reload(db, at_board).status == Status.REVIEW_BOARD


def test_the_confirmation_page_is_only_for_stopping_moves_the_person_may_make(client, login, cast, at_board):
    base = f"/objectives/proposals/{at_board.id}/moves"
    login(cast["board"])
    assert client.get(f"{base}/ministerial_decision").status_code == 404, "a plain move has no confirmation page"
    assert client.get(f"{base}/paused").status_code == 403, "the board may not pause"
    assert client.get(f"{base}/no-such-status").status_code == 404
    assert client.get(f"{base}/rejected").status_code == 200


def test_a_refused_submission_lists_each_missing_item_linked_to_its_field(client, login, cast, db):
    proposal = start_draft(client, login, cast, db)
    response = move(client, proposal, "submitted", "Trying early")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    summary = html[html.index("govuk-error-summary") : html.index("</ul>", html.index("govuk-error-summary"))]
    missing = criteria.missing_items(reload(db, proposal).answers)
    assert len(missing) > 5
    edit_url = f"/objectives/proposals/{proposal.id}/edit"
    assert "Every item of the statutory checklist must be answered" in summary
    for item in missing:
        assert f'href="{edit_url}#{item.field}"' in summary, item.field
        assert item.message.replace("'", "&#39;") in summary, item.message
    edit = client.get(edit_url).get_data(as_text=True)
    for item in missing:
        assert f'id="{item.field}"' in edit, f"the link to #{item.field} lands on its field"
    assert reload(db, proposal).status == Status.DRAFT


def test_the_readiness_panel_links_each_missing_item_to_its_field(client, login, cast, db):
    proposal = start_draft(client, login, cast, db)
    page = client.get(f"/objectives/proposals/{proposal.id}").get_data(as_text=True)
    assert f'href="/objectives/proposals/{proposal.id}/edit#problem"' in page
