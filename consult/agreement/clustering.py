"""Opinion groups as Polis finds them: PCA with sparsity-aware projection, two-level k-means, silhouette.

Deterministic: PCA by eigen-decomposition with a sign convention, k-means seeded from the first distinct
points (as Polis does on its first run), so the same votes always give the same groups. Polis's later runs start
from the previous run's clusters and publish a new number of groups only after it has won four runs in a row;
update_groups does one such run from a GroupingState, so a replay of a conversation's history reproduces that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from consult.agreement.votematrix import Votes

BASE_K = 100
BASE_ITERS = 100
# conversation.clj passes :cluster-iters 100, but kmeans reads only :max-iters, whose default is 20.
GROUP_ITERS = 20
MAX_GROUPS = 5
GROUP_K_BUFFER = 4


def pca(votes: Votes, components: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Principal components of the mean-imputed matrix, and each participant's sparsity-aware projection."""
    comps, centre, projection, _ = pca_with_extremity(votes, components)
    return comps, centre, projection


def pca_with_extremity(votes: Votes, components: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """As pca(), plus each statement's extremity: how far a virtual participant agreeing only with it is projected.

    Only statements someone voted on are columns, as in Polis's matrix (even moderated-out ones are columns only
    once voted on), so n_cmts, the projection's scale, leaves out statements nobody has seen; their extremity is 0.
    """
    answered = ~np.isnan(votes.matrix)
    seen = answered.any(axis=0)
    raw, answered, zeroed = votes.matrix[:, seen], answered[:, seen], votes.moderated_out[seen]
    # The rating matrix (votematrix.rating_matrix) without copying it: moderated-out columns are 0 for everyone.
    voted = answered | zeroed
    filled = np.where(answered & ~zeroed, raw, 0.0)
    n_cmts = raw.shape[1]
    column_means = filled.sum(axis=0) / np.maximum(voted.sum(axis=0), 1)
    # Mean imputation leaves the column means unchanged, so they are also PCA's centre.
    centred = filled - column_means
    centred *= voted
    comps = _top_eigenvectors(centred.T @ centred, components)
    # Deterministic signs: the largest loading of each component is positive.
    signs = np.sign(comps[np.arange(len(comps)), np.argmax(np.abs(comps), axis=1)])
    comps = comps * np.where(signs == 0, 1, signs)[:, None]
    n_voted = np.maximum(voted.sum(axis=1), 1)
    projection = (centred @ comps.T) * np.sqrt(n_cmts / n_voted)[:, None]
    # POLIS-MATH.md §2: the statement as a participant who voted only "agree" on it.
    extremity = np.zeros(len(votes.statements))
    extremity[seen] = np.sqrt(n_cmts) * np.abs(1 - column_means) * np.sqrt((comps**2).sum(axis=0))
    full_comps = np.zeros((len(comps), len(votes.statements)))
    full_comps[:, seen] = comps
    centre = np.zeros(len(votes.statements))
    centre[seen] = column_means
    return full_comps, centre, projection, extremity


def _top_eigenvectors(covariance: np.ndarray, count: int, block: int = 8, tolerance: float = 1e-12) -> np.ndarray:
    """The `count` leading eigenvectors (as rows), by subspace iteration: a few times faster than a full eigh.

    Converged to a residual of 1e-12 of the top eigenvalue, the vectors equal eigh's to about 1e-12; small matrices,
    and any that do not converge in 300 steps, use eigh.
    """
    size = len(covariance)
    if size <= 4 * block:
        return _eigh_top(covariance, count)
    # A deterministic start: the columns with the most variance.
    basis, _ = np.linalg.qr(covariance[:, np.argsort(-np.diag(covariance), kind="stable")[:block]])
    for _ in range(300):
        product = covariance @ basis
        values, vectors = np.linalg.eigh(basis.T @ product)
        leading = vectors[:, ::-1][:, :count]
        ritz = basis @ leading
        residual = product @ leading - ritz * values[::-1][:count]
        if np.sqrt((residual**2).sum(axis=0)).max() <= tolerance * max(values[-1], 1e-300):
            return ritz.T
        basis, _ = np.linalg.qr(product)
    return _eigh_top(covariance, count)


def _eigh_top(covariance: np.ndarray, count: int) -> np.ndarray:
    """Rows of zeros stand in for components a matrix with fewer columns than `count` does not have."""
    _, eigenvectors = np.linalg.eigh(covariance)
    top = np.zeros((count, len(covariance)))
    found = eigenvectors[:, ::-1][:, :count].T
    top[: len(found)] = found
    return top


@dataclass
class Clusters:
    """One level of Polis's clustering: cluster ids, their centres (a row per id) and each member's cluster id.

    Ids stay with their clusters from one update to the next, which is what lets Polis warm-start from them.
    """

    ids: np.ndarray
    centres: np.ndarray
    members: dict[Any, int]


@dataclass
class GroupingState:
    """What Polis carries from one update to the next (POLIS-MATH.md §3): base clusters, the group clustering for
    every k, and the k-smoother (the k that won last time, how many updates in a row it has won, the k published)."""

    base: Clusters | None = None
    groups: dict[int, Clusters] = field(default_factory=dict)
    last_k: int | None = None
    last_k_count: int = 0
    smoothed_k: int | None = None

    def to_json(self) -> dict[str, Any]:
        """Plain JSON (lists of floats and ints; member names as given, strings in the app) that from_json reads
        back exactly: Python writes each float with enough digits to round-trip."""
        return {
            "version": STATE_VERSION,
            "base": _clusters_to_json(self.base),
            "groups": {str(k): _clusters_to_json(c) for k, c in sorted(self.groups.items())},
            "last_k": self.last_k,
            "last_k_count": self.last_k_count,
            "smoothed_k": self.smoothed_k,
        }

    @classmethod
    def from_json(cls, data: Any) -> GroupingState:
        """The state to_json wrote; ValueError for anything else (another version, a malformed or corrupt value),
        so the caller can start clean instead."""
        try:
            if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
                raise ValueError("not a grouping state of this version")
            groups = {int(k): _clusters_from_json(c) for k, c in data["groups"].items()}
            state = cls(
                base=_clusters_from_json(data["base"]) if data["base"] is not None else None,
                groups={k: c for k, c in groups.items() if c is not None},
                last_k=_optional_int(data["last_k"]),
                last_k_count=int(data["last_k_count"]),
                smoothed_k=_optional_int(data["smoothed_k"]),
            )
        except (KeyError, TypeError, AttributeError, IndexError) as error:
            raise ValueError(f"malformed grouping state: {error!r}") from error
        if any(not 2 <= k <= MAX_GROUPS or c is None for k, c in groups.items()) or state.last_k_count < 0:
            raise ValueError("malformed grouping state: impossible k")
        return state


# Bump when the meaning of a stored GroupingState changes: older stored states then start clean.
STATE_VERSION = 1


def _optional_int(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"malformed grouping state: {value!r} is not a whole number")
    return value


def _clusters_to_json(clusters: Clusters | None) -> dict[str, Any] | None:
    if clusters is None:
        return None
    names = list(clusters.members)
    return {
        "ids": [int(i) for i in clusters.ids],
        "centres": [[float(x) for x in row] for row in clusters.centres],
        "names": [n if isinstance(n, str) else int(n) for n in names],
        "members": [int(clusters.members[n]) for n in names],
    }


def _clusters_from_json(data: Any) -> Clusters | None:
    """Clusters, checked: whole-number ids, finite 2-D centres (one per id), every member in a listed cluster."""
    if data is None:
        return None
    ids = np.array(data["ids"], dtype=np.int64)
    centres = np.array(data["centres"], dtype=float).reshape(len(ids), -1) if len(ids) else np.zeros((0, 2))
    names, members = list(data["names"]), [int(m) for m in data["members"]]
    if (
        ids.ndim != 1
        or centres.shape[1] != 2
        or not np.isfinite(centres).all()
        or len(set(ids.tolist())) != len(ids)
        or len(names) != len(members)
        or not set(members) <= set(ids.tolist())
        or not all(isinstance(n, str | int) and not isinstance(n, bool) for n in names)
    ):
        raise ValueError("malformed grouping state: clusters")
    return Clusters(ids, centres, dict(zip(names, members, strict=True)))


def _first_distinct(points: np.ndarray, k: int) -> np.ndarray:
    """Polis's first-run seeds: the first k distinct rows, in row order."""
    _, first = np.unique(points, axis=0, return_index=True)
    return points[np.sort(first)[:k]]


def _centres(labels: np.ndarray, points: np.ndarray, weights: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each cluster's weight and weighted mean (the mean is 0 for a cluster without members)."""
    mass = np.bincount(labels, weights=weights, minlength=k)
    sums = np.column_stack(
        [np.bincount(labels, weights=weights * points[:, d], minlength=k) for d in range(points.shape[1])]
    )
    return mass, sums / np.where(mass > 0, mass, 1)[:, None]


def _lloyd(
    points: np.ndarray, weights: np.ndarray, centres: np.ndarray, max_iter: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lloyd iterations until no centre moves 0.01; returns labels, centres and which starting centres survive."""
    alive = np.arange(len(centres))
    labels = np.zeros(len(points), dtype=int)
    squared = (points**2).sum(axis=1)[:, None]
    for _ in range(max_iter):
        distances = squared - 2 * points @ centres.T + (centres**2).sum(axis=1)[None, :]
        labels = distances.argmin(axis=1)
        _, new = _centres(labels, points, weights, len(centres))
        kept = np.bincount(labels, minlength=len(centres)) > 0
        if not kept.all():
            # Polis's cluster-step drops a cluster that lost every member; that counts as a change.
            centres, alive = new[kept], alive[kept]
            labels = np.cumsum(kept)[labels] - 1
            continue
        moved = float(np.sqrt(((new - centres) ** 2).sum(axis=1)).max()) if len(centres) else 0.0
        centres = new
        if moved < 0.01:
            break
    return labels, centres, alive


def _warm_start(
    names: Sequence[Any] | np.ndarray, points: np.ndarray, weights: np.ndarray, last: Clusters, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Polis's clean-start-clusters: recentre last update's clusters on their members' new positions, merge any with
    identical centres, then split off the point farthest from every centre as a new cluster until there are k (or
    as many as there are distinct points). Returns the ids and the starting centres."""
    position = {int(c): j for j, c in enumerate(last.ids)}
    labels = np.array([position.get(last.members.get(name, -1), -1) for name in names], dtype=int)
    ids = np.asarray(last.ids)
    mass, centres = _centres(labels[labels >= 0], points[labels >= 0], weights[labels >= 0], len(ids))
    if len(np.unique(centres[mass > 0], axis=0)) < (mass > 0).sum():
        # Identical centres: the members join the cluster with the most members (and its id).
        _, same = np.unique(centres, axis=0, return_inverse=True)
        sizes = np.bincount(labels[labels >= 0], minlength=len(ids))
        keeper: dict[int, int] = {}
        for j in np.argsort(-sizes, kind="stable"):
            keeper.setdefault(int(same.ravel()[j]), int(j))
        into = np.array([keeper[int(c)] for c in same.ravel()])
        labels = np.where(labels >= 0, into[np.maximum(labels, 0)], -1)
        mass, centres = _centres(labels[labels >= 0], points[labels >= 0], weights[labels >= 0], len(ids))
    # Clusters none of whose members are still here are dropped.
    alive = mass > 0
    renumber = np.cumsum(alive) - 1
    labels = np.where(labels >= 0, np.where(alive[np.maximum(labels, 0)], renumber[np.maximum(labels, 0)], -1), -1)
    ids, centres = ids[alive], centres[alive]
    if not len(ids):
        whole = (points * weights[:, None]).sum(axis=0, keepdims=True) / weights.sum()
        return np.array([int(last.ids.max()) + 1 if len(last.ids) else 0]), whole
    possible = min(k, len(np.unique(points, axis=0)))
    while len(ids) < possible:
        nearest = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2).min(axis=1)
        if nearest.max() <= 0:
            break
        outlier = int(np.flatnonzero(nearest == nearest.max())[-1])
        labels[outlier] = len(ids)
        ids = np.append(ids, ids.max() + 1)
        centres = np.vstack([centres, points[outlier]])
        mass, recentred = _centres(labels[labels >= 0], points[labels >= 0], weights[labels >= 0], len(ids))
        centres = np.where(mass[:, None] > 0, recentred, centres)
    return ids, centres


def kmeans(
    names: Sequence[Any] | np.ndarray,
    points: np.ndarray,
    k: int,
    weights: np.ndarray | None = None,
    *,
    last: Clusters | None = None,
    max_iter: int = 20,
) -> Clusters:
    """Polis's kmeans: warm-started from last update's clusters when given, else from the first k distinct points."""
    weights = np.ones(len(points)) if weights is None else weights
    if last is None:
        centres = _first_distinct(points, k).astype(float)
        ids = np.arange(len(centres))
    else:
        ids, centres = _warm_start(names, points, weights, last, k)
    labels, centres, alive = _lloyd(points, weights, centres, max_iter)
    ids = np.asarray(ids)[alive]
    return Clusters(ids, centres, {n: int(ids[c]) for n, c in zip(names, labels, strict=True)})


def silhouette(points: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette; a point alone in its cluster scores 0."""
    clusters, index = np.unique(labels, return_inverse=True)
    if len(clusters) < 2:
        return -1.0
    difference = points[:, None, :] - points[None, :, :]
    distances = np.sqrt((difference**2).sum(axis=2))
    sizes = np.bincount(index)
    # Sum of distances from each point to every cluster, then means (own cluster without the point itself).
    totals = distances @ np.eye(len(clusters))[index]
    rows = np.arange(len(points))
    own_size = sizes[index]
    a = totals[rows, index] / np.maximum(own_size - 1, 1)
    others = totals / sizes
    others[rows, index] = np.inf
    b = others.min(axis=1)
    largest = np.maximum(a, b)
    scores = np.divide(b - a, largest, out=np.zeros(len(points)), where=largest > 0)
    scores[own_size <= 1] = 0.0
    return float(scores.mean())


def update_groups(
    names: Sequence[Any],
    projection: np.ndarray,
    state: GroupingState | None = None,
    *,
    force_k: int | None = None,
    k_buffer: int = GROUP_K_BUFFER,
) -> tuple[np.ndarray, float, GroupingState]:
    """One Polis update of the opinion groups (POLIS-MATH.md §3), warm-started from `state` (None: the first run).

    Base clusters (k = 100), then weighted k-means over their centres for every k = 2..max_k, each from that k's
    clustering last time; the k with the best silhouette over base centres is published only once it has won
    `k_buffer` updates in a row (the first run publishes it at once). force_k skips the choice (as red-dwarf's
    force_group_count does). Returns each participant's group (numbered by size, largest first), the published
    clustering's silhouette and the state for the next update.
    """
    state = state or GroupingState()
    n = len(projection)
    if n < 4:
        return np.zeros(n, dtype=int), 0.0, state
    base = kmeans(names, projection, BASE_K, last=state.base, max_iter=BASE_ITERS)
    order = np.argsort(base.ids, kind="stable")
    base_ids, base_centres = base.ids[order], base.centres[order]
    base_labels = np.searchsorted(base_ids, [base.members[name] for name in names])
    weights = np.bincount(base_labels, minlength=len(base_ids)).astype(float)
    max_k = min(MAX_GROUPS, 2 + len(base_ids) // 12, len(base_ids) - 1)
    groupings: dict[int, Clusters] = {}
    scores: dict[int, float] = {}
    for k in [force_k] if force_k else range(2, max_k + 1):
        grouping = kmeans(base_ids, base_centres, k, weights, last=state.groups.get(k), max_iter=GROUP_ITERS)
        groupings[k] = grouping
        group_of_base = np.array([grouping.members[b] for b in base_ids])
        if len(np.unique(group_of_base)) >= 2:
            scores[k] = silhouette(base_centres, group_of_base)
    new_state = GroupingState(base=base, groups=groupings)
    if not scores:
        return np.zeros(n, dtype=int), 0.0, new_state
    this_k = max(scores, key=scores.__getitem__)
    count = state.last_k_count + 1 if state.last_k == this_k else 1
    smoothed = this_k if count >= k_buffer or state.smoothed_k not in scores else state.smoothed_k
    new_state.last_k, new_state.last_k_count, new_state.smoothed_k = this_k, count, smoothed
    grouping = groupings[smoothed]
    labels = np.searchsorted(np.sort(grouping.ids), [grouping.members[b] for b in base_ids])[base_labels]
    # Number groups by size, largest first, so the numbering is stable and readable.
    ranking = np.argsort(-np.bincount(labels), kind="stable")
    renumber = np.empty_like(ranking)
    renumber[ranking] = np.arange(len(ranking))
    return renumber[labels], scores[smoothed], new_state


def opinion_groups(projection: np.ndarray, force_k: int | None = None) -> tuple[np.ndarray, float]:
    """Polis's two levels on their first run: up to 100 base clusters, then weighted k-means with k = 2..5 chosen by
    silhouette. A first run has no history, so it publishes the best k at once (see update_groups for later runs).

    force_k skips the choice (as red-dwarf's force_group_count does), to compare groupings at a given k.
    """
    labels, score, _ = update_groups(range(len(projection)), projection, force_k=force_k)
    return labels, score


def adjusted_rand_index(a: Sequence[int], b: Sequence[int]) -> float:
    """Agreement between two groupings of the same items, corrected for chance (1 = identical, ~0 = random)."""
    _, ai = np.unique(np.asarray(a), return_inverse=True)
    _, bi = np.unique(np.asarray(b), return_inverse=True)
    table = np.zeros((ai.max() + 1, bi.max() + 1))
    np.add.at(table, (ai, bi), 1)

    def pairs(x: np.ndarray) -> float:
        return float((x * (x - 1) / 2).sum())

    total = pairs(np.array([len(a)]))
    index, rows, cols = pairs(table), pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = rows * cols / total if total else 0.0
    maximum = (rows + cols) / 2
    return 1.0 if maximum == expected else (index - expected) / (maximum - expected)
