"""Reads for papers: lists with their current and published versions, comments, consents, feeds."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import Session, aliased, joinedload

from consult.accounts.models import Organisation
from consult.conflicts import Conflict, conflict_between
from consult.papers.models import CommentStatus, NamingConsent, Paper, PaperComment, PaperEvent, PaperVersion
from consult.processes.models import Membership, MembershipStatus, Process, WorkingGroup


def get_paper_or_404(db: Session, paper_id: int) -> Paper:
    """A paper with its process, which every paper page names."""
    paper = db.scalar(sa.select(Paper).where(Paper.id == paper_id).options(joinedload(Paper.process)))
    return paper or abort(404)


def get_version_or_404(db: Session, paper_id: int, number: int) -> PaperVersion:
    version = db.scalar(
        sa.select(PaperVersion)
        .where(PaperVersion.paper_id == paper_id, PaperVersion.number == number)
        .options(joinedload(PaperVersion.author))
    )
    return version or abort(404)


def current(db: Session, paper: Paper) -> PaperVersion:
    return get_version_or_404(db, paper.id, paper.current_version)


def edit_conflict(db: Session, paper: Paper, *, title: str, summary: str, body: str) -> Conflict:
    """The newer version someone saved while this person edited, compared with what they typed."""
    newer = current(db, paper)
    return conflict_between(
        [("Title", newer.title, title), ("Summary", newer.summary, summary), ("Text", newer.body, body)],
        version=newer.number,
        saved_by=newer.author.display_name if newer.author else None,
        saved_at=newer.created_at,
        change_note=newer.change_note,
    )


def latest_published(db: Session, paper_id: int) -> PaperVersion | None:
    return db.scalar(
        sa.select(PaperVersion)
        .where(PaperVersion.paper_id == paper_id, PaperVersion.published_at.is_not(None))
        .options(joinedload(PaperVersion.author))
        .order_by(PaperVersion.number.desc())
        .limit(1)
    )


def versions(db: Session, paper_id: int) -> list[PaperVersion]:
    return list(
        db.scalars(
            sa.select(PaperVersion)
            .where(PaperVersion.paper_id == paper_id)
            .options(joinedload(PaperVersion.author))
            .order_by(PaperVersion.number)
        )
    )


def is_process_member(db: Session, process_id: int, user: Any) -> bool:
    """A member (or group facilitator) of any working group of the process."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        db.scalar(
            sa.select(Membership.id)
            .join(WorkingGroup, WorkingGroup.id == Membership.group_id)
            .where(
                WorkingGroup.process_id == process_id,
                Membership.user_id == user.id,
                Membership.status.in_([MembershipStatus.MEMBER, MembershipStatus.FACILITATOR]),
            )
            .limit(1)
        )
        is not None
    )


def list_for_process(db: Session, process_id: int) -> list[dict[str, Any]]:
    """Every paper of a process with its working version and newest published version, in two queries."""
    working = aliased(PaperVersion)
    rows = db.execute(
        sa.select(Paper, working)
        .join(working, sa.and_(working.paper_id == Paper.id, working.number == Paper.current_version))
        .where(Paper.process_id == process_id)
        .order_by(Paper.id.desc())
    ).all()
    published: dict[int, PaperVersion] = {}
    if rows:
        for version in db.scalars(
            sa.select(PaperVersion)
            .where(PaperVersion.paper_id.in_([p.id for p, _ in rows]), PaperVersion.published_at.is_not(None))
            .order_by(PaperVersion.number)
        ):
            published[version.paper_id] = version
    return [{"paper": p, "working": w, "published": published.get(p.id)} for p, w in rows]


def comments(db: Session, paper_id: int) -> list[PaperComment]:
    return list(
        db.scalars(
            sa.select(PaperComment)
            .where(PaperComment.paper_id == paper_id)
            .options(joinedload(PaperComment.author))
            .order_by(PaperComment.id)
        )
    )


def get_comment_or_404(db: Session, paper_id: int, comment_id: int) -> PaperComment:
    comment = db.get(PaperComment, comment_id)
    if comment is None or comment.paper_id != paper_id:
        abort(404)
    return comment


def open_comment_count(db: Session, paper_id: int) -> int:
    return (
        db.scalar(
            sa.select(sa.func.count())
            .select_from(PaperComment)
            .where(
                PaperComment.paper_id == paper_id,
                PaperComment.parent_id.is_(None),
                PaperComment.hidden_at.is_(None),
                PaperComment.status == CommentStatus.OPEN,
            )
        )
        or 0
    )


def events(db: Session, paper_id: int) -> list[PaperEvent]:
    return list(db.scalars(sa.select(PaperEvent).where(PaperEvent.paper_id == paper_id).order_by(PaperEvent.id)))


def consenting_organisations(db: Session, paper_id: int) -> list[str]:
    return list(
        db.scalars(
            sa.select(Organisation.name)
            .join(NamingConsent, NamingConsent.organisation_id == Organisation.id)
            .where(NamingConsent.paper_id == paper_id)
            .order_by(Organisation.name)
        )
    )


def has_consented(db: Session, paper_id: int, organisation_id: int | None) -> bool:
    if organisation_id is None:
        return False
    return (
        db.scalar(
            sa.select(NamingConsent.id).where(
                NamingConsent.paper_id == paper_id, NamingConsent.organisation_id == organisation_id
            )
        )
        is not None
    )


def published_versions(
    db: Session, *, process_id: int | None = None, limit: int = 50
) -> list[tuple[PaperVersion, Process]]:
    """Published versions, newest first, for the Atom feeds."""
    query = (
        sa.select(PaperVersion, Process)
        .join(Paper, Paper.id == PaperVersion.paper_id)
        .join(Process, Process.id == Paper.process_id)
        .where(PaperVersion.published_at.is_not(None))
        .order_by(PaperVersion.published_at.desc())
        .limit(limit)
    )
    if process_id is not None:
        query = query.where(Paper.process_id == process_id)
    return [(version, process) for version, process in db.execute(query).all()]


def latest_published_papers(db: Session, *, limit: int | None = None) -> list[tuple[Paper, PaperVersion, Process]]:
    """Every paper with a published version, at its newest published version, most recently published first."""
    newest = (
        sa.select(PaperVersion.paper_id, sa.func.max(PaperVersion.number).label("number"))
        .where(PaperVersion.published_at.is_not(None))
        .group_by(PaperVersion.paper_id)
        .subquery()
    )
    query = (
        sa.select(Paper, PaperVersion, Process)
        .join(newest, newest.c.paper_id == Paper.id)
        .join(PaperVersion, (PaperVersion.paper_id == Paper.id) & (PaperVersion.number == newest.c.number))
        .join(Process, Process.id == Paper.process_id)
        .order_by(PaperVersion.published_at.desc(), Paper.id.desc())
        .limit(limit)
    )
    return [(paper, version, process) for paper, version, process in db.execute(query).all()]
