"""Writing papers: generating a draft from the ledger, saving versions, review comments, status and publishing."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from consult.accounts.models import Role, RoleGrant
from consult.agreement import ledger, sufficiency
from consult.agreement.models import Statement
from consult.db import rows_matched, utcnow
from consult.discussions import queries as discussion_queries
from consult.errors import PermissionDenied, StaleEdit, ValidationError
from consult.objectives.models import Proposal
from consult.papers import drafting, evidence, paragraphs, permissions, queries
from consult.papers.models import (
    CommentStatus,
    NamingConsent,
    Paper,
    PaperComment,
    PaperEvent,
    PaperStatus,
    PaperVersion,
)
from consult.processes.models import Process

MAX_BODY = 200_000


def _participant_authors(db: Session, author_ids: set[int]) -> set[int]:
    """Authors who are not facilitators or admins: their statements belong in 'you said, we did'."""
    if not author_ids:
        return set()
    convenors = set(
        db.scalars(
            sa.select(RoleGrant.user_id).where(
                RoleGrant.user_id.in_(author_ids), RoleGrant.role.in_([Role.FACILITATOR, Role.ADMIN])
            )
        )
    )
    return author_ids - convenors


def generate_body(db: Session, process: Process) -> str:
    """A starting text from the process's current ledger and its register of issues."""
    outcomes = ledger.current_outcomes(db, process.id)
    authors = dict(
        db.execute(sa.select(Statement.id, Statement.author_id).where(Statement.id.in_(list(outcomes)))).all()
    )
    participants = _participant_authors(db, {a for a in authors.values() if a is not None})
    entries = [
        drafting.LedgerEntry(statement_id, outcome.kind.value, authors.get(statement_id) in participants)
        for statement_id, outcome in sorted(outcomes.items())
    ]
    issues = [thread.id for thread in discussion_queries.list_issues(db, process.id)]
    rule = sufficiency.minimum_text(process.outcome_min_votes, process.outcome_min_sectors)
    return drafting.draft_body(process.title, entries, issues, evidence_rule=rule)


def _record(
    db: Session, paper: Paper, *, actor: Any, before: PaperStatus | None, after: PaperStatus, note: str
) -> None:
    db.add(
        PaperEvent(
            paper_id=paper.id,
            version_number=paper.current_version,
            from_status=before,
            to_status=after,
            note=note,
            actor_id=actor.id,
        )
    )


def _check_text(db: Session, process_id: int, title: str, body: str) -> None:
    if not title.strip():
        raise ValidationError("title", "Enter a title")
    if len(body) > MAX_BODY:
        raise ValidationError("body", f"The text must be {MAX_BODY:,} characters or fewer")
    missing = evidence.missing_references(db, process_id, body)
    if missing:
        kind, ref_id = missing[0]
        what = "an issue raised" if kind == "issue" else "a statement"
        raise ValidationError("body", f"[[{kind}:{ref_id}]] does not refer to {what} in this process")


def create_paper(
    db: Session, process: Process, *, actor: Any, title: str, summary: str = "", proposal_id: int | None = None
) -> Paper:
    """A new paper whose first version is generated from the outcomes ledger."""
    if not permissions.can_manage_papers(actor):
        raise PermissionDenied
    if not title.strip():
        raise ValidationError("title", "Enter a title")
    if proposal_id is not None:
        proposal = db.get(Proposal, proposal_id)
        if proposal is None or proposal.process_id != process.id or not proposal.is_public:
            raise ValidationError("proposal_id", "Choose a proposed objective this process discussed")
    paper = Paper(process_id=process.id, proposal_id=proposal_id, created_by_id=actor.id, current_version=1)
    db.add(paper)
    db.flush()
    db.add(
        PaperVersion(
            paper_id=paper.id,
            number=1,
            title=title.strip(),
            summary=summary.strip(),
            body=generate_body(db, process),
            change_note="Generated from the outcomes ledger",
            author_id=actor.id,
        )
    )
    _record(db, paper, actor=actor, before=None, after=PaperStatus.DRAFTING, note="Draft generated from the ledger")
    db.flush()
    return paper


def carry_comments(db: Session, paper: Paper, old_number: int, new_version: PaperVersion) -> None:
    """Move open comments on the old version to the matching paragraph of the new one; the rest stay, marked."""
    blocks = paragraphs.split(new_version.body)
    for comment in db.scalars(
        sa.select(PaperComment).where(
            PaperComment.paper_id == paper.id,
            PaperComment.parent_id.is_(None),
            PaperComment.status == CommentStatus.OPEN,
            PaperComment.version_number == old_number,
            PaperComment.unplaced_since.is_(None),
        )
    ):
        index = paragraphs.place(comment.anchor_text, comment.paragraph, blocks)
        if index is None:
            comment.unplaced_since = new_version.number
        else:
            comment.version_number = new_version.number
            comment.paragraph = index
            comment.anchor_text = blocks[index].text
    db.flush()


