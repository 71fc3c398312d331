"""Which statement to show a voter next, in the spirit of Polis's comment priority (POLIS-MATH.md §8).

Pure: tallies come from the current votes, extremity from the cached analysis when there is one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def priority(agree: int, disagree: int, passes: int, extremity: float = 0.0) -> float:
    """Polis's priority metric: engagement, agreement and extremity, boosted while a statement has few votes."""
    total = agree + disagree + passes
    importance = (1 - (passes + 1) / (total + 2)) * (extremity + 1) * (agree + 1) / (total + 2)
    return (importance * (1 + 8 * 2 ** (-total / 5))) ** 2


def extremities(report: Mapping[str, Any] | None) -> dict[int, float]:
    """Each statement's PCA extremity from a cached analysis report; empty without one (every statement then gets 0)."""
    return {
        entry["statement"]: float(entry["extremity"])
        for entry in (report or {}).get("statements", [])
        if "statement" in entry and entry.get("extremity") is not None
    }


def next_statement(
    statement_ids: list[int],
    tallies: dict[int, tuple[int, int, int]],
    voted: set[int],
    extremity: dict[int, float] | None = None,
) -> int | None:
    """The unvoted statement with the highest priority; ties go to the oldest.

    A statement missing from `extremity` (added since the analysis was cached, or no analysis yet) counts as 0, the
    extremity of a statement that does not move anyone along the principal components.
    """
    extremity = extremity or {}
    candidates = [s for s in statement_ids if s not in voted]
    if not candidates:
        return None
    return max(candidates, key=lambda s: (priority(*tallies.get(s, (0, 0, 0)), extremity.get(s, 0.0)), -s))
