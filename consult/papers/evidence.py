"""The evidence behind a paper's findings, gathered from the record in a fixed number of queries.

The result is plain JSON (string keys) so a published version can keep it as its snapshot: later votes or
ledger entries then change the live record but never the published one.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, lazyload

from consult.accounts.models import SECTOR_NAMES
from consult.agreement import figures as agreement_figures
from consult.agreement import ledger, sufficiency
from consult.agreement import queries as agreement_queries
from consult.agreement.models import Mediation, Statement
from consult.discussions.models import IssueStatusChange, Thread
from consult.meetings.models import Meeting, NoteStatus
from consult.papers import paragraphs
from consult.processes.models import Process, WorkingGroup
from consult.provenance import evidence as provenance_evidence


def missing_references(db: Session, process_id: int, body: str) -> list[tuple[str, int]]:
    """References in a body to nothing in this process, in the order written (two id queries, no evidence)."""
    refs = paragraphs.references(body)
    statement_ids = set(refs["finding"]) | set(refs["said"])
    known_statements = set(
        db.scalars(sa.select(Statement.id).where(Statement.process_id == process_id, Statement.id.in_(statement_ids)))
        if statement_ids
        else ()
    )
    known_issues = set(
        db.scalars(
            sa.select(Thread.id)
            .join(WorkingGroup, WorkingGroup.id == Thread.group_id)
            .where(WorkingGroup.process_id == process_id, Thread.id.in_(refs["issue"]))
        )
        if refs["issue"]
        else ()
    )
    return [
        (kind, ref_id)
        for kind, known in (("finding", known_statements), ("said", known_statements), ("issue", known_issues))
        for ref_id in refs[kind]
        if ref_id not in known
    ]


def support_of(figures: dict[str, Any], process: Process) -> dict[str, Any]:
    """What a finding rests on, against its process's minimums (also for snapshots published before the rule)."""
    return sufficiency.Support.of(figures, process.outcome_min_votes, process.outcome_min_sectors).to_json()


def gather(db: Session, process_id: int, body: str) -> dict[str, Any]:
    """Everything the references in a body point to: statements with outcome, figures, threads and meetings."""
    refs = paragraphs.references(body)
    statement_ids = sorted(set(refs["finding"]) | set(refs["said"]))
    evidence: dict[str, Any] = {"statements": {}, "issues": {}}
    if statement_ids:
        statements = {
            s.id: s
            for s in db.scalars(
                sa.select(Statement).where(Statement.process_id == process_id, Statement.id.in_(statement_ids))
            )
        }
        outcomes = ledger.current_outcomes(db, process_id)
        process = db.get_one(Process, process_id)
        tallies = agreement_queries.tallies(db, process_id)
        cache = agreement_queries.cached_report(db, process_id)
        report_entries = {e["statement"]: e for e in (cache.report if cache else {}).get("statements", [])}
        sources = provenance_evidence.for_statements(db, statements)
        group_ids = {s.group_id or sources[sid]["group_id"] for sid, s in statements.items()} - {None}
        groups = dict(
            db.execute(sa.select(WorkingGroup.id, WorkingGroup.name).where(WorkingGroup.id.in_(group_ids))).all()
        )
        meetings_by_group: dict[int, list[Meeting]] = {}
        for meeting in db.scalars(
            sa.select(Meeting)
            .where(
                Meeting.process_id == process_id,
                Meeting.group_id.in_(group_ids),
                Meeting.notes_status == NoteStatus.PUBLISHED,
            )
            .options(lazyload(Meeting.papers))  # only titles and dates are cited
            .order_by(Meeting.starts_at)
        ):
            meetings_by_group.setdefault(meeting.group_id, []).append(meeting)
        mediations: dict[int, list[Mediation]] = {}
        for mediation in db.scalars(sa.select(Mediation).where(Mediation.statement_id.in_(statement_ids))):
            mediations.setdefault(mediation.statement_id, []).append(mediation)
        for statement_id, statement in statements.items():
            outcome = outcomes.get(statement_id)
            linked = sources[statement_id]
            group_id = statement.group_id or linked["group_id"]
            # From the cached analysis alone (the pages' vote set); the live tally only before any analysis.
            figures = agreement_figures.statement_figures(
                report_entries.get(statement_id), SECTOR_NAMES, tallies.get(statement_id, (0, 0, 0))
            )
            evidence["statements"][str(statement_id)] = {
                "id": statement_id,
                "text": statement.text,
                "group": groups.get(group_id) if group_id else None,
                "outcome": None
                if outcome is None
                else {
                    "kind": outcome.kind.value,
                    "label": outcome.kind.label,
                    "summary": outcome.summary,
                    "caveats": outcome.caveats,
                    "options": [line.strip() for line in outcome.options.splitlines() if line.strip()],
                    "reasons_for": outcome.reasons_for,
                    "reasons_against": outcome.reasons_against,
                    "recorded_at": outcome.created_at.isoformat(),
                    "basis": ledger.basis_of(outcome),
                },
                "figures": figures,
                # "Based on N votes from M sectors", and whether that is thin for this process, from the same figures.
                "support": support_of(figures, process),
                "threads": linked["threads"],
                "comments": linked["comments"],
                # The meetings linked to it (notes quoted once published), then its group's other published notes.
                "meetings": linked["meetings"]
                + [
                    {"id": m.id, "title": m.title, "date": m.starts_at.date().isoformat()}
                    for m in meetings_by_group.get(group_id, [])
                    if m.id not in {linked_meeting["id"] for linked_meeting in linked["meetings"]}
                ],
                "mediations": [
                    {"result": m.result.label, "notes": m.notes, "opened": m.created_at.date().isoformat()}
                    for m in mediations.get(statement_id, [])
                ],
            }
        evidence["figures_as_of"] = cache.computed_at.isoformat() if cache else None
    if refs["issue"]:
        issues = db.scalars(
            sa.select(Thread)
            .join(WorkingGroup, WorkingGroup.id == Thread.group_id)
            .where(WorkingGroup.process_id == process_id, Thread.id.in_(refs["issue"]))
        ).all()
        notes: dict[int, IssueStatusChange] = {}
        for change in db.scalars(
            sa.select(IssueStatusChange)
            .where(IssueStatusChange.thread_id.in_([i.id for i in issues]))
            .order_by(IssueStatusChange.id)
        ):
            notes[change.thread_id] = change
        for issue in issues:
            change = notes.get(issue.id)
            evidence["issues"][str(issue.id)] = {
                "id": issue.id,
                "title": issue.public_title,
                "raised": issue.created_at.date().isoformat(),
                "status": issue.issue_status.label if issue.issue_status else "",
                "response": change.note if change else "",
            }
    return evidence
