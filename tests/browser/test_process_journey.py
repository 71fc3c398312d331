"""A working group in a real browser: start a thread, reply two deep, report, hide, RSVP and download the calendar."""

from __future__ import annotations

from pathlib import Path

import pytest
from icalendar import Calendar

pytestmark = pytest.mark.browser

PROCESS = "/processes/water-poverty-data-sharing"


def sign_in(page, who: str, password: str) -> None:
    page.goto("/account/sign-in")
    page.get_by_label("Email address").fill(f"{who}@demo.example.org")
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.check()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.check()


def test_thread_reply_report_hide_rsvp_and_calendar(page, live_server):
    password = live_server.demo_password
    sign_in(page, "campaigner", password)
    page.goto("/processes/")
    page.get_by_role("link", name="Water poverty: sharing data to target social tariffs").click()
    page.check()
    assert page.get_by_text("Current stage").is_visible()
    page.get_by_role("link", name="Safeguards and privacy").click()
    page.check()

    page.get_by_role("link", name="Start a thread").click()
    page.check()
    page.get_by_label("Question").check()
    page.get_by_label("Title").fill("How long will the data be kept?")
    page.get_by_label("What do you want to say?").fill("We would like a **fixed** retention period.")
    page.get_by_role("button", name="Start thread").click()
    page.check()
    assert page.get_by_role("heading", name="How long will the data be kept?").is_visible()
    assert page.locator("strong", has_text="fixed").is_visible()

    page.get_by_label("Your reply").fill("Twelve months seems enough.")
    page.get_by_role("button", name="Post reply").click()
    page.check()
    page.get_by_role("link", name="Reply to Cal Campaigner").last.click()
    page.check()
    page.get_by_label("Your reply").fill("Agreed, with a review after six months.")
    page.get_by_label("Supports").check()
    page.get_by_role("button", name="Post reply").click()
    page.check()
    first_reply = page.locator("li.consult-comment", has_text="Twelve months seems enough.").last
    nested = first_reply.locator(".consult-comment__replies", has_text="review after six months")
    assert nested.count() == 1, "the reply to the reply sits inside it, two levels below the opening post"
    sign_out(page)

    sign_in(page, "council", password)
    page.goto(PROCESS + "/groups/safeguards")
    page.get_by_role("link", name="How long will the data be kept?").click()
    page.check()
    page.get_by_role("link", name="Report this comment").last.click()
    page.check()
    page.get_by_label("Why are you reporting this comment?").fill("Off topic for this thread")
    page.get_by_role("button", name="Send report").click()
    page.check()
    assert page.get_by_text("A facilitator will look at the comment").is_visible()
    sign_out(page)

    sign_in(page, "facilitator", password)
    page.goto(PROCESS + "/moderation/queue")
    page.check()
    assert page.get_by_text("Off topic for this thread").is_visible()
    page.get_by_role("link", name="Moderate this comment").first.click()
    page.check()
    page.get_by_label("Public reason").fill("Moved to the delivery group")
    page.get_by_role("button", name="Hide comment").click()
    page.check()
    page.goto(PROCESS + "/moderation")
    assert page.get_by_role("cell", name="Moved to the delivery group").is_visible()
    sign_out(page)

    sign_in(page, "researcher", password)
    page.goto(PROCESS)
    page.get_by_role("link", name="Plenary: areas of agreement so far, Cardiff").first.click()
    page.check()
    page.get_by_label("Remotely").check()
    page.get_by_role("button", name="Reply").click()
    page.check()
    assert page.get_by_text("You replied: remotely").is_visible()
    assert page.get_by_role("link", name="Join the meeting online").is_visible()

    calendar_link = page.get_by_role("link", name="Add this process's meetings to your calendar (iCalendar)")
    with page.expect_download() as download:
        calendar_link.click()
    body = Path(download.value.path()).read_bytes()
    events = Calendar.from_ical(body).walk("VEVENT")
    assert any("Plenary" in str(event["SUMMARY"]) for event in events)
