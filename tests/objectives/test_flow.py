"""Proposal pages that change something: a refused change is rolled back before the form is shown again."""

from __future__ import annotations

from consult.objectives import services
from tests.factories import post
from tests.objectives.test_proposals import move, start_draft
from tests.refusals import REFUSAL, flushes_then_refuses, left_behind


def test_a_refused_transition_is_shown_on_its_form_and_leaves_nothing_behind(
    client, app, login, cast, db, monkeypatch
):
    proposal = start_draft(client, login, cast, db)
    monkeypatch.setattr(services, "transition", flushes_then_refuses(db, "reason"))
    with left_behind(app, db) as counts:
        response = move(client, proposal, "submitted", "Kept reason")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and REFUSAL in page and "Kept reason" in page
    assert counts[-1] == 0


def test_a_refused_new_proposal_leaves_nothing_behind(client, app, login, cast, db, monkeypatch):
    monkeypatch.setattr(services, "create_proposal", flushes_then_refuses(db, "title"))
    login(cast["officer"])
    with left_behind(app, db) as counts:
        response = post(client, "/objectives/proposals/new", title="Kept title")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and REFUSAL in page and "Kept title" in page
    assert counts[-1] == 0
