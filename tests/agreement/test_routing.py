"""Routing: the next statement for the voting flow, by Polis's priority with PCA extremity from the cached report."""

from __future__ import annotations

import pytest

from consult.agreement import analysis, routing


def test_priority_is_polis_formula_by_hand():
    agree, disagree, passes, extremity = 6, 3, 1, 0.8
    total = 10
    importance = (1 - (passes + 1) / (total + 2)) * (extremity + 1) * (agree + 1) / (total + 2)
    assert routing.priority(agree, disagree, passes, extremity) == pytest.approx(
        (importance * (1 + 8 * 2 ** (-total / 5))) ** 2
    )


def test_the_more_extreme_statement_goes_first_when_tallies_are_equal():
    tallies = {1: (5, 5, 0), 2: (5, 5, 0)}
    assert routing.next_statement([1, 2], tallies, set()) == 1, "without extremity the oldest wins the tie"
    assert routing.next_statement([1, 2], tallies, set(), {1: 0.1, 2: 2.5}) == 2


def test_extremity_can_outweigh_a_small_tally_difference_but_voted_statements_never_return():
    tallies = {1: (6, 4, 0), 2: (5, 5, 0)}
    assert routing.next_statement([1, 2], tallies, set(), {}) == 1
    assert routing.next_statement([1, 2], tallies, set(), {1: 0.0, 2: 3.0}) == 2
    assert routing.next_statement([1, 2], tallies, {2}, {1: 0.0, 2: 3.0}) == 1
    assert routing.next_statement([1, 2], tallies, {1, 2}, {2: 3.0}) is None


def test_extremities_come_from_the_cached_report_and_fall_back_to_nothing():
    report = {"statements": [{"statement": 7, "extremity": 1.5}, {"statement": 8, "extremity": 0.0}]}
    assert routing.extremities(report) == {7: 1.5, 8: 0.0}
    assert routing.extremities(None) == {}
    assert routing.extremities({"statements": [{"statement": 9}]}) == {}, "a report cached before extremity existed"


def test_the_report_carries_extremity_and_routing_prefers_the_statement_on_a_main_axis():
    """Two independent divisions; 'split' follows the first, 'bland' splits people along neither (same tallies)."""
    events = []
    for p in range(60):
        camp, side = p % 2, (p // 2) % 2
        for s in range(4):
            events.append((p, f"s{s}", 1 if camp else -1, 1))
            events.append((p, f"t{s}", 1 if side else -1, 1))
        events.append((p, "split", 1 if camp else -1, 1))
        events.append((p, "bland", 1 if camp != side else -1, 1))
    result = analysis.analyse(analysis.Votes.from_events(events))
    report = result.report()
    entries = {e["id"]: e for e in report["statements"]}
    assert entries["split"]["extremity"] > 1
    assert entries["bland"]["extremity"] == pytest.approx(0, abs=1e-6)
    ids = {sid: n for n, sid in enumerate(result.votes.statements)}
    extremity = {ids[e["id"]]: e["extremity"] for e in report["statements"]}
    tallies = {ids[e["id"]]: (e["agree"], e["disagree"], e["pass"]) for e in report["statements"]}
    assert tallies[ids["split"]] == tallies[ids["bland"]]
    voted = {ids[f"{axis}{s}"] for axis in "st" for s in range(4)}
    assert routing.next_statement(sorted(ids.values()), tallies, voted) == ids["bland"], "the older, without PCA"
    assert routing.next_statement(sorted(ids.values()), tallies, voted, extremity) == ids["split"]
