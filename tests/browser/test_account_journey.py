"""A person registers, confirms their address from the mail, signs in, reads a page and signs out."""

from __future__ import annotations

import re
from email import message_from_bytes, policy

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "a long browser passphrase"


def newest_link(outbox, path_part: str) -> str:
    messages = sorted(outbox.glob("*.eml"))
    assert messages, "no mail was written to the outbox"
    body = message_from_bytes(messages[-1].read_bytes(), policy=policy.default).get_content()
    match = re.search(r"http://[^\s]+" + re.escape(path_part) + r"[^\s]+", body)
    assert match, body
    return match.group(0)


def test_register_verify_sign_in_read_and_sign_out(page, live_server):
    page.goto("/")
    page.get_by_role("link", name="Create an account").first.click()
    page.check()

    # A mistake first: the error summary and the field message appear, nothing is lost.
    page.get_by_label("Email address").fill("journey@example.org")
    page.get_by_label("Display name").fill("Jo Urney")
    page.get_by_label("Civil society organisation").check()
    page.get_by_label("Create a password").fill("short")
    page.get_by_role("button", name="Create account").click()
    page.check()
    assert page.get_by_role("alert").filter(has_text="There is a problem").is_visible()
    assert page.get_by_label("Display name").input_value() == "Jo Urney"

    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.check()
    assert page.get_by_role("heading", name="Check your email").is_visible()

    link = newest_link(live_server.outbox, "/account/verify/")
    page.goto(link.removeprefix(live_server.url))
    page.get_by_role("button", name="Continue").click()
    page.check()
    assert page.get_by_text("Your email address is confirmed").is_visible()

    page.get_by_label("Email address").fill("journey@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.check()
    assert page.get_by_role("heading", name="Your consult").is_visible(), "sign-in lands on the start page"
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Your account").click()
    page.check()
    assert page.get_by_role("heading", name="Your account").is_visible()
    assert "Confirm your email address to take part" not in page.content()

    page.get_by_role("link", name="The power").click()
    page.check()
    assert page.get_by_role("navigation", name="Contents").is_visible()

    page.get_by_role("button", name="Sign out").click()
    page.check()
    assert page.get_by_text("You have signed out").is_visible()
    page.goto("/account/")
    assert page.get_by_role("heading", name="Sign in").is_visible()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/about",
        "/the-power",
        "/part-5-chapters",
        "/objectives-in-force",
        "/objectives-in-force/multiple-disadvantages",
        "/objectives-in-force/water-poverty",
        "/guidance/consultation-principles",
        "/privacy",
        "/accessibility",
        "/code-of-conduct",
        "/terms",
        "/account/register",
        "/account/sign-in",
        "/account/reset-password",
        "/no-such-page",
    ],
)
def test_public_pages_have_no_accessibility_violations(page, path):
    page.goto(path)
    assert page.locator("h1").count() == 1
