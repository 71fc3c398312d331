"""Content pages: Markdown from content/, loaded into the database so they can be listed and searched."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from consult.db import Base, intpk, utcnow


class ContentPage(Base):
    """One Markdown page; `slug` is its path under content/pages without the .md suffix."""

    __tablename__ = "content_pages"

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(sa.String(200), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.String(500), default="")
    body: Mapped[str] = mapped_column(sa.Text)
    updated_on: Mapped[date]
    position: Mapped[int] = mapped_column(default=100)
    source_hash: Mapped[str] = mapped_column(sa.String(64))
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)
