"""Who may schedule, RSVP, see joining links and notes, and record what happened."""

from __future__ import annotations

from typing import Any

from consult.accounts.permissions import can_post
from consult.meetings.models import Meeting, NoteStatus
from consult.processes import permissions as process_permissions


def can_schedule(user: Any) -> bool:
    return process_permissions.is_facilitator(user)


def can_manage_meeting(user: Any, meeting: Meeting) -> bool:
    return process_permissions.is_facilitator(user)


def can_rsvp(user: Any, meeting: Meeting, *, is_past: bool) -> bool:
    return can_post(user) and not is_past


def can_see_joining_link(user: Any, is_member: bool) -> bool:
    """The remote link is only for signed-in members of the process's groups (and facilitators)."""
    return getattr(user, "is_authenticated", False) and (is_member or process_permissions.is_facilitator(user))


def can_read_notes(user: Any, meeting: Meeting, *, attended: bool) -> bool:
    """Published notes are public; shared or final notes are for attendees and facilitators."""
    if meeting.notes_status == NoteStatus.PUBLISHED:
        return True
    if process_permissions.is_facilitator(user):
        return True
    return attended and meeting.notes_status in {NoteStatus.SHARED, NoteStatus.FINAL}


def can_comment_on_notes(user: Any, meeting: Meeting, *, attended: bool) -> bool:
    return can_post(user) and attended and meeting.notes_status == NoteStatus.SHARED
