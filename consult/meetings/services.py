"""Scheduling, RSVPs within capacity, attendance, notes through their review stages, and actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult import events
from consult.accounts.models import User
from consult.clock import LONDON
from consult.db import rows_matched, utcnow
from consult.errors import PermissionDenied, StaleEdit, ValidationError
from consult.meetings import permissions, queries
from consult.meetings.models import (
    ActionStatus,
    AttendanceMode,
    Meeting,
    MeetingAction,
    MeetingPaper,
    NoteComment,
    NoteStatus,
    Rsvp,
)
from consult.processes.models import Process, WorkingGroup
from consult.processes.permissions import Standing
from consult.weblinks import BadWebUrl, check_web_url

MIN_NOTICE = timedelta(days=14)
JOINING_SCHEMES = ("https",)  # a joining link often carries the meeting's passcode: never over plain http
NOTE_FLOW = {
    NoteStatus.DRAFT: {NoteStatus.SHARED},
    NoteStatus.SHARED: {NoteStatus.DRAFT, NoteStatus.FINAL},
    NoteStatus.FINAL: {NoteStatus.SHARED, NoteStatus.PUBLISHED},
    NoteStatus.PUBLISHED: set(),
}


@dataclass(frozen=True)
class Scheduled:
    meeting: Meeting
    short_notice: bool


def london_to_utc(day: date, clock: time) -> datetime:
    """Meetings are set in UK time (GMT or BST as the date falls) and stored in UTC."""
    return datetime.combine(day, clock, tzinfo=LONDON).astimezone(utcnow().tzinfo)


def parse_papers(text: str) -> list[tuple[str, str]]:
    """Lines of 'Title | https://link'; only http and https links are accepted."""
    papers = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        title, _, url = line.rpartition("|")
        title, url = title.strip(), url.strip()
        if not title or not url:
            raise ValidationError("papers", f"Line {number}: write the title, a | and a link starting https://")
        try:
            url = check_web_url(url)
        except BadWebUrl as error:
            raise ValidationError("papers", f"Line {number}: {error}") from None
        papers.append((title[:200], url))
    return papers


def schedule(
    db: Session,
    process: Process,
    *,
    actor: User,
    group: WorkingGroup | None,
    title: str,
    day: date,
    start_time: time,
    end_time: time,
    venue: str = "",
    city: str = "",
    remote_url: str = "",
    agenda: str = "",
    papers: str = "",
    capacity: int | None = None,
) -> Scheduled:
    """Schedule a meeting; less than 14 days' notice is allowed but flagged, as Involve's process set dates early."""
    if not permissions.can_schedule(actor):
        raise PermissionDenied
    if group is not None and group.process_id != process.id:
        raise ValidationError("group", "That group belongs to another process")
    if end_time <= start_time:
        raise ValidationError("end_time", "The end time must be after the start time")
    if not (venue.strip() and city.strip()) and not remote_url.strip():
        raise ValidationError("venue", "Give a venue and city, or a remote joining link, or both")
    if remote_url.strip():
        try:
            remote_url = check_web_url(remote_url, schemes=JOINING_SCHEMES)
        except BadWebUrl as error:
            raise ValidationError("remote_url", str(error)) from None
    starts_at = london_to_utc(day, start_time)
    if starts_at <= utcnow():
        raise ValidationError("day", "The meeting must be in the future")
    meeting = Meeting(
        process_id=process.id,
        group_id=group.id if group else None,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=london_to_utc(day, end_time),
        venue=venue.strip(),
        city=city.strip(),
        remote_url=remote_url.strip(),
        agenda=agenda,
        capacity=capacity,
        created_by_id=actor.id,
    )
    meeting.papers = [MeetingPaper(title=t, url=u) for t, u in parse_papers(papers)]
    db.add(meeting)
    db.flush()
    events.meeting_scheduled.send(
        db,
        meeting_id=meeting.id,
        title=meeting.title,
        process_id=meeting.process_id,
        group_id=meeting.group_id,
        actor_id=actor.id,
    )
    return Scheduled(meeting, short_notice=starts_at - utcnow() < MIN_NOTICE)


def _lock(db: Session, meeting: Meeting) -> None:
    """Lock the meeting row (PostgreSQL) so capacity is counted by one writer at a time.

    SQLite's IMMEDIATE write transaction already serialises writers; FOR UPDATE is ignored there.
    """
    db.execute(sa.select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())


def rsvp(db: Session, meeting: Meeting, *, actor: User, mode: str) -> Rsvp:
    """Reply in person or remotely; only the meeting's audience may, and in-person places stop at capacity."""
    standing = queries.audience_standing(db, meeting, actor)
    if not permissions.can_rsvp(actor, meeting, is_past=meeting.starts_at <= utcnow(), standing=standing):
        raise PermissionDenied
    chosen = AttendanceMode(mode)
    if chosen == AttendanceMode.REMOTE and not meeting.remote_url:
        raise ValidationError("mode", "This meeting has no remote joining link. Choose in person")
    if chosen == AttendanceMode.IN_PERSON and not meeting.venue:
        raise ValidationError("mode", "This meeting is online only. Choose remotely")
    _lock(db, meeting)
    existing = db.scalar(sa.select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.user_id == actor.id))
    if chosen == AttendanceMode.IN_PERSON and meeting.capacity is not None:
        taken = db.scalar(
            sa.select(sa.func.count())
            .select_from(Rsvp)
            .where(Rsvp.meeting_id == meeting.id, Rsvp.mode == AttendanceMode.IN_PERSON, Rsvp.user_id != actor.id)
        )
        if (taken or 0) >= meeting.capacity:
            raise ValidationError(
                "mode", "All in-person places are taken. You can still join remotely if there is a link"
            )
    if existing is not None:
        existing.mode = chosen
        db.flush()
        return existing
    reply = Rsvp(meeting_id=meeting.id, user_id=actor.id, mode=chosen)
    try:
        with db.begin_nested():
            db.add(reply)
    except sa.exc.IntegrityError as error:
        raise ValidationError("mode", "You have already replied to this meeting") from error
    return reply


