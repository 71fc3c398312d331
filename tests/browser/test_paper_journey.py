"""The whole position paper cycle in a real browser, with axe on every page: generate, edit, review with a
paragraph comment, re-version with the comment carried over, publish, and read a finding's evidence."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

PROCESS = "/processes/water-poverty-data-sharing"


def sign_in(page, live_server, who: str) -> None:
    if page.get_by_role("button", name="Sign out").count():
        page.get_by_role("button", name="Sign out").click()
    page.goto("/account/sign-in")
    page.get_by_label("Email address").fill(f"{who}@demo.example.org")
    page.get_by_label("Password", exact=True).fill(live_server.demo_password)
    page.get_by_role("button", name="Sign in").click()
    page.check()


def test_generate_review_reversion_publish_and_read_the_evidence(page, live_server):
    # The demo paper is already published and public.
    page.goto(f"{PROCESS}/papers")
    page.check()
    page.get_by_role("link", name="Water social tariffs: conclusions of the working groups").click()
    page.check()
    assert page.get_by_role("navigation", name="Contents").is_visible()

    sign_in(page, live_server, "facilitator")
    page.goto(PROCESS)
    page.get_by_role("navigation", name="Parts of this process").get_by_role("link", name="Papers").click()
    page.check()
    page.get_by_role("link", name="Generate a draft from the ledger").click()
    page.check()
    page.get_by_label("Title").fill("Second paper on social tariffs")
    page.get_by_role("button", name="Generate a draft from the ledger").click()
    page.check()
    assert page.get_by_role("heading", name="Areas of agreement").is_visible()
    assert page.get_by_role("heading", name="You said, we did").is_visible()

    # Edit: a new paragraph in the introduction.
    page.get_by_role("link", name="Edit the text").click()
    page.check()
    body = page.get_by_label("Text", exact=True)
    body.fill(
        body.input_value().replace(
            "## Introduction\n", "## Introduction\n\nThe groups met six times, in Leeds, Cardiff and online.\n", 1
        )
    )
    page.get_by_label("What did you change?").fill("Said where the groups met")
    page.get_by_role("button", name="Save a new version").click()
    page.check()
    assert page.get_by_text("Saved as version 2.").is_visible()

    page.get_by_role("link", name="Change status").click()
    page.check()
    page.get_by_label("In review").check()
    page.get_by_role("button", name="Change status").click()
    page.check()
    paper_url = page.url

    # A member of the process comments on that paragraph.
    sign_in(page, live_server, "campaigner")
    page.goto(paper_url)
    page.check()
    paragraph = page.locator(".consult-paragraph", has_text="The groups met six times")
    paragraph.get_by_role("link", name=re.compile("Comment on this paragraph")).click()
    page.check()
    page.get_by_label("Your comment on this paragraph").fill("Please list the dates of the meetings too.")
    page.get_by_role("button", name="Add comment").click()
    page.check()
    assert page.get_by_text("Please list the dates of the meetings too.").is_visible()

    # The facilitator saves a new version with a paragraph added above; the comment moves with its paragraph.
    sign_in(page, live_server, "facilitator")
    page.goto(paper_url)
    page.get_by_role("link", name="Edit the text").click()
    page.check()
    body = page.get_by_label("Text", exact=True)
    body.fill(
        body.input_value().replace(
            "The groups met six times, in Leeds, Cardiff and online.",
            "This paper follows the first one.\n\nThe groups met six times, in Leeds, Cardiff and online, "
            "between March and June.",
        )
    )
    page.get_by_label("What did you change?").fill("Dates of the meetings")
    page.get_by_role("button", name="Save a new version").click()
    page.check()
    moved = page.locator(".consult-paragraph", has_text="between March and June")
    assert moved.get_by_text("Please list the dates of the meetings too.").is_visible()

    # Approve and publish: the open comment needs confirming.
    page.get_by_role("link", name="Change status").click()
    page.get_by_label("Approved").check()
    page.get_by_role("button", name="Change status").click()
    page.check()
    page.get_by_role("link", name="Publish").click()
    page.check()
    page.get_by_role("button", name="Publish this version").click()
    page.check()
    assert page.get_by_text("1 review comment is still open").first.is_visible()
    page.get_by_label("Publish even though some review comments are still open").check()
    page.get_by_role("button", name="Publish this version").click()
    page.check()
    assert page.get_by_text("Version 3 is published.").is_visible()
    assert page.get_by_role("link", name="permanent link").is_visible()

    # One click from a finding to its evidence, as it was at publication.
    page.locator(".consult-evidence-link").first.click()
    page.check()
    assert page.get_by_role("heading", name="The evidence behind this finding").is_visible()
    assert page.get_by_text("Later votes do not change them").is_visible()
