"""The statutory checklist as pure functions: every condition, conditional item and edge."""

from __future__ import annotations

import pytest

from consult.objectives import criteria
from consult.objectives.criteria import Party
from tests.objectives.answers import COMPLETE

UK = [Party("7", "UK"), Party("5", "UK")]


def fields_missing(answers, parties=UK):
    return [item.field for item in criteria.missing_items(answers, parties)]


def test_a_complete_proposal_has_nothing_missing_and_every_condition_is_ready():
    assert criteria.missing_items(COMPLETE, UK) == []
    assert criteria.readiness(COMPLETE, UK) == {"proposal": True, "purpose": True, "wellbeing": True, "functions": True}


def test_an_empty_proposal_lists_every_required_item_once_in_form_order():
    missing = criteria.missing_items({}, [])
    fields = [item.field for item in missing]
    assert len(fields) == len(set(fields))
    assert fields[0] == "title"
    for required in (
        "problem",
        "objective_wording",
        "data_items",
        "security_arrangements",
        "disclosers",
        "recipients",
        "dpia_status",
        "purpose_limb",
        "affected",
        "service_or_benefit",
        "purpose_evidence",
        "wellbeing_limbs",
        "wellbeing_evidence",
        "functions_limb",
        "functions_evidence",
    ):
        assert required in fields, required
    assert criteria.readiness({}, []) == dict.fromkeys(("proposal", "purpose", "wellbeing", "functions"), False)


@pytest.mark.parametrize("limb", ["improve_or_target_service", "facilitate_benefit"])
def test_either_limb_of_the_purpose_condition_is_enough(limb):
    assert "purpose_limb" not in fields_missing(COMPLETE | {"purpose_limb": limb})


@pytest.mark.parametrize("value", [None, "", "both_and_neither", "PURPOSE"])
def test_purpose_limb_must_be_one_of_the_two_statutory_limbs(value):
    assert "purpose_limb" in fields_missing(COMPLETE | {"purpose_limb": value})


@pytest.mark.parametrize("affected", ["individuals", "households", "both"])
def test_individuals_or_households_or_both(affected):
    assert "affected" not in fields_missing(COMPLETE | {"affected": affected})


def test_affected_must_be_individuals_or_households():
    assert "affected" in fields_missing(COMPLETE | {"affected": "businesses"})


@pytest.mark.parametrize(
    "limbs", [["health"], ["contribution"], ["social_economic"], ["health", "contribution", "social_economic"]]
)
def test_any_of_the_three_wellbeing_limbs_satisfies_the_choice(limbs):
    assert "wellbeing_limbs" not in fields_missing(COMPLETE | {"wellbeing_limbs": limbs})


@pytest.mark.parametrize("limbs", [[], None, ["education"], ["health", "participation_in_work"]])
def test_care_act_limbs_or_none_do_not_satisfy_the_wellbeing_condition(limbs):
    """The longer Care Act list is not the DEA test (DOMAIN.md §1.2)."""
    assert "wellbeing_limbs" in fields_missing(COMPLETE | {"wellbeing_limbs": limbs})


@pytest.mark.parametrize("limb", ["delivery", "administration"])
def test_functions_condition_limbs(limb):
    assert "functions_limb" not in fields_missing(COMPLETE | {"functions_limb": limb})


@pytest.mark.parametrize("key", ["purpose_evidence", "wellbeing_evidence", "functions_evidence"])
@pytest.mark.parametrize("value", ["", "   ", "yes", "x" * (criteria.MIN_EVIDENCE - 1)])
def test_empty_or_token_evidence_is_refused(key, value):
    missing = [item for item in criteria.missing_items(COMPLETE | {key: value}, UK) if item.field == key]
    assert len(missing) == 1
    assert "evidence" in missing[0].message


@pytest.mark.parametrize("key", ["purpose_evidence", "wellbeing_evidence", "functions_evidence"])
def test_evidence_of_minimum_length_is_accepted(key):
    assert key not in fields_missing(COMPLETE | {key: "e" * criteria.MIN_EVIDENCE})


def test_missing_items_name_their_condition():
    missing = criteria.missing_items(COMPLETE | {"functions_evidence": ""}, UK)
    assert [(m.field, m.condition) for m in missing] == [("functions_evidence", "functions")]
    assert criteria.readiness(COMPLETE | {"functions_evidence": ""}, UK)["functions"] is False


def test_new_bodies_can_stand_in_for_listed_persons():
    answers = COMPLETE | {"disclosers": [], "recipients": [], "new_bodies": "Water Co | provides services to councils"}
    assert "disclosers" not in fields_missing(answers, [])
    assert "recipients" not in fields_missing(answers, [])


@pytest.mark.parametrize(
    ("status", "extra", "field"),
    [
        ("completed", {"dpia_link": ""}, "dpia_link"),
        ("completed", {"dpia_link": "ftp://example.org/dpia"}, "dpia_link"),
        ("completed", {"dpia_link": "https://"}, "dpia_link"),
        ("completed", {"dpia_link": "https://user:secret@example.org/dpia"}, "dpia_link"),
        ("not_required", {"dpia_justification": ""}, "dpia_justification"),
        ("unknown", {}, "dpia_status"),
    ],
)
def test_dpia_conditional_items(status, extra, field):
    assert field in fields_missing(COMPLETE | {"dpia_status": status} | extra)


@pytest.mark.parametrize("status", ["not_started", "in_progress"])
def test_dpia_in_progress_needs_no_link(status):
    missing = fields_missing(COMPLETE | {"dpia_status": status, "dpia_link": ""})
    assert "dpia_link" not in missing and "dpia_status" not in missing


def test_hmrc_as_a_party_requires_the_hmrc_consent_safeguard():
    parties = [Party("10", "UK", is_hmrc=True), Party("5", "UK")]
    assert "safeguard_hmrc" in fields_missing(COMPLETE, parties)
    assert "safeguard_hmrc" not in fields_missing(COMPLETE | {"safeguard_hmrc": "Consent sought per use"}, parties)
    assert "safeguard_hmrc" not in fields_missing(COMPLETE, UK)


@pytest.mark.parametrize("nation", ["W", "E/W"])
def test_welsh_bodies_require_a_welsh_language_impact(nation):
    parties = [Party("60", nation), Party("5", "UK")]
    assert "welsh_language_impact" in fields_missing(COMPLETE, parties)
    assert "welsh_language_impact" not in fields_missing(
        COMPLETE | {"welsh_language_impact": "Bilingual letters"}, parties
    )


def test_scottish_bodies_do_not_require_a_welsh_language_impact():
    assert "welsh_language_impact" not in fields_missing(COMPLETE, [Party("49", "S")])


def test_non_string_values_are_treated_as_missing_not_crashes():
    answers = COMPLETE | {"title": 5, "problem": None, "purpose_evidence": ["list"]}
    fields = fields_missing(answers)
    assert {"title", "problem", "purpose_evidence"} <= set(fields)
