"""Meetings of a process or group, RSVPs, notes with their review stages, papers and actions."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import User
from consult.db import Base, created_at, enum_column, intpk
from consult.enums import LabelledEnum
from consult.processes.models import Process, WorkingGroup


class AttendanceMode(LabelledEnum):
    IN_PERSON = "in_person", "In person"
    REMOTE = "remote", "Remotely"


class NoteStatus(LabelledEnum):
    """Notes are drafted, shared with attendees for comment, agreed, then published without attribution."""

    DRAFT = "draft", "Draft"
    SHARED = "shared", "Shared with attendees for comment"
    FINAL = "final", "Final"
    PUBLISHED = "published", "Published"


class ActionStatus(LabelledEnum):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class Meeting(Base):
    """A meeting set well in advance, in a place and/or online."""

    __tablename__ = "meetings"
    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[intpk]
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("processes.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("working_groups.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(sa.String(200))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    venue: Mapped[str] = mapped_column(sa.String(300), default="")
    city: Mapped[str] = mapped_column(sa.String(100), default="")
    remote_url: Mapped[str] = mapped_column(sa.String(500), default="")
    agenda: Mapped[str] = mapped_column(sa.Text, default="")
    capacity: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    # Notes: one document per meeting, moving through NoteStatus; notes_version guards concurrent edits.
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    notes_status: Mapped[NoteStatus] = enum_column(NoteStatus, "note_status", default=NoteStatus.DRAFT)
    notes_version: Mapped[int] = mapped_column(default=0)

    # Lazy, not raise: a meeting's own pages and permissions read them; list queries load them explicitly.
    process: Mapped[Process] = relationship()
    group: Mapped[WorkingGroup | None] = relationship()
    papers: Mapped[list[MeetingPaper]] = relationship(
        cascade="all, delete-orphan", order_by="MeetingPaper.id", lazy="selectin"
    )


class MeetingPaper(Base):
    __tablename__ = "meeting_papers"

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    url: Mapped[str] = mapped_column(sa.String(500))


class Rsvp(Base):
    """One reply per person per meeting; cancelling deletes it, so the place is freed."""

    __tablename__ = "meeting_rsvps"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    mode: Mapped[AttendanceMode] = enum_column(AttendanceMode, "attendance_mode")
    attended: Mapped[bool | None]
    created_at: Mapped[created_at]

    user: Mapped[User] = relationship(lazy="raise")


class NoteComment(Base):
    """An attendee's comment on notes shared for comment (seen by attendees and facilitators only)."""

    __tablename__ = "meeting_note_comments"

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[created_at]

    author: Mapped[User | None] = relationship(lazy="raise")


class MeetingAction(Base):
    """An action agreed at a meeting: who does what by when."""

    __tablename__ = "meeting_actions"

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(sa.String(500))
    owner: Mapped[str] = mapped_column(sa.String(200))
    due_on: Mapped[date | None]
    status: Mapped[ActionStatus] = enum_column(ActionStatus, "action_status", default=ActionStatus.OPEN)
    created_at: Mapped[created_at]
