"""Which statement to show a voter next: few votes and high information first (POLIS-MATH.md §8), without PCA."""

from __future__ import annotations


def priority(agree: int, disagree: int, passes: int, extremity: float = 0.0) -> float:
    """Polis's priority metric: engagement and agreement, boosted while a statement has few votes."""
    total = agree + disagree + passes
    importance = (1 - (passes + 1) / (total + 2)) * (extremity + 1) * (agree + 1) / (total + 2)
    return (importance * (1 + 8 * 2 ** (-total / 5))) ** 2


def next_statement(
    statement_ids: list[int],
    tallies: dict[int, tuple[int, int, int]],
    voted: set[int],
    extremity: dict[int, float] | None = None,
) -> int | None:
    """The unvoted statement with the highest priority; ties go to the oldest."""
    extremity = extremity or {}
    candidates = [s for s in statement_ids if s not in voted]
    if not candidates:
        return None
    return max(candidates, key=lambda s: (priority(*tallies.get(s, (0, 0, 0)), extremity.get(s, 0.0)), -s))
