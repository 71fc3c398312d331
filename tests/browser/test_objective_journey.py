"""A department officer takes a proposal from draft to consultation in a real browser, with the other roles' steps."""

from __future__ import annotations

import pytest

from tests.objectives.answers import COMPLETE

pytestmark = pytest.mark.browser


def sign_in(page, who: str, password: str) -> None:
    page.goto("/account/sign-in")
    page.get_by_label("Email address").fill(f"{who}@demo.example.org")
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.check()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.check()


def move(page, label: str, reason: str) -> None:
    """Make a lifecycle move with its own button and reason (lifecycle.MOVE_LABELS)."""
    page.get_by_label(f"Reason to {label[0].lower()}{label[1:]}").fill(reason)
    page.get_by_role("button", name=label, exact=True).click()
    page.check()


def test_officer_takes_a_proposal_from_draft_to_consultation(page, live_server):
    password = live_server.demo_password
    sign_in(page, "officer", password)
    page.get_by_role("link", name="Objectives", exact=True).click()
    page.check()
    page.get_by_role("link", name="Propose a new objective").click()
    page.check()
    page.get_by_label("Title of the proposed objective").fill("Education passported benefits")
    page.get_by_role("button", name="Start a draft").click()
    page.check()

    # Submitting too early is refused, and the readiness panel names what is missing.
    page.get_by_role("button", name="Save").click()
    page.check()
    move(page, "Submit the proposal", "Trying early")
    assert page.get_by_text("Every item of the statutory checklist must be answered").first.is_visible()
    page.goto(page.url.replace("/transition", ""))
    page.check()
    assert page.get_by_text("Still to answer").is_visible()

    page.get_by_role("link", name="Edit the proposal").click()
    page.check()
    for key in (
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
    ):
        page.locator(f"#{key}").fill(COMPLETE[key])
    page.get_by_label("Households", exact=True).check()
    page.get_by_label("Facilitate the provision of a benefit", exact=False).check()
    page.get_by_label("Physical and mental health and emotional well-being").check()
    page.get_by_label("Supporting the delivery of a specified person's functions", exact=False).check()
    page.get_by_role("group", name="Specified persons who would disclose").get_by_label("Paragraph 7:").check()
    page.get_by_role("group", name="Specified persons who would receive").get_by_label("Paragraph 5:").check()
    page.get_by_label("Completed", exact=True).check()
    page.get_by_role("button", name="Save").click()
    page.check()
    assert page.get_by_text("Every item is answered.").is_visible()
    move(page, "Submit the proposal", "Ready for review")
    assert page.get_by_text("The proposal is now: submitted.").is_visible()
    proposal_url = page.url
    sign_out(page)

    sign_in(page, "facilitator", password)
    page.goto(proposal_url)
    page.check()
    move(page, "Confirm the conditions are assessed", "Checklist answered")
    page.get_by_role("link", name="Link a process").click()
    page.check()
    page.get_by_label("Web address of the process").fill("water-poverty-data-sharing")
    page.get_by_role("button", name="Link process").click()
    page.check()
    move(page, "Open the policy discussion", "Into the working groups")
    for condition, view in (
        ("Purpose condition", "Met"),
        ("Well-being condition", "Met"),
        ("Functions condition", "Contested"),
    ):
        page.get_by_role("link", name="Record the group's view").click()
        page.check()
        page.get_by_label(condition).check()
        page.get_by_label(view, exact=True).check()
        page.get_by_label("Note").fill(f"The group's view on the {condition.lower()}")
        page.get_by_role("button", name="Record view").click()
        page.check()
    move(page, "Send to the review board", "Views recorded")
    sign_out(page)

    sign_in(page, "board", password)
    page.goto(proposal_url)
    page.get_by_role("link", name="Record a recommendation").click()
    page.check()
    page.get_by_label("Proceed").check()
    page.get_by_label("Reasons").fill("The conditions are met with the safeguards described.")
    page.get_by_role("button", name="Record recommendation").click()
    page.check()
    move(page, "Send for ministerial decision", "Board recommends proceeding")
    sign_out(page)

    sign_in(page, "officer", password)
    page.goto(proposal_url)
    page.check()
    move(page, "Start the public and statutory consultation", "The minister agreed to consult")
    assert page.get_by_text("The proposal is now: public and statutory consultation.").is_visible()
    assert page.get_by_role("cell", name="Information Commissioner").is_visible()
    assert page.get_by_text("The group's view on the functions condition").is_visible()
