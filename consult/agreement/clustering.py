"""Opinion groups as Polis finds them: PCA with sparsity-aware projection, two-level k-means, silhouette.

Deterministic: PCA by eigen-decomposition with a sign convention, k-means seeded from the first distinct
points (as Polis does on its first run), so the same votes always give the same groups.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from consult.agreement.votematrix import Votes

BASE_K = 100
MAX_GROUPS = 5


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


def opinion_groups(projection: np.ndarray, force_k: int | None = None) -> tuple[np.ndarray, float]:
    """Polis's two levels: up to 100 base clusters, then weighted k-means with k = 2..5 chosen by silhouette.

    force_k skips the choice (as red-dwarf's force_group_count does), to compare groupings at a given k.
    """
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
    for k in [force_k] if force_k else range(2, max_k + 1):
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
