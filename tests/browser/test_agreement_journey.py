"""Voting and the analysis page in a real browser, with axe on every page."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_vote_in_the_flow_and_read_the_opinion_map(page, live_server):
    page.goto("/account/sign-in")
    page.get_by_label("Email address").fill("admin@demo.example.org")
    page.get_by_label("Password", exact=True).fill(live_server.demo_password)
    page.get_by_role("button", name="Sign in").click()
    page.check()
    page.goto("/processes/water-poverty-data-sharing")
    page.get_by_role("navigation", name="Parts of this process").get_by_role("link", name="Statements").click()
    page.check()
    page.get_by_role("link", name="Vote one statement at a time").click()
    page.check()
    first = page.locator(".govuk-body-l").first.inner_text()
    page.get_by_label("Why? (optional)").fill("It reveals the least")
    page.get_by_role("button", name=re.compile(r"^Agree\b")).click()
    page.check()
    assert page.get_by_text("You voted agree").is_visible()
    assert page.locator(".govuk-body-l").first.inner_text() != first, "the flow moves to the next statement"
    page.goto("/processes/water-poverty-data-sharing/agreement")
    page.check()
    assert page.locator("img.consult-map").is_visible()  # the opinion map, an image per analysis version
    assert page.get_by_role("table").first.is_visible()


def test_facilitator_records_an_outcome_and_reads_the_ledger_and_mediation(page, live_server):
    page.goto("/account/sign-in")
    page.get_by_label("Email address").fill("facilitator@demo.example.org")
    page.get_by_label("Password", exact=True).fill(live_server.demo_password)
    page.get_by_role("button", name="Sign in").click()
    page.check()
    page.goto("/processes/water-poverty-data-sharing/ledger")
    page.get_by_role("link", name="Households should be told before their data is shared with a water company.").click()
    page.check()
    # Seven demo votes are too few for "agreed" on their own: test_outcome_evidence_journey.py cites evidence.
    page.get_by_label("Still to discuss").check()
    page.get_by_label("Summary note").fill("Every sector wants households told first; the timing needs more work.")
    page.get_by_role("button", name="Record outcome").click()
    page.check()
    assert page.get_by_role("heading", name="Still to discuss").is_visible()
    page.goto("/processes/water-poverty-data-sharing/mediation")
    assert page.get_by_role("heading", name="Contested statements").is_visible()
    page.goto("/processes/water-poverty-data-sharing/statements")
    page.get_by_role(
        "link", name="Water companies are not public authorities and should not receive benefit data."
    ).click()
    page.check()
    assert page.get_by_role("table", name="By declared sector").is_visible()
