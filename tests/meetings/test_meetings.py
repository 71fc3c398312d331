"""Meetings: scheduling with notice warnings, RSVPs within capacity, notes workflow, actions, iCalendar."""

from __future__ import annotations

import threading
from datetime import time, timedelta

import pytest
import sqlalchemy as sa
from icalendar import Calendar
from sqlalchemy.orm import Session

from consult.accounts.models import Role
from consult.clock import LONDON, london_today
from consult.meetings import services
from consult.meetings.models import Meeting, MeetingAction, MeetingPaper, NoteStatus, Rsvp
from tests.factories import make_group, make_process, post, reload
from tests.refusals import REFUSAL, flushes_then_refuses, left_behind


def date_parts(day):
    return [str(day.day), str(day.month), str(day.year)]


@pytest.fixture
def facilitator(make_user):
    return make_user(roles=(Role.FACILITATOR,))


def schedule(client, process, *, days_ahead=30, **overrides):
    data = {
        "title": "Plenary in Leeds",
        "group": "",
        "day": date_parts(london_today() + timedelta(days=days_ahead)),
        "start_time": "10:00",
        "end_time": "12:30",
        "venue": "Civic Hall",
        "city": "Leeds",
        "remote_url": "https://meet.example.org/abc",
        "capacity": "2",
        "agenda": "1. Welcome",
        "papers": "Draft remit | https://example.org/remit.pdf",
    } | overrides
    return post(client, f"/processes/{process.slug}/meetings/new", **data)


def test_facilitator_schedules_meeting_in_uk_time_with_papers(client, login, facilitator, db):
    process = make_process(db)
    login(facilitator)
    response = schedule(client, process)
    assert response.status_code == 302
    meeting = db.scalar(sa.select(Meeting))
    local = meeting.starts_at.astimezone(LONDON)
    assert (local.hour, local.minute) == (10, 0)
    assert [(p.title, p.url) for p in meeting.papers] == [("Draft remit", "https://example.org/remit.pdf")]
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "less than 14 days" not in page
    assert "Civic Hall, Leeds" in page


def test_short_notice_is_warned(client, login, facilitator, db):
    process = make_process(db)
    login(facilitator)
    response = schedule(client, process, days_ahead=5)
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "less than 14 days' notice" in follow


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_time": "09:00"}, "end time must be after the start time"),
        ({"venue": "", "city": "", "remote_url": ""}, "venue and city, or a remote joining link"),
        ({"remote_url": "javascript:alert(1)"}, "must start with https://"),
        ({"remote_url": "https://"}, "must start with https://"),
        ({"remote_url": "https://user:secret@meet.example.org/abc"}, "user name or password"),
        ({"papers": "no link here"}, "Line 1"),
        ({"papers": "Bad | javascript:alert(1)"}, "Line 1"),
        ({"papers": "Bad | https://"}, "Line 1: The link must start with https:// or http://"),
        ({"papers": "Bad | https://user:secret@example.org/remit.pdf"}, "Line 1: The link must not contain"),
        ({"capacity": "0"}, "between 1 and 10,000"),
        ({"start_time": "25:99"}, "Not a valid time"),
        ({"day": ["31", "2", "2027"]}, "Not a valid date"),
        ({"title": "x" * 201}, "200 characters or fewer"),
    ],
)
def test_bad_meeting_input_is_shown_next_to_fields_and_kept(client, login, facilitator, db, overrides, message):
    process = make_process(db)
    login(facilitator)
    response = schedule(client, process, **overrides)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert message in body
    assert "Civic Hall" in body or overrides.get("venue") == ""
    assert db.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 0


def test_past_meetings_cannot_be_scheduled(client, login, facilitator, db):
    process = make_process(db)
    login(facilitator)
    response = schedule(client, process, days_ahead=-1)
    assert "must be in the future" in response.get_data(as_text=True)


def make_meeting(db, process, facilitator, *, capacity=2, days=30):
    return services.schedule(
        db,
        process,
        actor=facilitator,
        group=None,
        title="Workshop",
        day=london_today() + timedelta(days=days),
        start_time=time(14, 0),
        end_time=time(16, 0),
        venue="Hall",
        city="Cardiff",
        remote_url="https://meet.example.org/x",
        capacity=capacity,
    ).meeting


