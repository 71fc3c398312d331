"""Admins queue a failed job again (after fixing what made it fail, such as a refused address)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from consult.accounts import permissions
from consult.errors import PermissionDenied, ValidationError
from consult.jobs.models import FailedJob
from consult.jobs.queue import JOBS, defer


def retry_failed(db: Session, job: FailedJob, *, actor: Any) -> None:
    """Queue the job again with its arguments once this commits, and drop its failure record."""
    if not permissions.can_manage_users(actor):
        raise PermissionDenied()
    task = JOBS.get(job.task_name)
    if task is None:
        raise ValidationError(None, f"There is no job called {job.task_name} any more, so it cannot be queued again.")
    defer(db, task, *job.arguments)
    db.delete(job)
    db.flush()