def save_version(
    db: Session,
    paper: Paper,
    *,
    actor: Any,
    base_version: int,
    title: str,
    summary: str,
    body: str,
    change_note: str,
) -> PaperVersion:
    """Save the text as a new version, refusing it if someone saved since the editor loaded the page."""
    if not permissions.can_edit(actor, paper):
        raise PermissionDenied
    if not change_note.strip():
        raise ValidationError("change_note", "Say what you changed")
    _check_text(db, paper.process_id, title, body)
    # Compare-and-set: of two saves from the same base, exactly one moves the counter.
    moved = db.execute(
        sa.update(Paper)
        .where(Paper.id == paper.id, Paper.current_version == base_version)
        .values(current_version=base_version + 1)
        .execution_options(synchronize_session=False)
    )
    if rows_matched(moved) != 1:
        raise StaleEdit("body", "Someone else saved a newer version while you were editing. Your text is kept below.")
    set_committed_value(paper, "current_version", base_version + 1)
    version = PaperVersion(
        paper_id=paper.id,
        number=base_version + 1,
        title=title.strip(),
        summary=summary.strip(),
        body=body,
        change_note=change_note.strip(),
        author_id=actor.id,
    )
    db.add(version)
    db.flush()
    carry_comments(db, paper, base_version, version)
    return version


def change_status(db: Session, paper: Paper, *, actor: Any, target: str, note: str = "") -> None:
    """Move the paper along its workflow (publishing is separate: it snapshots the evidence)."""
    new_status = PaperStatus(target)
    if not permissions.can_change_status(actor, paper, new_status):
        raise PermissionDenied
    before = paper.status
    changed = db.execute(
        sa.update(Paper)
        .where(Paper.id == paper.id, Paper.status == before)
        .values(status=new_status)
        .execution_options(synchronize_session=False)
    )
    if rows_matched(changed) != 1:
        raise ValidationError(
            "target", "Someone else changed the paper's status at the same time. Check it and try again."
        )
    set_committed_value(paper, "status", new_status)
    _record(db, paper, actor=actor, before=before, after=new_status, note=note.strip())
    db.flush()


def publish(db: Session, paper: Paper, *, actor: Any, confirm_open_comments: bool, note: str = "") -> PaperVersion:
    """Publish the approved version: freeze its evidence and the names agreed, supersede earlier publications."""
    if not permissions.can_publish(actor, paper):
        raise PermissionDenied
    open_comments = queries.open_comment_count(db, paper.id)
    if open_comments and not confirm_open_comments:
        raise ValidationError(
            "confirm",
            f"{open_comments} review comment{'s are' if open_comments != 1 else ' is'} still open. "
            "Confirm that you want to publish anyway, or resolve them first.",
        )
    changed = db.execute(
        sa.update(Paper)
        .where(Paper.id == paper.id, Paper.status == PaperStatus.APPROVED)
        .values(status=PaperStatus.PUBLISHED)
        .execution_options(synchronize_session=False)
    )
    if rows_matched(changed) != 1:
        raise ValidationError("confirm", "The paper is no longer approved: someone else changed or published it.")
    set_committed_value(paper, "status", PaperStatus.PUBLISHED)
    version = queries.current(db, paper)
    if version.is_published:
        raise ValidationError("confirm", "This version is already published. Save a new version to publish again.")
    now = utcnow()
    for earlier in db.scalars(
        sa.select(PaperVersion).where(
            PaperVersion.paper_id == paper.id,
            PaperVersion.published_at.is_not(None),
            PaperVersion.superseded_at.is_(None),
        )
    ):
        earlier.superseded_at = now
    version.published_at = now
    version.evidence = evidence.gather(db, paper.process_id, version.body)
    version.named_organisations = queries.consenting_organisations(db, paper.id)
    version.open_comments_at_publication = open_comments
    recorded = note.strip()
    if open_comments:
        recorded = (f"Published with {open_comments} review comment(s) still open, confirmed. " + recorded).strip()
    _record(db, paper, actor=actor, before=PaperStatus.APPROVED, after=PaperStatus.PUBLISHED, note=recorded)
    db.flush()
    return version


def set_naming_consent(db: Session, paper: Paper, *, actor: Any, is_member: bool, consent: bool) -> None:
    """Record or withdraw an organisation's agreement to be named in the paper when it is published."""
    if not permissions.can_consent_to_naming(actor, paper, is_member):
        raise PermissionDenied
    existing = db.scalar(
        sa.select(NamingConsent).where(
            NamingConsent.paper_id == paper.id, NamingConsent.organisation_id == actor.organisation_id
        )
    )
    if consent and existing is None:
        db.add(NamingConsent(paper_id=paper.id, organisation_id=actor.organisation_id, given_by_id=actor.id))
    elif not consent and existing is not None:
        db.delete(existing)
    db.flush()
