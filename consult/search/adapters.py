"""The content types consult indexes, each described by an Adapter; visibility reuses each feature's own rules.

They are listed, with position papers (consult/papers/search.py), in consult/search/registry.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import Session, joinedload

from consult.agreement import permissions as agreement_permissions
from consult.agreement.models import Statement
from consult.discussions.models import Comment, Thread
from consult.meetings import permissions as meeting_permissions
from consult.meetings.models import Meeting, MeetingPaper, NoteStatus
from consult.objectives import permissions as objective_permissions
from consult.objectives.fields import FIELDS
from consult.objectives.models import Proposal, ProposalVersion
from consult.pages.models import ContentPage
from consult.processes.models import Process, WorkingGroup
from consult.processes.permissions import Standing
from consult.search.contract import Adapter, Document, Viewer
from consult.search.schema import plain_text
from consult.search.visibility import FACILITATORS, PUBLIC, department, meeting_attendees

TEXT_KINDS = {"text", "long"}


def _by_id(db: Session, model: Any, ids: Sequence[int], *options: Any) -> dict[int, Any]:
    rows = db.scalars(sa.select(model).where(model.id.in_(list(ids))).options(*options)).unique()
    return {row.id: row for row in rows}


def _ids(model: Any) -> Any:
    return lambda db: db.scalars(sa.select(model.id).order_by(model.id))


def _always(viewer: Viewer, row: Any) -> bool:
    return True


def as_datetime(value: datetime | date | None) -> datetime | None:
    """Whoosh stores naive datetimes; consult's are aware UTC (dates become midnight UTC)."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min, tzinfo=UTC)
    return value.astimezone(UTC).replace(tzinfo=None)


# Processes and working groups: public.
PROCESS = Adapter(
    doc_type="process",
    label="Process",
    models={Process: lambda p: p.id},
    load=lambda db, ids: _by_id(db, Process, ids),
    all_ids=_ids(Process),
    document=lambda p: Document(
        title=p.title,
        body=plain_text(" ".join((p.summary, p.principles, p.objectives_concerned))),
        date=as_datetime(p.created_at),
        visibility=(PUBLIC,),
        process_id=p.id,
    ),
    can_see=_always,
    url=lambda p: url_for("processes.show", slug=p.slug),
    title=lambda p: p.title,
    process=lambda p: None,
)

GROUP = Adapter(
    doc_type="group",
    label="Working group",
    models={WorkingGroup: lambda g: g.id},
    load=lambda db, ids: _by_id(db, WorkingGroup, ids, joinedload(WorkingGroup.process)),
    all_ids=_ids(WorkingGroup),
    document=lambda g: Document(
        title=g.name,
        body=plain_text(g.remit),
        date=as_datetime(g.created_at),
        visibility=(PUBLIC,),
        process_id=g.process_id,
        parents=(f"process:{g.process_id}",),
    ),
    can_see=_always,
    url=lambda g: url_for("processes.group", slug=g.process.slug, group_slug=g.slug),
    title=lambda g: g.name,
    process=lambda g: g.process,
)

# Threads and comments: public, except threads hidden by a moderator (with all their comments) and comments
# deleted or hidden. Hiding or restoring a thread re-queues its comments (moderation.services.hide_thread).
def _thread_document(t: Thread) -> Document | None:
    if not t.is_visible:
        return None
    return Document(
        title=t.title,
        body=plain_text(t.summary),
        date=as_datetime(t.created_at),
        visibility=(PUBLIC,),
        process_id=t.group.process_id,
        parents=(f"group:{t.group_id}", f"process:{t.group.process_id}"),
    )


THREAD = Adapter(
    doc_type="thread",
    label="Thread",
    models={Thread: lambda t: t.id},
    load=lambda db, ids: _by_id(db, Thread, ids, joinedload(Thread.group).joinedload(WorkingGroup.process)),
    all_ids=_ids(Thread),
    document=_thread_document,
    can_see=lambda viewer, t: t.is_visible,
    url=lambda t: url_for("discussions.thread", thread_id=t.id),
    title=lambda t: t.title,
    process=lambda t: t.group.process,
)


def _comment_document(c: Comment) -> Document | None:
    if not (c.is_visible and c.thread.is_visible):
        return None
    group = c.thread.group
    return Document(
        title="",
        body=plain_text(c.body),
        date=as_datetime(c.edited_at or c.created_at),
        visibility=(PUBLIC,),
        process_id=group.process_id,
        parents=(f"thread:{c.thread_id}", f"group:{group.id}", f"process:{group.process_id}"),
    )


