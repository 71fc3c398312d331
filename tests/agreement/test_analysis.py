"""The analysis module against the three real Polis conversations and against independent computations."""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import cache

import numpy as np
import pytest

from consult.agreement import analysis, clustering, group_statistics, polis
from tests.agreement.polisdata import CONVERSATIONS, DATA, load, require_data

require_data()


@cache
def analysed(name: str) -> analysis.Analysis:
    return analysis.analyse(load(name))


def latest_votes_by_hand(name: str) -> dict[tuple[int, int], int]:
    """An independent reading of votes.csv: keep the vote with the greatest timestamp for each pair."""
    latest: dict[tuple[int, int], tuple[int, int]] = {}
    with (DATA / name / "votes.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (int(row["voter-id"]), int(row["comment-id"]))
            stamp = int(row["timestamp"])
            if key not in latest or stamp >= latest[key][0]:
                latest[key] = (stamp, int(row["vote"]))
    return {key: vote for key, (_, vote) in latest.items()}


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_tallies_match_the_latest_votes_exactly(name):
    votes = latest_votes_by_hand(name)
    expected: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (_, comment), vote in votes.items():
        expected[comment][{1: 0, -1: 1, 0: 2}[vote]] += 1
    report = {int(s["id"]): s for s in analysed(name).report()["statements"]}
    for comment, (agree, disagree, passes) in expected.items():
        assert (report[comment]["agree"], report[comment]["disagree"], report[comment]["pass"]) == (
            agree,
            disagree,
            passes,
        )
    assert sum(s["agree"] + s["disagree"] + s["pass"] for s in report.values()) == len(votes)


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_participants_votes_csv_agrees_with_our_matrix(name):
    """participants-votes.csv holds Polis's final matrix: ours must be the same cell for cell."""
    votes = load(name)
    row = {p: i for i, p in enumerate(votes.participants)}
    col = {s: j for j, s in enumerate(votes.statements)}
    with (DATA / name / "participants-votes.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        comment_columns = [c for c in reader.fieldnames if c.isdigit()]
        for record in reader:
            i = row[int(record["participant"])]
            for column in comment_columns:
                cell = votes.matrix[i, col[int(column)]]
                if record[column] == "":
                    assert np.isnan(cell)
                else:
                    assert cell == int(record[column])


def independent_group_stats(votes: analysis.Votes, labels: np.ndarray) -> dict:
    """Plain loops over the formulas in POLIS-MATH.md §4 and §7, written separately from the NumPy code."""
    groups = sorted({int(g) for g in labels if g >= 0})
    result = {}
    for c in range(len(votes.statements)):
        per_group = {}
        for g in groups:
            na = nd = ns = 0
            for p in range(len(votes.participants)):
                if labels[p] != g or np.isnan(votes.matrix[p, c]):
                    continue
                ns += 1
                na += votes.matrix[p, c] == 1
                nd += votes.matrix[p, c] == -1
            per_group[g] = (na, nd, ns)
        gic = 1.0
        for na, _nd, ns in per_group.values():
            gic *= (na + 1) / (ns + 2)
        rest = {}
        for g in groups:
            rna = sum(per_group[h][0] for h in groups if h != g)
            rns = sum(per_group[h][2] for h in groups if h != g)
            na, _nd, ns = per_group[g]
            pa = (na + 1) / (ns + 2)
            rest[g] = (pa / ((1 + rna) / (2 + rns)), 2 * (ns + 1) ** 0.5 * ((na + 1) / (ns + 1) - 0.5))
        result[c] = (per_group, gic, rest)
    return result


@pytest.mark.parametrize("name", ["brexit-consensus", "scoop-hivemind.biodiversity"])
def test_group_statistics_and_gic_match_an_independent_computation(name):
    result = analysed(name)
    expected = independent_group_stats(result.votes, result.labels)
    for c, (per_group, gic, rest) in expected.items():
        assert result.gic_agree[c] == pytest.approx(gic, rel=1e-12)
        for g, (na, nd, ns) in per_group.items():
            assert (result.stats.na[g, c], result.stats.nd[g, c], result.stats.ns[g, c]) == (na, nd, ns)
            assert result.stats.ra[g, c] == pytest.approx(rest[g][0], rel=1e-12)
            assert result.stats.pat[g, c] == pytest.approx(rest[g][1], rel=1e-12)


def test_two_proportion_test_matches_the_formula_by_hand():
    s1, s2, n1, n2 = 30, 10, 40, 60
    p1, p2 = 31 / 41, 11 / 61
    pooled = (31 + 11) / (41 + 61)
    z = (p1 - p2) / (pooled * (1 - pooled) * (1 / 41 + 1 / 61)) ** 0.5
    got = group_statistics.two_prop_test(np.array([s1]), np.array([s2]), np.array([n1]), np.array([n2]))[0]
    assert got == pytest.approx(z)


@pytest.mark.parametrize(
    ("name", "minimum"),
    [("brexit-consensus", 0.5), ("scoop-hivemind.biodiversity", 0.9), ("austria-climate.5twd2jsnkf.2022-08-08", 0.9)],
)
def test_our_groups_agree_with_polis_groups(name, minimum, capsys):
    """Polis's groups depend on its update history, so only agreement by adjusted Rand index is expected."""
    result = analysed(name)
    polis_groups = polis.read_polis_groups(DATA / name)
    ours, theirs = [], []
    for i, participant in enumerate(result.votes.participants):
        if polis_groups.get(participant) is not None and result.labels[i] >= 0:
            ours.append(result.labels[i])
            theirs.append(polis_groups[participant])
    ari = clustering.adjusted_rand_index(ours, theirs)
    with capsys.disabled():
        print(f"\n{name}: {result.groups} groups, ARI with Polis {ari:.3f} over {len(ours)} participants")
    assert ari >= minimum
    clustered = {p for p, g in polis_groups.items() if g is not None}
    ours_clustered = {p for i, p in enumerate(result.votes.participants) if result.labels[i] >= 0}
    assert len(ours_clustered ^ clustered) <= 0.05 * len(clustered)


def test_analysis_is_deterministic():
    first = analysis.analyse(load("brexit-consensus"))
    second = analysis.analyse(load("brexit-consensus"))
    assert np.array_equal(first.labels, second.labels)
    assert np.allclose(first.gic_agree, second.gic_agree)


def test_two_clear_camps_are_found_exactly():
    rng = np.random.default_rng(7)
    events = []
    for p in range(60):
        camp = p % 2
        for s in range(20):
            agree = (s < 10) == (camp == 0)
            vote = 1 if agree else -1
            if rng.random() < 0.1:
                vote = 0
            events.append((p, s, vote, 1))
    result = analysis.analyse(analysis.Votes.from_events(events))
    assert result.groups == 2
    assert clustering.adjusted_rand_index(result.labels, [p % 2 for p in range(60)]) == 1.0
    everyone = [(p, 99, 1, 1) for p in range(60)]
    consensual = analysis.analyse(analysis.Votes.from_events(events + everyone))
    last = consensual.votes.statements.index(99)
    assert consensual.gic_agree[last] > 0.8
    assert consensual.group_divisiveness[last] < 0.1
    assert consensual.group_divisiveness[0] > 0.7, "a statement the camps split on divides the groups"


def test_later_votes_replace_earlier_ones_even_out_of_order():
    votes = analysis.Votes.from_events([("a", "s", 1, 5), ("a", "s", -1, 9), ("a", "s", 0, 7)])
    assert votes.matrix[0, 0] == -1


def test_bridging_is_the_weakest_sector_with_a_participation_guard():
    sectors = {p: ("civil_society" if p < 10 else "government_department") for p in range(20)}
    events = [(p, "both", 1, 1) for p in range(20)]
    events += [(p, "split", 1 if p < 10 else -1, 1) for p in range(20)]
    events += [(p, "thin", 1, 1) for p in range(11)]  # only one person from the second sector
    result = analysis.analyse(analysis.Votes.from_events(events, sectors=sectors))
    report = {s["id"]: s for s in result.report()["statements"]}
    assert report["both"]["bridging"] == pytest.approx(11 / 12)
    assert report["split"]["bridging"] == pytest.approx(1 / 12)
    assert report["thin"]["bridging"] is None
    assert report["split"]["divisiveness_sectors"] > 0.8


def test_consensus_lists_follow_the_polis_rule():
    events = [(p, "yes", 1, 1) for p in range(30)] + [(p, "no", -1, 1) for p in range(30)]
    events += [(p, "mixed", 1 if p % 2 else -1, 1) for p in range(30)]
    result = analysis.analyse(analysis.Votes.from_events(events))
    lists = result.report()["consensus"]
    assert [e["id"] for e in lists["agree"]] == ["yes"]
    assert [e["id"] for e in lists["disagree"]] == ["no"]


def test_adjusted_rand_index_known_values():
    assert clustering.adjusted_rand_index([0, 0, 1, 1], [1, 1, 0, 0]) == 1.0
    assert clustering.adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(-0.5)


def test_report_has_the_documented_shape():
    report = analysed("brexit-consensus").report()
    assert set(report) >= {"participants", "groups", "statements"}
    first = report["statements"][0]
    assert {"id", "agree", "disagree", "pass", "group_informed_consensus"} <= set(first)
    assert all(v is None or isinstance(v, int) for v in report["participants"].values())


def test_malformed_exports_are_refused_with_the_line(tmp_path):
    (tmp_path / "votes.csv").write_text("timestamp,datetime,comment-id,voter-id,vote\n1,x,0,0,1\n2,x,0,1,7\n")
    with pytest.raises(polis.PolisFormatError, match=r"votes\.csv line 3: vote must be one of"):
        list(polis.read_votes(tmp_path))
    (tmp_path / "comments.csv").write_text("timestamp,comment-id\n")
    with pytest.raises(polis.PolisFormatError, match="missing columns"):
        polis.read_comments(tmp_path)
