"""Review comments on a paper's paragraphs: open, reply, resolve and hide (each new one stored once per form)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from consult import events
from consult.db import utcnow
from consult.errors import PermissionDenied, ValidationError
from consult.papers import paragraphs, permissions, queries
from consult.papers.models import CommentStatus, Paper, PaperComment
from consult.posting import tokens
from consult.processes import queries as process_queries

MAX_DEPTH = 4


def _blocked(db: Session, paper: Paper, actor: Any, known: bool | None) -> bool:
    """Blocked in the paper's process: the caller's answer if it already looked (the view does), else read here."""
    return process_queries.process_standing(db, paper.process_id, actor).blocked if known is None else known


def _created(db: Session, comment: PaperComment, token: str | None, *, actor: Any) -> PaperComment:
    """Store a new comment once per form: a repeat of the same submission raises AlreadySubmitted."""
    claimed = tokens.claim(db, token, actor=actor, kind="paper_comment")
    db.add(comment)
    db.flush()
    tokens.record(db, claimed, comment.id)
    return comment


def add_comment(
    db: Session,
    paper: Paper,
    *,
    actor: Any,
    is_member: bool,
    paragraph: int,
    body: str,
    submission_token: str | None = None,
    blocked: bool | None = None,
) -> PaperComment:
    """Open a review thread on one paragraph of the current version (once per form: posting.tokens)."""
    if not permissions.can_comment(actor, paper, is_member, blocked=_blocked(db, paper, actor, blocked)):
        raise PermissionDenied
    if not body.strip():
        raise ValidationError("body", "Enter your comment")
    version = queries.current(db, paper)
    blocks = paragraphs.split(version.body)
    if not 0 <= paragraph < len(blocks):
        raise ValidationError("body", "That paragraph is not in the current version. Reload the paper and try again.")
    comment = PaperComment(
        paper_id=paper.id,
        author_id=actor.id,
        body=body.strip(),
        version_number=paper.current_version,
        paragraph=paragraph,
        anchor_text=blocks[paragraph].text,
    )
    _created(db, comment, submission_token, actor=actor)
    return _announced(db, paper, version.title, comment, None, actor=actor)


def _announced(
    db: Session, paper: Paper, title: str, comment: PaperComment, parent_author_id: int | None, *, actor: Any
) -> PaperComment:
    """Announce a new review comment or reply (the facilitators' review queue; the replied-to author)."""
    events.paper_comment_added.send(
        db,
        paper_id=paper.id,
        paper_title=title,
        process_id=paper.process_id,
        comment_id=comment.id,
        parent_author_id=parent_author_id,
        actor_id=actor.id,
        actor_name=actor.display_name,
    )
    return comment


def reply(
    db: Session,
    paper: Paper,
    parent: PaperComment,
    *,
    actor: Any,
    is_member: bool,
    body: str,
    submission_token: str | None = None,
    blocked: bool | None = None,
) -> PaperComment:
    if not permissions.can_reply(actor, paper, parent, is_member, blocked=_blocked(db, paper, actor, blocked)):
        raise PermissionDenied
    if not body.strip():
        raise ValidationError("body", "Enter your reply")
    comment = PaperComment(
        paper_id=paper.id,
        parent_id=parent.id,
        author_id=actor.id,
        body=body.strip(),
        depth=min(parent.depth + 1, MAX_DEPTH),
        version_number=parent.version_number,
    )
    _created(db, comment, submission_token, actor=actor)
    return _announced(db, paper, queries.current(db, paper).title, comment, parent.author_id, actor=actor)


def resolve(db: Session, comment: PaperComment, *, actor: Any, note: str) -> None:
    """Close a review thread with a note saying what was done about it."""
    if not permissions.can_resolve(actor, comment):
        raise PermissionDenied
    if comment.status == CommentStatus.RESOLVED:
        raise ValidationError("note", "This comment is already resolved")
    if not note.strip():
        raise ValidationError("note", "Say what was done about the comment")
    comment.status = CommentStatus.RESOLVED
    comment.resolved_note = note.strip()
    db.flush()
    paper = db.get_one(Paper, comment.paper_id)
    events.paper_comment_resolved.send(
        db,
        paper_id=paper.id,
        paper_title=queries.current(db, paper).title,
        process_id=paper.process_id,
        comment_id=comment.id,
        author_id=comment.author_id,
        note=comment.resolved_note,
        actor_id=actor.id,
    )


def hide(db: Session, comment: PaperComment, *, actor: Any) -> None:
    if not permissions.can_hide(actor, comment):
        raise PermissionDenied
    comment.hidden_at = utcnow()
    db.flush()
