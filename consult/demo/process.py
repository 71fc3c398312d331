"""A realistic demo process (water poverty data sharing) with groups, threads, an issue, a meeting and moderation."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult.accounts.models import User
from consult.clock import LONDON, london_today
from consult.db import utcnow
from consult.discussions import services as discussions
from consult.discussions.models import Comment
from consult.meetings.models import Meeting, MeetingAction, MeetingPaper, NoteStatus, Rsvp
from consult.moderation import services as moderation
from consult.processes import services as processes
from consult.processes.models import Membership, MembershipStatus, Process, Stage, StageKind
from consult.processes.timeline import ProcessState

SLUG = "water-poverty-data-sharing"

SUMMARY = """Water companies offer social tariffs to households that struggle to pay, but take-up is low because
customers must ask for help. This process asks whether, and under what safeguards, public bodies should share data
with water and sewerage companies so that eligible households can be offered help without having to apply.

It runs as an open policy process: anyone with an interest can take part, meetings are set well in advance with
remote participation, and the paper at the end records where people agree **and** where they disagree."""

PRINCIPLES = """- **Transparency**: discussions, notes and outcomes are published.
- **Accessibility**: anyone with an interest can join; meetings around the country and online.
- **Collaboration**: raise issues as early as possible so they can be worked through.
- **Independence**: a neutral facilitator convenes the process and mediates disagreement."""


def seed_process(db: Session, users: dict[str, User]) -> bool:
    """Create the demo process unless it exists; returns whether it was created."""
    if db.scalar(sa.select(Process.id).where(Process.slug == SLUG)) is not None:
        return False
    facilitator, officer = users["facilitator"], users["officer"]
    campaigner, council, researcher = users["campaigner"], users["council"], users["researcher"]
    process = processes.create_process(
        db,
        actor=facilitator,
        title="Water poverty: sharing data to target social tariffs",
        slug=SLUG,
        summary=SUMMARY,
        principles=PRINCIPLES,
        objectives_concerned="The water poverty objective in force (SI 2018/912, Schedule paragraph 5), and whether "
        "its specified persons should change. See [the objective](/objectives-in-force/water-poverty).",
    )
    today = london_today()
    plan = [
        (StageKind.SCOPING, -60, -31, "Agree the questions and who needs to be involved"),
        (StageKind.WORKING_GROUPS, -30, 60, "Working groups meet and discuss"),
        (StageKind.DRAFTING, 61, 100, "Facilitators draft the paper from the record"),
        (StageKind.CONSULTATION, 101, 140, "Everyone comments on the draft paper"),
        (StageKind.PAPER, 141, 160, "The paper is agreed and published"),
    ]
    for kind, start, end, description in plan:
        process.stages.append(
            Stage(
                kind=kind,
                starts_on=today + timedelta(days=start),
                ends_on=today + timedelta(days=end),
                description=description,
            )
        )
    db.flush()
    safeguards = processes.create_group(
        db,
        process,
        actor=facilitator,
        name="Safeguards and privacy",
        slug="safeguards",
        remit="What protections must apply: onward disclosure, retention, security, transparency to households.",
        join_policy="open",
    )
    delivery = processes.create_group(
        db,
        process,
        actor=facilitator,
        name="Delivery and eligibility",
        slug="delivery",
        remit="Which data items are needed to identify eligible households, and which bodies hold them.",
        join_policy="request",
    )
    for group in (safeguards, delivery):
        for person, interests in (
            (officer, "Works on the proposal for the department"),
            (campaigner, "Campaigns on privacy; funded by charitable trusts"),
            (council, ""),
            (researcher, "Researches water affordability"),
        ):
            db.add(
                Membership(
                    group_id=group.id,
                    user_id=person.id,
                    status=MembershipStatus.MEMBER,
                    declared_interests=interests,
                    approved_at=utcnow(),
                )
            )
    db.flush()
    memberships = {m.user_id: m for m in db.scalars(sa.select(Membership).where(Membership.group_id == safeguards.id))}
    state = ProcessState.OPEN

    def start(author, **kwargs):
        return discussions.start_thread(
            db, safeguards, actor=author, membership=memberships[author.id], state=state, **kwargs
        )

    def reply(parent, author, body, stance=None):
        return discussions.reply(
            db, parent, actor=author, membership=memberships[author.id], state=state, body=body, stance=stance
        )

    thread = start(
        officer,
        kind="discussion",
        title="Which data items are really needed?",
        body="We think the minimum is **name, address and an eligibility indicator** (for example receipt "
        "of a means-tested benefit). No amounts, no health data. Does that match what others expect?",
    )
    opening = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id))
    first = reply(
        opening,
        campaigner,
        "An eligibility *indicator* is better than the benefit type itself: it reveals "
        "less. Could the department send a yes/no flag only?",
        "supports",
    )
    second = reply(
        first,
        council,
        "From the council side, a yes/no flag would work for us too, as long as the address matching is reliable.",
        "neutral",
    )
    reply(
        second,
        researcher,
        "Address matching error rates were around 5% in similar schemes; we should ask for a "
        "way for households to correct mismatches.",
        "supports",
    )
    rude = reply(opening, campaigner, "Frankly, anyone who thinks the department can be trusted with this is naive.")
    moderation.report(
        db, rude, actor=council, membership=memberships[council.id], reason="Personal and not constructive"
    )
    moderation.hide(
        db,
        rude,
        safeguards,
        actor=facilitator,
        membership=None,
        reason="Personal remarks about other participants (code of conduct, rule 1)",
    )
    issue = start(
        campaigner,
        kind="issue",
        title="Households should be told before data is shared",
        body="The proposal does not say how households will know their data was shared. We raise this now "
        "so it can be worked through, not discovered at consultation.",
        stance="objects",
    )
    discussions.set_issue_status(
        db,
        issue,
        actor=facilitator,
        membership=None,
        status="being_considered",
        note="On the agenda for the Leeds meeting; the department will bring options.",
    )
    discussions.save_summary(
        db,
        thread,
        actor=facilitator,
        membership=None,
        base_version=0,
        body="So far: broad support for a yes/no eligibility flag instead of benefit type. "
        "Open question: how households correct address mismatches.",
    )

    start_at = datetime.combine(today - timedelta(days=7), time(10), tzinfo=LONDON)
    past = Meeting(  # its notes are the basis the demo ledger cites (demo/paper.py)
        process_id=process.id,
        group_id=safeguards.id,
        title="Safeguards workshop, Leeds",
        starts_at=start_at,
        ends_at=start_at + timedelta(hours=3),
        venue="Civic Hall",
        city="Leeds",
        remote_url="https://meet.example.org/consult-safeguards",
        capacity=30,
        created_by_id=facilitator.id,
        agenda="1. Welcome and ground rules\n2. Data items\n3. Telling households\n4. Next steps",
        notes="Participants broadly agreed that an eligibility flag is preferable to sharing benefit "
        "details. Several participants asked for a notice to households before any sharing; the department "
        "agreed to bring options. There was no agreement yet on retention periods. Participants did not agree "
        "whether water companies should receive benefit data at all: some said they are not public authorities and "
        "answer to shareholders; others that the Act already lists them as specified persons for this purpose.",
        notes_status=NoteStatus.PUBLISHED,
        notes_version=3,
    )
    past.created_at = start_at - timedelta(days=30)
    past.papers = [MeetingPaper(title="Draft data items list", url="https://example.org/consult/data-items.pdf")]
    db.add(past)
    db.flush()
    for person, mode in ((campaigner, "in_person"), (council, "remote"), (researcher, "in_person")):
        db.add(Rsvp(meeting_id=past.id, user_id=person.id, mode=mode, attended=True))
    db.add(
        MeetingAction(
            meeting_id=past.id,
            description="Bring options for telling households",
            owner="Department",
            due_on=today + timedelta(days=14),
        )
    )
    next_start = datetime.combine(today + timedelta(days=21), time(13, 30), tzinfo=LONDON)
    upcoming = Meeting(
        process_id=process.id,
        group_id=None,
        title="Plenary: areas of agreement so far, Cardiff",
        starts_at=next_start,
        ends_at=next_start + timedelta(hours=2, minutes=30),
        venue="Temple of Peace",
        city="Cardiff",
        remote_url="https://meet.example.org/consult-plenary",
        capacity=40,
        created_by_id=facilitator.id,
        agenda="Review the summary of each thread and agree what is banked.",
    )
    db.add(upcoming)
    db.flush()
    statements = _seed_statements(db, process, users)
    _seed_sources(db, statements, facilitator, thread=thread, comment=first, issue=issue, meeting=past)
    return True


STATEMENTS = [
    "Public bodies should share only a yes/no eligibility flag, not benefit details.",
    "Households should be told before their data is shared with a water company.",
    "Water companies should offer the social tariff automatically, without an application.",
    "Matched data should be deleted within six months.",
    "Water companies are not public authorities and should not receive benefit data.",
    "An independent body should audit every data share each year.",
]
# One row per demo person: their votes on the statements above (1 agree, -1 disagree, 0 pass).
VOTES = {
    "officer": [1, 0, 1, 1, -1, 1],
    "campaigner": [1, 1, -1, 1, 1, 1],
    "council": [1, 1, 1, 0, -1, 1],
    "researcher": [1, 1, 1, 1, 0, 1],
    "facilitator": [0, 1, 0, 0, 0, 1],
    "board": [1, 0, 1, -1, -1, 0],
    "resident": [1, 1, 1, 1, 1, 1],
}


def _seed_statements(db: Session, process: Process, users: dict[str, User]) -> list:
    """Statements and votes, so the demo shows agreement across sectors and where people divide."""
    from consult.agreement import services as agreement
    from consult.agreement.models import Statement

    statements = [Statement(process_id=process.id, text=text, author_id=users["facilitator"].id) for text in STATEMENTS]
    db.add_all(statements)
    db.flush()
    names = {1: "agree", -1: "disagree", 0: "pass"}
    for who, values in VOTES.items():
        if who not in users:
            continue
        voter = agreement.voter_for(db, process.id, users[who].id)
        for statement, value in zip(statements, values, strict=True):
            agreement.record_vote(db, statement, voter, names[value])
    agreement.refresh_analysis(db, process.id)
    return statements


def _seed_sources(db: Session, statements: list, facilitator: User, *, thread, comment, issue, meeting) -> None:
    """Where the first two statements came from, so the demo paper's evidence pages show their provenance."""
    from consult.provenance.models import StatementSource

    flag, told = statements[0], statements[1]
    db.add_all(
        StatementSource(statement_id=statement.id, added_by_id=facilitator.id, **target)
        for statement, target in (
            (flag, {"thread_id": thread.id}),
            (flag, {"comment_id": comment.id}),
            (flag, {"meeting_id": meeting.id}),
            (told, {"thread_id": issue.id}),
            (told, {"meeting_id": meeting.id}),
        )
    )
    db.flush()