COMMENT = Adapter(
    doc_type="comment",
    label="Comment",
    models={Comment: lambda c: c.id},
    load=lambda db, ids: _by_id(
        db, Comment, ids, joinedload(Comment.thread).joinedload(Thread.group).joinedload(WorkingGroup.process)
    ),
    all_ids=_ids(Comment),
    document=_comment_document,
    can_see=lambda viewer, c: c.is_visible and c.thread.is_visible,
    url=lambda c: url_for("discussions.permalink", comment_id=c.id),
    title=lambda c: f"Comment in “{c.thread.title}”",
    process=lambda c: c.thread.group.process,
)


# Meetings (public, with their papers' titles) and their notes (published: public; shared or final:
# attendees and facilitators; drafts: facilitators), following consult.meetings.permissions.can_read_notes.
def _meeting_document(m: Meeting) -> Document:
    papers = " ".join(paper.title for paper in m.papers)
    return Document(
        title=m.title,
        body=plain_text(" ".join((m.agenda, m.venue, m.city, papers))),
        date=as_datetime(m.starts_at),
        visibility=(PUBLIC,),
        process_id=m.process_id,
        parents=(f"process:{m.process_id}",),
    )


def notes_visibility(m: Meeting) -> tuple[str, ...]:
    if m.notes_status == NoteStatus.PUBLISHED:
        return (PUBLIC,)
    if m.notes_status in {NoteStatus.SHARED, NoteStatus.FINAL}:
        return (FACILITATORS, meeting_attendees(m.id))
    return (FACILITATORS,)


def _notes_document(m: Meeting) -> Document | None:
    if not m.notes.strip():
        return None
    return Document(
        title=f"Notes of {m.title}",
        body=plain_text(m.notes),
        date=as_datetime(m.starts_at),
        visibility=notes_visibility(m),
        process_id=m.process_id,
        parents=(f"process:{m.process_id}",),
    )


MEETING = Adapter(
    doc_type="meeting",
    label="Meeting",
    models={Meeting: lambda m: m.id, MeetingPaper: lambda p: p.meeting_id},
    load=lambda db, ids: _by_id(db, Meeting, ids, joinedload(Meeting.process)),
    all_ids=_ids(Meeting),
    document=_meeting_document,
    can_see=_always,
    url=lambda m: url_for("meetings.show", meeting_id=m.id),
    title=lambda m: m.title,
    process=lambda m: m.process,
)

NOTES = Adapter(
    doc_type="notes",
    label="Meeting notes",
    models={Meeting: lambda m: m.id},
    load=lambda db, ids: _by_id(db, Meeting, ids, joinedload(Meeting.process)),
    all_ids=_ids(Meeting),
    document=_notes_document,
    # attended_meeting_ids holds only meetings in whose audience the viewer is (visibility.attended_meetings).
    can_see=lambda viewer, m: meeting_permissions.can_read_notes(
        viewer.user,
        m,
        attended=m.id in viewer.attended_meeting_ids,
        standing=Standing(member=m.id in viewer.attended_meeting_ids),
    ),
    url=lambda m: url_for("meetings.show", meeting_id=m.id),
    title=lambda m: f"Notes of {m.title}",
    process=lambda m: m.process,
)


def _version_ids_of(db: Session, proposal_ids: Iterable[int]) -> list[int]:
    """A proposal's versions share its visibility, so submitting a draft must refresh them too."""
    return list(db.scalars(sa.select(ProposalVersion.id).where(ProposalVersion.proposal_id.in_(list(proposal_ids)))))


# Objectives (proposals) and their versions: drafts are private to their department until submitted.
def answers_text(answers: dict[str, Any]) -> str:
    """The free-text answers of a proposal, in form order (choices and person lists are codes, not prose)."""
    parts = [str(answers.get(f.key) or "") for f in FIELDS if f.kind in TEXT_KINDS and f.key != "title"]
    return plain_text(" ".join(p for p in parts if p))


def proposal_visibility(p: Proposal) -> tuple[str, ...]:
    return (PUBLIC,) if p.is_public else (department(p.department_id),)


