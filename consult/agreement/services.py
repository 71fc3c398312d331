"""Voting (an upsert, so a vote is never counted twice), statement moderation state, and the cached analysis."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from consult import events
from consult.accounts.models import User
from consult.agreement import analysis, locking, permissions, queries
from consult.agreement.models import AnalysisCache, Statement, StatementStatus, Vote, VoteEvent, Voter
from consult.db import utcnow
from consult.errors import PermissionDenied, ValidationError
from consult.posting import tokens
from consult.processes import queries as process_queries
from consult.processes.timeline import ProcessState

VALUES = {"agree": 1, "disagree": -1, "pass": 0}
log = logging.getLogger(__name__)


def voter_for(db: Session, process_id: int, user_id: int) -> Voter:
    """The user's voter row in this process, created on first vote (race-safe by the unique constraint)."""
    voter = db.scalar(sa.select(Voter).where(Voter.process_id == process_id, Voter.user_id == user_id))
    if voter is not None:
        return voter
    try:
        with db.begin_nested():
            voter = Voter(process_id=process_id, user_id=user_id)
            db.add(voter)
    except sa.exc.IntegrityError:
        # Another request made this person's voter first; it is there now.
        voter = db.scalars(sa.select(Voter).where(Voter.process_id == process_id, Voter.user_id == user_id)).one()
    return voter


def record_vote(db: Session, statement: Statement, voter: Voter, value: str, reason: str = "") -> None:
    """Insert or replace the current vote in one statement (ON CONFLICT), and keep the event in the history."""
    if not statement.status.counts_in_analysis:
        raise ValidationError("value", "This statement is not open for votes")
    if value not in VALUES:
        raise ValidationError("value", "Choose agree, disagree or pass")
    now = utcnow()
    row = {
        "statement_id": statement.id,
        "voter_id": voter.id,
        "value": VALUES[value],
        "reason": reason.strip(),
        "voted_at": now,
    }
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement_ = insert(Vote).values(**row)
    statement_ = statement_.on_conflict_do_update(
        index_elements=[Vote.statement_id, Vote.voter_id],
        set_={
            "value": statement_.excluded.value,
            "reason": statement_.excluded.reason,
            "voted_at": statement_.excluded.voted_at,
        },
    )
    db.execute(statement_)
    db.execute(sa.insert(VoteEvent).values(**row))


def cast_vote(
    db: Session,
    statement: Statement,
    *,
    actor: Any,
    state: ProcessState,
    value: str,
    reason: str = "",
    blocked: bool | None = None,
) -> None:
    """A person's vote, refused unless they may vote (verified, process open, not blocked in the process).

    `blocked` is the caller's answer if it already looked (a view does, to explain a refusal); else it is read here.
    """
    if blocked is None:
        blocked = process_queries.process_standing(db, statement.process_id, actor).blocked
    if not permissions.can_vote(actor, statement, state, blocked=blocked):
        raise PermissionDenied
    record_vote(db, statement, voter_for(db, statement.process_id, actor.id), value, reason)


def build_votes(db: Session, process_id: int) -> analysis.Votes:
    """The process's current votes as the analysis module's input (moderated-out statements flagged)."""
    statements = db.execute(
        sa.select(Statement.id, Statement.status).where(Statement.process_id == process_id).order_by(Statement.id)
    ).all()
    ids = [row.id for row in statements]
    out = [row.id for row in statements if not row.status.counts_in_analysis]
    rows = db.execute(
        sa.select(Vote.voter_id, Vote.statement_id, Vote.value)
        .join(Statement, Statement.id == Vote.statement_id)
        .where(Statement.process_id == process_id)
    ).all()
    voters = sorted({r.voter_id for r in rows})
    index = {v: i for i, v in enumerate(voters)}
    column = {s: j for j, s in enumerate(ids)}
    matrix = np.full((len(voters), len(ids)), np.nan)
    for voter_id, statement_id, value in rows:
        matrix[index[voter_id], column[statement_id]] = value
    sectors = _voter_sectors(db, voters)
    return analysis.Votes(voters, ids, matrix, np.isin(np.array(ids, dtype=int), out), [sectors.get(v) for v in voters])


