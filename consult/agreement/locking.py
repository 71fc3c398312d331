"""One analysis writer per process across every machine: a PostgreSQL advisory lock held until the commit."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

# The advisory lock's first key: this lock's namespace (two-key form: (namespace, process id)).
NAMESPACE = 0x636F6E73  # "cons"


def lock_analysis(db: Session, process_id: int) -> None:
    """Wait for, then hold until this transaction ends, the process's analysis lock (PostgreSQL only).

    On SQLite a write transaction (BEGIN IMMEDIATE) already excludes every other writer.
    """
    if db.get_bind().dialect.name == "postgresql":
        db.execute(sa.select(sa.func.pg_advisory_xact_lock(NAMESPACE, process_id)))
