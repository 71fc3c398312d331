"""Provenance in a real browser, with axe on every page: a participant proposes a statement from a comment, a
facilitator accepts it, links a meeting with the pickers and records an outcome, and the published paper's
evidence page quotes that comment; the thread then lists the statement with its outcome."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

PROCESS = "/processes/water-poverty-data-sharing"
COMMENT = "Address matching error rates were around 5% in similar schemes"


def sign_in(page, live_server, who: str) -> None:
    if page.get_by_role("button", name="Sign out").count():
        page.get_by_role("button", name="Sign out").click()
    page.goto("/account/sign-in")
    page.get_by_label("Email address").fill(f"{who}@demo.example.org")
    page.get_by_label("Password", exact=True).fill(live_server.demo_password)
    page.get_by_role("button", name="Sign in").click()
    page.check()


def test_a_statement_proposed_from_a_comment_shows_that_comment_on_its_published_evidence(page, live_server):
    # A participant proposes a statement from someone else's comment, starting from the thread.
    sign_in(page, live_server, "resident")
    page.goto(PROCESS + "/groups/safeguards")
    page.get_by_role("link", name="Which data items are really needed?").first.click()
    page.check()
    thread_url = page.url
    comment = page.locator(".consult-comment__body", has_text=COMMENT)
    comment.get_by_role("link", name=re.compile("^Propose as a statement")).click()
    page.check()
    text = page.get_by_label("Statement")
    assert text.input_value().startswith(COMMENT)  # pre-filled with the comment's words
    statement = "Households need a way to correct address mismatches before any data is shared."
    text.fill(statement)
    page.get_by_role("button", name="Propose statement").click()
    page.check()
    assert page.get_by_text("A facilitator will review your statement").is_visible()

    # The facilitator accepts it from the statements page.
    sign_in(page, live_server, "facilitator")
    page.goto(f"{PROCESS}/statements")
    page.check()
    card = page.locator(".govuk-summary-card", has_text=statement)
    card.get_by_role("button", name=re.compile("^Accept")).click()
    page.check()
    assert page.get_by_text("Statement accepted.").is_visible()

    # On the statement's page it already links to the comment; the facilitator adds a meeting with the picker.
    page.goto(f"{PROCESS}/statements?sort=newest")  # the list is paged: the newest statement leads this order
    page.locator(".govuk-summary-card", has_text=statement).get_by_role("link", name=statement).first.click()
    page.check()
    sources = page.locator("#sources")
    assert sources.get_by_text(COMMENT).is_visible()
    picker = page.get_by_label("Meeting", exact=True)
    picker.select_option(picker.locator("option", has_text="Safeguards workshop, Leeds").get_attribute("value"))
    page.get_by_role("button", name="Link this meeting").click()
    page.check()
    assert page.get_by_text("Linked the meeting to this statement.").is_visible()
    statement_url = page.url.split("#")[0]

    # Recording an outcome puts it in the ledger, so a generated paper has it as a finding.
    page.goto(statement_url + "/outcome")
    page.check()
    page.get_by_label("Still to discuss").check()
    page.get_by_label("Summary note").fill("Correction routes need working out with the department.")
    page.get_by_role("button", name="Record outcome").click()
    page.check()

    page.goto(f"{PROCESS}/papers/new")
    page.check()
    page.get_by_label("Title").fill("Where our statements came from")
    page.get_by_role("button", name="Generate a draft from the ledger").click()
    page.check()
    page.get_by_role("link", name="Change status").click()
    page.check()
    page.get_by_label("In review").check()
    page.get_by_role("button", name="Change status").click()
    page.check()
    page.get_by_role("link", name="Change status").click()
    page.get_by_label("Approved").check()
    page.get_by_role("button", name="Change status").click()
    page.check()
    page.get_by_role("link", name="Publish").click()
    page.check()
    page.get_by_role("button", name="Publish this version").click()
    page.check()
    assert page.get_by_text(re.compile(r"Version \d+ is published\.")).is_visible()

    # Anyone reading the published paper follows the finding to its evidence: the comment, quoted.
    page.get_by_role("button", name="Sign out").click()
    page.check()
    page.go_back()
    page.get_by_role("link", name=f"See the evidence for “{statement}”").first.click()
    page.check()
    assert page.get_by_role("heading", name="The evidence behind this finding").is_visible()
    quote = page.locator("figure", has_text=COMMENT)
    assert quote.is_visible()
    assert quote.get_by_text("Supports").is_visible()
    assert page.get_by_role("link", name="Safeguards workshop, Leeds").first.is_visible()

    # And the thread shows the statement that came out of it, with its outcome.
    page.goto(thread_url)
    from_thread = page.locator(
        "section", has=page.get_by_role("heading", name="Statements that came out of this thread")
    )
    assert from_thread.get_by_role("link", name=statement).is_visible()
    assert from_thread.get_by_text("Still to discuss").is_visible()
