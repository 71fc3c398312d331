"""Read content/pages/**/*.md (front matter + Markdown) into ContentPage rows, idempotently."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import frontmatter
import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult.db import utcnow
from consult.pages.models import ContentPage

SLUG_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-/")


class ContentError(ValueError):
    """A content file is malformed; the message names the file and what is wrong."""


@dataclass(frozen=True)
class PageSource:
    slug: str
    title: str
    summary: str
    body: str
    updated_on: date
    position: int
    source_hash: str


def slug_for(path: Path, root: Path) -> str:
    slug = path.relative_to(root).with_suffix("").as_posix()
    if slug.endswith("/index"):
        slug = slug.removesuffix("/index")
    if not slug or set(slug) - SLUG_CHARS:
        raise ContentError(f"{path}: file names may use only a-z, 0-9 and hyphens")
    return slug


def read_page(path: Path, root: Path) -> PageSource:
    raw = path.read_bytes()
    try:
        post = frontmatter.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ContentError(f"{path}: {error}") from error
    meta = post.metadata
    missing = [key for key in ("title", "summary", "updated") if not meta.get(key)]
    if missing:
        raise ContentError(f"{path}: front matter is missing {', '.join(missing)}")
    updated = meta["updated"]
    if isinstance(updated, str):
        try:
            updated = date.fromisoformat(updated)
        except ValueError as error:
            raise ContentError(f"{path}: updated must be a date like 2026-11-21") from error
    return PageSource(
        slug=slug_for(path, root),
        title=str(meta["title"]),
        summary=str(meta["summary"]),
        body=post.content,
        updated_on=updated,
        position=int(meta.get("order", 100)),
        source_hash=hashlib.sha256(raw).hexdigest(),
    )


def iter_pages(root: Path) -> Iterator[PageSource]:
    for path in sorted(root.rglob("*.md")):
        yield read_page(path, root)


def load_pages(db: Session, root: Path, progress: Callable[[str], None] = lambda _: None) -> dict[str, int]:
    """Insert new pages, update changed ones and delete removed ones; unchanged pages are left alone."""
    sources = {page.slug: page for page in iter_pages(root)}
    existing = {page.slug: page for page in db.scalars(sa.select(ContentPage))}
    counts = {"added": 0, "updated": 0, "unchanged": 0, "removed": 0}
    for slug, source in sources.items():
        progress(slug)
        page = existing.get(slug)
        if page is None:
            db.add(ContentPage(**source.__dict__))
            counts["added"] += 1
        elif page.source_hash != source.source_hash:
            for key, value in source.__dict__.items():
                setattr(page, key, value)
            page.loaded_at = utcnow()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    for slug, page in existing.items():
        if slug not in sources:
            db.delete(page)
            counts["removed"] += 1
    db.flush()
    return counts
