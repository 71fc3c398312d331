"""The first draft of a position paper, built from the outcomes ledger: a starting point the facilitator edits.

Pure: it takes plain values and returns Markdown. Each finding is a reference (``[[finding:ID]]``), not pasted
text, so its statement, figures and evidence are always rendered from the record.
"""

from __future__ import annotations

from dataclasses import dataclass

# Sections in the order the 2015 conclusions paper used: agreement first, then where people still differ.
SECTIONS = [
    ("agreed", "Areas of agreement", "Participants agreed on the following."),
    (
        "agreed_with_caveats",
        "Agreed with caveats",
        "Participants agreed on the following, with the caveats recorded beside each.",
    ),
    ("options", "Options", "Participants set out alternatives, side by side, without choosing between them."),
    (
        "disagreement_noted",
        "Areas of disagreement",
        "Participants did not agree on the following. Each side's reasons are recorded.",
    ),
    ("still_to_discuss", "Still to discuss", "These questions are open and need more discussion."),
    ("parked", "Parked", "These were set aside for now, with the reason recorded."),
]


@dataclass(frozen=True)
class LedgerEntry:
    statement_id: int
    kind: str
    proposed_by_participant: bool


def draft_body(process_title: str, entries: list[LedgerEntry], issue_ids: list[int], *, evidence_rule: str = "") -> str:
    """Markdown for a new paper: introduction, one section per kind of outcome, 'you said, we did', method.

    `evidence_rule` is what the process asks of a finding ("at least 10 votes from 3 sectors"), said in the method.
    """
    lines = [
        "## Introduction",
        "",
        f"This paper sets out the conclusions of the participants in “{process_title}”: the areas where they "
        "agreed and the areas where they did not. It records the participants' conclusions, not the views of "
        "government. No one is quoted by name.",
        "",
    ]
    for kind, heading, lead in SECTIONS:
        chosen = [entry for entry in entries if entry.kind == kind]
        if not chosen:
            continue
        lines += [f"## {heading}", "", lead, ""]
        for entry in chosen:
            lines += [f"[[finding:{entry.statement_id}]]", ""]
    said = [entry for entry in entries if entry.proposed_by_participant]
    if issue_ids or said:
        lines += [
            "## You said, we did",
            "",
            "Issues participants raised and statements they proposed, with what happened because of them.",
            "",
        ]
        lines += [line for issue_id in issue_ids for line in (f"[[issue:{issue_id}]]", "")]
        lines += [line for entry in said for line in (f"[[said:{entry.statement_id}]]", "")]
    lines += [
        "## How this paper was made",
        "",
        "Participants voted on statements and discussed them in working groups and meetings. Facilitators "
        "recorded an outcome for each statement in the outcomes ledger. Every finding above links to its "
        "evidence: the statement, the votes by sector and by opinion group, and the discussions behind it.",
        "",
    ]
    if evidence_rule:
        lines += [
            f"A finding of agreement or disagreement rests on the votes alone only with {evidence_rule}. Each "
            "finding says how many votes and sectors it is based on; where there were fewer, it is marked as thin "
            "evidence, and the meeting notes or discussion the facilitators relied on are cited beside it with "
            "their reason.",
            "",
        ]
    return "\n".join(lines).strip() + "\n"