def test_links_stored_before_the_checks_get_no_href_or_calendar_entry(client, login, facilitator, make_user, db, app):
    from consult.meetings import calendar_feed

    process = make_process(db)
    member = make_user()
    make_group(db, process, members=[member])
    with app.app_context():
        meeting = make_meeting(db, process, facilitator)
    meeting.remote_url = "javascript:alert(1)"
    meeting.papers = [MeetingPaper(title="Remit", url="javascript:alert(2)")]
    db.commit()
    login(member)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "javascript:" not in page and "Remit" in page
    meeting = reload(db, meeting)
    feed = calendar_feed.build([meeting], name="Mine", base_url="https://consult.example", joining_links={meeting.id})
    assert b"javascript:" not in feed


def test_rsvp_respects_capacity_and_can_be_cancelled(client, app, login, facilitator, make_user, db):
    process = make_process(db)
    with app.app_context():
        meeting = make_meeting(db, process, facilitator, capacity=1)
    db.commit()
    first, second = make_user(), make_user()
    make_group(db, process, members=[first, second])  # a whole-process meeting is for every group's members
    login(first)
    post(client, f"/meetings/{meeting.id}/rsvp", mode="in_person")
    login(second)
    response = post(client, f"/meetings/{meeting.id}/rsvp", mode="in_person")
    refused = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "All in-person places are taken" in refused and 'data-flash="error"' in refused, "a refusal, not a success"
    post(client, f"/meetings/{meeting.id}/rsvp", mode="remote")
    modes = dict(db.execute(sa.select(Rsvp.user_id, Rsvp.mode)).all())
    assert modes == {first.id: "in_person", second.id: "remote"}
    login(first)
    post(client, f"/meetings/{meeting.id}/rsvp", action="cancel")
    login(second)
    post(client, f"/meetings/{meeting.id}/rsvp", mode="in_person")
    assert db.scalar(sa.select(Rsvp.mode).where(Rsvp.user_id == second.id)) == "in_person"
    assert db.scalar(sa.select(sa.func.count()).select_from(Rsvp)) == 1


def test_unverified_cannot_rsvp_and_joining_link_is_for_members_only(client, login, facilitator, make_user, db, app):
    process = make_process(db)
    member = make_user()
    make_group(db, process, members=[member])
    with app.app_context():
        meeting = make_meeting(db, process, facilitator)
    db.commit()
    assert "meet.example.org" not in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    login(make_user(verified=False))
    assert post(client, f"/meetings/{meeting.id}/rsvp", mode="remote").status_code == 403
    login(make_user())
    assert "meet.example.org" not in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    login(member)
    assert "meet.example.org" in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)


def test_concurrent_rsvps_never_exceed_capacity(engine):
    """Eight people reply in person at once for three places: exactly three get them."""
    from consult.accounts.models import User
    from consult.meetings import services
    from consult.processes.models import Process

    writers = engine.execution_options(consult_write=True)
    with Session(writers) as setup:
        process = make_process(setup, slug="rsvp-race")
        people = [
            User(
                email=f"rsvp{n}@example.org",
                display_name=f"R{n}",
                password_hash="x",
                sector="academic",
                email_verified_at=process.created_at,
            )
            for n in range(8)
        ]
        host = User(
            email="rsvp-host@example.org",
            display_name="Host",
            password_hash="x",
            sector="academic",
            email_verified_at=process.created_at,
        )
        from consult.accounts.models import RoleGrant

        host.role_grants.append(RoleGrant(role=Role.FACILITATOR))
        setup.add_all([*people, host])
        setup.flush()
        make_group(setup, process, members=people)
        meeting = make_meeting(setup, process, host, capacity=3)
        setup.commit()
        meeting_id, ids = meeting.id, [p.id for p in people]
    outcomes: list[str] = []
    barrier = threading.Barrier(len(ids))

    def reply(user_id: int) -> None:
        barrier.wait(timeout=10)
        with Session(writers) as session:
            actor = session.get(User, user_id)
            try:
                services.rsvp(session, session.get(Meeting, meeting_id), actor=actor, mode="in_person")
                session.commit()
                outcomes.append("yes")
            except Exception as error:  # the refusal is a ValidationError; anything else is a bug
                session.rollback()
                outcomes.append(type(error).__name__)

    try:
        workers = [threading.Thread(target=reply, args=(user_id,)) for user_id in ids]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        with Session(engine) as check:
            taken = check.scalar(sa.select(sa.func.count()).select_from(Rsvp).where(Rsvp.meeting_id == meeting_id))
        assert taken == 3
        assert sorted(outcomes) == ["ValidationError"] * 5 + ["yes"] * 3
    finally:
        with Session(writers) as cleanup:
            cleanup.execute(sa.delete(Process).where(Process.slug == "rsvp-race"))
            cleanup.execute(sa.delete(User).where(User.email.like("rsvp%@example.org")))
            cleanup.commit()


