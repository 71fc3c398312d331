"""The lifecycle rules, per transition and role, written as data and checked here exhaustively."""

from __future__ import annotations

import itertools

import pytest

from consult.objectives import lifecycle
from consult.objectives.lifecycle import Status

ALL_ROLES = [lifecycle.DEPARTMENT, lifecycle.FACILITATOR, lifecycle.BOARD, lifecycle.ADMIN]
ALL_FACTS = dict.fromkeys(lifecycle.REQUIREMENT_MESSAGES, True)


@pytest.mark.parametrize(("source", "target"), list(lifecycle.TRANSITIONS))
@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_transition_is_allowed_only_to_its_roles(source, target, role):
    rule = lifecycle.TRANSITIONS[(source, target)]
    reasons = lifecycle.refusal_reasons(source, target, frozenset({role}), ALL_FACTS)
    if role in rule.roles:
        assert reasons == []
    else:
        assert reasons and reasons[0].startswith("Only a"), reasons


@pytest.mark.parametrize(("source", "target"), list(lifecycle.TRANSITIONS))
def test_each_transition_needs_each_of_its_entry_conditions(source, target):
    rule = lifecycle.TRANSITIONS[(source, target)]
    role = frozenset({next(iter(rule.roles))})
    for need in rule.requires:
        facts = ALL_FACTS | {need: False}
        reasons = lifecycle.refusal_reasons(source, target, role, facts)
        assert reasons == [lifecycle.REQUIREMENT_MESSAGES[need].capitalize()]


def test_out_of_order_transitions_are_refused_with_the_reason():
    for source, target in itertools.product(lifecycle.MAIN_PATH, lifecycle.MAIN_PATH):
        if (source, target) in lifecycle.TRANSITIONS:
            continue
        reasons = lifecycle.refusal_reasons(source, target, frozenset(ALL_ROLES), ALL_FACTS)
        assert reasons == [f"A proposal cannot move from {source.label.lower()} to {target.label.lower()}"]


def test_the_main_path_is_walkable_step_by_step():
    for source, target in zip(lifecycle.MAIN_PATH, lifecycle.MAIN_PATH[1:], strict=False):
        assert (source, target) in lifecycle.TRANSITIONS


def test_submission_needs_a_complete_checklist_and_a_department_officer():
    reasons = lifecycle.refusal_reasons(
        Status.DRAFT,
        Status.SUBMITTED,
        frozenset({lifecycle.DEPARTMENT}),
        ALL_FACTS | {lifecycle.CHECKLIST_COMPLETE: False},
    )
    assert reasons == ["Every item of the statutory checklist must be answered"]
    assert lifecycle.refusal_reasons(Status.DRAFT, Status.SUBMITTED, frozenset({lifecycle.ADMIN}), ALL_FACTS)


def test_terminal_states_lead_nowhere():
    for status in lifecycle.TERMINAL:
        assert lifecycle.allowed_targets(status) == []


def test_every_open_state_can_be_withdrawn_and_paused():
    for status in lifecycle.MAIN_PATH:
        if status in lifecycle.TERMINAL:
            continue
        assert Status.WITHDRAWN in lifecycle.allowed_targets(status)
        assert Status.PAUSED in lifecycle.allowed_targets(status)


def test_paused_resumes_only_where_it_was_or_withdraws():
    roles = frozenset({lifecycle.DEPARTMENT})
    assert lifecycle.allowed_targets(Status.PAUSED, Status.REVIEW_BOARD) == [Status.REVIEW_BOARD, Status.WITHDRAWN]
    assert lifecycle.refusal_reasons(Status.PAUSED, Status.REVIEW_BOARD, roles, ALL_FACTS, Status.REVIEW_BOARD) == []
    assert lifecycle.refusal_reasons(Status.PAUSED, Status.LAID, roles, ALL_FACTS, Status.REVIEW_BOARD)
    assert lifecycle.refusal_reasons(
        Status.PAUSED, Status.WITHDRAWN, frozenset({lifecycle.BOARD}), ALL_FACTS, Status.REVIEW_BOARD
    )


def test_rejection_only_at_board_or_ministerial_stages():
    assert (Status.REVIEW_BOARD, Status.REJECTED) in lifecycle.TRANSITIONS
    assert (Status.MINISTERIAL_DECISION, Status.REJECTED) in lifecycle.TRANSITIONS
    assert (Status.DRAFT, Status.REJECTED) not in lifecycle.TRANSITIONS


def test_every_transition_needs_a_reason():
    for (source, target), rule in lifecycle.TRANSITIONS.items():
        assert lifecycle.HAS_REASON in rule.requires, (source, target)
