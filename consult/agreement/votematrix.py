"""The vote matrix: latest votes per participant and statement, tallies, sectors and who is clustered.

Votes are coded as exported by Polis and stored by consult: 1 agree, -1 disagree, 0 pass, NaN not voted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

AGREE, DISAGREE, PASS = 1, -1, 0


@dataclass
class Votes:
    """The latest vote of each participant on each statement."""

    participants: list[Any]
    statements: list[Any]
    matrix: np.ndarray  # float, participants x statements, NaN where not voted
    moderated_out: np.ndarray  # bool per statement
    sectors: list[str | None] = field(default_factory=list)  # declared sector per participant, if known

    @classmethod
    def from_events(
        cls,
        events: Iterable[tuple[Any, Any, int, float]],
        *,
        statements: Sequence[Any] | None = None,
        moderated_out: Iterable[Any] = (),
        sectors: dict[Any, str | None] | None = None,
    ) -> Votes:
        """Build from (participant, statement, vote, time) events; a later vote replaces an earlier one."""
        latest: dict[tuple[Any, Any], tuple[float, int, int]] = {}
        for order, (participant, statement, vote, when) in enumerate(events):
            key = (participant, statement)
            seen = latest.get(key)
            if seen is None or (when, order) >= seen[:2]:
                latest[key] = (when, order, int(vote))
        people = sorted({p for p, _ in latest})
        columns = list(statements) if statements is not None else sorted({s for _, s in latest})
        row = {p: i for i, p in enumerate(people)}
        col = {s: j for j, s in enumerate(columns)}
        matrix = np.full((len(people), len(columns)), np.nan)
        for (participant, statement), (_, _, vote) in latest.items():
            if statement in col:
                matrix[row[participant], col[statement]] = vote
        out = set(moderated_out)
        mask = np.array([s in out for s in columns], dtype=bool)
        sector_list = [(sectors or {}).get(p) for p in people]
        return cls(people, columns, matrix, mask, sector_list)


def counts(matrix: np.ndarray, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Agrees, disagrees and votes of any kind (passes included) per statement, over the chosen rows."""
    m = matrix if rows is None else matrix[rows]
    return (m == AGREE).sum(axis=0), (m == DISAGREE).sum(axis=0), (~np.isnan(m)).sum(axis=0)


def sector_counts(votes: Votes) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    sectors = np.array([s or "" for s in votes.sectors]) if votes.sectors else np.array([""] * len(votes.participants))
    return {sector: counts(votes.matrix, sectors == sector) for sector in sorted(set(sectors)) if sector}


def bridging(votes: Votes, min_votes: int = 3) -> np.ndarray:
    """The lowest smoothed agree rate across declared sectors with at least `min_votes` votes on the statement.

    High only when every sector that took part agrees; NaN when fewer than two sectors voted enough to count.
    """
    rates = []
    for agree, _disagree, total in sector_counts(votes).values():
        rate = (agree + 1) / (total + 2)
        rates.append(np.where(total >= min_votes, rate, np.nan))
    if not rates:
        return np.full(len(votes.statements), np.nan)
    stacked = np.vstack(rates)
    enough = (~np.isnan(stacked)).sum(axis=0) >= 2
    with np.errstate(all="ignore"):
        lowest = np.nanmin(np.where(np.isnan(stacked), np.inf, stacked), axis=0)
    return np.where(enough, lowest, np.nan)


def in_conversation(votes: Votes, minimum: int = 7, greedy: int = 15) -> np.ndarray:
    """Participants clustered: at least min(7, statements) votes, topped up with the most active to 15."""
    n_votes = (~np.isnan(votes.matrix)).sum(axis=1)
    keep = n_votes >= min(minimum, len(votes.statements))
    if keep.sum() < greedy:
        order = np.argsort(-n_votes, kind="stable")
        for index in order[:greedy]:
            if n_votes[index] > 0:
                keep[index] = True
    return keep


def rating_matrix(votes: Votes) -> np.ndarray:
    """The matrix PCA sees: moderated-out statements set to 0 for everyone."""
    rating = votes.matrix.copy()
    rating[:, votes.moderated_out] = 0.0
    return rating
