"""One-time tokens of create forms, each kept with what its submission created."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from consult.db import Base, created_at, intpk


class SubmissionToken(Base):
    """A create form's token, used once: the unique constraint makes a repeat (even a simultaneous one) fail."""

    __tablename__ = "submission_tokens"

    id: Mapped[intpk]
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    # What the first submission created (a comment, thread, statement or paper comment id).
    target_id: Mapped[int | None]
    created_at: Mapped[created_at]
