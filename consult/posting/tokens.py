"""One-time form tokens: the first submission of a create form claims its token; any later one creates nothing.

The claim is an INSERT under a unique constraint inside a savepoint, so it holds for simultaneous submissions
on SQLite (write transactions are serialised) and PostgreSQL (the second INSERT waits for the first to commit,
then fails), and it is released if the creating transaction rolls back.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult.errors import ValidationError
from consult.posting.models import SubmissionToken

WELL_FORMED = re.compile(r"[0-9a-f]{32}")
OUT_OF_DATE = "This form is out of date, so nothing was sent. Check what you wrote below and send it again."
ALREADY_SENT = "You had already sent this, so it was saved only once."


class AlreadySubmitted(Exception):
    """This form was sent before; `target_id` is what that first submission created."""

    def __init__(self, kind: str, target_id: int) -> None:
        super().__init__(f"{kind} {target_id} was already created from this form")
        self.kind = kind
        self.target_id = target_id


def is_well_formed(token: Any) -> bool:
    return isinstance(token, str) and WELL_FORMED.fullmatch(token) is not None


def claim(db: Session, token: str | None, *, actor: Any, kind: str) -> SubmissionToken | None:
    """Record the token before anything is created; raise AlreadySubmitted if it was used (and committed) before.

    None is a caller without a form (a script, a test factory): there is nothing to claim.
    """
    if token is None:
        return None
    if not is_well_formed(token):
        raise ValidationError(None, OUT_OF_DATE)
    row = SubmissionToken(token=token, user_id=actor.id, kind=kind)
    try:
        with db.begin_nested():
            db.add(row)
    except sa.exc.IntegrityError:
        first = db.scalar(sa.select(SubmissionToken).where(SubmissionToken.token == token))
        if first is None or first.user_id != actor.id or first.kind != kind or first.target_id is None:
            raise ValidationError(None, OUT_OF_DATE) from None
        raise AlreadySubmitted(kind, first.target_id) from None
    return row


def record(db: Session, claimed: SubmissionToken | None, target_id: int) -> None:
    """Remember what the submission created, so a repeat can lead to it."""
    if claimed is not None:
        claimed.target_id = target_id
        db.flush()
