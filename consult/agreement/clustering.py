"""Opinion groups as Polis finds them: PCA with sparsity-aware projection, two-level k-means, silhouette.

Deterministic: PCA by eigen-decomposition with a sign convention, k-means seeded from the first distinct
points (as Polis does on its first run), so the same votes always give the same groups.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from consult.agreement.votematrix import Votes, rating_matrix

BASE_K = 100
MAX_GROUPS = 5


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
