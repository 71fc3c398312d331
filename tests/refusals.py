"""A stand-in service that writes a row and then breaks a rule, to show a view rolls back before re-showing its form."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import Flask, request_finished
from sqlalchemy.orm import Session

from consult.accounts.models import Organisation, Sector
from consult.errors import ValidationError

LEFTOVER = "Written by a refused save"
REFUSAL = "Refused after writing a row"


def flushes_then_refuses(db: Session, field: str | None = None):
    """A service replacement: it flushes an organisation, then raises ValidationError like a real rule would."""

    def service(*args, **kwargs):
        db.add(Organisation(name=LEFTOVER, sector=Sector.CIVIL_SOCIETY))
        db.flush()
        raise ValidationError(field, REFUSAL)

    return service


def leftovers(db: Session) -> int:
    """How many rows the refused save left behind in the transaction (none, when the view rolled back)."""
    return db.scalar(sa.select(sa.func.count()).select_from(Organisation).where(Organisation.name == LEFTOVER))


@contextmanager
def left_behind(app: Flask, db: Session) -> Iterator[list[int]]:
    """The leftovers counted as each response is sent (the last is the request under test), before the request's
    session is torn down: a view that re-shows a form or redirects without rolling back still holds the row then."""
    counts: list[int] = []

    def count(sender: Flask, response, **extra) -> None:
        counts.append(leftovers(db))

    with request_finished.connected_to(count, app):
        yield counts
