"""Atom feeds for a process and a working group, generated with feedgen.

Every text goes through xml_text: lxml refuses control characters, and one stored title must not break a feed.
"""

from __future__ import annotations

import sqlalchemy as sa
from feedgen.feed import FeedGenerator
from markupsafe import escape
from sqlalchemy.orm import Session

from consult.discussions import queries as discussion_queries
from consult.discussions.models import Comment, Thread
from consult.markdown import render_markdown
from consult.meetings.models import Meeting
from consult.papers import queries as paper_queries
from consult.processes.models import Process, WorkingGroup
from consult.text import xml_text

LIMIT = 50


def _feed(title: str, url: str, feed_id: str, subtitle: str) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(feed_id)
    feed.title(xml_text(title))
    feed.subtitle(xml_text(subtitle or title))
    feed.link(href=url, rel="alternate")
    feed.language("en-GB")
    return feed


def process_feed(db: Session, process: Process, site: str) -> bytes:
    """New threads in any of the process's groups, and its meetings, newest first."""
    feed = _feed(
        f"{process.title} – consult",
        f"{site}/processes/{process.slug}",
        f"{site}/processes/{process.slug}",
        "New threads and meetings",
    )
    threads = discussion_queries.list_recent_threads(db, process.id, limit=LIMIT)
    meetings = db.scalars(
        sa.select(Meeting).where(Meeting.process_id == process.id).order_by(Meeting.created_at.desc()).limit(LIMIT)
    ).all()
    items = [(t.created_at, "thread", t) for t in threads] + [(m.created_at, "meeting", m) for m in meetings]
    for when, kind, item in sorted(items, key=lambda entry: entry[0]):
        entry = feed.add_entry()
        url = f"{site}/threads/{item.id}" if kind == "thread" else f"{site}/meetings/{item.id}"
        entry.id(url)
        entry.link(href=url)
        entry.published(when)
        entry.updated(when)
        if kind == "thread":
            entry.title(xml_text(f"{item.kind.label}: {item.title}"))
            entry.summary(xml_text(f"In {item.group.name}"))
        else:
            entry.title(xml_text(f"Meeting: {item.title}"))
            # type="html" content is rendered by feed readers: only sanitised or escaped text goes in.
            entry.content(xml_text(str(render_markdown(item.agenda) or escape(item.title))), type="html")
    _add_papers(feed, paper_queries.published_versions(db, process_id=process.id, limit=LIMIT), site)
    return feed.atom_str(pretty=True)


def _add_papers(feed: FeedGenerator, published: list, site: str) -> None:
    """One entry per published version of a position paper, at its permanent address."""
    for version, process in reversed(published):
        entry = feed.add_entry()
        url = f"{site}/papers/{version.paper_id}/versions/{version.number}"
        entry.id(url)
        entry.link(href=url)
        entry.published(version.published_at)
        entry.updated(version.published_at)
        entry.title(xml_text(f"Position paper published: {version.title} (version {version.number})"))
        entry.summary(xml_text(f"From {process.title}"))
        if version.summary:
            entry.content(xml_text(str(render_markdown(version.summary))), type="html")


def papers_feed(db: Session, site: str) -> bytes:
    """Every published position paper version on the site, newest first."""
    feed = _feed("Position papers – consult", f"{site}/papers", f"{site}/papers/feed.atom", "Published position papers")
    _add_papers(feed, paper_queries.published_versions(db, limit=LIMIT), site)
    return feed.atom_str(pretty=True)


def group_feed(db: Session, group: WorkingGroup, site: str) -> bytes:
    """New threads and replies in a group, newest first (hidden threads, hidden and deleted comments left out)."""
    url = f"{site}/processes/{group.process.slug}/groups/{group.slug}"
    feed = _feed(f"{group.name} – {group.process.title}", url, url, "New threads and replies")
    rows = db.execute(
        sa.select(Comment, Thread.title)
        .join(Thread, Thread.id == Comment.thread_id)
        .where(
            Thread.group_id == group.id,
            Thread.hidden_at.is_(None),
            Comment.deleted_at.is_(None),
            Comment.hidden_at.is_(None),
        )
        .order_by(Comment.id.desc())
        .limit(LIMIT)
    ).all()
    for comment, title in reversed(rows):
        entry = feed.add_entry()
        entry.id(f"{site}/threads/{comment.thread_id}#comment-{comment.id}")  # ids never change
        entry.link(href=f"{site}/comments/{comment.id}/in-thread")  # the page of a long thread that shows it
        entry.title(xml_text(("New thread: " if comment.parent_id is None else "Reply in: ") + title))
        entry.published(comment.created_at)
        entry.updated(comment.edited_at or comment.created_at)
        entry.content(xml_text(str(render_markdown(comment.body))), type="html")
    return feed.atom_str(pretty=True)