def _voter_sectors(db: Session, voter_ids: list[int]) -> dict[int, str]:
    if not voter_ids:
        return {}
    rows = db.execute(
        sa.select(Voter.id, User.sector).join(User, User.id == Voter.user_id).where(Voter.id.in_(voter_ids))
    )
    return {voter_id: sector.value for voter_id, sector in rows}


def stale_processes(db: Session) -> list[int]:
    """Processes whose cached analysis is missing or older than their votes, in two grouped queries."""
    events = dict(
        db.execute(
            sa.select(Statement.process_id, sa.func.count(VoteEvent.id))
            .join(VoteEvent, VoteEvent.statement_id == Statement.id)
            .group_by(Statement.process_id)
        ).all()
    )
    cached = dict(db.execute(sa.select(AnalysisCache.process_id, AnalysisCache.vote_events)).all())
    return sorted(p for p in set(events) | set(cached) if events.get(p, 0) != cached.get(p))


def refresh_analysis(
    db: Session, process_id: int, *, force: bool = False, start: analysis.GroupingState | None = None
) -> AnalysisCache:
    """Recompute the cached analysis if votes changed since it was made (never called by read-only pages).

    On PostgreSQL the transaction first takes the process's analysis lock (locking.lock_analysis), so one refresh
    runs at a time across every machine and each reads the newest votes and state; on SQLite a write session's
    BEGIN IMMEDIATE does the same (consult.agreement.refresher computes outside it and compares-and-sets instead).
    """
    locking.lock_analysis(db, process_id)
    update = compute_update(db, process_id, force=force, start=start)
    if update is None:
        cache = db.get(AnalysisCache, process_id)
        assert cache is not None
        return cache
    return store_update(db, update)


@dataclass(frozen=True)
class AnalysisUpdate:
    """A newly computed analysis and the cache row it was computed from ((vote_events, computed_at), or None)."""

    process_id: int
    vote_events: int
    report: dict[str, Any]
    grouping_state: dict[str, Any] | None
    based_on: tuple[int, Any] | None


def compute_update(
    db: Session, process_id: int, *, force: bool = False, start: analysis.GroupingState | None = None
) -> AnalysisUpdate | None:
    """Compute the analysis from the votes (reads only); None when the cache is already current.

    The opinion groups have history, as Polis's do: each refresh is one Polis update warm-started from the state
    the last one stored (AnalysisCache.grouping_state), and stores the new state. It starts clean instead with
    `force` (`flask agreement refresh --force`: a recompute from the votes alone, e.g. after an upgrade), when
    there is no stored state, or when the stored one cannot be read (another STATE_VERSION, or malformed); a state
    that is read always fits (analysis.analyse), including after statements were moderated out. `start` replaces
    the stored state (interchange.import_polis passes the state its replay of the vote history ended with).
    """
    events = queries.vote_event_count(db, process_id)
    cache = db.get(AnalysisCache, process_id, populate_existing=True)
    if cache is not None and cache.vote_events == events and not force and start is None:
        return None
    previous = start
    if previous is None and cache is not None and not force:
        previous = analysis.load_state(cache.grouping_state)
        if previous is None and cache.grouping_state is not None:
            log.warning("agreement: process %s's stored grouping state cannot be read; starting clean", process_id)
    result = analysis.analyse(build_votes(db, process_id), previous)
    return AnalysisUpdate(
        process_id=process_id,
        vote_events=events,
        report=external_report(db, process_id, result),
        grouping_state=result.state.to_json() if result.state is not None else None,
        based_on=(cache.vote_events, cache.computed_at) if cache is not None else None,
    )


def store_update(db: Session, update: AnalysisUpdate) -> AnalysisCache:
    """Write a computed analysis into the process's cache row."""
    cache = db.get(AnalysisCache, update.process_id)
    if cache is None:
        cache = AnalysisCache(process_id=update.process_id)
        db.add(cache)
    cache.report, cache.vote_events, cache.computed_at = update.report, update.vote_events, utcnow()
    cache.grouping_state = update.grouping_state
    db.flush()
    return cache


