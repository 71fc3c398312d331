"""The outcomes ledger and mediation: recording where statements landed, and working through disagreement."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, lazyload, selectinload

from consult import events
from consult.accounts.models import SECTOR_NAMES
from consult.agreement import figures as agreement_figures
from consult.agreement import permissions, queries, sufficiency
from consult.agreement.models import (
    Mediation,
    MediationFlag,
    MediationResult,
    Outcome,
    OutcomeKind,
    Statement,
)
from consult.agreement.services import create_statement
from consult.clock import LONDON
from consult.db import utcnow
from consult.discussions.models import Thread
from consult.errors import PermissionDenied, ValidationError
from consult.meetings.models import Meeting, NoteStatus
from consult.processes import queries as process_queries
from consult.processes.models import Process, WorkingGroup
from consult.weblinks import BadWebUrl, check_web_url

CONTESTED = 0.5  # a gap of 50 points in agree rates between groups or sectors marks a statement as contested


def record_outcome(
    db: Session,
    statement: Statement,
    *,
    actor: Any,
    kind: str,
    summary: str,
    caveats: str = "",
    options: str = "",
    reasons_for: str = "",
    reasons_against: str = "",
    basis_meeting_id: int | None = None,
    basis_thread_id: int | None = None,
    basis_reason: str = "",
) -> Outcome:
    """Add a new ledger entry for a statement (earlier ones stay as its history).

    Agreed, agreed with caveats and disagreement noted say where people stand, so they need the process's minimum
    votes and sectors (counted now, not from the cached analysis); below them the facilitator must cite a meeting's
    published notes or a thread of the process and say why, and that basis is published beside the finding.
    """
    if not permissions.can_moderate_statements(actor):
        raise PermissionDenied
    outcome_kind = OutcomeKind(kind)
    if outcome_kind == OutcomeKind.AGREED_WITH_CAVEATS and not caveats.strip():
        raise ValidationError("caveats", "Record the caveats")
    if outcome_kind == OutcomeKind.OPTIONS and len([o for o in options.splitlines() if o.strip()]) < 2:
        raise ValidationError("options", "List at least two options, one per line")
    if outcome_kind == OutcomeKind.DISAGREEMENT_NOTED and not (reasons_for.strip() and reasons_against.strip()):
        raise ValidationError("reasons_for", "Record each side's reasons")
    support = support_now(db, statement)
    cited = _cited(db, statement.process_id, basis_meeting_id, basis_thread_id)
    reason = basis_reason.strip()
    if cited is not None and not reason:
        raise ValidationError("basis_reason", "Say why this evidence supports the outcome; it is published")
    if reason and cited is None:
        raise ValidationError("basis", "Choose the meeting notes or thread your reason refers to")
    if outcome_kind.needs_evidence and not support.enough and cited is None:
        raise ValidationError("kind", support.shortfall(outcome_kind.label))
    outcome = Outcome(
        statement_id=statement.id,
        kind=outcome_kind,
        summary=summary.strip(),
        caveats=caveats.strip(),
        options=options.strip(),
        reasons_for=reasons_for.strip(),
        reasons_against=reasons_against.strip(),
        recorded_by_id=actor.id,
        votes_counted=support.votes,
        sectors_counted=support.sectors,
        basis_meeting_id=cited.id if isinstance(cited, Meeting) else None,
        basis_thread_id=cited.id if isinstance(cited, Thread) else None,
        basis_reason=reason,
    )
    db.add(outcome)
    db.flush()
    return outcome


def support_now(db: Session, statement: Statement) -> sufficiency.Support:
    """The statement's votes and sectors as they stand, beside its process's minimums for a finding."""
    process = db.get_one(Process, statement.process_id)
    figures = agreement_figures.statement_figures(queries.live_entry(db, statement.id), SECTOR_NAMES)
    return sufficiency.Support.of(figures, process.outcome_min_votes, process.outcome_min_sectors)


def _cited(db: Session, process_id: int, meeting_id: int | None, thread_id: int | None) -> Meeting | Thread | None:
    """The meeting (notes published) or visible thread of this process an outcome cites, checked here, not trusted."""
    if meeting_id is not None and thread_id is not None:
        raise ValidationError("basis", "Cite one meeting's notes or one thread")
    if meeting_id is not None:
        meeting = db.get(Meeting, meeting_id)
        if meeting is None or meeting.process_id != process_id or meeting.notes_status != NoteStatus.PUBLISHED:
            raise ValidationError("basis", "Choose a meeting of this process whose notes are published")
        return meeting
    if thread_id is not None:
        thread = db.scalar(
            sa.select(Thread)
            .join(WorkingGroup, WorkingGroup.id == Thread.group_id)
            .where(Thread.id == thread_id, WorkingGroup.process_id == process_id, Thread.hidden_at.is_(None))
        )
        if thread is None:
            raise ValidationError("basis", "Choose a thread of this process")
        return thread
    return None


def _with_basis(query: sa.Select) -> sa.Select:
    """Outcomes with what they cite, in two more queries however many there are."""
    return query.options(
        selectinload(Outcome.basis_meeting).options(lazyload(Meeting.papers)), selectinload(Outcome.basis_thread)
    )


def basis_of(outcome: Outcome) -> dict[str, Any] | None:
    """The other evidence an outcome cites, as the ledger, the statement page and papers publish it (plain JSON)."""
    if outcome.basis_meeting_id is None and outcome.basis_thread_id is None and not outcome.basis_reason:
        return None
    cited: dict[str, Any] = {"kind": None, "id": None, "title": "A record since deleted", "date": None}
    if outcome.basis_meeting is not None:
        meeting = outcome.basis_meeting
        cited = {
            "kind": "meeting",
            "id": meeting.id,
            "title": meeting.title,
            "date": meeting.starts_at.astimezone(LONDON).date().isoformat(),
        }
    elif outcome.basis_thread is not None:
        thread = outcome.basis_thread
        cited = {"kind": "thread", "id": thread.id, "title": thread.public_title, "date": None}
    recorded_with = None
    if outcome.votes_counted is not None and outcome.sectors_counted is not None:
        recorded_with = (
            f"{sufficiency.counted(outcome.votes_counted, 'vote')} "
            f"from {sufficiency.counted(outcome.sectors_counted, 'sector')}"
        )
    return cited | {"reason": outcome.basis_reason, "recorded_with": recorded_with}


def current_outcomes(db: Session, process_id: int) -> dict[int, Outcome]:
    """The newest ledger entry per statement of a process (one query, and two for what they cite)."""
    latest = (
        sa.select(Outcome.statement_id, sa.func.max(Outcome.id).label("latest"))
        .join(Statement, Statement.id == Outcome.statement_id)
        .where(Statement.process_id == process_id)
        .group_by(Outcome.statement_id)
        .subquery()
    )
    rows = db.scalars(_with_basis(sa.select(Outcome).join(latest, latest.c.latest == Outcome.id)))
    return {row.statement_id: row for row in rows}


def history(db: Session, statement_id: int) -> list[Outcome]:
    return list(
        db.scalars(
            _with_basis(sa.select(Outcome).where(Outcome.statement_id == statement_id).order_by(Outcome.id.desc()))
        )
    )


def flag_for_mediation(
    db: Session, statement: Statement, *, actor: Any, reason: str, blocked: bool | None = None
) -> None:
    """A participant asks for mediation; `blocked`, as in services.cast_vote, is the caller's answer if it looked."""
    if blocked is None:
        blocked = process_queries.process_standing(db, statement.process_id, actor).blocked
    if not permissions.can_flag_for_mediation(actor, blocked=blocked):
        raise PermissionDenied
    exists = db.scalar(
        sa.select(MediationFlag.id).where(MediationFlag.statement_id == statement.id, MediationFlag.user_id == actor.id)
    )
    if exists is not None:
        raise ValidationError("reason", "You have already asked for this statement to be mediated")
    db.add(MediationFlag(statement_id=statement.id, user_id=actor.id, reason=reason.strip()))
    db.flush()
    events.mediation_requested.send(
        db,
        statement_id=statement.id,
        process_id=statement.process_id,
        text=statement.text,
        reason=reason.strip(),
        actor_id=actor.id,
        actor_name=actor.display_name,
    )


