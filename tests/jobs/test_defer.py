"""A job is queued only once the transaction that caused it commits, and never if it rolls back."""

from __future__ import annotations

from consult.jobs import queue as jobs
from consult.jobs import tasks


def queued(huey) -> list[str]:
    return [task.name for task in huey.pending()]


def test_a_deferred_job_waits_for_the_commit(app, huey, db):
    with app.app_context():
        jobs.defer(db, tasks.run_catch_up)
        jobs.defer(db, tasks.run_catch_up)
        assert queued(huey) == [], "nothing before the commit"
        db.commit()
    assert queued(huey) == ["run_catch_up"], "once, after the commit"


def test_a_rolled_back_transaction_queues_nothing(app, huey, db):
    with app.app_context():
        jobs.defer(db, tasks.run_catch_up)
        db.rollback()
        db.commit()
    assert queued(huey) == []
