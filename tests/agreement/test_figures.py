"""The one definition of displayed figures (consult.agreement.figures), without Flask or a database."""

from __future__ import annotations

import pytest

from consult.agreement import figures


@pytest.mark.parametrize(
    ("count", "votes", "shown"),
    [(1, 8, 13), (1, 200, 1), (1, 40, 3), (5, 8, 63), (2, 3, 67), (0, 5, 0), (5, 5, 100), (3, 0, None)],
)
def test_a_share_is_of_all_votes_cast_rounded_half_up(count, votes, shown):
    assert figures.percent(count, votes) == shown


def test_a_smoothed_figure_is_always_labelled():
    assert figures.smoothed_text(6 / 7) == "estimated (smoothed) 86%"
    assert figures.smoothed_percent(0.125) == 13  # half up, not to even


@pytest.mark.parametrize(("index", "name"), [(0, "Group A"), (1, "Group B"), (25, "Group Z"), (26, "Group AA")])
def test_groups_have_one_name(index, name):
    assert figures.group_name(index) == name


def test_a_row_shows_counts_beside_shares_and_counts_passes_as_votes():
    row = figures.row("Group A", agree=3, disagree=1, votes=5)
    assert (row["pass"], row["agree_percent"], row["disagree_percent"]) == (1, 60, 20)
    assert row["text"] == "3 agree (60%), 1 disagree (20%) of 5 votes"
    assert figures.row("Group B", 0, 0, 0)["text"] == "0 agree, 0 disagree of 0 votes"


def test_a_statements_figures_come_from_one_entry_not_from_separate_tallies():
    entry = {
        "agree": 5,
        "disagree": 2,
        "pass": 1,
        "sectors": {"civil_society": {"agree": 2, "disagree": 2, "votes": 4}},
        "groups": [{"agree": 5, "disagree": 0, "votes": 5}, {"agree": 0, "disagree": 2, "votes": 3}],
        "group_informed_consensus": 0.25,
        "bridging": None,
    }
    shown = figures.statement_figures(entry, {"civil_society": "Civil society"}, tally=(99, 99, 99))
    assert shown["text"] == "5 agree (63%) · 2 disagree (25%) · 1 pass (13%) · 8 votes"
    assert [r["name"] for r in shown["sectors"] + shown["groups"]] == ["Civil society", "Group A", "Group B"]
    assert shown["groups"][0]["agree_percent"] == 100
    assert shown["consensus_text"] == "group-informed consensus, estimated (smoothed) 25%"
    assert shown["bridging_text"] is None
    assert (
        figures.statement_figures(None, {}, tally=(1, 0, 0))["text"]
        == "1 agree (100%) · 0 disagree (0%) · 0 pass (0%) · 1 vote"
    )


def test_a_published_snapshot_is_shown_by_the_same_definition():
    snapshot = {
        "agree": 2,
        "disagree": 1,
        "pass": 0,
        "sectors": [{"name": "Civil society", "agree": 2, "disagree": 1, "votes": 3}],
        "groups": [{"name": "Opinion group A", "agree": 2, "disagree": 1, "votes": 3}],
        "consensus": 0.5,
    }
    shown = figures.restate(snapshot)
    assert [r["name"] for r in shown["groups"]] == ["Group A"]
    assert shown["sectors"][0]["text"] == "2 agree (67%), 1 disagree (33%) of 3 votes"


def test_what_sets_a_group_apart_claims_more_than_others_only_when_the_ratio_says_so():
    row = figures.row("Group A", 5, 0, 5)
    assert figures.representative_text(row, "disagree", 0.4) == "5 agree (100%), 0 disagree (0%) of 5 votes"
    assert figures.representative_text(row, "agree", 1.5).startswith("Agrees more than the other groups: 5 agree")


def test_a_report_cached_before_display_names_gets_them():
    old = {
        "groups": [{"id": 0, "members": 3}],
        "statements": [
            {"agree": 1, "disagree": 1, "pass": 0, "groups": [{"agree": 1, "disagree": 0, "votes": 1}], "sectors": {}}
        ],
    }
    report = figures.displayed(old)
    assert report["groups"][0]["name"] == "Group A"
    assert report["statements"][0]["groups"][0] == {
        "id": 0,
        "name": "Group A",
        "agree": 1,
        "disagree": 0,
        "votes": 1,
        "agree_percent": 100,
        "disagree_percent": 0,
    }
    assert report["statements"][0]["agree_percent"] == 50
