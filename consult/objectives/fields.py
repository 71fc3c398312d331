"""The fields of a proposal, in form order, with their labels: one list for the form, the page and the diff."""

from __future__ import annotations

from dataclasses import dataclass

from consult.objectives import criteria


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str = "text"  # text, long, choice, choices, persons
    section: str = "proposal"
    choices: dict[str, str] | None = None
    hint: str = ""


FIELDS = [
    Field("title", "Title", "text"),
    Field("problem", "The problem, and who is affected", "long"),
    Field("affected", "Who benefits", "choice", choices=criteria.AFFECTED),
    Field("objective_wording", "Draft wording of the objective", "long"),
    Field("purpose_limb", "Purpose condition (s.35(9))", "choice", "purpose", criteria.PURPOSE_LIMBS),
    Field(
        "service_or_benefit", "The public service to improve or target, or the benefit to facilitate", "long", "purpose"
    ),
    Field("purpose_evidence", "Evidence for the purpose condition", "long", "purpose"),
    Field("wellbeing_limbs", "Well-being improved (s.35(10)-(11))", "choices", "wellbeing", criteria.WELLBEING_LIMBS),
    Field("wellbeing_evidence", "Evidence for the well-being condition", "long", "wellbeing"),
    Field("functions_limb", "Functions condition (s.35(12))", "choice", "functions", criteria.FUNCTIONS_LIMBS),
    Field("functions_evidence", "Evidence for the functions condition", "long", "functions"),
    Field("disclosers", "Specified persons who would disclose", "persons"),
    Field("recipients", "Specified persons who would receive", "persons"),
    Field(
        "new_bodies",
        "Bodies to add to Schedule 4 (one per line: name | why it is a public authority or "
        "provides services to one, s.35(4))",
        "long",
    ),
    Field("data_items", "Data items", "long"),
    Field("benefits", "Expected benefits and evidence", "long"),
    Field("safeguard_onward_disclosure", "Safeguard: ban on onward disclosure (s.41)", "long"),
    Field("safeguard_hmrc", "Safeguard: HMRC consent to further use (if HMRC discloses)", "long"),
    Field("safeguard_data_protection", "Safeguard: data protection", "long"),
    Field("retention", "Retention and deletion", "long"),
    Field("dpia_status", "Data protection impact assessment", "choice", choices=criteria.DPIA_STATUSES),
    Field("dpia_link", "Link to the DPIA", "text"),
    Field("dpia_justification", "Why a DPIA is not required", "long"),
    Field("equality_impact", "Equality impact", "long"),
    Field("welsh_language_impact", "Welsh-language impact (if Welsh bodies are involved)", "long"),
    Field("security_arrangements", "Security arrangements of each body (s.35(6))", "long"),
]
BY_KEY = {field.key: field for field in FIELDS}
LINK_KEYS = frozenset({"dpia_link"})  # answers that are web addresses: checked on every save (consult.weblinks)


def fields_in(section: str) -> list[Field]:
    """The fields of one section, in form order: "proposal", or a condition of the Act (a Criterion's value)."""
    return [field for field in FIELDS if field.section == section]


def display(field: Field, value: object, persons: dict[str, str] | None = None) -> str:
    """A field's value as plain text, for the page and for diffs."""
    if value in (None, "", []):
        return ""
    if field.kind == "choice" and field.choices:
        return field.choices.get(str(value), str(value))
    if field.kind == "choices" and field.choices:
        return "; ".join(field.choices.get(str(v), str(v)) for v in value)  # type: ignore[union-attr]
    if field.kind == "persons":
        names = persons or {}
        return "; ".join(f"paragraph {p}: {names.get(str(p), 'unknown')}" for p in value)  # type: ignore[union-attr]
    return str(value)
