"""What happened is findable in a real browser: a rejected statement with its reason, the meetings pages, /papers."""

from __future__ import annotations

import pytest

from tests.browser.test_process_journey import PROCESS, sign_in, sign_out

pytestmark = pytest.mark.browser

STATEMENT = "Water companies should publish how many households each flag reached"


def test_a_rejection_is_seen_by_its_author_and_in_the_log_and_meetings_and_papers_are_findable(page, live_server):
    password = live_server.demo_password
    sign_in(page, "researcher", password)
    page.goto(PROCESS + "/statements")
    page.get_by_label("Statement", exact=True).fill(STATEMENT)
    page.get_by_role("button", name="Propose statement").click()
    page.check()
    sign_out(page)

    sign_in(page, "facilitator", password)
    page.goto(PROCESS + "/statements")
    card = page.locator(".govuk-summary-card", has_text=STATEMENT)
    card.get_by_role("button", name="Reject").click()
    page.check()
    assert page.locator(".govuk-error-summary").is_visible(), "a rejection without a reason is an error, not a success"
    assert page.locator(".govuk-notification-banner--success").count() == 0
    page.get_by_label("Reason").fill("Outside this process's remit: raise it with the delivery group")
    page.get_by_role("button", name="Reject").click()
    page.check()
    sign_out(page)

    sign_in(page, "researcher", password)
    page.goto(PROCESS + "/statements")
    mine = page.locator("table", has_text=STATEMENT)
    assert mine.get_by_text("Outside this process's remit").is_visible()
    mine.get_by_role("link", name=STATEMENT).click()
    page.check()
    assert page.get_by_text("Outside this process's remit").is_visible()
    sign_out(page)

    page.goto(PROCESS + "/moderation")
    rejections = page.locator("#rejected-statements ~ .app-table-scroll table").first
    assert rejections.get_by_text("Outside this process's remit").is_visible()
    assert page.get_by_text("Dr Rhys Evans").count() == 0, "the log never names the author"

    page.goto(PROCESS)
    page.get_by_role("link", name="All meetings, past meetings' notes and actions").click()
    page.check()
    assert page.get_by_role("link", name="Plenary: areas of agreement so far, Cardiff").is_visible()
    assert page.get_by_text("Bring options for telling households").is_visible()
    page.get_by_role("link", name="Published notes of Safeguards workshop, Leeds").click()
    page.check()
    assert page.get_by_text("eligibility flag is preferable").is_visible()

    page.goto(PROCESS + "/groups/safeguards")
    page.get_by_role("link", name="Meetings of this group").click()
    page.check()
    assert page.get_by_role("link", name="Safeguards workshop, Leeds", exact=True).is_visible()

    page.goto("/papers")
    page.get_by_role("link", name="Water social tariffs: conclusions of the working groups").first.click()
    page.check()
