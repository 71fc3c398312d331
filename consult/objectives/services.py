"""Proposals: drafting, versioned revisions, lifecycle transitions, assessments, board views and consultees."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult import events
from consult.accounts.models import User
from consult.db import utcnow
from consult.discussions.models import Thread
from consult.errors import PermissionDenied, StaleEdit, ValidationError
from consult.objectives import criteria, lifecycle, permissions, queries
from consult.objectives.fields import BY_KEY, LINK_KEYS
from consult.objectives.lifecycle import Status
from consult.objectives.models import (
    BoardRecommendation,
    Consultee,
    ConsulteeReply,
    Criterion,
    CriterionAssessment,
    GroupView,
    Proposal,
    ProposalVersion,
    Recommendation,
    SpecifiedPerson,
    Transition,
)
from consult.processes.models import Process
from consult.weblinks import BadWebUrl, check_web_url, is_web_url


def create_proposal(db: Session, *, actor: User, title: str) -> Proposal:
    """Start a private draft for the actor's department."""
    if not permissions.can_create_proposal(actor):
        raise PermissionDenied
    proposal = Proposal(department_id=actor.organisation_id, created_by_id=actor.id, answers={"title": title.strip()})
    db.add(proposal)
    db.flush()
    return proposal


def _check_persons(db: Session, answers: dict[str, Any]) -> None:
    known = set(db.scalars(sa.select(SpecifiedPerson.paragraph)))
    for key in ("disclosers", "recipients"):
        unknown = [p for p in answers.get(key) or [] if str(p) not in known]
        if unknown:
            raise ValidationError(
                key,
                f"Schedule 4 paragraph {unknown[0]} is not in the reference list. "
                "Choose from the list, or propose a new body below with a reason",
            )
    for number, line in enumerate((answers.get("new_bodies") or "").splitlines(), start=1):
        if line.strip() and ("|" not in line or not line.split("|", 1)[1].strip()):
            raise ValidationError(
                "new_bodies",
                f"Line {number}: write the body's name, a | and why it is a public "
                "authority or provides services to one (s.35(4))",
            )


def _checked_links(answers: dict[str, Any]) -> dict[str, str]:
    """The link answers given, each an absolute http(s) address; a bad one is refused beside its field."""
    checked = {}
    for key in LINK_KEYS:
        value = str(answers.get(key) or "")
        if value.strip():
            try:
                checked[key] = check_web_url(value)
            except BadWebUrl as error:
                raise ValidationError(key, str(error)) from None
    return checked


def save_answers(
    db: Session, proposal: Proposal, *, actor: User, answers: dict[str, Any], base_version: int, change_note: str = ""
) -> ProposalVersion | None:
    """Save the text; after submission every change is a new public version with a change note."""
    if not permissions.can_edit_proposal(actor, proposal):
        raise PermissionDenied
    if proposal.version != base_version:
        raise StaleEdit(
            None,
            "Someone else saved this proposal while you were editing. Your text is below; "
            "compare it with the current version and save again.",
        )
    cleaned = {key: value for key, value in answers.items() if key in BY_KEY}
    _check_persons(db, cleaned)
    cleaned |= _checked_links(cleaned)
    if proposal.is_public and not change_note.strip():
        raise ValidationError("change_note", "Describe what changed: the note is published with the new version")
    proposal.answers = cleaned
    proposal.updated_at = utcnow()
    version = None
    if proposal.is_public:
        version = _snapshot(db, proposal, actor, change_note.strip())
    db.flush()  # version_id_col makes a concurrent save raise StaleDataError here
    return version


def _snapshot(db: Session, proposal: Proposal, actor: User, note: str) -> ProposalVersion:
    last = db.scalar(sa.select(sa.func.max(ProposalVersion.number)).where(ProposalVersion.proposal_id == proposal.id))
    version = ProposalVersion(
        proposal_id=proposal.id,
        number=(last or 0) + 1,
        answers=dict(proposal.answers),
        change_note=note[:1000],
        author_id=actor.id,
    )
    db.add(version)
    return version