def queue(db: Session, process_id: int, report: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Contested statements: divisive across groups or sectors (from the cached analysis), or flagged by someone."""
    statements = {s.id: s for s in db.scalars(sa.select(Statement).where(Statement.process_id == process_id))}
    flags: dict[int, list[str]] = {}
    for statement_id, reason in db.execute(
        sa.select(MediationFlag.statement_id, MediationFlag.reason)
        .join(Statement, Statement.id == MediationFlag.statement_id)
        .where(Statement.process_id == process_id)
    ):
        flags.setdefault(statement_id, []).append(reason)
    divisive = {}
    for entry in (report or {}).get("statements", []):
        score = max(entry.get("divisiveness_groups", 0), entry.get("divisiveness_sectors", 0))
        if score >= CONTESTED and not entry.get("moderated_out"):
            divisive[entry["statement"]] = score
    mediated = set(db.scalars(sa.select(Mediation.statement_id).where(Mediation.statement_id.in_(statements))))
    items = []
    for statement_id in sorted(set(flags) | set(divisive), key=lambda s: -divisive.get(s, 0)):
        if statement_id in statements:
            items.append(
                {
                    "statement": statements[statement_id],
                    "divisiveness": divisive.get(statement_id),
                    "flags": flags.get(statement_id, []),
                    "mediated": statement_id in mediated,
                }
            )
    return items


def open_mediation(
    db: Session, statement: Statement, *, actor: Any, parties: str, meeting_url: str = "", notes: str = ""
) -> Mediation:
    if not permissions.can_moderate_statements(actor):
        raise PermissionDenied
    if meeting_url.strip():
        try:
            meeting_url = check_web_url(meeting_url)
        except BadWebUrl as error:
            raise ValidationError("meeting_url", str(error)) from None
    mediation = Mediation(
        statement_id=statement.id,
        parties=parties.strip(),
        meeting_url=meeting_url.strip(),
        notes=notes.strip(),
        facilitator_id=actor.id,
    )
    db.add(mediation)
    db.flush()
    return mediation


def close_mediation(
    db: Session, mediation: Mediation, *, actor: Any, result: str, notes: str, new_statement: str = ""
) -> None:
    """Record how a mediation ended; reframing creates the new statement, linked to the old one."""
    if not permissions.can_moderate_statements(actor):
        raise PermissionDenied
    outcome = MediationResult(result)
    if outcome == MediationResult.OPEN:
        raise ValidationError("result", "Choose how the mediation ended")
    if outcome == MediationResult.REFRAMED:
        if not new_statement.strip():
            raise ValidationError("new_statement", "Write the reframed statement")
        statement = db.get_one(Statement, mediation.statement_id)
        reframed = create_statement(
            db, statement.process_id, author=actor, text=new_statement, corrects_id=statement.id, accepted=True
        )
        mediation.new_statement_id = reframed.id
    mediation.result = outcome
    mediation.notes = notes.strip()
    mediation.updated_at = utcnow()
    db.flush()


def public_log(db: Session, process_id: int) -> list[Mediation]:
    return list(
        db.scalars(
            sa.select(Mediation)
            .join(Statement, Statement.id == Mediation.statement_id)
            .where(Statement.process_id == process_id)
            .order_by(Mediation.id.desc())
        )
    )
