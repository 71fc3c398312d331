"""Reads for meetings."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import Session

from consult.db import utcnow
from consult.meetings.models import AttendanceMode, Meeting, MeetingAction, NoteComment, Rsvp
from consult.processes.models import Membership, WorkingGroup


def get_meeting_or_404(db: Session, meeting_id: int) -> Meeting:
    return db.get(Meeting, meeting_id) or abort(404)


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
    return list(db.scalars(sa.select(Rsvp).where(Rsvp.meeting_id == meeting_id).order_by(Rsvp.id)))


def in_person_count(replies: list[Rsvp]) -> int:
    return sum(1 for reply in replies if reply.mode == AttendanceMode.IN_PERSON)


def is_process_member(db: Session, process_id: int, user) -> bool:
    """Whether the user is a member of any group of the process (members see joining links)."""
    if not getattr(user, "is_authenticated", False):
        return False
    found = db.scalar(
        sa.select(Membership.id)
        .join(WorkingGroup, WorkingGroup.id == Membership.group_id)
        .where(WorkingGroup.process_id == process_id, Membership.user_id == user.id, Membership.status != "pending")
        .limit(1)
    )
    return found is not None


def note_comments(db: Session, meeting_id: int) -> list[NoteComment]:
    return list(db.scalars(sa.select(NoteComment).where(NoteComment.meeting_id == meeting_id).order_by(NoteComment.id)))


def actions(db: Session, meeting_id: int) -> list[MeetingAction]:
    return list(
        db.scalars(sa.select(MeetingAction).where(MeetingAction.meeting_id == meeting_id).order_by(MeetingAction.id))
    )
