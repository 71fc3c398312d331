"""Reads for meetings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import Session, joinedload

from consult.conflicts import Conflict, conflict_between
from consult.db import utcnow
from consult.meetings.models import AttendanceMode, Meeting, MeetingAction, NoteComment, Rsvp
from consult.processes import queries as process_queries
from consult.processes.models import Membership, MembershipStatus, WorkingGroup
from consult.processes.permissions import Standing, standing


def get_meeting_or_404(db: Session, meeting_id: int) -> Meeting:
    """A meeting with the process and group its pages name."""
    meeting = db.scalar(
        sa.select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(joinedload(Meeting.process), joinedload(Meeting.group))
    )
    return meeting or abort(404)


def list_for_process(db: Session, process_id: int, *, upcoming_only: bool = False) -> list[Meeting]:
    query = sa.select(Meeting).where(Meeting.process_id == process_id)
    if upcoming_only:
        query = query.where(Meeting.ends_at >= utcnow())
    return list(db.scalars(query.order_by(Meeting.starts_at)))


def list_for_person(db: Session, user_id: int) -> list[Meeting]:
    return list(
        db.scalars(
            sa.select(Meeting)
            .join(Rsvp, Rsvp.meeting_id == Meeting.id)
            .where(Rsvp.user_id == user_id)
            .order_by(Meeting.starts_at)
        )
    )


def rsvps(db: Session, meeting_id: int) -> list[Rsvp]:
    return list(
        db.scalars(
            sa.select(Rsvp).where(Rsvp.meeting_id == meeting_id).options(joinedload(Rsvp.user)).order_by(Rsvp.id)
        )
    )


def in_person_count(replies: list[Rsvp]) -> int:
    return sum(1 for reply in replies if reply.mode == AttendanceMode.IN_PERSON)


def audience_standings(db: Session, meetings: Sequence[Meeting], user) -> dict[int, Standing]:
    """Where the person stands in each meeting's audience: its group, or every group of a whole-process meeting."""
    memberships = process_queries.memberships_by_process(db, sorted({m.process_id for m in meetings}), user)
    result = {}
    for meeting in meetings:
        mine = memberships.get(meeting.process_id, [])
        if meeting.group_id is not None:
            mine = [m for m in mine if m.group_id == meeting.group_id]
        result[meeting.id] = standing(mine)
    return result


def audience_standing(db: Session, meeting: Meeting, user) -> Standing:
    return audience_standings(db, [meeting], user)[meeting.id]


def attended_in_audience(db: Session, user_id: int) -> frozenset[int]:
    """Meetings the person replied to (not marked absent) and is in the audience of: whose shared notes they read."""
    in_audience = (
        sa.select(Membership.id)
        .join(WorkingGroup, WorkingGroup.id == Membership.group_id)
        .where(
            Membership.user_id == user_id,
            Membership.status != MembershipStatus.PENDING,
            WorkingGroup.process_id == Meeting.process_id,
            sa.or_(Meeting.group_id.is_(None), Membership.group_id == Meeting.group_id),
        )
        .exists()
    )
    rows = db.scalars(
        sa.select(Rsvp.meeting_id)
        .join(Meeting, Meeting.id == Rsvp.meeting_id)
        .where(Rsvp.user_id == user_id, sa.or_(Rsvp.attended.is_(None), Rsvp.attended), in_audience)
    )
    return frozenset(rows)


def note_comments(db: Session, meeting_id: int) -> list[NoteComment]:
    return list(
        db.scalars(
            sa.select(NoteComment)
            .where(NoteComment.meeting_id == meeting_id)
            .options(joinedload(NoteComment.author))
            .order_by(NoteComment.id)
        )
    )


def actions(db: Session, meeting_id: int) -> list[MeetingAction]:
    return list(
        db.scalars(sa.select(MeetingAction).where(MeetingAction.meeting_id == meeting_id).order_by(MeetingAction.id))
    )


def notes_conflict(meeting: Meeting, body: str) -> Conflict:
    """The notes someone saved while this person edited them, compared with what they typed."""
    return conflict_between([("Notes", meeting.notes, body)], version=meeting.notes_version)


@dataclass
class MeetingList:
    """A process's or group's meetings split at now; past ones carry their actions (each list in one query)."""

    upcoming: list[Meeting]
    past: list[Meeting]
    actions: dict[int, list[MeetingAction]]


def meeting_list(db: Session, process_id: int, *, group_id: int | None = None) -> MeetingList:
    """Upcoming soonest first, past newest first; a group's list includes whole-process meetings (its audience too)."""
    query = sa.select(Meeting).where(Meeting.process_id == process_id).options(joinedload(Meeting.group))
    if group_id is not None:
        query = query.where(sa.or_(Meeting.group_id == group_id, Meeting.group_id.is_(None)))
    meetings = list(db.scalars(query.order_by(Meeting.starts_at, Meeting.id)))
    now = utcnow()
    upcoming = [m for m in meetings if m.ends_at >= now]
    past = [m for m in reversed(meetings) if m.ends_at < now]
    by_meeting: dict[int, list[MeetingAction]] = {m.id: [] for m in past}
    if past:
        for action in db.scalars(
            sa.select(MeetingAction).where(MeetingAction.meeting_id.in_(by_meeting)).order_by(MeetingAction.id)
        ):
            by_meeting[action.meeting_id].append(action)
    return MeetingList(upcoming, past, by_meeting)
