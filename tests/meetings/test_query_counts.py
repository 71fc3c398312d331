"""Meeting pages load the people behind replies and note comments in their own queries, however many there are."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult.accounts.models import Role
from consult.db import utcnow
from consult.meetings.models import AttendanceMode, Meeting, MeetingAction, NoteComment, NoteStatus, Rsvp
from tests.factories import count_queries_of, make_group, make_process


@pytest.fixture
def meeting(db):
    process = make_process(db)
    starts = utcnow() + timedelta(days=30)
    meeting = Meeting(
        process_id=process.id,
        group_id=make_group(db, process).id,
        title="Plenary",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        notes="What we discussed.",
        notes_status=NoteStatus.SHARED,
    )
    db.add(meeting)
    db.commit()
    return meeting


@pytest.mark.parametrize("page", ["/meetings/{}", "/meetings/{}/notes"])
def test_meeting_pages_query_count_does_not_grow_with_attendees(
    client, login, db, make_user, meeting, query_counter, page
):
    def attend(n: int) -> None:
        person = make_user(display_name=f"Attendee {n}")
        db.add(Rsvp(meeting_id=meeting.id, user_id=person.id, mode=AttendanceMode.IN_PERSON))
        db.add(NoteComment(meeting_id=meeting.id, author_id=person.id, body=f"Comment {n}"))
        db.commit()

    login(make_user(roles=(Role.FACILITATOR,)))
    attend(0)
    url = page.format(meeting.id)
    few = count_queries_of(client, query_counter, url)
    for n in range(1, 20):
        attend(n)
    many = count_queries_of(client, query_counter, url)
    assert many == few
    assert "Attendee 19" in client.get(url).get_data(as_text=True)


@pytest.mark.parametrize("page", ["/processes/{process}/meetings", "/processes/{process}/groups/{group}/meetings"])
def test_meeting_lists_query_count_does_not_grow_with_meetings_and_actions(client, db, query_counter, page):
    process = make_process(db)
    group = make_group(db, process)
    url = page.format(process=process.slug, group=group.slug)

    def hold(n: int) -> None:
        starts = utcnow() + timedelta(days=-n - 1 if n % 2 else n + 1)
        meeting = Meeting(
            process_id=process.id,
            group_id=group.id if n % 3 else None,
            title=f"Meeting {n}",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            notes_status=NoteStatus.PUBLISHED,
        )
        db.add(meeting)
        db.flush()
        db.add(MeetingAction(meeting_id=meeting.id, description=f"Action {n}", owner="Someone"))
        db.commit()

    hold(0)
    hold(1)
    few = count_queries_of(client, query_counter, url)
    for n in range(2, 20):
        hold(n)
    many = count_queries_of(client, query_counter, url)
    assert many == few
    assert "Action 19" in client.get(url).get_data(as_text=True)
