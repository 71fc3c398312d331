"""The whole agreement analysis of one process, in NumPy only (no Flask, no database): POLIS-MATH.md reimplemented.

The pieces live beside this module: votematrix (the matrix, tallies, sectors), clustering (PCA and opinion
groups) and statistics (group statistics, consensus, representativeness); this module runs them in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from consult.agreement.clustering import GroupingState, pca_with_extremity, update_groups
from consult.agreement.group_statistics import (
    GroupStats,
    consensus,
    divisiveness,
    group_informed_consensus,
    group_stats,
    representative,
)
from consult.agreement.votematrix import Votes, bridging, counts, in_conversation, sector_counts

__all__ = ["Analysis", "GroupingState", "Votes", "analyse", "load_state"]


@dataclass
class Analysis:
    votes: Votes
    in_conv: np.ndarray
    labels: np.ndarray  # group per participant, -1 if not grouped
    groups: int
    silhouette: float
    projection: np.ndarray
    extremity: np.ndarray  # per statement: the length of its projection (POLIS-MATH.md §2), for routing
    stats: GroupStats
    gic_agree: np.ndarray
    gic_disagree: np.ndarray
    agree: np.ndarray
    disagree: np.ndarray
    passes: np.ndarray
    bridging: np.ndarray
    group_divisiveness: np.ndarray
    sector_divisiveness: np.ndarray
    sectors: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]
    consensus: dict[str, list[dict[str, Any]]]
    representative: list[list[dict[str, Any]]]
    # What the next analysis warm-starts from (Polis's clusters and k-smoother); names are str(participant id).
    state: GroupingState | None = None

    def report(self) -> dict[str, Any]:
        """A JSON-ready summary keyed by the original participant and statement ids."""
        ids = self.votes.statements
        statements = []
        for c, sid in enumerate(ids):
            statements.append(
                {
                    "id": str(sid),
                    "agree": int(self.agree[c]),
                    "disagree": int(self.disagree[c]),
                    "pass": int(self.passes[c]),
                    "moderated_out": bool(self.votes.moderated_out[c]),
                    "extremity": float(self.extremity[c]),
                    "group_informed_consensus": float(self.gic_agree[c]),
                    "group_informed_consensus_disagree": float(self.gic_disagree[c]),
                    "bridging": None if np.isnan(self.bridging[c]) else float(self.bridging[c]),
                    "divisiveness_groups": float(self.group_divisiveness[c]),
                    "divisiveness_sectors": float(self.sector_divisiveness[c]),
                    "groups": [
                        {
                            "id": g,
                            "agree": int(self.stats.na[g, c]),
                            "disagree": int(self.stats.nd[g, c]),
                            "votes": int(self.stats.ns[g, c]),
                            # Polis's smoothed (1 + agree) / (2 + votes): an estimate, not a share of the votes.
                            "p_agree_smoothed": float(self.stats.pa[g, c]),
                        }
                        for g in range(self.groups)
                    ],
                    "sectors": {
                        name: {
                            "agree": int(a[c]),
                            "disagree": int(d[c]),
                            "votes": int(s[c]),
                        }
                        for name, (a, d, s) in self.sectors.items()
                    },
                }
            )

        def with_ids(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [{k: v for k, v in (e | {"id": str(ids[e["index"]])}).items() if k != "index"} for e in entries]

        return {
            "participants": {
                str(p): (None if self.labels[i] < 0 else int(self.labels[i]))
                for i, p in enumerate(self.votes.participants)
            },
            "groups": [
                {
                    "id": g,
                    "members": int((self.labels == g).sum()),
                    "representative": with_ids(self.representative[g]),
                }
                for g in range(self.groups)
            ],
            "silhouette": self.silhouette,
            # Positions on the first two principal components, for the opinion map.
            "points": [
                [round(float(x), 4), round(float(y), 4), None if self.labels[i] < 0 else int(self.labels[i])]
                for i, (x, y) in enumerate(self.projection[:, :2])
            ]
            if len(self.projection)
            else [],
            "consensus": {name: with_ids(entries) for name, entries in self.consensus.items()},
            "statements": statements,
        }



def load_state(stored: Any) -> GroupingState | None:
    """A stored GroupingState.to_json() value, or None (start clean) when there is none or it cannot be read."""
    if stored is None:
        return None
    try:
        return GroupingState.from_json(stored)
    except ValueError:
        return None


def analyse(votes: Votes, state: GroupingState | None = None) -> Analysis:
    """Run the whole pipeline: tallies, sectors, PCA, groups, group statistics, consensus, divisiveness.

    The groups are one Polis update (clustering.update_groups) from `state`, the previous analysis's (None: a first
    run, as the batch opinion_groups). As in Polis, a participant once grouped stays in the conversation. Any state
    fits any votes: participants it does not know join the nearest cluster or start new ones, those gone drop out,
    and clusters are recentred on their members' positions, so moderating statements out does not reset it (Polis
    does not either). Returns the new state in Analysis.state.
    """
    agree, disagree, total = counts(votes.matrix)
    keep = in_conversation(votes)
    names = [str(p) for p in votes.participants]
    if state is not None and state.base is not None:
        # Once in, always in (conversation.clj :in-conv).
        keep |= np.fromiter((n in state.base.members for n in names), dtype=bool, count=len(names))
    if votes.matrix.size:
        _, _, projection, extremity = pca_with_extremity(votes)
    else:
        projection, extremity = np.zeros((0, 2)), np.zeros(len(votes.statements))
    labels = np.full(len(votes.participants), -1)
    score = 0.0
    new_state = state
    if keep.sum():
        kept = [n for n, k in zip(names, keep, strict=True) if k]
        group_labels, score, new_state = update_groups(kept, projection[keep], state)
        labels[keep] = group_labels
    groups = int(labels.max() + 1) if (labels >= 0).any() else 0
    stats = group_stats(votes.matrix, labels, groups)
    gic_agree, gic_disagree = group_informed_consensus(stats) if groups else (np.zeros(total.shape),) * 2
    sectors = sector_counts(votes)
    sector_rates = (
        np.array([(a + 1) / (s + 2) for a, _, s in sectors.values()]) if sectors else np.zeros((0, len(total)))
    )
    return Analysis(
        votes=votes,
        in_conv=keep,
        labels=labels,
        groups=groups,
        silhouette=score,
        projection=projection,
        extremity=extremity,
        stats=stats,
        gic_agree=gic_agree,
        gic_disagree=gic_disagree,
        agree=agree,
        disagree=disagree,
        passes=total - agree - disagree,
        bridging=bridging(votes),
        group_divisiveness=divisiveness(stats.pa) if groups else np.zeros(len(total)),
        sector_divisiveness=divisiveness(sector_rates),
        sectors=sectors,
        consensus=consensus(votes.matrix, votes.moderated_out),
        representative=[representative(stats, votes.moderated_out, g) for g in range(groups)],
        state=new_state,
    )