def facts(
    db: Session,
    proposal: Proposal,
    *,
    reason: str = "",
    response_url: str = "",
    si_number: str = "",
    in_force_on: date | None = None,
) -> dict[str, bool]:
    """The facts the lifecycle rules ask about, computed from the database and the form."""
    answers = proposal.answers or {}
    assessed = queries.latest_assessments(db, proposal.id)
    replies = queries.consultee_replies(db, proposal.id)
    return {
        lifecycle.HAS_REASON: bool(reason.strip()),
        lifecycle.CHECKLIST_COMPLETE: not criteria.missing_items(answers, queries.parties(db, answers)),
        lifecycle.PROCESS_LINKED: proposal.process_id is not None,
        lifecycle.ALL_CRITERIA_ASSESSED: all(c.value in assessed for c in Criterion),
        lifecycle.HAS_RECOMMENDATION: bool(queries.recommendations(db, proposal.id)),
        lifecycle.ALL_CONSULTEES_RECORDED: all(c.value in replies for c in Consultee),
        lifecycle.HAS_RESPONSE_LINK: is_web_url(response_url or proposal.response_url),
        lifecycle.HAS_SI_DETAILS: bool(si_number.strip()) and in_force_on is not None,
    }


def available_moves(proposal: Proposal, *, actor: Any) -> list[lifecycle.Move]:
    """The moves this person may make now, asked of the lifecycle with the roles permissions gives them; the page
    shows these as buttons and transition() accepts nothing else."""
    if not permissions.can_view_proposal(actor, proposal):
        return []
    roles = permissions.lifecycle_roles(actor, proposal)
    return lifecycle.moves_for(proposal.status, roles, proposal.paused_from)


class MoveRefused(ValidationError):
    """A move refused for its entry conditions; `missing` lists the checklist items still to answer, if any."""

    def __init__(self, message: str, missing: list[criteria.Missing]) -> None:
        super().__init__(None, message)
        self.missing = missing


def transition(
    db: Session,
    proposal: Proposal,
    *,
    actor: User,
    target: str,
    reason: str,
    response_url: str = "",
    si_number: str = "",
    in_force_on: date | None = None,
) -> Transition:
    """Move the proposal if the actor's role and the entry conditions allow; record it in the public log."""
    to_status = Status(target)
    if to_status not in {move.target for move in available_moves(proposal, actor=actor)}:
        raise PermissionDenied  # not a move this person's role may make from here (a forged form)
    response_url = _response_link(actor, proposal, response_url)
    known = facts(db, proposal, reason=reason, response_url=response_url, si_number=si_number, in_force_on=in_force_on)
    reasons = lifecycle.refusal_reasons(
        proposal.status,
        to_status,
        permissions.lifecycle_roles(actor, proposal),
        known,
        paused_from=proposal.paused_from,
    )
    if reasons:
        missing = []
        if not known[lifecycle.CHECKLIST_COMPLETE]:
            answers = proposal.answers or {}
            missing = criteria.missing_items(answers, queries.parties(db, answers))
        raise MoveRefused(". ".join(reasons), missing)
    entry = Transition(
        proposal_id=proposal.id,
        from_status=proposal.status,
        to_status=to_status,
        actor_id=actor.id,
        reason=reason.strip(),
    )
    if to_status == Status.PAUSED:
        proposal.paused_from = proposal.status
    elif proposal.status == Status.PAUSED:
        proposal.paused_from = None
    if to_status == Status.SUBMITTED and proposal.submitted_at is None:
        proposal.submitted_at = utcnow()
        _snapshot(db, proposal, actor, "First submitted version")
    if response_url:
        proposal.response_url = response_url
    if to_status == Status.IN_FORCE:
        proposal.si_number, proposal.in_force_on = si_number.strip(), in_force_on
    proposal.status = to_status
    db.add(entry)
    db.flush()
    events.proposal_moved.send(
        db,
        proposal_id=proposal.id,
        title=proposal.title,
        department_id=proposal.department_id,
        from_label=entry.from_status.label,
        to_status=to_status.value,
        to_label=to_status.label,
        reason=entry.reason,
        actor_id=actor.id,
    )
    return entry


