"""What the proposal page shows, decided by predicates and pure functions, not by the template (issue #13 item 3)."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin

from consult.objectives import lifecycle, permissions
from consult.objectives.fields import FIELDS, fields_in
from consult.objectives.lifecycle import Status
from consult.objectives.models import Criterion, Proposal


def proposal_of(cast, status: Status) -> Proposal:
    return Proposal(department_id=cast["officer"].organisation_id, status=status)


def test_every_field_is_shown_under_the_proposal_or_one_condition():
    sections = [fields_in("proposal"), *(fields_in(criterion.value) for criterion in Criterion)]
    assert all(sections), "each condition of the Act has its answers"
    shown = [field.key for section in sections for field in section]
    assert sorted(shown) == sorted(field.key for field in FIELDS), "no field is left off or shown twice"
    for section in sections:
        assert section == sorted(section, key=FIELDS.index), "in form order"


def test_the_purpose_condition_shows_its_limb_and_evidence():
    keys = [field.key for field in fields_in(Criterion.PURPOSE.value)]
    assert keys == ["purpose_limb", "service_or_benefit", "purpose_evidence"]


@pytest.mark.parametrize("status", list(Status))
def test_recommendations_are_seen_by_the_board_at_once_and_by_everyone_once_public(cast, status):
    proposal = proposal_of(cast, status)
    public = permissions.recommendations_public(proposal)
    assert permissions.can_see_recommendations(cast["board"], proposal)
    assert permissions.can_see_recommendations(AnonymousUserMixin(), proposal) == public
    assert permissions.can_see_recommendations(cast["participant"], proposal) == public
    assert public == (status not in {*lifecycle.MAIN_PATH[:5], Status.PAUSED})


@pytest.mark.parametrize("status", list(Status))
def test_the_readiness_panel_is_for_the_department_while_it_can_act(cast, status):
    proposal = proposal_of(cast, status)
    expected = status in {Status.DRAFT, Status.SUBMITTED, Status.PAUSED}
    assert permissions.can_see_readiness(cast["officer"], proposal) == expected
    assert not permissions.can_see_readiness(cast["other"], proposal)
    assert not permissions.can_see_readiness(cast["facilitator"], proposal)


@pytest.mark.parametrize("status", list(Status))
def test_the_statutory_consultation_shows_from_consultation_on(cast, status):
    expected = status in {Status.CONSULTATION, Status.RESPONSE_PUBLISHED, Status.LAID, Status.IN_FORCE}
    assert permissions.shows_statutory_consultation(proposal_of(cast, status)) == expected
