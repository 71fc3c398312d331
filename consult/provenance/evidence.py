"""A statement's sources as evidence: plain JSON, public records only, so a published paper can keep it as is.

Comments are quoted with their stance and their author's sector only: papers and their evidence are not attributed
(DESIGN.md, Privacy: Chatham House), though each quote links to its comment on the public thread. Meeting notes are
quoted only once published; threads and comments a facilitator hid (or an author deleted) are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult.accounts.models import User
from consult.discussions.models import Comment, Thread
from consult.meetings.models import NoteStatus
from consult.provenance import permissions, queries


def _comment(comment: Comment) -> dict[str, Any]:
    author = comment.author
    return {
        "id": comment.id,
        "thread_id": comment.thread_id,
        "thread_title": comment.thread.public_title,
        "body": comment.body,
        "stance": comment.stance.value if comment.stance else None,
        "stance_label": comment.stance.label if comment.stance else None,
        "sector": author.sector.label if author else None,
        "date": comment.created_at.date().isoformat(),
    }


def for_statements(db: Session, statement_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Per statement: linked threads and issues, quoted comments, linked meetings with published notes (one query).

    `group_id` is the working group of the first linked thread or comment, for statements that name none.
    """
    found: dict[int, dict[str, Any]] = {}
    for statement_id, sources in queries.sources_of(db, statement_ids).items():
        entry: dict[str, Any] = {"threads": [], "comments": [], "meetings": [], "group_id": None}
        for source in sources:
            if not permissions.is_public(source):
                continue
            if source.comment is not None:
                entry["comments"].append(_comment(source.comment))
                entry["group_id"] = entry["group_id"] or source.comment.thread.group_id
            elif source.thread is not None:
                thread = source.thread
                entry["threads"].append({"id": thread.id, "title": thread.public_title, "kind": thread.kind.label})
                entry["group_id"] = entry["group_id"] or thread.group_id
            elif source.meeting is not None:
                meeting = source.meeting
                published = meeting.notes_status == NoteStatus.PUBLISHED
                entry["meetings"].append(
                    {
                        "id": meeting.id,
                        "title": meeting.title,
                        "date": meeting.starts_at.date().isoformat(),
                        "notes": meeting.notes if published else "",
                        "linked": True,
                    }
                )
        found[statement_id] = entry
    return found


def still_public(db: Session, comment_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Of the comments a published paper quoted, those still public, each with its author's sector today (one query).

    A comment deleted or hidden since (or in a thread hidden since) is missing, so it is no longer quoted.
    """
    ids = sorted(set(comment_ids))
    if not ids:
        return {}
    rows = db.execute(
        sa.select(Comment.id, User.sector)
        .join(Thread, Thread.id == Comment.thread_id)
        .outerjoin(User, User.id == Comment.author_id)
        .where(
            Comment.id.in_(ids),
            Comment.deleted_at.is_(None),
            Comment.hidden_at.is_(None),
            Thread.hidden_at.is_(None),
        )
    )
    return {comment_id: {"sector": sector.label if sector else None} for comment_id, sector in rows}


def as_today(db: Session, statements: dict[str, Any]) -> dict[str, Any]:
    """A published snapshot's statements with their quoted comments checked against today's record."""
    quoted = [c["id"] for ref in statements.values() for c in (ref.get("comments") or [])]
    if not quoted:
        return statements
    public = still_public(db, quoted)
    restated = {}
    for key, ref in statements.items():
        comments = ref.get("comments") or []
        if comments:
            # Snapshots taken before quotes were unattributed kept names: they are dropped here too.
            kept = [
                {k: v for k, v in c.items() if k not in {"author", "organisation"}} | public[c["id"]]
                for c in comments
                if c["id"] in public
            ]
            ref = ref | {"comments": kept, "withdrawn": len(kept) < len(comments)}
        restated[key] = ref
    return restated
