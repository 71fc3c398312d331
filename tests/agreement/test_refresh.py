"""The cached analysis is recomputed off the request path: after the vote commits, by the refresher or by cron."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult import create_app
from consult.accounts.models import User
from consult.agreement import analysis, refresher, services
from consult.agreement.models import AnalysisCache, Statement, Voter
from consult.processes.models import Process
from tests.agreement.polisdb import database_url, engine  # noqa: F401 - the imported conversations' database
from tests.factories import csrf_from, make_process, make_user

pytestmark = pytest.mark.xdist_group("polis")  # reads the conversations imported once (conftest.py)


@pytest.fixture
def analyse_calls(monkeypatch):
    """Every call of the analysis, with the name of the thread it ran on."""
    calls: list[str] = []
    real = analysis.analyse

    def counted(votes, state=None):
        calls.append(threading.current_thread().name)
        return real(votes, state)

    monkeypatch.setattr(analysis, "analyse", counted)
    return calls


def test_refresher_runs_in_a_thread_one_at_a_time_and_folds_requests_made_meanwhile():
    started, release = threading.Event(), threading.Event()
    runs: list[tuple[int, str]] = []
    running = []

    def run(process_id: int) -> None:
        running.append(process_id)
        assert running.count(process_id) == 1, "never two runs at once for one process"
        runs.append((process_id, threading.current_thread().name))
        started.set()
        release.wait(5)
        running.remove(process_id)

    worker = refresher.Refresher(run, interval=0)
    worker.schedule(1)
    assert started.wait(5)
    for _ in range(5):
        worker.schedule(1)  # all while the first run is going: they make one more run, not five
    release.set()
    assert worker.wait(5)
    assert [p for p, _ in runs] == [1, 1]
    assert all(name == "agreement-1" for _, name in runs)


def test_refresher_spaces_runs_of_one_process_by_the_interval():
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    runs: list[int] = []
    worker = refresher.Refresher(runs.append, interval=10, clock=lambda: now[0], sleep=sleep)
    worker.schedule(1)
    assert worker.wait(5)
    now[0] += 3
    worker.schedule(1)
    worker.schedule(2)
    assert worker.wait(5)
    assert sorted(runs) == [1, 1, 2]
    assert slept == [pytest.approx(7)], "the second run of process 1 waits out its interval; process 2 does not"


def test_a_vote_returns_before_the_analysis_which_runs_in_the_background(
    app_config,
    engine,  # noqa: F811 - the polis database's
    analyse_calls,
):
    """A real app on its own engine (no shared test session): the vote's request never runs the analysis."""
    app = create_app(app_config | {"AGREEMENT_REFRESH": "background", "AGREEMENT_REFRESH_SECONDS": 0})
    writers = engine.execution_options(consult_write=True)
    with app.app_context(), Session(writers, expire_on_commit=False) as setup:
        process = make_process(setup, slug="background-refresh")
        statement = Statement(process_id=process.id, text="Refresh me")
        setup.add(statement)
        setup.commit()
        voter = make_user(setup, email="background-voter@example.org")
    try:
        client = app.test_client()
        token = csrf_from(client.get("/account/sign-in").get_data(as_text=True))
        client.post(
            "/account/sign-in", data={"csrf_token": token, "email": voter.email, "password": "correct horse battery"}
        )
        token = csrf_from(client.get("/account/").get_data(as_text=True))
        response = client.post(
            f"/processes/background-refresh/statements/{statement.id}/vote",
            data={"csrf_token": token, "value": "agree"},
        )
        assert response.status_code == 302
        assert refresher.for_app(app).wait(30)
        assert analyse_calls == ["agreement-" + str(process.id)], "computed once, on the refresher's thread"
        with Session(engine) as check:
            assert check.get(AnalysisCache, process.id).vote_events == 1
    finally:
        with Session(writers) as cleanup:
            cleanup.execute(sa.delete(Process).where(Process.slug == "background-refresh"))
            cleanup.execute(sa.delete(User).where(User.email == "background-voter@example.org"))
            cleanup.commit()
        app.extensions["consult.engine"].dispose()  # the app's own pool: close its connections now


