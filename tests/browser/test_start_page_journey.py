"""The start page in a real browser: a participant lands there, follows the votes waiting, and focus follows the vote;
a facilitator lands there and sees their queues. axe runs on every page."""

from __future__ import annotations

import re
import uuid

import pytest

pytestmark = pytest.mark.browser
PROCESS = "/processes/water-poverty-data-sharing"


def sign_in(page, live_server, email: str) -> None:
    page.goto("/account/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(live_server.demo_password)
    page.get_by_role("button", name="Sign in").click()
    page.check()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.check()


def test_participant_votes_from_the_start_page_and_facilitator_sees_their_queues(page, live_server):
    tag = uuid.uuid4().hex[:8]
    proposed = f"Households should be able to opt out of automatic matching ({tag})."
    added = f"The eligibility flag should expire after a year ({tag})."

    # A participant proposes a statement: it waits in the facilitator's queue.
    sign_in(page, live_server, "campaigner@demo.example.org")
    assert page.url.endswith("/me"), "sign-in lands on the start page"
    assert page.get_by_role("heading", name="Your consult", level=1).is_visible()
    assert page.get_by_role("link", name="Safeguards").first.is_visible(), "the groups they belong to"
    page.goto(PROCESS + "/statements#propose")
    page.check()
    page.get_by_role("textbox", name="Statement").fill(proposed)
    page.get_by_role("button", name="Propose statement").click()
    page.check()
    sign_out(page)

    # The facilitator lands on their start page and follows the queue of proposed statements.
    sign_in(page, live_server, "facilitator@demo.example.org")
    assert page.url.endswith("/me")
    assert page.get_by_role("heading", name="Your queues").is_visible()
    queue = page.get_by_role("link", name=re.compile(r"^Proposed statements to decide"))
    queue.first.click()
    page.check()
    card = page.locator(".govuk-summary-card", has_text=proposed)
    card.get_by_role("button", name=re.compile(r"^Accept")).click()
    page.check()
    page.get_by_role("textbox", name="Statement").fill(added)
    page.get_by_role("button", name="Add statement").click()
    page.check()
    # The process page leads with what they can do now, and the process navigation marks where they are.
    page.goto(PROCESS)
    assert page.get_by_role("heading", name="What you can do now").is_visible()
    nav = page.get_by_role("navigation", name="Parts of this process")
    assert nav.get_by_role("link", name="Overview").get_attribute("aria-current") == "page"
    sign_out(page)

    # The participant follows "vote on N statements" from the start page; after a vote, focus is on the next one.
    sign_in(page, live_server, "campaigner@demo.example.org")
    page.get_by_role("link", name=re.compile(r"^Vote on \d+ statements?")).first.click()
    page.check()
    assert (
        page.get_by_role("navigation", name="Parts of this process")
        .get_by_role("link", name="Statements")
        .get_attribute("aria-current")
        == "true"
    )
    first = page.locator("#statement-text").inner_text()
    page.get_by_role("button", name=re.compile(r"^Agree\b")).click()
    page.check()
    assert page.get_by_role("alert").filter(has_text="You voted agree").is_visible(), "the confirmation is announced"
    focused = page.evaluate("() => [document.activeElement.tagName, document.activeElement.id]")
    assert focused == ["H1", "statement"], f"focus is on the next statement's heading, not {focused}"
    assert page.locator("#statement-text").inner_text() != first, "the flow moved on to the next statement"
