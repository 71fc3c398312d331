"""A facilitator records a finding the votes cannot carry alone: refused with the reason, then recorded on a cited
meeting's notes with a reason, and the basis is published on the ledger. axe runs on every page."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

STATEMENT = "An independent body should audit every data share each year."


def test_facilitator_cites_a_meeting_for_an_agreement_with_too_few_votes(page, live_server):
    page.goto("/account/sign-in")
    page.get_by_label("Email address").fill("facilitator@demo.example.org")
    page.get_by_label("Password", exact=True).fill(live_server.demo_password)
    page.get_by_role("button", name="Sign in").click()
    page.check()
    page.goto("/processes/water-poverty-data-sharing/ledger")
    assert page.get_by_text("at least 10 votes from 3 sectors").first.is_visible()
    page.get_by_role("link", name=STATEMENT).click()
    page.check()
    # The figures are beside the choice, and the warning says what is missing before anything is sent.
    assert page.get_by_role("table", name="By declared sector and by opinion group").is_visible()
    assert page.locator("[data-evidence-warning]").is_visible()

    page.get_by_label("Agreed (banked)").check()
    page.get_by_label("Summary note").fill("Everyone wants an independent annual audit.")
    page.get_by_role("button", name="Record outcome").click()
    page.check()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    beside = page.locator(".govuk-form-group--error", has=page.get_by_label("Agreed (banked)"))
    assert re.search(r"needs at least 10 votes from 3 sectors.*has 7 votes from 5 sectors", beside.inner_text())
    assert page.get_by_label("Summary note").input_value() == "Everyone wants an independent annual audit."

    cited = page.get_by_label("Meeting notes or thread cited")
    meeting = cited.locator("option", has_text="Meeting notes: Safeguards workshop, Leeds")
    cited.select_option(meeting.get_attribute("value"))
    page.get_by_label("Why this evidence supports the outcome (published)").fill(
        "The Leeds workshop asked for an independent audit of every share."
    )
    page.get_by_role("button", name="Record outcome").click()
    page.check()
    assert page.get_by_text("Outcome recorded in the ledger.").is_visible()
    card = page.locator(".govuk-summary-card", has=page.get_by_role("heading", name=STATEMENT))
    basis = card.locator("[data-basis]")
    assert basis.get_by_role("link", name="Safeguards workshop, Leeds").is_visible()
    assert "The Leeds workshop asked for an independent audit of every share." in basis.inner_text()
    assert "7 votes from 5 sectors" in basis.inner_text()
    basis.get_by_role("link", name="Safeguards workshop, Leeds").click()
    page.check()
    assert page.get_by_role("heading", name="Safeguards workshop, Leeds").is_visible()
