"""The index queue: which documents changed, written in the same transaction as the change itself."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from consult.db import Base, intpk, utcnow


class SearchQueueEntry(Base):
    """One document to re-read from the database and apply to the index; a rollback discards it."""

    __tablename__ = "search_queue"

    id: Mapped[intpk]
    doc_type: Mapped[str] = mapped_column(sa.String(40))
    doc_id: Mapped[int]
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
