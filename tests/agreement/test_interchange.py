"""Polis import, report and export through the CLI; votes as upserts, including fifty voters at once."""

from __future__ import annotations

import csv
import json
import shutil
import threading
from collections import Counter

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult.agreement import services
from consult.agreement.models import AnalysisCache, Statement, StatementStatus, Vote, VoteEvent, Voter
from consult.errors import ValidationError
from consult.processes.models import Process
from tests.agreement.polisdata import DATA
from tests.agreement.polisdb import database_url, engine  # noqa: F401 - the imported conversations' database
from tests.agreement.test_analysis import latest_votes_by_hand
from tests.factories import make_process, make_user

BREXIT = DATA / "brexit-consensus"

pytestmark = pytest.mark.xdist_group("polis")  # reads the conversations imported once (conftest.py)


def run(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    return result


def in_process(model, process: Process):
    """Count the process's rows of a vote table (the polis database holds other imported conversations too)."""
    statements = sa.select(Statement.id).where(Statement.process_id == process.id)
    return sa.select(sa.func.count()).select_from(model).where(model.statement_id.in_(statements))


def test_import_keeps_every_event_and_the_latest_vote_counts(db, imported_brexit):
    process = db.scalar(sa.select(Process).where(Process.slug == imported_brexit))
    with BREXIT.joinpath("votes.csv").open() as handle:
        events = sum(1 for _ in handle) - 1
    assert db.scalar(in_process(VoteEvent, process)) == events
    assert db.scalar(in_process(Vote, process)) == len(latest_votes_by_hand("brexit-consensus"))
    voters = db.scalars(sa.select(Voter.external_id).where(Voter.process_id == process.id)).all()
    assert "0" in voters and all(v.isdigit() for v in voters)
    assert db.scalar(sa.select(sa.func.count()).select_from(Statement).where(Statement.process_id == process.id)) == 50


def test_report_json_has_polis_ids_and_exact_tallies(app, db, imported_brexit):
    result = run(app, "agreement", "report", imported_brexit, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report["participants"]) == {str(p) for p, _ in latest_votes_by_hand("brexit-consensus")}
    assert all(v is None or isinstance(v, int) for v in report["participants"].values())
    expected = Counter()
    for (_, comment), vote in latest_votes_by_hand("brexit-consensus").items():
        expected[(str(comment), vote)] += 1
    for entry in report["statements"]:
        assert entry["agree"] == expected[(entry["id"], 1)]
        assert entry["disagree"] == expected[(entry["id"], -1)]
        assert entry["pass"] == expected[(entry["id"], 0)]
        assert 0 < entry["group_informed_consensus"] < 1
    assert len(report["groups"]) >= 2
    # The groups the pages show (they have history), not a fresh batch run's.
    db.expire_all()
    process_id = db.scalar(sa.select(Process.id).where(Process.slug == imported_brexit))
    assert report["participants"] == db.get(AnalysisCache, process_id).report["participants"]


def test_export_round_trips(app, db, tmp_path, imported_brexit):
    out = tmp_path / "export"
    result = run(app, "agreement", "export-polis", imported_brexit, str(out))
    assert result.exit_code == 0, result.output
    for name in ("comments.csv", "votes.csv", "participants-votes.csv"):
        assert (out / name).exists()
    shutil.copy(BREXIT / "summary.csv", out / "summary.csv")
    again = run(app, "agreement", "import-polis", str(out), "--process", "brexit-again")
    assert again.exit_code == 0, again.output
    first = json.loads(run(app, "agreement", "report", imported_brexit, "--json").output)
    second = json.loads(run(app, "agreement", "report", "brexit-again", "--json").output)
    tallies = lambda report: {s["id"]: (s["agree"], s["disagree"], s["pass"]) for s in report["statements"]}  # noqa: E731
    assert tallies(first) == tallies(second)
    with (out / "participants-votes.csv").open() as handle:
        header = next(csv.reader(handle))
    assert header[:6] == ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]


def test_import_starts_from_the_replayed_history_and_export_carries_the_published_groups(
    app, db, tmp_path, imported_brexit
):
    """The import replays the vote history, so brexit-consensus shows Polis's 2 groups (a batch run finds 3)."""
    process = db.scalar(sa.select(Process).where(Process.slug == imported_brexit))
    cache = db.get(AnalysisCache, process.id)
    assert len(cache.report["groups"]) == 2 and cache.grouping_state["smoothed_k"] == 2
    report, stamp = json.dumps(cache.report, sort_keys=True), cache.computed_at
    assert "up to date" in run(app, "agreement", "refresh", imported_brexit).output
    db.expire_all()
    cache = db.get(AnalysisCache, process.id)
    assert json.dumps(cache.report, sort_keys=True) == report and cache.computed_at == stamp
    out = tmp_path / "export"
    assert run(app, "agreement", "export-polis", imported_brexit, str(out)).exit_code == 0
    with (out / "participants-votes.csv").open() as handle:
        exported = {row["participant"]: row["group-id"] for row in csv.DictReader(handle)}
    published = {p: "" if g is None else str(g) for p, g in cache.report["participants"].items()}
    assert exported == published


