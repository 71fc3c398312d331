"""Reads for content pages."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult.pages.models import ContentPage


def get_page(db: Session, slug: str) -> ContentPage | None:
    return db.scalar(sa.select(ContentPage).where(ContentPage.slug == slug))


def list_children(db: Session, slug: str) -> list[ContentPage]:
    """Pages one level below `slug`, in their declared order."""
    prefix = f"{slug}/"
    pages = db.scalars(
        sa.select(ContentPage)
        .where(ContentPage.slug.like(prefix + "%"))
        .order_by(ContentPage.position, ContentPage.title)
    )
    return [page for page in pages if "/" not in page.slug.removeprefix(prefix)]


def list_top_level(db: Session) -> list[ContentPage]:
    pages = db.scalars(sa.select(ContentPage).order_by(ContentPage.position, ContentPage.title))
    return [page for page in pages if "/" not in page.slug]
