"""An administrator finds a failed background job and queues it again, in a real browser (axe on each page)."""

from __future__ import annotations

import pytest

from consult.db import get_session
from consult.jobs.models import FailedJob
from tests.browser.test_process_journey import sign_in, sign_out

pytestmark = pytest.mark.browser


def test_an_admin_sees_failed_jobs_and_queues_one_again(page, live_server):
    with live_server.app.app_context():
        db = get_session(write=True)
        db.add(
            FailedJob(
                task_name="run_catch_up", task_id="browser-1", arguments=[], error="OperationalError: the disk is full"
            )
        )
        db.commit()
    sign_in(page, "admin", live_server.demo_password)
    page.goto("/admin/users")
    page.get_by_role("link", name="Background jobs").click()
    page.check()
    assert page.get_by_role("heading", name="Background jobs").is_visible()
    assert page.get_by_text("OperationalError: the disk is full").is_visible()
    page.get_by_role("button", name="Queue again").first.click()
    page.check()
    assert page.get_by_text("The run_catch_up job is queued again.").is_visible()
    assert page.get_by_text("No job has failed.").is_visible()
    sign_out(page)
