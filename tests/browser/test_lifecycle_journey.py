"""The lifecycle as actions: a refused submission lists what is missing with links; the board moves by buttons."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from consult.accounts.models import User
from consult.db import get_session
from consult.objectives import services
from consult.objectives.models import Proposal
from tests.browser.test_objective_journey import move, sign_in, sign_out
from tests.objectives.answers import COMPLETE

pytestmark = pytest.mark.browser

TEXT_FIELDS = (
    "problem",
    "objective_wording",
    "service_or_benefit",
    "purpose_evidence",
    "wellbeing_evidence",
    "functions_evidence",
    "data_items",
    "benefits",
    "safeguard_onward_disclosure",
    "safeguard_data_protection",
    "retention",
    "equality_impact",
    "security_arrangements",
    "dpia_link",
)


def complete_the_checklist(page) -> None:
    for key in TEXT_FIELDS:
        page.locator(f"#{key}").fill(COMPLETE[key])
    page.get_by_label("Households", exact=True).check()
    page.get_by_label("Facilitate the provision of a benefit", exact=False).check()
    page.get_by_label("Physical and mental health and emotional well-being").check()
    page.get_by_label("Supporting the delivery of a specified person's functions", exact=False).check()
    page.get_by_role("group", name="Specified persons who would disclose").get_by_label("Paragraph 7:").check()
    page.get_by_role("group", name="Specified persons who would receive").get_by_label("Paragraph 11:").check()
    page.get_by_label("Completed", exact=True).check()
    page.get_by_role("button", name="Save").click()
    page.check()


def to_the_board(live_server, proposal_id: int) -> None:
    """The facilitator's steps between submission and the board, made through the services (another journey walks
    them in the browser)."""
    with live_server.app.app_context():
        db = get_session(write=True)
        proposal = db.get(Proposal, proposal_id)
        facilitator = db.scalar(sa.select(User).where(User.email == "facilitator@demo.example.org"))
        services.transition(db, proposal, actor=facilitator, target="conditions_assessed", reason="Answered")
        services.link_process(db, proposal, actor=facilitator, process_slug="water-poverty-data-sharing")
        services.transition(db, proposal, actor=facilitator, target="open_policy_discussion", reason="Discuss")
        for criterion in ("purpose", "wellbeing", "functions"):
            services.record_assessment(db, proposal, actor=facilitator, criterion=criterion, view="met", note="Met")
        services.transition(db, proposal, actor=facilitator, target="review_board", reason="Views recorded")
        db.commit()


def test_a_refused_submission_then_the_board_rejects_after_confirming(page, live_server):
    password = live_server.demo_password
    sign_in(page, "officer", password)
    page.goto("/objectives/proposals/new")
    page.get_by_label("Title of the proposed objective").fill("Free school meals auto-enrolment")
    page.get_by_role("button", name="Start a draft").click()
    page.check()
    proposal_url = page.url.replace("/edit", "")
    page.goto(proposal_url)

    # The officer's moves are buttons: submit, with pause and withdraw behind an "are you sure?".
    assert page.get_by_role("button", name="Submit the proposal").is_visible()
    assert page.get_by_role("button", name="Pause the proposal").is_visible()
    assert page.get_by_role("button", name="Withdraw the proposal").is_visible()
    assert page.locator("select").count() == 0

    move(page, "Submit the proposal", "Ready, we think")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    assert summary.get_by_text("Every item of the statutory checklist must be answered").is_visible()
    link = summary.get_by_role("link", name="Describe the problem and who is affected")
    assert re.search(r"/edit#problem$", link.get_attribute("href"))
    assert summary.get_by_role("link", name="Choose at least one specified person who would disclose").is_visible()
    link.click()
    page.check()
    assert page.url.endswith("/edit#problem")
    complete_the_checklist(page)
    assert page.get_by_text("Every item is answered.").is_visible()
    move(page, "Submit the proposal", "Every item answered")
    assert page.get_by_text("The proposal is now: submitted.").is_visible()
    sign_out(page)

    to_the_board(live_server, int(proposal_url.rsplit("/", 1)[1]))

    sign_in(page, "board", password)
    page.goto(proposal_url)
    page.check()
    moves = page.locator("#moves ~ form button, #moves ~ .govuk-button-group .govuk-button")
    assert sorted(moves.all_inner_texts()) == [
        "Reject the proposal",
        "Send back for revision",
        "Send for ministerial decision",
    ]
    assert page.get_by_role("button", name="Pause the proposal").count() == 0
    assert page.get_by_role("button", name="Withdraw the proposal").count() == 0

    page.get_by_role("button", name="Reject the proposal").click()
    page.check()
    assert page.get_by_role("heading", name="Are you sure you want to reject the proposal?").is_visible()
    page.get_by_role("link", name="No, go back to the proposal").click()
    page.check()
    assert page.get_by_text("Review board", exact=True).first.is_visible()
    page.get_by_role("button", name="Reject the proposal").click()
    page.check()
    page.get_by_label("Reason to reject the proposal").fill("The data items go beyond what the purpose needs.")
    page.get_by_role("button", name="Yes, reject the proposal").click()
    page.check()
    assert page.get_by_text("The proposal is now: rejected.").is_visible()
    assert page.get_by_text("The data items go beyond what the purpose needs.").is_visible()
    assert page.locator("#moves").count() == 0, "nothing more can be done with a rejected proposal"
