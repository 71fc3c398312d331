"""The statutory checklist for a proposed objective (Digital Economy Act 2017 s.35), as pure functions.

No Flask or database here: the answers are a plain mapping of field name to value, so the same rules
serve the readiness panel, the submission guard and the tests. Section references follow DOMAIN.md;
s.35(9)-(12) wording is recalled [R] there, so the UI labels it "to be checked against the Act".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from consult.weblinks import is_web_url

PURPOSE_LIMBS = {
    "improve_or_target_service": "Improve or target a public service provided to individuals or households "
    "(s.35(9)(a))",
    "facilitate_benefit": "Facilitate the provision of a benefit, financial or not, to individuals or households "
    "(s.35(9)(b))",
}
WELLBEING_LIMBS = {
    "health": "Physical and mental health and emotional well-being",
    "contribution": "The contribution made by them to society",
    "social_economic": "Their social and economic well-being",
}
FUNCTIONS_LIMBS = {
    "delivery": "Supporting the delivery of a specified person's functions (s.35(12)(a))",
    "administration": "Supporting the administration, monitoring or enforcement of a specified person's functions "
    "(s.35(12)(b))",
}
AFFECTED = {"individuals": "Individuals", "households": "Households", "both": "Individuals and households"}
DPIA_STATUSES = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "completed": "Completed",
    "not_required": "Not required (give the reason)",
}
MIN_EVIDENCE = 40  # characters: "yes" is not evidence


@dataclass(frozen=True)
class Missing:
    """One item that stops submission, named by the form field it belongs next to."""

    field: str
    message: str
    condition: str  # "purpose", "wellbeing", "functions" or "proposal"


@dataclass(frozen=True)
class Party:
    """What the checklist needs to know about a specified person named in a proposal."""

    paragraph: str
    nation: str  # "UK", "E", "W", "S", "NI" or combinations like "E/W"
    is_hmrc: bool = False


def _text(answers: Mapping[str, Any], key: str) -> str:
    value = answers.get(key)
    return value.strip() if isinstance(value, str) else ""


def _evidence(answers: Mapping[str, Any], key: str, condition: str, what: str) -> list[Missing]:
    text = _text(answers, key)
    if not text:
        return [Missing(key, f"Give the evidence that {what}", condition)]
    if len(text) < MIN_EVIDENCE:
        return [Missing(key, f"Give more evidence that {what} (at least {MIN_EVIDENCE} characters)", condition)]
    return []


def purpose_condition(answers: Mapping[str, Any]) -> list[Missing]:
    """s.35(9): improve or target a public service, or facilitate a benefit, to individuals or households."""
    missing = []
    if answers.get("purpose_limb") not in PURPOSE_LIMBS:
        missing.append(
            Missing("purpose_limb", "Select which part of the purpose condition the objective meets", "purpose")
        )
    if answers.get("affected") not in AFFECTED:
        missing.append(Missing("affected", "Select whether individuals, households or both are affected", "purpose"))
    if not _text(answers, "service_or_benefit"):
        missing.append(Missing("service_or_benefit", "Name the public service or the benefit", "purpose"))
    missing += _evidence(answers, "purpose_evidence", "purpose", "the purpose condition is met")
    return missing


def wellbeing_condition(answers: Mapping[str, Any]) -> list[Missing]:
    """s.35(10)-(11): the purpose improves well-being; say which of the three s.35(11) limbs apply."""
    limbs = answers.get("wellbeing_limbs") or []
    missing = []
    if not limbs or any(limb not in WELLBEING_LIMBS for limb in limbs):
        missing.append(
            Missing("wellbeing_limbs", "Select at least one kind of well-being the objective improves", "wellbeing")
        )
    missing += _evidence(answers, "wellbeing_evidence", "wellbeing", "well-being will improve")
    return missing


def functions_condition(answers: Mapping[str, Any]) -> list[Missing]:
    """s.35(12): the purpose supports delivery, or administration, monitoring or enforcement, of functions."""
    missing = []
    if answers.get("functions_limb") not in FUNCTIONS_LIMBS:
        missing.append(
            Missing("functions_limb", "Select how the objective supports a specified person's functions", "functions")
        )
    missing += _evidence(answers, "functions_evidence", "functions", "the functions condition is met")
    return missing


REQUIRED_TEXT = [
    ("title", "Enter a title"),
    ("problem", "Describe the problem and who is affected"),
    ("objective_wording", "Write the draft wording of the objective"),
    ("data_items", "List the data items that would be shared"),
    ("benefits", "Describe the expected benefits and the evidence for them"),
    ("safeguard_onward_disclosure", "Say how the ban on onward disclosure (s.41) will be respected"),
    ("safeguard_data_protection", "Say how the sharing will comply with data protection law"),
    ("retention", "Say how long data will be kept and how it will be deleted"),
    ("equality_impact", "Describe the equality impact"),
    ("security_arrangements", "Describe each body's arrangements for handling the information securely (s.35(6))"),
]


def proposal_items(answers: Mapping[str, Any], parties: Iterable[Party]) -> list[Missing]:
    """Everything else a complete proposal needs, including the conditional items."""
    parties = list(parties)
    missing = [Missing(key, message, "proposal") for key, message in REQUIRED_TEXT if not _text(answers, key)]
    if not answers.get("disclosers") and not _text(answers, "new_bodies"):
        missing.append(Missing("disclosers", "Choose at least one specified person who would disclose", "proposal"))
    if not answers.get("recipients") and not _text(answers, "new_bodies"):
        missing.append(Missing("recipients", "Choose at least one specified person who would receive", "proposal"))
    status = answers.get("dpia_status")
    if status not in DPIA_STATUSES:
        missing.append(Missing("dpia_status", "Select the status of the data protection impact assessment", "proposal"))
    elif status == "completed" and not is_web_url(_text(answers, "dpia_link")):
        missing.append(Missing("dpia_link", "Give a link to the completed DPIA, starting https://", "proposal"))
    elif status == "not_required" and not _text(answers, "dpia_justification"):
        missing.append(Missing("dpia_justification", "Explain why a DPIA is not required", "proposal"))
    if any(party.is_hmrc for party in parties) and not _text(answers, "safeguard_hmrc"):
        missing.append(
            Missing(
                "safeguard_hmrc",
                "HMRC would disclose: say how HMRC's consent to further use will be obtained",
                "proposal",
            )
        )
    if any("W" in party.nation.split("/") for party in parties) and not _text(answers, "welsh_language_impact"):
        missing.append(
            Missing("welsh_language_impact", "A Welsh body is involved: describe the Welsh-language impact", "proposal")
        )
    return missing


def missing_items(answers: Mapping[str, Any], parties: Iterable[Party] = ()) -> list[Missing]:
    """Every item that stops submission, in form order; an empty list means ready to submit."""
    return (
        proposal_items(answers, parties)
        + purpose_condition(answers)
        + wellbeing_condition(answers)
        + functions_condition(answers)
    )


def readiness(answers: Mapping[str, Any], parties: Iterable[Party] = ()) -> dict[str, bool]:
    """Per condition, whether it is fully answered: for the readiness panel."""
    missing = missing_items(answers, parties)
    return {
        condition: not any(item.condition == condition for item in missing)
        for condition in ("proposal", "purpose", "wellbeing", "functions")
    }
