"""The one definition of every figure shown for a statement, a group or a sector (pure: no Flask, no database).

A percentage is always a share of the votes cast (agree, disagree and pass) and is shown with its raw count;
Polis's smoothed estimates ((n + 1) / (N + 2), POLIS-MATH.md §4) are only ever shown labelled as such.
Every page, paper, evidence page, document and the JSON report build their figures here, so they agree.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from string import ascii_uppercase
from typing import Any

SMOOTHED_LABEL = "estimated (smoothed)"


def percent(count: int, votes: int) -> int | None:
    """Whole-number share of the votes cast, rounded half up (not banker's rounding); None when nobody voted."""
    if votes <= 0:
        return None
    return int((Decimal(100 * count) / Decimal(votes)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def smoothed_percent(probability: float) -> int:
    """A smoothed Polis probability (0-1) as a whole percentage, rounded half up."""
    return int(Decimal(str(probability * 100)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def smoothed_text(probability: float) -> str:
    """A smoothed figure, always labelled so it is never read as a share of the votes."""
    return f"{SMOOTHED_LABEL} {smoothed_percent(probability)}%"


def count_text(count: int, votes: int, what: str) -> str:
    """'5 agree (100%)': the raw count with its share of the votes beside it."""
    share = percent(count, votes)
    return f"{count} {what}" if share is None else f"{count} {what} ({share}%)"


def group_name(index: int) -> str:
    """The one display name of opinion group `index` (0-based, the JSON id): Group A, Group B, …"""
    letters = ""
    number = index
    while True:
        number, rest = divmod(number, 26)
        letters = ascii_uppercase[rest] + letters
        if number == 0:
            return f"Group {letters}"
        number -= 1


def row(name: str, agree: int, disagree: int, votes: int) -> dict[str, Any]:
    """One group's or sector's figures: raw counts and their shares of its votes (passes count as votes)."""
    return {
        "name": name,
        "agree": agree,
        "disagree": disagree,
        "pass": votes - agree - disagree,
        "votes": votes,
        "agree_percent": percent(agree, votes),
        "disagree_percent": percent(disagree, votes),
        "text": f"{count_text(agree, votes, 'agree')}, {count_text(disagree, votes, 'disagree')} of {votes} votes",
    }


def statement_figures(
    entry: Mapping[str, Any] | None, sector_names: Mapping[str, str], tally: tuple[int, int, int] = (0, 0, 0)
) -> dict[str, Any]:
    """Overall, per sector and per group from one analysis entry (the same vote set); the tally only if none yet."""
    if entry is not None:
        tally = (int(entry["agree"]), int(entry["disagree"]), int(entry["pass"]))
    agree, disagree, passes = tally
    overall = row("Everyone", agree, disagree, agree + disagree + passes)
    consensus = None if entry is None else entry.get("group_informed_consensus")
    bridging = None if entry is None else entry.get("bridging")
    return {
        "agree": agree,
        "disagree": disagree,
        "pass": passes,
        "votes": overall["votes"],
        "agree_percent": overall["agree_percent"],
        "disagree_percent": overall["disagree_percent"],
        "pass_percent": percent(passes, overall["votes"]),
        "text": " · ".join(
            [
                count_text(agree, overall["votes"], "agree"),
                count_text(disagree, overall["votes"], "disagree"),
                count_text(passes, overall["votes"], "pass"),
                f"{overall['votes']} vote{'' if overall['votes'] == 1 else 's'}",
            ]
        ),
        "sectors": [
            row(sector_names.get(key, key), v["agree"], v["disagree"], v["votes"])
            for key, v in ((entry or {}).get("sectors") or {}).items()
        ],
        "groups": [
            row(group_name(n), g["agree"], g["disagree"], g["votes"])
            for n, g in enumerate((entry or {}).get("groups") or [])
        ],
        "consensus": consensus,
        "consensus_text": None if consensus is None else f"group-informed consensus, {smoothed_text(consensus)}",
        "bridging": bridging,
        "bridging_text": None if bridging is None else f"lowest sector agreement, {smoothed_text(bridging)}",
    }


def support_counts(figures: Mapping[str, Any]) -> tuple[int, int]:
    """What a finding rests on, from its statement_figures: the votes cast (passes included, as every share here
    counts them) and how many declared sectors any of them came from."""
    return int(figures["votes"]), sum(1 for row in figures["sectors"] if row["votes"] > 0)


def representative_text(group_row: Mapping[str, Any], direction: str, repness: float) -> str:
    """What sets a group apart, in raw figures; 'more than the other groups' only when Polis's ratio says so."""
    lead = f"{'Agrees' if direction == 'agree' else 'Disagrees'} more than the other groups: " if repness > 1 else ""
    return lead + group_row["text"]


class FiguresOnDemand(dict):
    """statement id -> statement_figures, made the first time a page asks for one: the results page lists a few
    statements out of hundreds, so it formats only those (the ledger only those with an outcome)."""

    def __init__(self, entries: Mapping[str, Mapping[str, Any]], sector_names: Mapping[str, str]) -> None:
        super().__init__()
        self.entries = entries
        self.sector_names = sector_names

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        return self[key] if key in self.entries else default

    def __missing__(self, key: str) -> dict[str, Any]:
        figures = self[key] = statement_figures(self.entries[key], self.sector_names)
        return figures


def set_apart(
    groups: list[Mapping[str, Any]], shown: Mapping[str, Mapping[str, Any]]
) -> dict[int, list[tuple[str, str]]]:
    """Per report group id: its first three representative statements (ids), each with its raw figures as text."""
    return {
        group["id"]: [
            (r["id"], representative_text(shown[r["id"]]["groups"][group["id"]], r["direction"], r["repness"]))
            for r in group["representative"][:3]
            if r["id"] in shown
        ]
        for group in groups
    }


def restate(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """Figures kept in a published paper's snapshot, shown by today's definition (older snapshots kept counts only)."""
    entry = {
        "agree": snapshot["agree"],
        "disagree": snapshot["disagree"],
        "pass": snapshot["pass"],
        "sectors": {row["name"]: row for row in snapshot.get("sectors") or []},
        "groups": snapshot.get("groups") or [],
        "group_informed_consensus": snapshot.get("consensus"),
        "bridging": snapshot.get("bridging"),
    }
    return statement_figures(entry, {})


def displayed(report: dict[str, Any]) -> dict[str, Any]:
    """The JSON report as `agreement report --json` prints it: display names and shares added here, the one place
    they are made for the report (the cache keeps counts only, so it never holds a second copy of a figure)."""
    report = copy.deepcopy(report)  # never the cached row's own dict: the cache must stay as the analysis made it
    for group in report.get("groups", []):
        group.setdefault("name", group_name(group["id"]))
    for entry in report.get("statements", []):
        votes = entry["agree"] + entry["disagree"] + entry["pass"]
        entry.setdefault("agree_percent", percent(entry["agree"], votes))
        entry.setdefault("disagree_percent", percent(entry["disagree"], votes))
        for n, group in enumerate(entry.get("groups", [])):
            group.setdefault("id", n)
            group.setdefault("name", group_name(n))
        for counts in [*entry.get("groups", []), *(entry.get("sectors") or {}).values()]:
            counts.setdefault("agree_percent", percent(counts["agree"], counts["votes"]))
            counts.setdefault("disagree_percent", percent(counts["disagree"], counts["votes"]))
    return report
