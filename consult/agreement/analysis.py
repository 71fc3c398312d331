"""Agreement analysis over a vote matrix, in NumPy only (no Flask, no database): POLIS-MATH.md, reimplemented.

Votes are coded as exported by Polis and stored by consult: 1 agree, -1 disagree, 0 pass, NaN not voted.
Everything is deterministic: PCA by SVD with a sign convention, k-means seeded from the first distinct
points (as Polis does on its first run), so the same votes always give the same groups.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

# One BLAS thread: results must not depend on how work is split between threads (set before NumPy loads).
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import numpy as np  # noqa: E402

AGREE, DISAGREE, PASS = 1, -1, 0
Z90 = 1.2816  # one-sided 90% significance, as Polis uses
BASE_K = 100
MAX_GROUPS = 5


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


def pca(votes: Votes, components: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Principal components of the mean-imputed matrix, and each participant's sparsity-aware projection."""
    rating = rating_matrix(votes)
    voted = ~np.isnan(rating)
    voted_per_column = voted.sum(axis=0)
    column_sums = np.where(voted, rating, 0.0).sum(axis=0)
    column_means = np.divide(column_sums, voted_per_column, out=np.zeros(rating.shape[1]), where=voted_per_column > 0)
    imputed = np.where(voted, rating, column_means)
    centre = imputed.mean(axis=0)
    centred = imputed - centre
    # The top eigenvectors of the statement covariance are the principal axes (cheaper than a full SVD).
    _, eigenvectors = np.linalg.eigh(centred.T @ centred)
    comps = eigenvectors[:, ::-1][:, :components].T
    # Deterministic signs: the largest loading of each component is positive.
    signs = np.sign(comps[np.arange(len(comps)), np.argmax(np.abs(comps), axis=1)])
    comps = comps * np.where(signs == 0, 1, signs)[:, None]
    n_voted = np.maximum(voted.sum(axis=1), 1)
    scale = np.sqrt(rating.shape[1] / n_voted)
    projection = (np.where(voted, rating - centre, 0.0) @ comps.T) * scale[:, None]
    return comps, centre, projection


