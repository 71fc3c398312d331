"""Who may schedule, RSVP, see joining links and notes, and record what happened.

A meeting's audience is its working group's members, or, for a whole-process meeting, the members of any
of the process's groups; facilitators always belong. `Standing` says where a person stands in that audience
(consult.meetings.queries.audience_standing), including whether a block applies (processes.permissions).
"""

from __future__ import annotations

from typing import Any

from consult.accounts.permissions import can_post
from consult.meetings.models import Meeting, NoteStatus
from consult.processes import permissions as process_permissions
from consult.processes.permissions import Standing


def can_schedule(user: Any) -> bool:
    return process_permissions.is_facilitator(user)


def can_manage_meeting(user: Any, meeting: Meeting) -> bool:
    return process_permissions.is_facilitator(user)


def in_audience(user: Any, standing: Standing) -> bool:
    """Facilitators, and members of the meeting's group (or of any group, for a whole-process meeting)."""
    return process_permissions.is_facilitator(user) or (
        getattr(user, "is_authenticated", False) and standing.member
    )


def takes_part(user: Any, standing: Standing) -> bool:
    """In the audience and not blocked: replying, joining online and commenting are taking part."""
    return process_permissions.is_facilitator(user) or (in_audience(user, standing) and not standing.blocked)


def can_rsvp(user: Any, meeting: Meeting, *, is_past: bool, standing: Standing) -> bool:
    return can_post(user) and not is_past and takes_part(user, standing)


def can_see_joining_link(user: Any, standing: Standing) -> bool:
    """The remote link is only for the meeting's audience, checked each time it is shown (pages and feeds)."""
    return takes_part(user, standing)


def can_read_notes(user: Any, meeting: Meeting, *, attended: bool, standing: Standing) -> bool:
    """Published notes are public; shared or final notes are for attendees in the audience, and facilitators."""
    if meeting.notes_status == NoteStatus.PUBLISHED:
        return True
    if process_permissions.is_facilitator(user):
        return True
    return attended and in_audience(user, standing) and meeting.notes_status in {NoteStatus.SHARED, NoteStatus.FINAL}


def can_read_note_comments(user: Any, meeting: Meeting, *, attended: bool, standing: Standing) -> bool:
    return process_permissions.is_facilitator(user) or (attended and in_audience(user, standing))


def can_comment_on_notes(user: Any, meeting: Meeting, *, attended: bool, standing: Standing) -> bool:
    return (
        can_post(user) and attended and takes_part(user, standing) and meeting.notes_status == NoteStatus.SHARED
    )
