"""Polis's update-to-update behaviour in clustering.update_groups: warm starts and k-smoothing (POLIS-MATH.md §3)."""

from __future__ import annotations

import numpy as np

from consult.agreement import clustering


def camps(centres: list[tuple[float, float]], each: int, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.vstack([rng.normal(centre, 0.3, size=(each, 2)) for centre in centres])


def test_a_new_k_is_published_only_after_it_wins_four_updates_in_a_row():
    two = camps([(-4, 0), (4, 0)], 40)
    labels, _, state = clustering.update_groups(range(80), two)
    assert state.smoothed_k == 2 and len(set(labels)) == 2
    # A third camp arrives: 3 wins at once, but Polis keeps publishing 2 until 3 has won 4 updates in a row.
    three = np.vstack([two, camps([(0, 7)], 40, seed=5)])
    published = []
    for _ in range(5):
        labels, _, state = clustering.update_groups(range(120), three, state)
        assert state.last_k == 3
        published.append(len(set(labels)))
    assert published == [2, 2, 2, 3, 3]
    assert clustering.adjusted_rand_index(labels, np.repeat([0, 1, 2], 40)) == 1.0


def test_a_warm_start_keeps_cluster_ids_and_members_when_nothing_changed():
    points = camps([(-4, 0), (4, 0), (0, 7)], 40)
    first, _, state = clustering.update_groups(range(120), points)
    again, _, later = clustering.update_groups(range(120), points, state)
    assert np.array_equal(first, again)
    assert state.base is not None and later.base is not None
    assert later.base.members == state.base.members
    assert later.groups[3].members == state.groups[3].members


def test_a_warm_start_splits_off_the_farthest_points_for_newcomers():
    """New participants join existing base clusters, or start new ones from the most distant point (clean-start)."""
    points = camps([(-4, 0), (4, 0)], 30)
    _, _, state = clustering.update_groups(range(60), points)
    assert state.base is not None
    assert len(state.base.ids) == 60  # fewer distinct points than base k: one base cluster each
    outlier = np.vstack([points, [[0.0, 30.0]]])
    _, _, later = clustering.update_groups(range(61), outlier, state)
    assert later.base is not None
    assert later.base.members[60] == max(later.base.ids), "the newcomer far from every centre gets a new cluster"
    assert all(later.base.members[p] == state.base.members[p] for p in range(60))
