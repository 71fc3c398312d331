"""A realistic demo proposal in public consultation: two versions, the working group's assessment, board advice."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult.accounts.models import User
from consult.clock import london_today
from consult.objectives import services
from consult.objectives.models import Proposal
from consult.objectives.seed import load_reference
from consult.processes.models import Process

TITLE = "Water social tariffs: offering help without an application"

ANSWERS = {
    "title": TITLE,
    "problem": "Households in water poverty often do not receive the social tariff they are entitled to, because "
    "they must apply. About 11% of households say their water bills are unaffordable.",
    "affected": "households",
    "objective_wording": "Identifying households living in water poverty so that water and sewerage undertakers can "
    "offer them a social tariff without an application.",
    "purpose_limb": "facilitate_benefit",
    "service_or_benefit": "Water company social tariffs (reduced bills for low-income households)",
    "purpose_evidence": "Take-up of social tariffs is low because customers must ask for help; automatic offers in "
    "energy (Warm Home Discount) reached more eligible households.",
    "wellbeing_limbs": ["social_economic", "health"],
    "wellbeing_evidence": "Reduced bills leave more income for food and heating; debt worries affect mental health.",
    "functions_limb": "delivery",
    "functions_evidence": "DWP holds benefit entitlement data; the Secretary of State's functions include supporting "
    "people on low incomes.",
    "disclosers": ["7"],
    "recipients": [],
    "new_bodies": "Water and sewerage undertakers in England and Wales | they provide a public service on behalf of "
    "the state under licence (to be confirmed against s.35(4))",
    "data_items": "Name, address, and a yes/no flag for receipt of a means-tested benefit.",
    "benefits": "More eligible households on social tariffs; lower debt collection costs for water companies.",
    "safeguard_onward_disclosure": "Water companies may use the flag only to offer the tariff; s.41 prohibits "
    "onward disclosure.",
    "safeguard_data_protection": "Public task lawful basis for DWP; water companies act under the Act's gateway with "
    "a privacy notice on every bill.",
    "retention": "Unmatched records deleted at once; matched flags deleted after 12 months.",
    "dpia_status": "in_progress",
    "equality_impact": "Positive for disabled people and older people, who are over-represented among eligible "
    "households.",
    "welsh_language_impact": "Letters offered in Welsh for customers of Welsh undertakers.",
    "security_arrangements": "Transfer over a secure government gateway; water companies must meet the Code of "
    "Practice security standard before receiving data.",
}


def seed_objective(db: Session, users: dict[str, User], content_dir: Path) -> bool:
    """Create the demo proposal unless it exists; returns whether it was created."""
    if db.scalar(sa.select(Proposal.id).where(Proposal.answers["title"].as_string() == TITLE)) is not None:
        return False
    load_reference(db, content_dir)
    officer, facilitator, board = users["officer"], users["facilitator"], users["board"]
    proposal = services.create_proposal(db, actor=officer, title=TITLE)
    services.save_answers(db, proposal, actor=officer, answers=ANSWERS, base_version=proposal.version)
    services.transition(db, proposal, actor=officer, target="submitted", reason="Ready for the review process")
    services.transition(
        db, proposal, actor=facilitator, target="conditions_assessed", reason="Every item of the checklist is answered"
    )
    process = db.scalar(sa.select(Process).where(Process.slug == "water-poverty-data-sharing"))
    if process is not None:
        services.link_process(db, proposal, actor=facilitator, process_slug=process.slug)
    services.transition(
        db,
        proposal,
        actor=facilitator,
        target="open_policy_discussion",
        reason="Working groups on safeguards and delivery",
    )
    revised = ANSWERS | {
        "data_items": "Name, address, and a yes/no eligibility flag. No benefit type or amounts.",
        "retention": "Unmatched records deleted at once; matched flags deleted after 6 months, reviewed yearly.",
    }
    services.save_answers(
        db,
        proposal,
        actor=officer,
        answers=revised,
        base_version=proposal.version,
        change_note="After the Leeds workshop: flag only, shorter retention",
    )
    for criterion, view, note in (
        ("purpose", "met", "Broad agreement that automatic offers facilitate a benefit."),
        ("wellbeing", "met", "Agreed, with evidence on debt and health."),
        ("functions", "contested", "Civil society members questioned whether water companies fit s.35(4)."),
    ):
        services.record_assessment(db, proposal, actor=facilitator, criterion=criterion, view=view, note=note)
    services.transition(
        db,
        proposal,
        actor=facilitator,
        target="review_board",
        reason="Working group views recorded on all three conditions",
    )
    services.record_recommendation(
        db,
        proposal,
        actor=board,
        recommendation="proceed",
        reasons="Proceed to consultation; resolve the s.35(4) question first.",
    )
    services.transition(db, proposal, actor=board, target="ministerial_decision", reason="Board advises proceeding")
    services.transition(
        db,
        proposal,
        actor=officer,
        target="consultation",
        reason="The minister agreed to a 12-week public consultation",
    )
    services.record_consultee(
        db, proposal, actor=officer, consultee="ico", consulted_on=london_today() - timedelta(days=5)
    )
    return True
