"""What the admin jobs page shows: jobs waiting, jobs scheduled (retries waiting out their delay), failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult.jobs.models import FailedJob
from consult.jobs.queue import huey

LIMIT = 100


@dataclass(frozen=True)
class Waiting:
    name: str
    id: str
    arguments: str
    eta: datetime | None
    retries_left: int


def summary(args: Any) -> str:
    """A job's arguments for the page, shortened (an email's body is not shown in full)."""
    text = ", ".join(repr(a) if not isinstance(a, str) else a for a in (args or ()))
    return text if len(text) <= 120 else text[:119] + "…"


# Arguments shown per job: an email's recipient and subject only, never its body (it may hold a sign-in link).
SHOWN = {"deliver": 2}


def _described(tasks: list[Any]) -> list[Waiting]:
    return [
        Waiting(t.name, str(t.id), summary((t.args or ())[: SHOWN.get(t.name, 3)]), t.eta, int(t.retries or 0))
        for t in tasks
    ]


def waiting(limit: int = LIMIT) -> dict[str, Any]:
    """Counts and the first jobs of the queue and of the schedule; raises if the queue is unreachable."""
    return {
        "queued": huey.pending_count(),
        "scheduled": huey.scheduled_count(),
        "queued_jobs": _described(huey.pending(limit)),
        "scheduled_jobs": _described(huey.scheduled(limit)),
    }


def failed(db: Session, limit: int = LIMIT) -> list[FailedJob]:
    return list(db.scalars(sa.select(FailedJob).order_by(FailedJob.failed_at.desc(), FailedJob.id.desc()).limit(limit)))


def get_failed_or_404(db: Session, job_id: int) -> FailedJob:
    from flask import abort

    job = db.get(FailedJob, job_id)
    if job is None:
        abort(404)
    return job