def test_malformed_import_names_the_line_and_imports_nothing(app, db, tmp_path):
    folder = tmp_path / "bad"
    shutil.copytree(BREXIT, folder)
    lines = (folder / "votes.csv").read_text().splitlines()
    lines[100] = lines[100].rsplit(",", 1)[0] + ",maybe"
    (folder / "votes.csv").write_text("\n".join(lines) + "\n")
    processes_before = db.scalar(sa.select(sa.func.count()).select_from(Process))
    statements_before = db.scalar(sa.select(sa.func.count()).select_from(Statement))
    result = run(app, "agreement", "import-polis", str(folder), "--process", "bad")
    assert result.exit_code != 0
    assert "votes.csv line 101" in result.output and "Nothing was imported" in result.output
    assert db.scalar(sa.select(sa.func.count()).select_from(Process)) == processes_before
    assert db.scalar(sa.select(sa.func.count()).select_from(Statement)) == statements_before


def test_import_into_an_existing_process_is_refused(app, db):
    make_process(db, slug="taken")
    result = run(app, "agreement", "import-polis", str(BREXIT), "--process", "taken")
    assert result.exit_code != 0 and "already exists" in result.output


def test_voting_again_replaces_the_vote_and_keeps_the_history(app, db):
    process = make_process(db)
    with app.app_context():
        user = make_user(db)
        statement = Statement(process_id=process.id, text="Share only a yes/no flag")
        db.add(statement)
        db.flush()
        voter = services.voter_for(db, process.id, user.id)
        services.record_vote(db, statement, voter, "agree")
        services.record_vote(db, statement, voter, "disagree", reason="Changed my mind")
    assert db.scalars(sa.select(Vote.value).where(Vote.statement_id == statement.id)).all() == [-1]
    events = sa.select(VoteEvent.value).where(VoteEvent.statement_id == statement.id).order_by(VoteEvent.id)
    assert db.scalars(events).all() == [1, -1]
    statement.status = StatementStatus.REJECTED
    with pytest.raises(ValidationError, match="not open for votes"):
        services.record_vote(db, statement, voter, "agree")


def test_fifty_concurrent_voters_are_counted_exactly_once(engine):  # noqa: F811 - the polis database's
    """Fifty people vote (twice each, at once) on one statement through separate connections."""
    from consult.accounts.models import User

    writers = engine.execution_options(consult_write=True)
    with Session(writers) as setup:
        process = make_process(setup, slug="vote-race")
        statement = Statement(process_id=process.id, text="Race")
        people = [
            User(email=f"racer{n}@example.org", display_name=f"R{n}", password_hash="x", sector="academic")
            for n in range(50)
        ]
        setup.add_all([statement, *people])
        setup.commit()
        statement_id, process_id, user_ids = statement.id, process.id, [p.id for p in people]
    errors: list[Exception] = []
    barrier = threading.Barrier(len(user_ids))

    def vote(user_id: int) -> None:
        barrier.wait(timeout=20)
        for value in ("disagree", "agree"):
            try:
                with Session(writers) as session:
                    voter = services.voter_for(session, process_id, user_id)
                    services.record_vote(session, session.get(Statement, statement_id), voter, value)
                    session.commit()
            except Exception as error:  # every failure is the finding
                errors.append(error)

    try:
        workers = [threading.Thread(target=vote, args=(user_id,)) for user_id in user_ids]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert errors == []
        with Session(engine) as check:
            values = check.scalars(sa.select(Vote.value).where(Vote.statement_id == statement_id)).all()
            events = check.scalar(
                sa.select(sa.func.count()).select_from(VoteEvent).where(VoteEvent.statement_id == statement_id)
            )
            voters = check.scalar(sa.select(sa.func.count()).select_from(Voter).where(Voter.process_id == process_id))
        assert sorted(values) == [1] * 50, "one current vote each, the later one"
        assert events == 100 and voters == 50
    finally:
        with Session(writers) as cleanup:
            cleanup.execute(sa.delete(Process).where(Process.slug == "vote-race"))
            cleanup.execute(sa.delete(User).where(User.email.like("racer%@example.org")))
            cleanup.commit()


def test_cached_analysis_is_recomputed_only_when_votes_change(app, db, imported_brexit):
    process = db.scalar(sa.select(Process).where(Process.slug == imported_brexit))
    with app.app_context():
        cache = services.refresh_analysis(db, process.id)
        stamp, events, report = cache.computed_at, cache.vote_events, cache.report
        assert services.refresh_analysis(db, process.id).computed_at == stamp, "unchanged votes: no recompute"
        statement = db.scalar(sa.select(Statement).where(Statement.process_id == process.id).limit(1))
        voter = db.scalar(sa.select(Voter).where(Voter.process_id == process.id).limit(1))
        services.record_vote(db, statement, voter, "pass")
        refreshed = services.refresh_analysis(db, process.id)
    assert refreshed.vote_events == events + 1
    assert refreshed.computed_at > stamp
    before = next(e for e in report["statements"] if e["statement"] == statement.id)
    after = next(e for e in refreshed.report["statements"] if e["statement"] == statement.id)
    assert after["agree"] + after["disagree"] + after["pass"] >= before["agree"] + before["disagree"] + before["pass"]
