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


def rule_for(current: Status, target: Status, paused_from: Status | None = None) -> Rule | None:
    """The rule for moving from `current` to `target`, or None when no one may make that move."""
    if current == Status.PAUSED:
        if target == Status.WITHDRAWN:
            return _rule(DEPARTMENT)
        if paused_from is not None and target == paused_from:
            return _rule(DEPARTMENT, FACILITATOR)
        return None
    return TRANSITIONS.get((current, target))


def refusal_reasons(
    current: Status, target: Status, roles: frozenset[str], facts: Mapping[str, bool], paused_from: Status | None = None
) -> list[str]:
    """Why `roles` may not move a proposal from `current` to `target` now; [] means allowed."""
    rule = rule_for(current, target, paused_from)
    if rule is None:
        if current == Status.PAUSED:
            return [
                f"A paused proposal can only resume at {paused_from.label if paused_from else 'its last stage'} "
                "or be withdrawn"
            ]
        return [f"A proposal cannot move from {current.label.lower()} to {target.label.lower()}"]
    reasons = []
    if not (rule.roles & roles):
        who = ", ".join(sorted(role.replace("_", " ") for role in rule.roles))
        reasons.append(f"Only a {who} can make this change")
    reasons += [REQUIREMENT_MESSAGES[need].capitalize() for need in rule.requires if not facts.get(need)]
    return reasons


def allowed_targets(current: Status, paused_from: Status | None = None) -> list[Status]:
    """The statuses reachable from `current` by someone."""
    if current == Status.PAUSED:
        return [status for status in (paused_from, Status.WITHDRAWN) if status is not None]
    return [target for (source, target) in TRANSITIONS if source == current]


#: Moves that stop a proposal or end it in public: each asks "are you sure?" before it is made.
NEEDS_CONFIRMATION = frozenset({Status.PAUSED, Status.WITHDRAWN, Status.REJECTED})
#: What each move's button says, by where it goes; a move back to "submitted" from later on sends it back.
MOVE_LABELS = {
    Status.SUBMITTED: "Submit the proposal",
    Status.CONDITIONS_ASSESSED: "Confirm the conditions are assessed",
    Status.OPEN_POLICY_DISCUSSION: "Open the policy discussion",
    Status.REVIEW_BOARD: "Send to the review board",
    Status.MINISTERIAL_DECISION: "Send for ministerial decision",
    Status.CONSULTATION: "Start the public and statutory consultation",
    Status.RESPONSE_PUBLISHED: "Record the published response",
    Status.LAID: "Record that it is laid before Parliament",
    Status.IN_FORCE: "Record that it is approved and in force",
    Status.WITHDRAWN: "Withdraw the proposal",
    Status.REJECTED: "Reject the proposal",
    Status.PAUSED: "Pause the proposal",
}


@dataclass(frozen=True)
class Move:
    """One move a person may make from where the proposal is now: its button text and whether it is confirmed."""

    target: Status
    label: str
    confirm: bool

    @property
    def verb(self) -> str:
        """The label without its capital, for "Are you sure you want to …?"."""
        return self.label[0].lower() + self.label[1:]


def move_label(current: Status, target: Status, paused_from: Status | None = None) -> str:
    if current == Status.PAUSED and target == paused_from:
        return f"Resume at {target.label.lower()}"
    if target == Status.SUBMITTED and current != Status.DRAFT:
        return "Send back for revision"
    return MOVE_LABELS[target]


def moves_for(current: Status, roles: frozenset[str], paused_from: Status | None = None) -> list[Move]:
    """The moves these roles may make from `current`, in the order of the rules (entry conditions aside: a move
    whose conditions are unmet is still offered, and refused with the list of what is missing)."""
    moves = []
    for target in allowed_targets(current, paused_from):
        rule = rule_for(current, target, paused_from)
        if rule is not None and rule.roles & roles:
            moves.append(Move(target, move_label(current, target, paused_from), target in NEEDS_CONFIRMATION))
    return moves
