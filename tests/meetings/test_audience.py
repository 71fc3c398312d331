"""A meeting's audience (its group's members, or every group's members for a whole-process meeting) decides
who may reply, who gets the joining link (on the page and in the personal calendar feed) and who reads notes
shared with attendees."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from consult.accounts.models import Role
from consult.clock import london_today
from consult.errors import PermissionDenied
from consult.meetings.models import NoteStatus, Rsvp
from tests.factories import make_group, make_process, post

LINK = "meet.example.org"


def meeting_for(db, app, process, facilitator, *, group=None, days=30):
    from consult.meetings import services

    with app.app_context():
        meeting = services.schedule(
            db,
            process,
            actor=facilitator,
            group=group,
            title="Members' workshop",
            day=london_today() + timedelta(days=days),
            start_time=time(14, 0),
            end_time=time(16, 0),
            venue="Hall",
            city="Cardiff",
            remote_url=f"https://{LINK}/secret-room",
        ).meeting
    db.commit()
    return meeting


@pytest.fixture
def people(db, make_user):
    process = make_process(db)
    member, other_member, outsider = make_user(), make_user(), make_user()
    group = make_group(db, process, members=[member])
    other_group = make_group(db, process, members=[other_member])
    facilitator = make_user(roles=(Role.FACILITATOR,))
    return process, group, other_group, member, other_member, outsider, facilitator


def feed_of(client, app, user, login):
    login(user)
    page = client.get("/account/calendar").get_data(as_text=True)
    path = "/calendar/" + page.split('href="http://localhost/calendar/')[1].split('"')[0]
    return app.test_client().get(path).get_data(as_text=True)


def test_someone_in_no_group_cannot_rsvp_to_a_members_meeting(client, app, login, db, people):
    process, _group, _other, _member, _other_member, outsider, facilitator = people
    meeting = meeting_for(db, app, process, facilitator)
    login(outsider)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert 'name="mode"' not in page, "no RSVP form for people outside the audience"
    assert "Join one of this process's working groups to reply" in page
    assert post(client, f"/meetings/{meeting.id}/rsvp", mode="remote").status_code == 403
    assert db.scalar(sa.select(sa.func.count()).select_from(Rsvp)) == 0


def test_the_service_refuses_an_rsvp_from_outside_the_audience(app, db, people):
    from consult.meetings import services

    process, _group, _other, _member, _other_member, outsider, facilitator = people
    meeting = meeting_for(db, app, process, facilitator)
    with app.app_context(), pytest.raises(PermissionDenied):
        services.rsvp(db, meeting, actor=outsider, mode="remote")


def test_a_group_meeting_is_for_that_group_only(client, app, login, db, people):
    process, group, _other, member, other_member, _outsider, facilitator = people
    meeting = meeting_for(db, app, process, facilitator, group=group)
    login(other_member)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert LINK not in page, "members of another group do not get the joining link"
    assert post(client, f"/meetings/{meeting.id}/rsvp", mode="remote").status_code == 403
    login(member)
    assert LINK in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert post(client, f"/meetings/{meeting.id}/rsvp", mode="remote").status_code == 302
    assert db.scalar(sa.select(Rsvp.user_id)) == member.id


def test_members_of_any_group_may_rsvp_to_a_whole_process_meeting(client, app, login, db, people):
    process, _group, _other, member, other_member, _outsider, facilitator = people
    meeting = meeting_for(db, app, process, facilitator)
    for person in (member, other_member, facilitator):
        login(person)
        assert 'name="mode"' in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
        assert post(client, f"/meetings/{meeting.id}/rsvp", mode="remote").status_code == 302
    assert db.scalar(sa.select(sa.func.count()).select_from(Rsvp)) == 3


def test_the_personal_feed_rechecks_the_joining_link_at_feed_time(client, app, login, db, people):
    """An RSVP stored before the audience rule (or by someone who has since left) leaks no joining link."""
    process, group, _other, member, other_member, outsider, facilitator = people
    group_meeting = meeting_for(db, app, process, facilitator, group=group)
    process_meeting = meeting_for(db, app, process, facilitator, days=40)
    for person in (outsider, other_member, member):
        db.add(Rsvp(meeting_id=group_meeting.id, user_id=person.id, mode="remote"))
        db.add(Rsvp(meeting_id=process_meeting.id, user_id=person.id, mode="remote"))
    db.commit()

    def links(user) -> dict[str, bool]:
        events = Calendar.from_ical(feed_of(client, app, user, login)).walk("VEVENT")
        return {str(e["UID"]): LINK in str(e["DESCRIPTION"]) for e in events}

    group_uid, process_uid = f"meeting-{group_meeting.id}@consult", f"meeting-{process_meeting.id}@consult"
    assert links(outsider) == {group_uid: False, process_uid: False}
    assert links(other_member) == {group_uid: False, process_uid: True}
    assert links(member) == {group_uid: True, process_uid: True}


def test_shared_notes_follow_the_audience_not_just_the_rsvp(client, app, login, db, people):
    process, group, _other, member, other_member, outsider, facilitator = people
    meeting = meeting_for(db, app, process, facilitator, group=group)
    for person in (outsider, other_member, member):
        db.add(Rsvp(meeting_id=meeting.id, user_id=person.id, mode="remote"))
    meeting.notes = "Attendeesonlyword points agreed"
    meeting.notes_status = NoteStatus.SHARED
    db.commit()
    for person in (outsider, other_member):
        login(person)
        page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
        assert "Attendeesonlyword" not in page
        assert post(client, f"/meetings/{meeting.id}/note-comments", body="Sneaky").status_code == 403
        assert client.get("/search", query_string={"q": "attendeesonlyword"}).get_data(as_text=True).count(
            f'href="/meetings/{meeting.id}"'
        ) == 0, "search follows the same rule"
    login(member)
    assert "Attendeesonlyword" in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    found = client.get("/search", query_string={"q": "attendeesonlyword"}).get_data(as_text=True)
    assert f'href="/meetings/{meeting.id}"' in found
