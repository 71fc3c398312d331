"""Database set-up: SQLite pragmas, IMMEDIATE write transactions, aware UTC datetimes."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult.accounts.models import Sector, SignInAttempt
from consult.db import make_engine, utcnow
from consult.migrations import upgrade


@pytest.fixture
def sqlite_file(tmp_path):
    url = "sqlite:///" + str(tmp_path / "concurrency.sqlite3")
    upgrade(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(sqlite_file):
    with sqlite_file.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_write_sessions_begin_immediate_and_read_sessions_do_not(sqlite_file):
    statements: list[str] = []
    sa.event.listen(sqlite_file, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with Session(sqlite_file.execution_options(consult_write=True)) as session:
        session.execute(sa.text("SELECT 1"))
    with Session(sqlite_file) as session:
        session.execute(sa.text("SELECT 1"))
    assert statements.count("BEGIN IMMEDIATE") == 1
    assert statements.count("BEGIN") == 1


def test_concurrent_read_then_write_transactions_never_fail_with_database_locked(sqlite_file):
    """The SECURITY.md measurement: deferred BEGIN lost about half of these; IMMEDIATE loses none."""
    writers = sqlite_file.execution_options(consult_write=True)
    errors: list[Exception] = []

    def worker(n: int) -> None:
        for i in range(25):
            try:
                with Session(writers) as session, session.begin():
                    session.scalar(sa.select(sa.func.count()).select_from(SignInAttempt))
                    session.add(SignInAttempt(email=f"w{n}-{i}@example.org"))
            except Exception as error:
                errors.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Session(sqlite_file) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(SignInAttempt)) == 200


def test_datetimes_are_stored_and_read_back_as_aware_utc(db):
    moment = datetime(2026, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=1)))
    db.add(SignInAttempt(email="tz@example.org", attempted_at=moment))
    db.flush()
    db.expire_all()
    stored = db.scalar(sa.select(SignInAttempt.attempted_at).where(SignInAttempt.email == "tz@example.org"))
    assert stored.tzinfo is not None
    assert stored == moment
    assert stored.utcoffset() == timedelta(0)


def test_naive_datetimes_are_refused(db):
    db.add(SignInAttempt(email="naive@example.org", attempted_at=datetime(2026, 1, 1)))
    with pytest.raises(sa.exc.StatementError, match="naive datetime"):
        db.flush()
    db.rollback()


def test_enums_are_checked_by_the_database(db):
    with pytest.raises(sa.exc.IntegrityError), db.begin_nested():
        db.execute(
            sa.text(
                "INSERT INTO organisations (name, sector, approved, created_at) VALUES ('Bad', 'aliens', false, :now)"
            ),
            {"now": utcnow()},
        )
    assert Sector("academic") is Sector.ACADEMIC
