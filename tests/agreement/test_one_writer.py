"""One writer per analysis (issue 17 item 2): refreshes of one process, however many run at once and in whatever
order, publish the same groups as one refresh would, and the cached vote count never goes backwards.

These tests need committed data seen by several connections, so they use a database of their own (not the
rolled-back test transaction), on SQLite (compare-and-set) and on PostgreSQL (advisory lock) alike.
"""

from __future__ import annotations

import itertools
import random
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from consult import create_app
from consult.agreement import analysis, refresher, services
from consult.agreement.models import AnalysisCache, Statement, Vote, VoteEvent, Voter
from consult.db import utcnow
from tests.conftest import empty_database, migrated_engine
from tests.factories import make_process

STATEMENTS, VOTERS = 12, 60


@pytest.fixture(scope="module")
def writer_engine(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[sa.Engine]:
    with migrated_engine(empty_database(tmp_path_factory, worker_id, "onewriter")) as engine:
        yield engine


@pytest.fixture(scope="module")
def writer_app(writer_engine: sa.Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    folder = tmp_path_factory.mktemp("onewriter-app")
    app = create_app(
        {
            "ENV": "testing",
            "TESTING": True,
            "DATABASE_URL": writer_engine.url.render_as_string(hide_password=False),
            "SECRET_KEY": "one-writer-secret-key-0123456789abcdef",
            "MAIL_OUTBOX": str(folder / "outbox"),
            "SEARCH_INDEX": str(folder / "search-index"),
            "RATELIMIT_ENABLED": False,
        }
    )
    yield app
    app.extensions["consult.engine"].dispose()


def two_camps(db: Session, process_id: int, seed: int, voters: int = VOTERS) -> None:
    """Statements and voters in two camps that disagree (so there are groups), votes drawn from a fixed seed."""
    rng = random.Random(seed)
    statements = [Statement(process_id=process_id, text=f"Statement {n}") for n in range(STATEMENTS)]
    people = [Voter(process_id=process_id, external_id=f"v{seed}-{n}") for n in range(voters)]
    db.add_all(statements + people)
    db.flush()
    rows = []
    for n, voter in enumerate(people):
        for m, statement in enumerate(statements):
            if rng.random() < 0.8:
                leaning = 1 if (m % 2 == n % 2) else -1
                value = leaning if rng.random() < 0.85 else 0
                rows.append({"statement_id": statement.id, "voter_id": voter.id, "value": value, "voted_at": utcnow()})
    db.execute(sa.insert(Vote), rows)
    db.execute(sa.insert(VoteEvent), rows)
    db.commit()


def more_votes(db: Session, process_id: int, count: int, seed: int) -> None:
    """Change `count` existing votes (each is a new vote event), committing each, as voters do."""
    rng = random.Random(seed)
    statements = list(db.scalars(sa.select(Statement).where(Statement.process_id == process_id)))
    voters = list(db.scalars(sa.select(Voter).where(Voter.process_id == process_id)))
    for _ in range(count):
        services.record_vote(db, rng.choice(statements), rng.choice(voters), rng.choice(["agree", "disagree"]))
        db.commit()


def published(engine: sa.Engine, process_id: int) -> dict[str, Any]:
    with Session(engine) as db:
        cache = db.get(AnalysisCache, process_id)
        assert cache is not None
        return {"vote_events": cache.vote_events, "report": cache.report, "state": cache.grouping_state}


def set_cache(engine: sa.Engine, process_id: int, saved: dict[str, Any]) -> None:
    with Session(engine) as db:
        cache = db.get(AnalysisCache, process_id)
        cache.vote_events, cache.report, cache.grouping_state = saved["vote_events"], saved["report"], saved["state"]
        db.commit()


def refresh_in_threads(app: Flask, process_id: int, count: int) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def run() -> None:
        try:
            with app.app_context():
                barrier.wait(10)
                refresher.refresh(process_id)
        except BaseException as error:  # reported to the test below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


@pytest.fixture
def process_with_history(writer_app: Flask, writer_engine: sa.Engine) -> int:
    """A process whose cache holds one refresh, with newer votes cast since (so the next refresh has work)."""
    with writer_app.app_context(), Session(writer_engine.execution_options(consult_write=True)) as db:
        process = make_process(db)
        two_camps(db, process.id, seed=process.id)
        process_id = process.id
    with writer_app.app_context():
        refresher.refresh(process_id)
    with Session(writer_engine.execution_options(consult_write=True)) as db:
        more_votes(db, process_id, 25, seed=process_id + 1)
    return process_id


@pytest.mark.parametrize("workers", [2, 8])
def test_concurrent_refreshes_publish_what_one_refresh_publishes(
    writer_app, writer_engine, process_with_history, workers
):
    process_id = process_with_history
    before = published(writer_engine, process_id)
    with writer_app.app_context():
        refresher.refresh(process_id)
    one = published(writer_engine, process_id)
    assert one["vote_events"] == before["vote_events"] + 25
    assert one["report"]["groups"], "the two camps make opinion groups"

    set_cache(writer_engine, process_id, before)  # the same starting point, now with many workers
    assert refresh_in_threads(writer_app, process_id, workers) == []
    many = published(writer_engine, process_id)
    assert many == one, "the same groups, figures and Polis state whether one worker or many refreshed"


def test_an_older_result_never_overwrites_a_newer_one(writer_app, writer_engine, process_with_history, monkeypatch):
    """A refresh that computed from older votes, while another stored a newer result, does not write over it."""
    process_id = process_with_history
    real = analysis.analyse
    interleaved = []

    def analyse_then_let_another_refresh_finish(votes, state=None):
        result = real(votes, state)
        if not interleaved:
            interleaved.append(True)
            # Meanwhile: more votes, and another worker's refresh stores a result counting them.
            writers = writer_engine.execution_options(consult_write=True)
            with Session(writers) as db:
                more_votes(db, process_id, 5, seed=99)
            done = threading.Thread(target=lambda: run_refresh())
            done.start()
            if writer_engine.dialect.name == "postgresql":
                done.join(0.5)
                assert done.is_alive(), "PostgreSQL: the other refresh waits for this one's lock"
            else:
                done.join(30)
                assert not done.is_alive()
            threads.append(done)
        return result

    def run_refresh():
        with writer_app.app_context():
            refresher.refresh(process_id)

    threads: list[threading.Thread] = []
    monkeypatch.setattr(analysis, "analyse", analyse_then_let_another_refresh_finish)
    with Session(writer_engine) as db:
        total = services.queries.vote_event_count(db, process_id)
    run_refresh()
    for thread in threads:
        thread.join(30)
    final = published(writer_engine, process_id)
    assert final["vote_events"] == total + 5, "the newest votes are in the cache, not the older computation's"


def test_the_cached_vote_count_never_goes_backwards_while_votes_and_refreshes_race(
    writer_app, writer_engine, process_with_history
):
    process_id = process_with_history
    stop = threading.Event()
    seen: list[int] = []
    errors: list[BaseException] = []

    def watch() -> None:
        with Session(writer_engine) as db:
            while not stop.is_set():
                cached = sa.select(AnalysisCache.vote_events).where(AnalysisCache.process_id == process_id)
                seen.append(db.scalar(cached))
                db.rollback()

    def vote() -> None:
        with Session(writer_engine.execution_options(consult_write=True)) as db:
            more_votes(db, process_id, 30, seed=7)

    def refresh_repeatedly() -> None:
        try:
            with writer_app.app_context():
                for _ in range(6):
                    refresher.refresh(process_id)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=watch), threading.Thread(target=vote)]
    threads += [threading.Thread(target=refresh_repeatedly) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads[1:]:
        thread.join(120)
    with writer_app.app_context():
        refresher.refresh(process_id)  # the last votes, after the race
    stop.set()
    threads[0].join(10)
    assert errors == []
    assert seen and all(a <= b for a, b in itertools.pairwise(seen)), "the count went backwards"
    with Session(writer_engine) as db:
        assert published(writer_engine, process_id)["vote_events"] == services.queries.vote_event_count(db, process_id)
