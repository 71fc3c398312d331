"""The clock: the current time, and the time zone people read dates in (meetings and stages are in UK time)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from consult.db import utcnow

LONDON = ZoneInfo("Europe/London")


def now() -> datetime:
    """The current UTC time; rules that wait on time read it here, so tests move it instead of sleeping."""
    return utcnow()


def london_today() -> date:
    return utcnow().astimezone(LONDON).date()