def _response_link(actor: User, proposal: Proposal, given: str) -> str:
    """The link a move may store: "" unless given by its owner (others' values are ignored, as Django ignores
    fields a form does not offer), and then only an absolute http(s) address."""
    if not (given or "").strip() or not permissions.can_set_response_link(actor, proposal):
        return ""
    try:
        return check_web_url(given)
    except BadWebUrl as error:
        raise ValidationError("response_url", str(error)) from None


def link_process(db: Session, proposal: Proposal, *, actor: User, process_slug: str) -> None:
    if not permissions.can_link_process(actor, proposal):
        raise PermissionDenied
    process_id = db.scalar(sa.select(Process.id).where(Process.slug == process_slug.strip()))
    if process_id is None:
        raise ValidationError("process_slug", "No process has that web address")
    proposal.process_id = process_id
    db.flush()


def record_assessment(
    db: Session,
    proposal: Proposal,
    *,
    actor: User,
    criterion: str,
    view: str,
    note: str,
    evidence_thread_id: int | None = None,
) -> CriterionAssessment:
    """Record the working group's view on one condition; earlier views stay in the record."""
    if not permissions.can_assess_criteria(actor, proposal):
        raise PermissionDenied
    if evidence_thread_id is not None and db.get(Thread, evidence_thread_id) is None:
        raise ValidationError("evidence_thread_id", "No thread has that number")
    row = CriterionAssessment(
        proposal_id=proposal.id,
        criterion=Criterion(criterion),
        view=GroupView(view),
        note=note.strip(),
        evidence_thread_id=evidence_thread_id,
        recorded_by_id=actor.id,
    )
    db.add(row)
    db.flush()
    return row


def record_recommendation(
    db: Session, proposal: Proposal, *, actor: User, recommendation: str, reasons: str
) -> BoardRecommendation:
    """One recommendation per board member; recording again replaces it."""
    if not permissions.can_recommend(actor, proposal):
        raise PermissionDenied
    row = db.scalar(
        sa.select(BoardRecommendation).where(
            BoardRecommendation.proposal_id == proposal.id, BoardRecommendation.member_id == actor.id
        )
    )
    if row is None:
        row = BoardRecommendation(
            proposal_id=proposal.id,
            member_id=actor.id,
            recommendation=Recommendation(recommendation),
            reasons=reasons.strip(),
        )
        db.add(row)
    else:
        row.recommendation, row.reasons = Recommendation(recommendation), reasons.strip()
    db.flush()
    events.recommendation_recorded.send(
        db, proposal_id=proposal.id, title=proposal.title, department_id=proposal.department_id, actor_id=actor.id
    )
    return row


def record_consultee(
    db: Session,
    proposal: Proposal,
    *,
    actor: User,
    consultee: str,
    consulted_on: date,
    reply: str = "",
    replied_on: date | None = None,
) -> ConsulteeReply:
    if not permissions.can_record_consultees(actor, proposal):
        raise PermissionDenied
    if replied_on is not None and replied_on < consulted_on:
        raise ValidationError("replied_on", "The reply date must be on or after the date consulted")
    row = db.scalar(
        sa.select(ConsulteeReply).where(
            ConsulteeReply.proposal_id == proposal.id, ConsulteeReply.consultee == Consultee(consultee)
        )
    )
    if row is None:
        row = ConsulteeReply(proposal_id=proposal.id, consultee=Consultee(consultee), consulted_on=consulted_on)
        db.add(row)
    row.consulted_on, row.reply, row.replied_on = consulted_on, reply.strip(), replied_on
    db.flush()
    return row