def cancel_rsvp(db: Session, meeting: Meeting, *, actor: User) -> None:
    deleted = db.execute(sa.delete(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.user_id == actor.id))
    if rows_matched(deleted) == 0:
        raise ValidationError(None, "You had not replied to this meeting")
    db.flush()


def record_attendance(db: Session, meeting: Meeting, *, actor: User, attended_user_ids: set[int]) -> None:
    if not permissions.can_manage_meeting(actor, meeting):
        raise PermissionDenied
    for reply in db.scalars(sa.select(Rsvp).where(Rsvp.meeting_id == meeting.id)):
        reply.attended = reply.user_id in attended_user_ids
    db.flush()


def save_notes(db: Session, meeting: Meeting, *, actor: User, body: str, base_version: int) -> None:
    """Save the notes unless someone saved since the editor opened them; published notes are never edited."""
    if not permissions.can_manage_meeting(actor, meeting):
        raise PermissionDenied
    if meeting.notes_status == NoteStatus.PUBLISHED:
        raise ValidationError("body", "Published notes cannot be changed")
    result = db.execute(
        sa.update(Meeting)
        .where(Meeting.id == meeting.id, Meeting.notes_version == base_version)
        .values(notes=body, notes_version=base_version + 1)
        .execution_options(synchronize_session=False)
    )
    if rows_matched(result) != 1:
        db.refresh(meeting)
        raise StaleEdit(
            "body",
            "Someone else saved the notes while you were editing. Their version is shown "
            "below and your text is kept in the box",
        )
    db.refresh(meeting)


def set_notes_status(db: Session, meeting: Meeting, *, actor: User, status: str) -> None:
    if not permissions.can_manage_meeting(actor, meeting):
        raise PermissionDenied
    target = NoteStatus(status)
    if target not in NOTE_FLOW[meeting.notes_status]:
        raise ValidationError(
            "status", f"Notes that are {meeting.notes_status.label.lower()} cannot become {target.label.lower()}"
        )
    if target == NoteStatus.SHARED and not meeting.notes.strip():
        raise ValidationError("status", "Write the notes before sharing them")
    meeting.notes_status = target
    db.flush()
    if target == NoteStatus.PUBLISHED:
        events.meeting_notes_published.send(db, meeting_id=meeting.id, title=meeting.title, actor_id=actor.id)


def comment_on_notes(
    db: Session, meeting: Meeting, *, actor: User, attended: bool, body: str, standing: Standing | None = None
) -> NoteComment:
    """An attendee's comment on shared notes; `standing` is the caller's if it already looked (the view does)."""
    if standing is None:
        standing = queries.audience_standing(db, meeting, actor)
    if not permissions.can_comment_on_notes(actor, meeting, attended=attended, standing=standing):
        raise PermissionDenied
    comment = NoteComment(meeting_id=meeting.id, author_id=actor.id, body=body)
    db.add(comment)
    db.flush()
    return comment


def add_action(
    db: Session, meeting: Meeting, *, actor: User, description: str, owner: str, due_on: date | None
) -> MeetingAction:
    if not permissions.can_manage_meeting(actor, meeting):
        raise PermissionDenied
    action = MeetingAction(meeting_id=meeting.id, description=description.strip(), owner=owner.strip(), due_on=due_on)
    db.add(action)
    db.flush()
    return action


def set_action_status(db: Session, action: MeetingAction, meeting: Meeting, *, actor: User, status: str) -> None:
    if not permissions.can_manage_meeting(actor, meeting):
        raise PermissionDenied
    if action.meeting_id != meeting.id:
        raise ValidationError(None, "That action belongs to another meeting")
    action.status = ActionStatus(status)
    db.flush()
