"""The time zone people read dates in: meetings and stages are set in UK time."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from consult.db import utcnow

LONDON = ZoneInfo("Europe/London")


def london_today() -> date:
    return utcnow().astimezone(LONDON).date()