def test_notes_move_through_review_and_publish_without_attribution(client, app, login, facilitator, make_user, db):
    process = make_process(db)
    attendee, outsider = make_user(), make_user()
    make_group(db, process, members=[attendee])
    with app.app_context():
        meeting = make_meeting(db, process, facilitator)
    db.add(Rsvp(meeting_id=meeting.id, user_id=attendee.id, mode="remote"))
    db.commit()
    login(facilitator)
    notes = f"/meetings/{meeting.id}/notes"
    stage = f"/meetings/{meeting.id}/notes/status"
    empty = post(client, stage, status="shared")
    assert empty.status_code == 200 and "Write the notes before sharing them" in empty.get_data(as_text=True)
    assert post(client, notes, body="Agreed to pilot in two areas.", base_version="0").status_code == 302
    assert post(client, stage, status="published").status_code == 200, "cannot skip review"
    assert post(client, stage, status="shared").status_code == 302
    login(outsider)
    assert "Agreed to pilot" not in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    login(attendee)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Agreed to pilot" in page
    too_long = "Keep these words " + "x" * 5000
    refused = post(client, f"/meetings/{meeting.id}/note-comments", body=too_long)
    assert refused.status_code == 400 and too_long in refused.get_data(as_text=True), "a refused comment is kept"
    assert post(client, f"/meetings/{meeting.id}/note-comments", body="Say three areas").status_code == 302
    login(facilitator)
    post(client, stage, status="final")
    post(client, stage, status="published")
    assert reload(db, meeting).notes_status == NoteStatus.PUBLISHED
    stale = post(client, notes, body="Changed after publishing", base_version=str(reload(db, meeting).notes_version))
    assert "Published notes cannot be changed" in stale.get_data(as_text=True)
    assert "Changed after publishing" not in reload(db, meeting).notes
    login(outsider)
    public = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Agreed to pilot" in public and "without attribution" in public
    assert "Say three areas" not in public


def test_stale_notes_save_keeps_both_texts(client, app, login, facilitator, db):
    process = make_process(db)
    with app.app_context():
        meeting = make_meeting(db, process, facilitator)
    db.commit()
    login(facilitator)
    post(client, f"/meetings/{meeting.id}/notes", body="First version", base_version="0")
    stale = post(client, f"/meetings/{meeting.id}/notes", body="My stale version", base_version="0")
    body = stale.get_data(as_text=True)
    assert "Someone else saved the notes" in body and "Nothing of yours was saved" in body
    assert "<del>First</del> version" in body and "<ins>My stale</ins> version" in body, "the word diff"
    assert ">My stale version</textarea>" in body, "the person's text is kept in the box"
    # The next save goes on top of the newer version.
    assert 'name="base_version" type="hidden" value="1"' in body
    assert post(client, f"/meetings/{meeting.id}/notes", body="Merged version", base_version="1").status_code == 302
    assert reload(db, meeting).notes == "Merged version"


def test_the_notes_page_posts_its_two_forms_to_two_endpoints(client, app, login, facilitator, db):
    process = make_process(db)
    with app.app_context():
        meeting = make_meeting(db, process, facilitator)
    db.commit()
    login(facilitator)
    page = client.get(f"/meetings/{meeting.id}/notes").get_data(as_text=True)
    assert f'action="/meetings/{meeting.id}/notes"' in page
    assert f'action="/meetings/{meeting.id}/notes/status"' in page
    assert 'name="form"' not in page
    refused = post(client, f"/meetings/{meeting.id}/notes/status", status="shared")
    assert "Write the notes before sharing them" in refused.get_data(as_text=True)
    assert 'name="body"' in refused.get_data(as_text=True), "the notes form is still on the page"


