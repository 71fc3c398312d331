"""A decision reaches its person in a real browser: a facilitator hides a participant's comment with a reason; the
participant signs in, sees the notification with the reason, follows it to the comment, and has the email."""

from __future__ import annotations

import re
from email import message_from_bytes, policy

import pytest

from tests.browser.test_process_journey import PROCESS, sign_in, sign_out

pytestmark = pytest.mark.browser

REASON = "Names a private individual"


def test_a_hidden_comment_reaches_its_author_on_the_site_and_by_email(page, live_server):
    password = live_server.demo_password
    sign_in(page, "resident", password)
    page.goto(PROCESS + "/groups/safeguards")
    if page.get_by_role("button", name="Join group").count():
        page.get_by_role("button", name="Join group").click()
        page.check()
    page.get_by_role("link", name="Start a thread").click()
    page.check()
    page.get_by_label("Discussion").check()
    page.get_by_label("Title").fill("Who sees the flag?")
    page.get_by_label("What do you want to say?").fill("My neighbour Jo Bloggs at number 4 told me the flag leaked.")
    page.get_by_role("button", name="Start thread").click()
    page.check()
    thread_url = page.page.url
    sign_out(page)

    sign_in(page, "facilitator", password)
    page.goto(thread_url)
    page.get_by_role("link", name="Moderate this comment").first.click()
    page.check()
    page.get_by_label("Public reason").fill(REASON)
    page.get_by_role("button", name="Hide comment").click()
    page.check()
    page.goto("/notifications")
    assert page.get_by_text("hid your comment").count() == 0, "the facilitator is not told of their own action"
    sign_out(page)

    sign_in(page, "resident", password)
    header_link = page.get_by_role("link", name=re.compile(r"^Notifications \d+ unread$"))
    assert header_link.count() == 1, "the header shows there is something new"
    header_link.click()
    page.check()
    message = "A facilitator hid your comment in “Who sees the flag?”"
    assert page.get_by_role("link", name=message).is_visible()
    assert page.get_by_text(f"Reason: {REASON}").is_visible()
    page.get_by_role("link", name=message).click()
    page.check()
    assert page.get_by_text(f"This comment was hidden by a facilitator. Reason: {REASON}").is_visible()

    page.goto("/notifications")
    page.get_by_role("link", name="Email settings").click()
    page.check()
    decisions = page.get_by_role("group", name="Decisions about your contributions")
    assert decisions.get_by_label("An email each time (recommended)").is_checked(), "the default for decisions"

    mails = [message_from_bytes(p.read_bytes(), policy=policy.default) for p in live_server.outbox.glob("*.eml")]
    (mail,) = [m for m in mails if m["To"] == "resident@demo.example.org" and message in m["Subject"]]
    body = mail.get_content()
    assert f"Reason: {REASON}" in body
    # The comment's permalink, which lands on the page of a long thread that shows it.
    assert re.search(rf"{re.escape(live_server.url)}/comments/\d+/in-thread", body)
