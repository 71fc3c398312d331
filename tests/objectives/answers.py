"""A complete, realistic set of proposal answers for tests (the education passported benefits example)."""

EVIDENCE = "Take-up of free school meals is about 80% where families must apply; auto-enrolment pilots raised it."

COMPLETE = {
    "title": "Education passported benefits",
    "problem": "Families entitled to free school meals miss out because they must apply to their council.",
    "affected": "households",
    "objective_wording": "Identifying households entitled to education-related passported benefits to offer them.",
    "purpose_limb": "facilitate_benefit",
    "service_or_benefit": "Free school meals and related education benefits",
    "purpose_evidence": EVIDENCE,
    "wellbeing_limbs": ["health", "social_economic"],
    "wellbeing_evidence": "School meals improve nutrition and reduce household food costs by about £450 a year.",
    "functions_limb": "delivery",
    "functions_evidence": "Councils deliver free school meals; DWP holds the eligibility data for universal credit.",
    "disclosers": ["7"],
    "recipients": ["5"],
    "new_bodies": "",
    "data_items": "Name, address, date of birth, an eligibility flag (yes or no).",
    "benefits": "More eligible children receive meals; councils save administration.",
    "safeguard_onward_disclosure": "Recipients may not disclose further except as s.41 allows.",
    "safeguard_hmrc": "",
    "safeguard_data_protection": "Lawful basis is public task; a privacy notice will tell households.",
    "retention": "Matched records deleted after 3 months; eligibility flags kept for one school year.",
    "dpia_status": "completed",
    "dpia_link": "https://example.org/dpia.pdf",
    "dpia_justification": "",
    "equality_impact": "Benefits low-income families; no adverse impact found.",
    "welsh_language_impact": "",
    "security_arrangements": "Transfers over an encrypted government network; access logged and audited.",
}