def test_actions_and_attendance(client, app, login, facilitator, make_user, db):
    process = make_process(db)
    person = make_user()
    with app.app_context():
        meeting = make_meeting(db, process, facilitator)
    db.add(Rsvp(meeting_id=meeting.id, user_id=person.id, mode="in_person"))
    db.commit()
    login(facilitator)
    due = london_today() + timedelta(days=40)
    assert (
        post(
            client,
            f"/meetings/{meeting.id}/actions",
            description="Draft the paper",
            owner="Facilitators",
            due_on=date_parts(due),
        ).status_code
        == 302
    )
    action = db.scalar(sa.select(MeetingAction))
    assert post(client, f"/meetings/{meeting.id}/actions/{action.id}", status="done").status_code == 302
    assert reload(db, action).status == "done"
    assert post(client, f"/meetings/{meeting.id}/attendance", attended=str(person.id)).status_code == 302
    assert db.scalar(sa.select(Rsvp.attended).where(Rsvp.user_id == person.id)) is True
    login(person)
    assert post(client, f"/meetings/{meeting.id}/actions/{action.id}", status="open").status_code == 403


def test_process_calendar_parses_and_hides_joining_links(client, app, facilitator, db):
    process = make_process(db)
    with app.app_context():
        meeting = make_meeting(db, process, facilitator)
    db.commit()
    response = client.get(f"/processes/{process.slug}/meetings.ics")
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Workshop"
    assert event.decoded("DTSTART") == meeting.starts_at
    assert str(event["LOCATION"]) == "Hall, Cardiff"
    assert "meet.example.org" not in response.get_data(as_text=True)


def test_personal_calendar_lists_my_meetings_with_links_and_is_revocable(
    client, app, login, facilitator, make_user, db
):
    process = make_process(db)
    person = make_user()
    make_group(db, process, members=[person])
    with app.app_context():
        mine = make_meeting(db, process, facilitator)
        make_meeting(db, process, facilitator, days=40)
    db.add(Rsvp(meeting_id=mine.id, user_id=person.id, mode="remote"))
    db.commit()
    login(person)
    page = client.get("/account/calendar").get_data(as_text=True)
    feed = page.split('href="http://localhost')[1].split('"')[0] if 'href="http://localhost/calendar/' in page else None
    assert feed and feed.startswith("/calendar/")
    anonymous = app.test_client()
    response = anonymous.get(feed)
    events = Calendar.from_ical(response.data).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"meeting-{mine.id}@consult"]
    assert "meet.example.org" in str(events[0]["DESCRIPTION"])
    assert anonymous.get(feed[:-8] + "tampered.ics").status_code == 404
    post(client, "/account/sign-out-everywhere")
    assert anonymous.get(feed).status_code == 404


def test_a_refused_meeting_is_shown_on_its_form_and_leaves_nothing_behind(
    client, app, login, facilitator, db, monkeypatch
):
    process = make_process(db)
    monkeypatch.setattr(services, "schedule", flushes_then_refuses(db, "venue"))
    login(facilitator)
    with left_behind(app, db) as counts:
        response = schedule(client, process, venue="Kept venue")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and REFUSAL in page and "Kept venue" in page
    assert counts[-1] == 0


@pytest.mark.parametrize(("service", "data"), [("rsvp", {"mode": "remote"}), ("cancel_rsvp", {"action": "cancel"})])
def test_a_refused_rsvp_is_flashed_and_leaves_nothing_behind(
    client, app, login, facilitator, make_user, db, monkeypatch, service, data
):
    process = make_process(db)
    with app.app_context():
        meeting = make_meeting(db, process, facilitator)
    db.commit()
    person = make_user()
    make_group(db, process, members=[person])
    monkeypatch.setattr(services, service, flushes_then_refuses(db))
    login(person)
    with left_behind(app, db) as counts:
        response = post(client, f"/meetings/{meeting.id}/rsvp", **data)
    assert response.status_code == 302 and counts[-1] == 0
    assert REFUSAL in client.get(response.location).get_data(as_text=True)


def test_a_cancel_button_with_an_unknown_action_is_read_as_a_reply(client, app, login, facilitator, make_user, db):
    process = make_process(db)
    with app.app_context():
        meeting = make_meeting(db, process, facilitator)
    db.commit()
    person = make_user()
    make_group(db, process, members=[person])
    login(person)
    response = post(client, f"/meetings/{meeting.id}/rsvp", action="other")
    assert response.status_code == 302
    assert "Select how you will attend" in client.get(response.location).get_data(as_text=True)
