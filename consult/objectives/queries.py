"""Reads for objectives and proposals; private drafts never leave their department."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import Session, joinedload

from consult.conflicts import Conflict, conflict_between
from consult.objectives import criteria, permissions
from consult.objectives.fields import FIELDS, display
from consult.objectives.models import (
    BoardRecommendation,
    ConsulteeReply,
    CriterionAssessment,
    ObjectiveInForce,
    Proposal,
    ProposalVersion,
    SpecifiedPerson,
    Transition,
)


def list_in_force(db: Session) -> list[ObjectiveInForce]:
    return list(db.scalars(sa.select(ObjectiveInForce).order_by(ObjectiveInForce.id)))


def get_in_force_or_404(db: Session, slug: str) -> ObjectiveInForce:
    return db.scalar(sa.select(ObjectiveInForce).where(ObjectiveInForce.slug == slug)) or abort(404)


def list_persons(db: Session) -> list[SpecifiedPerson]:
    persons = db.scalars(sa.select(SpecifiedPerson)).all()
    return sorted(persons, key=lambda person: (len(person.paragraph), person.paragraph))


def person_groups(db: Session) -> list[tuple[str, list[SpecifiedPerson]]]:
    """Schedule 4 entries grouped by category, groups in the order their first paragraph appears."""
    groups: dict[str, list[SpecifiedPerson]] = {}
    for person in list_persons(db):
        groups.setdefault(person.category or "Other entries", []).append(person)
    return list(groups.items())


def person_names(db: Session) -> dict[str, str]:
    return {person.paragraph: person.name for person in list_persons(db)}


def parties(db: Session, answers: dict) -> list[criteria.Party]:
    chosen = {str(p) for p in (answers.get("disclosers") or []) + (answers.get("recipients") or [])}
    if not chosen:
        return []
    rows = db.scalars(sa.select(SpecifiedPerson).where(SpecifiedPerson.paragraph.in_(chosen)))
    return [criteria.Party(person.paragraph, person.nation, person.is_hmrc) for person in rows]


def list_public_proposals(db: Session) -> list[Proposal]:
    return list(
        db.scalars(
            sa.select(Proposal)
            .where(Proposal.submitted_at.is_not(None))
            .options(joinedload(Proposal.department))
            .order_by(Proposal.id.desc())
        )
    )


def list_for_process(db: Session, process_id: int) -> list[Proposal]:
    """Public proposals an open policy process is discussing."""
    return list(
        db.scalars(
            sa.select(Proposal)
            .where(Proposal.process_id == process_id, Proposal.submitted_at.is_not(None))
            .options(joinedload(Proposal.department))
            .order_by(Proposal.id)
        )
    )


def list_department_drafts(db: Session, user) -> list[Proposal]:
    if not permissions.is_department_officer(user):
        return []
    return list(
        db.scalars(
            sa.select(Proposal)
            .where(Proposal.department_id == user.organisation_id, Proposal.submitted_at.is_(None))
            .order_by(Proposal.id.desc())
        )
    )


def get_visible_proposal_or_404(db: Session, proposal_id: int, user) -> Proposal:
    """404, not 403, for someone else's private draft: its existence is not revealed."""
    proposal = db.scalar(sa.select(Proposal).where(Proposal.id == proposal_id).options(joinedload(Proposal.department)))
    if proposal is None or not permissions.can_view_proposal(user, proposal):
        abort(404)
    return proposal


def versions(db: Session, proposal_id: int) -> list[ProposalVersion]:
    return list(
        db.scalars(
            sa.select(ProposalVersion)
            .where(ProposalVersion.proposal_id == proposal_id)
            .order_by(ProposalVersion.number)
        )
    )


def edit_conflict(db: Session, proposal: Proposal, answers: dict) -> Conflict:
    """The answers someone saved while this person edited, compared field by field with what they typed."""
    names = person_names(db)
    saved = proposal.answers or {}
    texts = [(f.label, display(f, saved.get(f.key), names), display(f, answers.get(f.key), names)) for f in FIELDS]
    # A public proposal's every save is a numbered version with its author and note; a draft's saves are not.
    if not proposal.is_public:
        return conflict_between(texts, saved_at=proposal.updated_at)
    newer = db.scalar(
        sa.select(ProposalVersion)
        .where(ProposalVersion.proposal_id == proposal.id)
        .options(joinedload(ProposalVersion.author))
        .order_by(ProposalVersion.number.desc())
        .limit(1)
    )
    if newer is None:
        return conflict_between(texts, saved_at=proposal.updated_at)
    return conflict_between(
        texts,
        version=newer.number,
        saved_by=newer.author.display_name if newer.author else None,
        saved_at=newer.created_at,
        change_note=newer.change_note,
    )


def get_version_or_404(db: Session, proposal_id: int, number: int) -> ProposalVersion:
    version = db.scalar(
        sa.select(ProposalVersion)
        .where(ProposalVersion.proposal_id == proposal_id, ProposalVersion.number == number)
        .options(joinedload(ProposalVersion.author))
    )
    return version or abort(404)


def transitions(db: Session, proposal_id: int) -> list[Transition]:
    return list(
        db.scalars(
            sa.select(Transition)
            .where(Transition.proposal_id == proposal_id)
            .options(joinedload(Transition.actor))
            .order_by(Transition.id)
        )
    )


def latest_assessments(db: Session, proposal_id: int) -> dict[str, CriterionAssessment]:
    """The most recent working-group view per condition."""
    latest: dict[str, CriterionAssessment] = {}
    for row in db.scalars(
        sa.select(CriterionAssessment)
        .where(CriterionAssessment.proposal_id == proposal_id)
        .order_by(CriterionAssessment.id)
    ):
        latest[row.criterion.value] = row
    return latest


def recommendations(db: Session, proposal_id: int) -> list[BoardRecommendation]:
    return list(
        db.scalars(
            sa.select(BoardRecommendation)
            .where(BoardRecommendation.proposal_id == proposal_id)
            .options(joinedload(BoardRecommendation.member))
            .order_by(BoardRecommendation.id)
        )
    )


def consultee_replies(db: Session, proposal_id: int) -> dict[str, ConsulteeReply]:
    rows = db.scalars(sa.select(ConsulteeReply).where(ConsulteeReply.proposal_id == proposal_id))
    return {row.consultee.value: row for row in rows}
