"""The demo process's ledger and a published position paper, so every reader can follow a finding to its evidence."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult.accounts.models import User
from consult.agreement import ledger
from consult.agreement.models import Statement
from consult.demo.process import SLUG, STATEMENTS
from consult.discussions.models import Thread
from consult.meetings.models import Meeting
from consult.papers import services as papers
from consult.papers.models import Paper, PaperStatus
from consult.processes.models import Process, WorkingGroup

TITLE = "Water social tariffs: conclusions of the working groups"
MEETING = "Safeguards workshop, Leeds"
ISSUE = "Households should be told before data is shared"
# (statement text, outcome kind, summary, extra fields) for the demo statements. Seven people vote in the demo, fewer
# than the ten a finding needs by default (processes.models), so each finding cites what it rests on besides the
# votes: the Leeds meeting's notes ("meeting") or the issue raised ("issue"), with the reason.
OUTCOMES = [
    (
        STATEMENTS[0],
        "agreed",
        "Share a yes/no eligibility flag only; no benefit details leave the department.",
        {
            "basis": (
                "meeting",
                "The workshop's notes record broad agreement that a flag is preferable to sharing "
                "benefit details, as the votes do.",
            ),
        },
    ),
    (
        STATEMENTS[1],
        "agreed_with_caveats",
        "Tell households before the first share.",
        {
            "caveats": "Where telling them first would delay help in winter, tell them at the same time.",
            "basis": (
                "issue",
                "The issue raised and its discussion asked for notice before any sharing, and the "
                "department agreed to bring options for it.",
            ),
        },
    ),
    (
        STATEMENTS[2],
        "options",
        "Two ways to enrol people were put forward.",
        {"options": "Enrol automatically with a clear way to opt out\nInvite people to apply, with the form filled in"},
    ),
    (
        STATEMENTS[4],
        "disagreement_noted",
        "Participants did not agree whether water companies should receive any benefit data.",
        {
            "reasons_for": "Companies are not public authorities and answer to shareholders.",
            "reasons_against": "The Act already lists them as specified persons for this purpose.",
            "basis": ("meeting", "The workshop's notes record both positions, with the same reasons."),
        },
    ),
    (STATEMENTS[3], "still_to_discuss", "How long matched data is kept needs the water companies' evidence.", {}),
]


def seed_paper(db: Session, users: dict[str, User]) -> bool:
    """Record the demo ledger and publish a paper from it, unless the demo process already has a paper."""
    process = db.scalar(sa.select(Process).where(Process.slug == SLUG))
    if process is None or db.scalar(sa.select(Paper.id).where(Paper.process_id == process.id)) is not None:
        return False
    facilitator = users["facilitator"]
    statements = {s.text: s for s in db.scalars(sa.select(Statement).where(Statement.process_id == process.id))}
    recorded = ledger.current_outcomes(db, process.id)
    meeting_id = db.scalar(sa.select(Meeting.id).where(Meeting.process_id == process.id, Meeting.title == MEETING))
    issue_id = db.scalar(
        sa.select(Thread.id)
        .join(WorkingGroup, WorkingGroup.id == Thread.group_id)
        .where(WorkingGroup.process_id == process.id, Thread.title == ISSUE)
    )
    for text, kind, summary, extra in OUTCOMES:
        statement = statements.get(text)
        if statement is not None and statement.id not in recorded:
            fields = dict(extra)
            cited, reason = fields.pop("basis", (None, ""))
            ledger.record_outcome(
                db,
                statement,
                actor=facilitator,
                kind=kind,
                summary=summary,
                basis_meeting_id=meeting_id if cited == "meeting" else None,
                basis_thread_id=issue_id if cited == "issue" else None,
                basis_reason=reason,
                **fields,
            )
    paper = papers.create_paper(
        db,
        process,
        actor=facilitator,
        title=TITLE,
        summary="Where the safeguards and delivery groups agreed on sharing data to target water social tariffs, "
        "and where they did not.",
    )
    papers.change_status(db, paper, actor=facilitator, target=PaperStatus.IN_REVIEW.value, note="Open for review")
    papers.change_status(db, paper, actor=facilitator, target=PaperStatus.APPROVED.value, note="Agreed at the meeting")
    papers.publish(db, paper, actor=facilitator, confirm_open_comments=False, note="First publication")
    return True
