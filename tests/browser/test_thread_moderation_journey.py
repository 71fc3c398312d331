"""Thread titles in a real browser: the author corrects one, a facilitator hides the thread, then restores it."""

from __future__ import annotations

import pytest

from tests.browser.test_process_journey import PROCESS, sign_in, sign_out

pytestmark = pytest.mark.browser


def test_author_retitles_and_facilitator_hides_and_restores_a_thread(page, live_server):
    password = live_server.demo_password
    sign_in(page, "campaigner", password)
    page.goto(PROCESS + "/groups/safeguards")
    page.get_by_role("link", name="Start a thread").click()
    page.check()
    page.get_by_label("Discussion").check()
    page.get_by_label("Title").fill("Retention is a scam")
    page.get_by_label("What do you want to say?").fill("How long is the data kept?")
    page.get_by_role("button", name="Start thread").click()
    page.check()
    page.get_by_role("link", name="Change the title").click()
    page.check()
    page.get_by_label("Title").fill("How long is the data kept?")
    page.get_by_role("button", name="Save title").click()
    page.check()
    assert page.get_by_role("heading", name="How long is the data kept?").is_visible()
    thread_url = page.page.url
    sign_out(page)

    sign_in(page, "facilitator", password)
    page.goto(thread_url)
    page.get_by_role("link", name="Hide this thread").click()
    page.check()
    page.get_by_label("Public reason").fill("Duplicate of an earlier thread")
    page.get_by_role("button", name="Hide thread").click()
    page.check()
    tombstone = "This thread was hidden by a facilitator. Reason: Duplicate of an earlier thread"
    assert page.get_by_text(tombstone).is_visible()
    page.goto(PROCESS + "/groups/safeguards")
    assert page.get_by_role("link", name="How long is the data kept?").count() == 0
    page.goto(thread_url)
    page.get_by_role("link", name="Review or restore this thread").click()
    page.check()
    page.get_by_label("Public reason").fill("Kept: the other thread was closed")
    page.get_by_role("button", name="Restore thread").click()
    page.check()
    assert page.get_by_role("heading", name="How long is the data kept?").is_visible()
