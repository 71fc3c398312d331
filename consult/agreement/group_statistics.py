"""Per-group statement statistics, representativeness, consensus and divisiveness (POLIS-MATH.md §4-§7)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from consult.agreement.votematrix import counts

Z90 = 1.2816  # one-sided 90% significance, as Polis uses


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


def _repness_entry(stats: GroupStats, g: int, c: int) -> dict[str, Any]:
    """One statement's figures for group g, in the direction (agree or disagree) whose test is stronger."""
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


def _best_agree(stats: GroupStats, g: int, candidates: list[int]) -> int | None:
    """Polis's best-agree statement for group g: the first that qualifies, then any that beats it."""
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
    return best_agree


def representative(stats: GroupStats, moderated_out: np.ndarray, group: int, limit: int = 5) -> list[dict[str, Any]]:
    """POLIS-MATH.md §5: the statements that set a group apart, agreement first."""
    g = group
    candidates = [c for c in range(stats.pa.shape[1]) if not moderated_out[c]]

    def best(c: int) -> dict[str, Any]:
        # Polis finalises best-agree like any other (its direction is still whichever test is stronger), and
        # marks it; forcing "agree" would label disagree figures as agreement.
        return _repness_entry(stats, g, c) | {"best_agree": True, "n_agree": int(stats.na[g, c])}

    sufficient = [
        c
        for c in candidates
        if (stats.rat[g, c] > Z90 and stats.pat[g, c] > Z90) or (stats.rdt[g, c] > Z90 and stats.pdt[g, c] > Z90)
    ]
    best_agree = _best_agree(stats, g, candidates)
    if not sufficient:
        if best_agree is not None:
            return [best(best_agree)]
        if not candidates:
            return []
        top = max(candidates, key=lambda c: max(stats.rat[g, c], stats.rdt[g, c]))
        return [_repness_entry(stats, g, top)]
    chosen = [_repness_entry(stats, g, c) for c in sufficient if c != best_agree]
    chosen.sort(key=lambda e: -e["metric"])
    if best_agree is not None:
        chosen.insert(0, best(best_agree))
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
