"""The lifecycle of a proposed objective, written as data: who may move it where, and what must hold first.

Pure: the caller passes the actor's roles and a snapshot of facts about the proposal, and gets back the
reasons a transition is refused (an empty list means it is allowed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from consult.enums import LabelledEnum


class Status(LabelledEnum):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    CONDITIONS_ASSESSED = "conditions_assessed", "Conditions assessed"
    OPEN_POLICY_DISCUSSION = "open_policy_discussion", "Open policy discussion"
    REVIEW_BOARD = "review_board", "Review board"
    MINISTERIAL_DECISION = "ministerial_decision", "Ministerial decision"
    CONSULTATION = "consultation", "Public and statutory consultation"
    RESPONSE_PUBLISHED = "response_published", "Response published"
    LAID = "laid", "Laid before Parliament"
    IN_FORCE = "in_force", "Approved and in force"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REJECTED = "rejected", "Rejected"
    PAUSED = "paused", "Paused"


MAIN_PATH = [
    Status.DRAFT,
    Status.SUBMITTED,
    Status.CONDITIONS_ASSESSED,
    Status.OPEN_POLICY_DISCUSSION,
    Status.REVIEW_BOARD,
    Status.MINISTERIAL_DECISION,
    Status.CONSULTATION,
    Status.RESPONSE_PUBLISHED,
    Status.LAID,
    Status.IN_FORCE,
]
TERMINAL = {Status.IN_FORCE, Status.WITHDRAWN, Status.REJECTED}
#: Before the conditions are assessed (or while paused) the department works through the Act's checklist.
CHECKLIST_STAGES = frozenset({Status.DRAFT, Status.SUBMITTED, Status.PAUSED})
#: From the minister's decision to consult onwards, the statutory consultation (s.44(4)) is on the record.
STATUTORY_CONSULTATION_STAGES = frozenset(MAIN_PATH[MAIN_PATH.index(Status.CONSULTATION) :])

# Roles, as strings (consult.accounts.models.Role values): "department" means a department officer of the
# proposal's own department.
DEPARTMENT = "department"
FACILITATOR = "facilitator"
BOARD = "review_board"
ADMIN = "admin"

# Facts the caller supplies (each a bool unless noted).
CHECKLIST_COMPLETE = "checklist_complete"
PROCESS_LINKED = "process_linked"
ALL_CRITERIA_ASSESSED = "all_criteria_assessed"
HAS_RECOMMENDATION = "has_recommendation"
ALL_CONSULTEES_RECORDED = "all_consultees_recorded"
HAS_RESPONSE_LINK = "has_response_link"
HAS_SI_DETAILS = "has_si_details"
HAS_REASON = "has_reason"

REQUIREMENT_MESSAGES = {
    CHECKLIST_COMPLETE: "every item of the statutory checklist must be answered",
    PROCESS_LINKED: "an open policy process must be linked to the proposal",
    ALL_CRITERIA_ASSESSED: "the working group must record its view on all three conditions",
    HAS_RECOMMENDATION: "at least one review board member must record a recommendation",
    ALL_CONSULTEES_RECORDED: "every statutory consultee (s.44(4)) must be recorded as consulted",
    HAS_RESPONSE_LINK: "give a link to the published government response",
    HAS_SI_DETAILS: "give the statutory instrument number and the date it came into force",
    HAS_REASON: "give a reason",
}


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    requires: tuple[str, ...] = field(default=(HAS_REASON,))


def _rule(*roles: str, requires: tuple[str, ...] = ()) -> Rule:
    return Rule(frozenset(roles), (HAS_REASON, *requires))


TRANSITIONS: dict[tuple[Status, Status], Rule] = {
    (Status.DRAFT, Status.SUBMITTED): _rule(DEPARTMENT, requires=(CHECKLIST_COMPLETE,)),
    (Status.SUBMITTED, Status.CONDITIONS_ASSESSED): _rule(FACILITATOR, BOARD, requires=(CHECKLIST_COMPLETE,)),
    (Status.CONDITIONS_ASSESSED, Status.OPEN_POLICY_DISCUSSION): _rule(FACILITATOR, requires=(PROCESS_LINKED,)),
    (Status.OPEN_POLICY_DISCUSSION, Status.REVIEW_BOARD): _rule(FACILITATOR, requires=(ALL_CRITERIA_ASSESSED,)),
    (Status.REVIEW_BOARD, Status.MINISTERIAL_DECISION): _rule(BOARD, requires=(HAS_RECOMMENDATION,)),
    (Status.MINISTERIAL_DECISION, Status.CONSULTATION): _rule(DEPARTMENT),
    (Status.CONSULTATION, Status.RESPONSE_PUBLISHED): _rule(
        DEPARTMENT, requires=(ALL_CONSULTEES_RECORDED, HAS_RESPONSE_LINK)
    ),
    (Status.RESPONSE_PUBLISHED, Status.LAID): _rule(DEPARTMENT),
    (Status.LAID, Status.IN_FORCE): _rule(DEPARTMENT, ADMIN, requires=(HAS_SI_DETAILS,)),
    # The board or the minister may send a proposal back for revision.
    (Status.REVIEW_BOARD, Status.SUBMITTED): _rule(BOARD),
    (Status.MINISTERIAL_DECISION, Status.SUBMITTED): _rule(DEPARTMENT),
}
for _status in MAIN_PATH:
    if _status in TERMINAL:
        continue
    TRANSITIONS[(_status, Status.WITHDRAWN)] = _rule(DEPARTMENT)
    TRANSITIONS[(_status, Status.PAUSED)] = _rule(DEPARTMENT, FACILITATOR)
    if _status in {Status.REVIEW_BOARD, Status.MINISTERIAL_DECISION}:
        TRANSITIONS[(_status, Status.REJECTED)] = _rule(BOARD, DEPARTMENT)


def refusal_reasons(
    current: Status, target: Status, roles: frozenset[str], facts: Mapping[str, bool], paused_from: Status | None = None
) -> list[str]:
    """Why `roles` may not move a proposal from `current` to `target` now; [] means allowed."""
    rule: Rule | None
    if current == Status.PAUSED:
        if target == Status.WITHDRAWN:
            rule = _rule(DEPARTMENT)
        elif paused_from is not None and target == paused_from:
            rule = _rule(DEPARTMENT, FACILITATOR)
        else:
            return [
                f"A paused proposal can only resume at {paused_from.label if paused_from else 'its last stage'} "
                "or be withdrawn"
            ]
    else:
        rule = TRANSITIONS.get((current, target))
        if rule is None:
            return [f"A proposal cannot move from {current.label.lower()} to {target.label.lower()}"]
    reasons = []
    if not (rule.roles & roles):
        who = ", ".join(sorted(role.replace("_", " ") for role in rule.roles))
        reasons.append(f"Only a {who} can make this change")
    reasons += [REQUIREMENT_MESSAGES[need].capitalize() for need in rule.requires if not facts.get(need)]
    return reasons


def allowed_targets(current: Status, paused_from: Status | None = None) -> list[Status]:
    """The statuses reachable from `current` by someone, for the transition form."""
    if current == Status.PAUSED:
        return [status for status in (paused_from, Status.WITHDRAWN) if status is not None]
    return [target for (source, target) in TRANSITIONS if source == current]
