"""The cached analysis is recomputed off the request path: after the vote commits, by a queued job or by cron."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult import create_app
from consult.accounts.models import User
from consult.agreement import analysis, services
from consult.agreement.models import AnalysisCache, Statement, Voter
from consult.jobs import queue as jobs
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


@pytest.fixture
def queued_jobs():
    """Jobs go to a real (SQLite) huey queue during the test instead of running at once; restored after."""
    yield jobs.huey
    jobs.huey.immediate = True


def refresh_jobs(huey):
    """Refresh jobs in the queue (a delayed job waits there until a worker moves it to the schedule)."""
    return [t for t in huey.pending() + huey.scheduled() if t.name == "refresh_job"]


def test_a_vote_queues_one_refresh_for_later_which_the_worker_runs(
    app_config,
    engine,  # noqa: F811 - the polis database's
    analyse_calls,
    queued_jobs,
    tmp_path,
):
    """A real app on its own engine: votes queue one delayed refresh job; the request never runs the analysis."""
    app = create_app(
        app_config
        | {"JOBS_IMMEDIATE": False, "JOBS_URL": f"sqlite:///{tmp_path}/jobs.sqlite3", "AGREEMENT_REFRESH_SECONDS": 60}
    )
    writers = engine.execution_options(consult_write=True)
    with app.app_context(), Session(writers, expire_on_commit=False) as setup:
        process = make_process(setup, slug="queued-refresh")
        statements = [Statement(process_id=process.id, text=f"Refresh me {n}") for n in range(2)]
        setup.add_all(statements)
        setup.commit()
        voter = make_user(setup, email="queued-voter@example.org")
    try:
        client = app.test_client()
        token = csrf_from(client.get("/account/sign-in").get_data(as_text=True))
        client.post(
            "/account/sign-in", data={"csrf_token": token, "email": voter.email, "password": "correct horse battery"}
        )
        token = csrf_from(client.get("/account/").get_data(as_text=True))
        for statement in statements:
            response = client.post(
                f"/processes/queued-refresh/statements/{statement.id}/vote",
                data={"csrf_token": token, "value": "agree"},
            )
            assert response.status_code == 302
        assert analyse_calls == [], "no analysis in the request, and no thread started"
        waiting = refresh_jobs(queued_jobs)
        assert len(waiting) == 1, "two votes, one refresh waiting"
        assert waiting[0].args == (process.id,)
        task = queued_jobs.dequeue()
        assert task.eta is not None, "it waits AGREEMENT_REFRESH_SECONDS so later votes join it"
        with app.app_context():
            queued_jobs.execute(task, timestamp=task.eta)  # as the worker does once the delay is over
        assert len(analyse_calls) == 1
        with Session(engine) as check:
            assert check.get(AnalysisCache, process.id).vote_events == 2
        client.post(
            f"/processes/queued-refresh/statements/{statements[0].id}/vote",
            data={"csrf_token": token, "value": "disagree"},
        )
        assert len(refresh_jobs(queued_jobs)) == 1, "a vote after it queues another"
    finally:
        with Session(writers) as cleanup:
            cleanup.execute(sa.delete(Process).where(Process.slug == "queued-refresh"))
            cleanup.execute(sa.delete(User).where(User.email == "queued-voter@example.org"))
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