PROPOSAL = Adapter(
    doc_type="proposal",
    label="Objective",
    models={Proposal: lambda p: p.id},
    load=lambda db, ids: _by_id(db, Proposal, ids),
    all_ids=_ids(Proposal),
    document=lambda p: Document(
        title=p.title,
        body=answers_text(p.answers),
        date=as_datetime(p.updated_at or p.submitted_at or p.created_at),
        visibility=proposal_visibility(p),
        process_id=p.process_id,
    ),
    can_see=lambda viewer, p: objective_permissions.can_view_proposal(viewer.user, p),
    url=lambda p: url_for("objectives.show", proposal_id=p.id),
    title=lambda p: p.title,
    process=lambda p: None,
    dependents=lambda db, ids: [("proposal_version", i) for i in _version_ids_of(db, ids)],
)


@dataclass(frozen=True)
class VersionRow:
    """A version with its proposal, whose visibility it shares."""

    version: ProposalVersion
    proposal: Proposal

    @property
    def id(self) -> int:
        return self.version.id


def _load_versions(db: Session, ids: Sequence[int]) -> dict[int, VersionRow]:
    rows = db.execute(
        sa.select(ProposalVersion, Proposal)
        .join(Proposal, Proposal.id == ProposalVersion.proposal_id)
        .where(ProposalVersion.id.in_(list(ids)))
    )
    return {version.id: VersionRow(version, proposal) for version, proposal in rows}


def _version_document(row: VersionRow) -> Document:
    v, p = row.version, row.proposal
    return Document(
        title=f"{v.answers.get('title') or p.title} (version {v.number})",
        body=plain_text(f"{v.change_note} {answers_text(v.answers)}"),
        date=as_datetime(v.created_at),
        visibility=proposal_visibility(p),
        process_id=p.process_id,
        parents=(f"proposal:{p.id}",),
    )


PROPOSAL_VERSION = Adapter(
    doc_type="proposal_version",
    label="Objective version",
    models={ProposalVersion: lambda v: v.id},
    load=_load_versions,
    all_ids=_ids(ProposalVersion),
    document=_version_document,
    can_see=lambda viewer, row: objective_permissions.can_view_proposal(viewer.user, row.proposal),
    url=lambda row: url_for("objectives.version", proposal_id=row.proposal.id, number=row.version.number),
    title=lambda row: f"{row.proposal.title} (version {row.version.number})",
    process=lambda row: None,
)


# Statements: accepted and unmoderated ones are public; proposed and rejected ones only facilitators see,
# as on the agreement pages (consult.agreement.permissions).
@dataclass(frozen=True)
class StatementRow:
    statement: Statement
    process: Process

    @property
    def id(self) -> int:
        return self.statement.id


def _load_statements(db: Session, ids: Sequence[int]) -> dict[int, StatementRow]:
    rows = db.execute(
        sa.select(Statement, Process)
        .join(Process, Process.id == Statement.process_id)
        .where(Statement.id.in_(list(ids)))
    )
    return {s.id: StatementRow(s, p) for s, p in rows}


def _statement_document(row: StatementRow) -> Document:
    s = row.statement
    # Searching shows a statement waiting for a decision (or rejected) to facilitators only, not to its author.
    public = s.status.counts_in_analysis
    return Document(
        title="",
        body=plain_text(s.text),
        date=as_datetime(s.created_at),
        visibility=(PUBLIC,) if public else (FACILITATORS,),
        process_id=s.process_id,
        parents=(f"process:{s.process_id}",),
    )


def _can_see_statement(viewer: Viewer, row: StatementRow) -> bool:
    return agreement_permissions.can_view(viewer.user, row.statement)


STATEMENT = Adapter(
    doc_type="statement",
    label="Statement",
    models={Statement: lambda s: s.id},
    load=_load_statements,
    all_ids=_ids(Statement),
    document=_statement_document,
    can_see=_can_see_statement,
    url=lambda row: url_for("agreement.statement", slug=row.process.slug, statement_id=row.statement.id),
    title=lambda row: f"Statement: {row.statement.text[:120]}",
    process=lambda row: row.process,
)

# Content pages: public.
PAGE = Adapter(
    doc_type="page",
    label="Page",
    models={ContentPage: lambda p: p.id},
    load=lambda db, ids: _by_id(db, ContentPage, ids),
    all_ids=_ids(ContentPage),
    document=lambda p: Document(
        title=p.title,
        body=plain_text(f"{p.summary} {p.body}"),
        date=as_datetime(p.updated_on),
        visibility=(PUBLIC,),
    ),
    can_see=_always,
    url=lambda p: url_for("pages.show", slug=p.slug),
    title=lambda p: p.title,
)
