"""Jobs that failed for good, kept so admins can see why and queue them again."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from consult.db import Base, intpk, utcnow


class FailedJob(Base):
    """A job that raised with no retries left: its name and arguments (to queue it again) and the error."""

    __tablename__ = "failed_jobs"

    id: Mapped[intpk]
    task_name: Mapped[str] = mapped_column(sa.String(100))
    task_id: Mapped[str] = mapped_column(sa.String(64))
    arguments: Mapped[list[Any]] = mapped_column(sa.JSON, default=list)
    error: Mapped[str] = mapped_column(sa.Text, default="")
    request_id: Mapped[str | None] = mapped_column(sa.String(128))
    failed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
