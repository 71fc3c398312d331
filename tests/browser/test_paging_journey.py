"""Long lists a page at a time in a real browser, with axe on every page: the statements list (orders and pages),
a long thread's pages, and a comment's permalink landing on the page that shows it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consult.agreement.models import Statement
from consult.db import get_session
from consult.discussions.models import Comment, Thread, ThreadKind
from consult.discussions.views import PER_PAGE
from consult.processes.models import WorkingGroup

pytestmark = pytest.mark.browser

SLUG = "water-poverty-data-sharing"


@pytest.fixture(scope="module")
def long_lists(live_server):
    """120 more statements in the demo process and a thread of 330 replies in its first group (added once)."""
    with live_server.app.app_context():
        db = get_session(write=True)
        process_id = db.scalar(sa.text("SELECT id FROM processes WHERE slug = :s"), {"s": SLUG})
        db.add_all([Statement(process_id=process_id, text=f"Paging statement number {n}") for n in range(120)])
        group = db.scalars(
            sa.select(WorkingGroup).where(WorkingGroup.process_id == process_id).order_by(WorkingGroup.id)
        ).first()
        thread = Thread(group_id=group.id, kind=ThreadKind.DISCUSSION, title="A very long thread for paging")
        db.add(thread)
        db.flush()
        opening = Comment(thread_id=thread.id, body="Where should the data go?")
        db.add(opening)
        db.flush()
        replies = [
            Comment(thread_id=thread.id, parent_id=opening.id, body=f"Paged reply number {n}", depth=1)
            for n in range(PER_PAGE * 6 + 30)
        ]
        db.add_all(replies)
        db.commit()
        return thread.id, replies[PER_PAGE * 6 + 7].id


def test_statements_a_page_at_a_time_in_the_order_chosen(page, long_lists):
    page.goto(f"/processes/{SLUG}/statements")
    assert page.get_by_text("Page 1 of").is_visible()
    assert not page.get_by_text("Paging statement number 119", exact=True).count()
    page.get_by_role("navigation", name="Pages of statements").get_by_role("link", name="Next").click()
    page.check()
    assert page.get_by_text("Page 2 of").is_visible()
    page.get_by_label("Order").select_option("newest")
    page.get_by_role("button", name="Show").click()
    page.check()
    assert page.get_by_role("link", name="Paging statement number 119", exact=True).is_visible()
    assert page.get_by_text("Page 1 of").is_visible()


def test_a_permalink_lands_on_page_7_of_a_long_thread_and_the_pages_read_in_full(page, long_lists):
    thread_id, comment_id = long_lists
    page.goto(f"/comments/{comment_id}/in-thread")
    assert page.url.endswith(f"/threads/{thread_id}?page=7#comment-{comment_id}")
    assert page.locator(f"#comment-{comment_id}").is_visible()
    assert page.locator(f"#comment-{comment_id}").get_by_text(f"Paged reply number {PER_PAGE * 6 + 7}").is_visible()
    replies = page.get_by_role("navigation", name="Pages of replies")
    replies.get_by_role("link", name="Previous").click()
    page.check()
    assert page.get_by_text(f"Paged reply number {PER_PAGE * 5}", exact=True).is_visible()
    assert page.get_by_text("Page 6 of 7").is_visible()
