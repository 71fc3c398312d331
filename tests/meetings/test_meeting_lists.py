"""Meetings are findable: a list per process and per group, upcoming and past with published notes and actions."""

from __future__ import annotations

from datetime import timedelta

from consult.db import utcnow
from consult.meetings.models import Meeting, MeetingAction, NoteStatus
from tests.factories import make_group, make_process


def _meeting(db, process, group, title: str, *, days: int, notes_status=NoteStatus.DRAFT) -> Meeting:
    starts = utcnow() + timedelta(days=days)
    meeting = Meeting(
        process_id=process.id,
        group_id=group.id if group else None,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        notes=f"Notes of {title}",
        notes_status=notes_status,
    )
    db.add(meeting)
    db.flush()
    return meeting


def test_the_process_meetings_page_lists_upcoming_and_past_with_notes_and_actions(client, db):
    process = make_process(db, slug="sharing")
    group = make_group(db, process)
    _meeting(db, process, None, "Next plenary", days=20)
    held = _meeting(db, process, group, "Leeds workshop", days=-20, notes_status=NoteStatus.PUBLISHED)
    _meeting(db, process, group, "Draft-notes meeting", days=-5)
    db.add(MeetingAction(meeting_id=held.id, description="Circulate the draft safeguards", owner="The facilitator"))
    db.commit()
    assert "/processes/sharing/meetings" in client.get("/processes/sharing").get_data(as_text=True)
    page = client.get("/processes/sharing/meetings").get_data(as_text=True)
    upcoming, past = page.split('id="past"')
    assert "Next plenary" in upcoming and "Leeds workshop" not in upcoming
    assert past.index("Draft-notes meeting") < past.index("Leeds workshop"), "past meetings newest first"
    assert "Circulate the draft safeguards" in past
    assert f"/meetings/{held.id}#notes" in past
    assert past.count("Published notes") == 1, "unpublished notes are not offered"


def test_a_group_meetings_page_lists_its_own_and_whole_process_meetings(client, db):
    process = make_process(db, slug="sharing")
    group, other = make_group(db, process, slug="health"), make_group(db, process, slug="tax")
    _meeting(db, process, group, "Health strand meeting", days=10)
    _meeting(db, process, other, "Tax strand meeting", days=10)
    _meeting(db, process, None, "Plenary for everyone", days=12)
    db.commit()
    assert "/processes/sharing/groups/health/meetings" in client.get("/processes/sharing/groups/health").get_data(
        as_text=True
    )
    page = client.get("/processes/sharing/groups/health/meetings").get_data(as_text=True)
    assert "Health strand meeting" in page and "Plenary for everyone" in page
    assert "Tax strand meeting" not in page
    assert client.get("/processes/sharing/groups/nowhere/meetings").status_code == 404