def kmeans(
    points: np.ndarray,
    k: int,
    weights: np.ndarray | None = None,
    *,
    max_iter: int = 100,
    init: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted k-means seeded from the first k distinct points (or given centres); returns labels and centres."""
    if weights is None:
        weights = np.ones(len(points))
    if init is None:
        _, first = np.unique(points, axis=0, return_index=True)
        init = points[np.sort(first)[:k]]
    centres = init.astype(float).copy()
    k = len(centres)
    labels = np.zeros(len(points), dtype=int)
    weighted = points * weights[:, None]
    squared = (points**2).sum(axis=1)[:, None]
    for _ in range(max_iter):
        distances = squared - 2 * points @ centres.T + (centres**2).sum(axis=1)[None, :]
        labels = distances.argmin(axis=1)
        mass = np.bincount(labels, weights=weights, minlength=k)
        sums = np.column_stack(
            [np.bincount(labels, weights=weighted[:, d], minlength=k) for d in range(points.shape[1])]
        )
        new = np.where(mass[:, None] > 0, sums / np.where(mass > 0, mass, 1)[:, None], centres)
        moved = float(np.sqrt(((new - centres) ** 2).sum(axis=1)).max()) if k else 0.0
        centres = new
        if moved < 0.01:
            break
    return labels, centres


def silhouette(points: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette; a point alone in its cluster scores 0."""
    distances = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    clusters = np.unique(labels)
    if len(clusters) < 2:
        return -1.0
    scores = np.zeros(len(points))
    for i in range(len(points)):
        own = labels == labels[i]
        if own.sum() <= 1:
            continue
        a = distances[i, own].sum() / (own.sum() - 1)
        b = min(distances[i, labels == other].mean() for other in clusters if other != labels[i])
        scores[i] = (b - a) / max(a, b) if max(a, b) > 0 else 0.0
    return float(scores.mean())


def opinion_groups(projection: np.ndarray) -> tuple[np.ndarray, float]:
    """Polis's two levels: up to 100 base clusters, then weighted k-means with k = 2..5 chosen by silhouette."""
    n = len(projection)
    if n < 4:
        return np.zeros(n, dtype=int), 0.0
    distinct = len(np.unique(projection, axis=0))
    base_labels, base_centres = kmeans(projection, min(BASE_K, distinct))
    used = np.unique(base_labels)
    base_centres = base_centres[used]
    base_labels = np.searchsorted(used, base_labels)
    weights = np.bincount(base_labels, minlength=len(base_centres)).astype(float)
    max_k = min(MAX_GROUPS, 2 + len(base_centres) // 12, len(base_centres) - 1)
    best: tuple[float, np.ndarray] | None = None
    for k in range(2, max_k + 1):
        group_of_base, _ = kmeans(base_centres, k, weights, max_iter=20)
        if len(np.unique(group_of_base)) < 2:
            continue
        score = silhouette(base_centres, group_of_base)
        if best is None or score > best[0]:
            best = (score, group_of_base)
    if best is None:
        return np.zeros(n, dtype=int), 0.0
    score, group_of_base = best
    labels = group_of_base[base_labels]
    # Number groups by size, largest first, so the numbering is stable and readable.
    order = np.argsort(-np.bincount(labels), kind="stable")
    renumber = np.empty_like(order)
    renumber[order] = np.arange(len(order))
    return renumber[labels], score


def prop_test(successes: np.ndarray, trials: np.ndarray) -> np.ndarray:
    return 2 * np.sqrt(trials + 1) * ((successes + 1) / (trials + 1) - 0.5)


def two_prop_test(s1: np.ndarray, s2: np.ndarray, n1: np.ndarray, n2: np.ndarray) -> np.ndarray:
    s1, s2, n1, n2 = s1 + 1, s2 + 1, n1 + 1, n2 + 1
    p1, p2 = s1 / n1, s2 / n2
    pooled = (s1 + s2) / (n1 + n2)
    with np.errstate(all="ignore"):
        z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return np.where(pooled >= 1, 0.0, z)


@dataclass
class GroupStats:
    """Per group (rows) and statement (columns): counts, smoothed probabilities, tests and representativeness."""

    na: np.ndarray
    nd: np.ndarray
    ns: np.ndarray
    pa: np.ndarray
    pd: np.ndarray
    pat: np.ndarray
    pdt: np.ndarray
    ra: np.ndarray
    rd: np.ndarray
    rat: np.ndarray
    rdt: np.ndarray


def group_stats(matrix: np.ndarray, labels: np.ndarray, groups: int) -> GroupStats:
    """POLIS-MATH.md §4 over the labelled rows (label -1 means not in a group)."""
    per = [counts(matrix, labels == g) for g in range(groups)]
    na = np.array([p[0] for p in per], dtype=float)
    nd = np.array([p[1] for p in per], dtype=float)
    ns = np.array([p[2] for p in per], dtype=float)
    rest_na, rest_nd, rest_ns = na.sum(axis=0) - na, nd.sum(axis=0) - nd, ns.sum(axis=0) - ns
    pa, pd = (na + 1) / (ns + 2), (nd + 1) / (ns + 2)
    return GroupStats(
        na=na,
        nd=nd,
        ns=ns,
        pa=pa,
        pd=pd,
        pat=prop_test(na, ns),
        pdt=prop_test(nd, ns),
        ra=pa / ((1 + rest_na) / (2 + rest_ns)),
        rd=pd / ((1 + rest_nd) / (2 + rest_ns)),
        rat=two_prop_test(na, rest_na, ns, rest_ns),
        rdt=two_prop_test(nd, rest_nd, ns, rest_ns),
    )


def group_informed_consensus(stats: GroupStats) -> tuple[np.ndarray, np.ndarray]:
    """Π over groups of the smoothed agree (and disagree) probability: high only if every group agrees."""
    return stats.pa.prod(axis=0), stats.pd.prod(axis=0)


def representative(stats: GroupStats, moderated_out: np.ndarray, group: int, limit: int = 5) -> list[dict[str, Any]]:
    """POLIS-MATH.md §5: the statements that set a group apart, agreement first."""
    g = group
    candidates = [c for c in range(stats.pa.shape[1]) if not moderated_out[c]]

    def entry(c: int) -> dict[str, Any]:
        agree = stats.rat[g, c] > stats.rdt[g, c]
        if agree:
            values = (stats.na[g, c], stats.pa[g, c], stats.pat[g, c], stats.ra[g, c], stats.rat[g, c])
        else:
            values = (stats.nd[g, c], stats.pd[g, c], stats.pdt[g, c], stats.rd[g, c], stats.rdt[g, c])
        n, p, pt, r, rt = (float(v) for v in values)
        return {
            "index": c,
            "direction": "agree" if agree else "disagree",
            "n_success": int(n),
            "n_trials": int(stats.ns[g, c]),
            "p_success": p,
            "p_test": pt,
            "repness": r,
            "repness_test": rt,
            "metric": r * rt * p * pt,
        }

    sufficient = [
        c
        for c in candidates
        if (stats.rat[g, c] > Z90 and stats.pat[g, c] > Z90) or (stats.rdt[g, c] > Z90 and stats.pdt[g, c] > Z90)
    ]
    best_agree = None
    for c in candidates:
        if stats.na[g, c] + stats.nd[g, c] == 0:
            continue
        pa, pat, ra, rat = stats.pa[g, c], stats.pat[g, c], stats.ra[g, c], stats.rat[g, c]
        if best_agree is None:
            if pat > Z90 or (ra > 1 and pa > 0.5):
                best_agree = c
            continue
        b = best_agree
        if stats.ra[g, b] > 1:
            if ra * rat * pa * pat > stats.ra[g, b] * stats.rat[g, b] * stats.pa[g, b] * stats.pat[g, b]:
                best_agree = c
        elif pa * pat > stats.pa[g, b] * stats.pat[g, b]:
            best_agree = c
    if not sufficient:
        if best_agree is not None:
            return [entry(best_agree) | {"direction": "agree"}]
        if not candidates:
            return []
        top = max(candidates, key=lambda c: max(stats.rat[g, c], stats.rdt[g, c]))
        return [entry(top)]
    chosen = [entry(c) for c in sufficient if c != best_agree]
    chosen.sort(key=lambda e: -e["metric"])
    if best_agree is not None:
        chosen.insert(0, entry(best_agree) | {"direction": "agree"})
    chosen = chosen[:limit]
    return [e for e in chosen if e["direction"] == "agree"] + [e for e in chosen if e["direction"] == "disagree"]


def consensus(matrix: np.ndarray, moderated_out: np.ndarray, limit: int = 5) -> dict[str, list[dict[str, Any]]]:
    """POLIS-MATH.md §6: statements most people agree (or disagree) with, over everyone."""
    agree, disagree, total = (x.astype(float) for x in counts(matrix))
    result = {}
    for name, successes in (("agree", agree), ("disagree", disagree)):
        p = (successes + 1) / (total + 2)
        pt = prop_test(successes, total)
        picks = [c for c in range(len(p)) if not moderated_out[c] and p[c] > 0.5 and pt[c] > Z90]
        picks.sort(key=lambda c: -(p[c] * pt[c]))
        result[name] = [
            {
                "index": c,
                "n_success": int(successes[c]),
                "n_trials": int(total[c]),
                "p_success": float(p[c]),
                "p_test": float(pt[c]),
            }
            for c in picks[:limit]
        ]
    return result


def divisiveness(probabilities: np.ndarray) -> np.ndarray:
    """How far apart the most and least agreeing groups (or sectors) are, per statement: max − min agree rate."""
    if probabilities.shape[0] < 2:
        return np.zeros(probabilities.shape[1])
    return probabilities.max(axis=0) - probabilities.min(axis=0)


def adjusted_rand_index(a: Sequence[int], b: Sequence[int]) -> float:
    """Agreement between two groupings of the same items, corrected for chance (1 = identical, ~0 = random)."""
    a, b = np.asarray(a), np.asarray(b)
    _, ai = np.unique(a, return_inverse=True)
    _, bi = np.unique(b, return_inverse=True)
    table = np.zeros((ai.max() + 1, bi.max() + 1))
    np.add.at(table, (ai, bi), 1)

    def pairs(x: np.ndarray) -> float:
        return float((x * (x - 1) / 2).sum())

    total = pairs(np.array([len(a)]))
    index, rows, cols = pairs(table), pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = rows * cols / total if total else 0.0
    maximum = (rows + cols) / 2
    return 1.0 if maximum == expected else (index - expected) / (maximum - expected)


@dataclass
class Analysis:
    votes: Votes
    in_conv: np.ndarray
    labels: np.ndarray  # group per participant, -1 if not grouped
    groups: int
    silhouette: float
    projection: np.ndarray
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
                    "group_informed_consensus": float(self.gic_agree[c]),
                    "group_informed_consensus_disagree": float(self.gic_disagree[c]),
                    "bridging": None if np.isnan(self.bridging[c]) else float(self.bridging[c]),
                    "divisiveness_groups": float(self.group_divisiveness[c]),
                    "divisiveness_sectors": float(self.sector_divisiveness[c]),
                    "groups": [
                        {
                            "agree": int(self.stats.na[g, c]),
                            "disagree": int(self.stats.nd[g, c]),
                            "votes": int(self.stats.ns[g, c]),
                            "p_agree": float(self.stats.pa[g, c]),
                        }
                        for g in range(self.groups)
                    ],
                    "sectors": {
                        name: {"agree": int(a[c]), "disagree": int(d[c]), "votes": int(s[c])}
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
                {"id": g, "members": int((self.labels == g).sum()), "representative": with_ids(self.representative[g])}
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


def analyse(votes: Votes) -> Analysis:
    """Run the whole pipeline: tallies, sectors, PCA, groups, group statistics, consensus, divisiveness."""
    agree, disagree, total = counts(votes.matrix)
    keep = in_conversation(votes)
    _, _, projection = pca(votes) if votes.matrix.size else (None, None, np.zeros((0, 2)))
    labels = np.full(len(votes.participants), -1)
    score = 0.0
    if keep.sum():
        group_labels, score = opinion_groups(projection[keep])
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
    )