def external_voter_key(voter_id: int, external_id: str | None) -> str:
    """How reports name a voter: the Polis voter-id for imports, "voter-<id>" otherwise."""
    return external_id or f"voter-{voter_id}"


def external_report(db: Session, process_id: int, result: analysis.Analysis) -> dict[str, Any]:
    """The analysis report keyed by the ids people know: Polis ids for imports, consult ids otherwise."""
    report = result.report()
    statement_ids = dict(
        db.execute(sa.select(Statement.id, Statement.external_id).where(Statement.process_id == process_id)).all()
    )
    voter_ids = dict(db.execute(sa.select(Voter.id, Voter.external_id).where(Voter.process_id == process_id)).all())

    def statement_key(internal: str) -> str:
        return statement_ids.get(int(internal)) or internal

    report["participants"] = {
        external_voter_key(int(k), voter_ids.get(int(k))): v for k, v in report["participants"].items()
    }
    for entry in report["statements"]:
        entry["statement"] = int(entry["id"])
        entry["id"] = statement_key(entry["id"])
    for group in report["groups"]:
        for entry in group["representative"]:
            entry["id"] = statement_key(entry["id"])
    for entries in report["consensus"].values():
        for entry in entries:
            entry["id"] = statement_key(entry["id"])
    return report


def add_statement(
    db: Session,
    process_id: int,
    *,
    actor: Any,
    state: ProcessState,
    text: str,
    corrects_id: int | None = None,
    submission_token: str | None = None,
    blocked: bool | None = None,
) -> Statement:
    """Facilitators add statements directly; participants propose them for a facilitator to accept.

    With a `submission_token` (the form's), a repeat of the same submission raises AlreadySubmitted instead.
    `blocked`, as in cast_vote, is the caller's answer if it already looked.
    """
    if blocked is None:
        blocked = process_queries.process_standing(db, process_id, actor).blocked
    if not permissions.can_propose_statement(actor, state, blocked=blocked):
        raise PermissionDenied
    claimed = tokens.claim(db, submission_token, actor=actor, kind="statement")
    accepted = permissions.can_moderate_statements(actor)
    statement = create_statement(db, process_id, author=actor, text=text, corrects_id=corrects_id, accepted=accepted)
    tokens.record(db, claimed, statement.id)
    if not accepted:
        events.statement_proposed.send(
            db,
            statement_id=statement.id,
            process_id=process_id,
            text=statement.text,
            actor_id=actor.id,
            actor_name=actor.display_name,
        )
    return statement


def create_statement(
    db: Session, process_id: int, *, author: Any, text: str, corrects_id: int | None = None, accepted: bool
) -> Statement:
    """Store a statement after the caller's own permission check (add_statement, or a facilitator's reframing)."""
    text = " ".join(text.split())
    if not text:
        raise ValidationError("text", "Enter the statement")
    if len(text) > 400:
        raise ValidationError("text", "Statement must be 400 characters or fewer")
    if corrects_id is not None:
        original = db.get(Statement, corrects_id)
        if original is None or original.process_id != process_id:
            raise ValidationError("corrects_id", "The statement being corrected is not in this process")
    statement = Statement(
        process_id=process_id,
        text=text,
        author_id=author.id,
        corrects_id=corrects_id,
        status=StatementStatus.ACCEPTED if accepted else StatementStatus.PROPOSED,
    )
    db.add(statement)
    db.flush()
    return statement


def decide_statement(db: Session, statement: Statement, *, actor: Any, accept: bool, reason: str) -> None:
    """Accept or reject a proposed statement (or withdraw an accepted one) with a published reason."""
    if not accept and not reason.strip():
        raise ValidationError("reason", "Give the reason for rejecting the statement; it is published")
    statement.status = StatementStatus.ACCEPTED if accept else StatementStatus.REJECTED
    statement.status_reason = reason.strip()
    # Who decided and when: the public moderation log lists rejections by this, never naming the author.
    statement.decided_at = utcnow()
    statement.decided_by_id = actor.id
    db.flush()
    events.statement_decided.send(
        db,
        statement_id=statement.id,
        process_id=statement.process_id,
        text=statement.text,
        author_id=statement.author_id,
        accepted=accept,
        reason=statement.status_reason,
        actor_id=actor.id,
    )
