"""The opinion groups' state carried between refreshes: JSON round trip, warm starts, --force and bad states."""

from __future__ import annotations

import json

import numpy as np
import sqlalchemy as sa

from consult.agreement import clustering, services
from consult.agreement.models import AnalysisCache, Statement, Voter
from tests.agreement.test_polis_updates import camps
from tests.factories import make_process


def test_state_round_trips_through_json_exactly():
    points = camps([(-4, 0), (4, 0), (0, 7)], 40)
    names = [str(n) for n in range(120)]
    _, _, state = clustering.update_groups(names, points)
    _, _, state = clustering.update_groups(names, points + 0.1, state)
    stored = json.loads(json.dumps(state.to_json()))
    back = clustering.GroupingState.from_json(stored)
    assert back.to_json() == state.to_json()
    assert back.base.members == state.base.members and np.array_equal(back.base.centres, state.base.centres)
    moved = points + 0.2
    a, sa_, next_a = clustering.update_groups(names, moved, state)
    b, sb, next_b = clustering.update_groups(names, moved, back)
    assert np.array_equal(a, b) and sa_ == sb and next_a.to_json() == next_b.to_json()


def polarised(db, slug: str):
    """A small process with two camps of voters, and its first analysis."""
    process = make_process(db, slug=slug)
    statements = [Statement(process_id=process.id, text=f"Statement {n}") for n in range(8)]
    voters = [Voter(process_id=process.id, external_id=str(n)) for n in range(30)]
    db.add_all(statements + voters)
    db.flush()
    noise = np.random.default_rng(7).random((len(voters), len(statements))) < 0.2
    for n, voter in enumerate(voters):
        for m, statement in enumerate(statements):
            with_camp = ((n % 2) == (m % 2)) != noise[n, m]
            services.record_vote(db, statement, voter, "agree" if with_camp else "disagree")
    return process, services.refresh_analysis(db, process.id)


def test_a_refresh_warm_starts_from_the_stored_state_and_nothing_reshuffles(db):
    process, cache = polarised(db, "warm")
    first = dict(cache.report["participants"])
    stored = cache.grouping_state
    assert stored is not None and stored["smoothed_k"] == 2
    again = services.refresh_analysis(db, process.id, force=False, start=clustering.GroupingState.from_json(stored))
    assert again.report["participants"] == first
    assert again.grouping_state["base"] == stored["base"]
    assert again.grouping_state["last_k_count"] == stored["last_k_count"] + 1, "one more update of the smoother"


def test_force_starts_clean(db):
    process, cache = polarised(db, "forced")
    warm = services.refresh_analysis(db, process.id, start=clustering.GroupingState.from_json(cache.grouping_state))
    assert warm.grouping_state["last_k_count"] == 2
    forced = services.refresh_analysis(db, process.id, force=True)
    assert forced.grouping_state["last_k_count"] == 1, "a first run: no history"


def test_a_corrupt_or_foreign_stored_state_falls_back_to_a_clean_start(db, client):
    process, cache = polarised(db, "corrupt")
    expected = dict(cache.report["participants"])
    for bad in ({"version": 999}, {"version": 1, "base": {"ids": "x"}}, [1, 2], {"version": 1}):
        db.execute(
            sa.update(AnalysisCache)
            .where(AnalysisCache.process_id == process.id)
            .values(grouping_state=bad, vote_events=0)
        )
        db.expire_all()
        refreshed = services.refresh_analysis(db, process.id)
        assert refreshed.report["participants"] == expected
        assert refreshed.grouping_state["last_k_count"] == 1
    db.commit()
    assert client.get("/processes/corrupt/agreement").status_code == 200