def test_with_refresh_off_a_vote_only_makes_the_cache_stale(app, client, login, make_user, db, analyse_calls):
    app.config["AGREEMENT_REFRESH"] = "off"
    process = make_process(db, slug="stale")
    statement = Statement(process_id=process.id, text="Counted later")
    db.add(statement)
    db.commit()
    login(make_user())
    token = csrf_from(client.get("/account/").get_data(as_text=True))
    client.post(f"/processes/stale/statements/{statement.id}/vote", data={"csrf_token": token, "value": "agree"})
    assert analyse_calls == []
    assert db.get(AnalysisCache, process.id) is None
    assert services.stale_processes(db) == [process.id]
    assert "being worked out from the first 1 vote" in client.get("/processes/stale/agreement").get_data(as_text=True)


def imported_process(db, slug: str) -> Process:
    return db.scalar(sa.select(Process).where(Process.slug == slug))


def cast_one_more_vote(db, process: Process) -> None:
    statement = db.scalar(sa.select(Statement).where(Statement.process_id == process.id).limit(1))
    voter = db.scalar(sa.select(Voter).where(Voter.process_id == process.id).limit(1))
    services.record_vote(db, statement, voter, "pass")
    db.commit()


def test_the_refresh_command_recomputes_only_stale_caches(app, db, analyse_calls, imported_brexit):
    process = imported_process(db, imported_brexit)
    other = make_process(db, slug="quiet")
    before = db.get(AnalysisCache, process.id)
    events, stamp = before.vote_events, before.computed_at
    runner = app.test_cli_runner()
    assert "every analysis is up to date" in runner.invoke(args=["agreement", "refresh"]).output
    cast_one_more_vote(db, process)
    assert services.stale_processes(db) == [process.id]
    calls = len(analyse_calls)
    result = runner.invoke(args=["agreement", "refresh"])
    assert result.exit_code == 0, result.output
    assert f"refresh: {imported_brexit} from {events + 1} votes" in result.output
    assert len(analyse_calls) == calls + 1, "only the stale process was analysed"
    db.expire_all()
    cache = db.get(AnalysisCache, process.id)
    assert cache.vote_events == events + 1 and cache.computed_at > stamp
    assert db.get(AnalysisCache, other.id) is None, "a process without votes has nothing to analyse"
    assert "up to date" in runner.invoke(args=["agreement", "refresh", imported_brexit]).output
    forced = runner.invoke(args=["agreement", "refresh", imported_brexit, "--force"])
    assert f"refresh: {imported_brexit}" in forced.output and len(analyse_calls) == calls + 2
    assert runner.invoke(args=["agreement", "refresh", "nowhere"]).exit_code != 0


def test_read_only_pages_show_stale_figures_and_never_recompute(
    app, client, db, query_counter, monkeypatch, imported_brexit
):
    process = imported_process(db, imported_brexit)
    cast_one_more_vote(db, process)

    def refuse(votes, state=None):
        raise AssertionError("a read-only page ran the analysis")

    monkeypatch.setattr(analysis, "analyse", refuse)
    statement = db.scalar(sa.select(Statement).where(Statement.process_id == process.id).limit(1))
    base = f"/processes/{imported_brexit}"
    pages = [f"{base}/{path}" for path in ("agreement", "statements", "vote", "ledger", "mediation")]
    pages.append(f"{base}/statements/{statement.id}")
    client.get(f"{base}/statements")  # the first request after a commit also drains the search queue
    for path in pages:
        with query_counter() as queries:
            page = client.get(path)
        assert page.status_code == 200, path
        assert not [q for q in queries if q.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))], path
    for path in pages[0], pages[-1]:
        text = client.get(path).get_data(as_text=True)
        assert "Figures as of" in text and "1 newer vote is not counted yet: the figures are being updated" in text
