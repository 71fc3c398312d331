"""Visibility tokens: each document lists who may see it; each searcher holds the tokens that let them in."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from consult.meetings import queries as meeting_queries
from consult.objectives.permissions import is_department_officer
from consult.processes.permissions import is_facilitator
from consult.search.contract import Viewer

PUBLIC = "public"
FACILITATORS = "role:facilitator"


def department(organisation_id: int) -> str:
    return f"dept:{organisation_id}"


def meeting_attendees(meeting_id: int) -> str:
    return f"meeting:{meeting_id}"


def attended_meetings(db: Session, user: Any) -> frozenset[int]:
    """Meetings whose shared notes this person may read: an RSVP not marked as absent, in the meeting's audience."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return meeting_queries.attended_in_audience(db, user.id)


def viewer_for(db: Session, user: Any) -> Viewer:
    """The tokens a person holds, from the same predicates the feature pages use."""
    tokens = {PUBLIC}
    attended: frozenset[int] = frozenset()
    if getattr(user, "is_authenticated", False):
        if is_facilitator(user):
            tokens.add(FACILITATORS)
        if is_department_officer(user):
            tokens.add(department(user.organisation_id))
        attended = attended_meetings(db, user)
        tokens.update(meeting_attendees(m) for m in attended)
    return Viewer(user=user, tokens=frozenset(tokens), attended_meeting_ids=attended)
