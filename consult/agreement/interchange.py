"""Polis openData interchange: import an export folder into a new process, and export a process the same way."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult.agreement import analysis, polis, replay, services
from consult.agreement.models import Statement, StatementStatus, Vote, VoteEvent, Voter
from consult.db import utcnow
from consult.errors import ValidationError
from consult.processes.models import Process, Stage, StageKind

MODERATION = {1: StatementStatus.ACCEPTED, 0: StatementStatus.UNMODERATED, -1: StatementStatus.REJECTED}
STATUS_TO_POLIS = {
    StatementStatus.ACCEPTED: 1,
    StatementStatus.UNMODERATED: 0,
    StatementStatus.PROPOSED: 0,
    StatementStatus.REJECTED: -1,
}
CHUNK = 5000
# At most this many warm-started updates when an import replays the vote history (replay.window_for): Polis's 1 s
# poll where that is few enough, else wider windows. ARI with Polis's groups after import at 1500 (test_reddwarf.py):
# brexit 0.897, biodiversity 0.977, austria 0.977, against red-dwarf's 0.636, 0.954 and 0.954; austria's replay
# takes about 25 s. The result is not monotone in the cap (one more or one fewer update can catch the k-smoother
# mid-change: brexit ends with k=5 at 1800; biodiversity scores 0.943 at 1000), so change it only after measuring.
REPLAY_UPDATES = 1500


def _when(milliseconds: int) -> datetime:
    return datetime.fromtimestamp(milliseconds / 1000, tz=UTC)


def import_polis(db: Session, folder: Path, slug: str, *, progress: Callable[[int], None] = lambda _n: None) -> Process:
    """Read comments and every vote event into a new process; any malformed line aborts the whole import.

    Then replay the vote history as Polis's math worker saw it (replay.replay, at most REPLAY_UPDATES updates) and
    cache the analysis warm-started from where the replay ended, so the process starts with Polis-like groups
    (which depend on the history of updates, not only on the final votes) and later refreshes continue from them.
    """
    if db.scalar(sa.select(Process.id).where(Process.slug == slug)) is not None:
        raise ValidationError("process", f"A process called {slug} already exists")
    comments = polis.read_comments(folder)
    summary = _summary(folder)
    process = Process(
        slug=slug,
        title=summary.get("topic") or f"Imported Polis conversation {slug}",
        summary=(summary.get("conversation-description") or "") + "\n\nImported from a Polis export "
        "(CC BY 4.0, The Computational Democracy Project).",
    )
    db.add(process)
    db.flush()
    first = min((c.timestamp for c in comments), default=0)
    process.stages.append(Stage(kind=StageKind.WORKING_GROUPS, starts_on=_when(first).date(), ends_on=utcnow().date()))
    statements = {}
    for comment in comments:
        statement = Statement(
            process_id=process.id,
            text=comment.body[:400],
            status=MODERATION[comment.moderated],
            external_id=str(comment.comment_id),
            created_at=_when(comment.timestamp),
        )
        db.add(statement)
        statements[comment.comment_id] = statement
    db.flush()
    events = []
    for event in polis.read_votes(folder):
        if event.comment_id not in statements:
            raise polis.PolisFormatError(f"votes.csv: comment-id {event.comment_id} is not in comments.csv")
        events.append(event)
        if len(events) % CHUNK == 0:
            progress(CHUNK)
    progress(len(events) % CHUNK)
    voter_ids = sorted({e.voter_id for e in events})
    db.execute(sa.insert(Voter), [{"process_id": process.id, "external_id": str(v)} for v in voter_ids])
    voters = dict(db.execute(sa.select(Voter.external_id, Voter.id).where(Voter.process_id == process.id)).all())
    latest: dict[tuple[int, int], polis.VoteEvent] = {}
    rows = []
    for event in events:
        row = {
            "statement_id": statements[event.comment_id].id,
            "voter_id": voters[str(event.voter_id)],
            "value": event.vote,
            "reason": "",
            "voted_at": _when(event.timestamp),
        }
        rows.append(row)
        key = (event.voter_id, event.comment_id)
        if key not in latest or event.timestamp >= latest[key].timestamp:
            latest[key] = event
    for start in range(0, len(rows), CHUNK):
        db.execute(sa.insert(VoteEvent), rows[start : start + CHUNK])
    current = [
        {
            "statement_id": statements[e.comment_id].id,
            "voter_id": voters[str(e.voter_id)],
            "value": e.vote,
            "reason": "",
            "voted_at": _when(e.timestamp),
        }
        for e in latest.values()
    ]
    for start in range(0, len(current), CHUNK):
        db.execute(sa.insert(Vote), current[start : start + CHUNK])
    db.flush()
    history = replay.replay(
        ((e.timestamp, statements[e.comment_id].id, voters[str(e.voter_id)], e.vote) for e in events),
        [s.id for s in statements.values() if not s.status.counts_in_analysis],
        max_updates=REPLAY_UPDATES,
        name=str,
    )
    services.refresh_analysis(db, process.id, start=history.state)
    return process


def _summary(folder: Path) -> dict[str, str]:
    path = folder / "summary.csv"
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        return {row[0]: row[1] for row in csv.reader(handle) if len(row) >= 2}


def export_polis(db: Session, slug: str, folder: Path) -> dict[str, int]:
    """Write comments.csv, votes.csv and participants-votes.csv in the openData format."""
    process = db.scalar(sa.select(Process).where(Process.slug == slug))
    if process is None:
        raise ValidationError("process", f"No process called {slug}")
    folder.mkdir(parents=True, exist_ok=True)
    statements = db.scalars(sa.select(Statement).where(Statement.process_id == process.id).order_by(Statement.id)).all()
    sid = {s.id: (s.external_id or str(s.id)) for s in statements}
    voters = dict(db.execute(sa.select(Voter.id, Voter.external_id).where(Voter.process_id == process.id)).all())
    vid = {k: (v or f"{k}") for k, v in voters.items()}
    current = db.execute(
        sa.select(Vote.statement_id, Vote.voter_id, Vote.value)
        .join(Statement, Statement.id == Vote.statement_id)
        .where(Statement.process_id == process.id)
    ).all()
    agrees: dict[int, int] = {}
    disagrees: dict[int, int] = {}
    for statement_id, _voter, value in current:
        if value == 1:
            agrees[statement_id] = agrees.get(statement_id, 0) + 1
        elif value == -1:
            disagrees[statement_id] = disagrees.get(statement_id, 0) + 1
    with (folder / "comments.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated", "comment-body"]
        )
        for s in statements:
            stamp = int(s.created_at.timestamp() * 1000)
            writer.writerow(
                [
                    stamp,
                    s.created_at.isoformat(),
                    sid[s.id],
                    "",
                    agrees.get(s.id, 0),
                    disagrees.get(s.id, 0),
                    STATUS_TO_POLIS[s.status],
                    s.text,
                ]
            )
    events = db.execute(
        sa.select(VoteEvent.statement_id, VoteEvent.voter_id, VoteEvent.value, VoteEvent.voted_at)
        .join(Statement, Statement.id == VoteEvent.statement_id)
        .where(Statement.process_id == process.id)
        .order_by(VoteEvent.statement_id, VoteEvent.voter_id, VoteEvent.voted_at, VoteEvent.id)
    ).all()
    with (folder / "votes.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["timestamp", "datetime", "comment-id", "voter-id", "vote"])
        for statement_id, voter_id, value, when in events:
            writer.writerow([int(when.timestamp() * 1000), when.isoformat(), sid[statement_id], vid[voter_id], value])
    votes = services.build_votes(db, process.id)
    labels = _published_groups(db, process.id, votes, voters)
    voted_columns = [j for j in range(len(votes.statements)) if (~np.isnan(votes.matrix[:, j])).any()]
    with (folder / "participants-votes.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "participant",
                "group-id",
                "n-comments",
                "n-votes",
                "n-agree",
                "n-disagree",
                *[sid[votes.statements[j]] for j in voted_columns],
            ]
        )
        for i, voter in enumerate(votes.participants):
            row = votes.matrix[i]
            cells = ["" if row[j] != row[j] else int(row[j]) for j in voted_columns]
            group = "" if labels[i] < 0 else int(labels[i])
            present = [c for c in cells if c != ""]
            writer.writerow([vid[voter], group, 0, len(present), present.count(1), present.count(-1), *cells])
    return {"statements": len(statements), "vote events": len(events), "participants": len(votes.participants)}


def _published_groups(
    db: Session, process_id: int, votes: analysis.Votes, external: dict[int, str | None]
) -> np.ndarray:
    """The groups the app publishes (-1: not grouped), brought up to date as the next refresh would (the groups have
    history, so a fresh batch run could differ)."""
    published = services.refresh_analysis(db, process_id).report.get("participants", {})
    groups = [published.get(services.external_voter_key(p, external.get(p))) for p in votes.participants]
    return np.array([-1 if g is None else int(g) for g in groups], dtype=int)
