"""The worker's own jobs: search drains queued after commits, the catch-up, and the daily digest."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g

from consult.agreement import services as agreement
from consult.agreement.models import AnalysisCache, Statement, Voter
from consult.jobs import tasks
from consult.notifications.models import EmailMode, Notification, NotificationKind
from consult.search import queue as search_queue
from tests.factories import make_process
from tests.jobs.running import run_next


def names(huey) -> list[str]:
    return sorted(task.name for task in huey.pending())


def commit_a_statement(app, db, process_id: int, text: str) -> None:
    """A change committed in an app context, as a request or command makes it; its teardown queues the drain."""
    with app.app_context():
        g.db_session = db
        db.add(Statement(process_id=process_id, text=text))
        db.commit()


def test_commits_queue_one_search_drain_at_a_time(app, huey, db):
    process = make_process(db)
    commit_a_statement(app, db, process.id, "Indexed by the worker")
    commit_a_statement(app, db, process.id, "Indexed by the same drain")
    assert names(huey) == ["drain_job"], "two commits, one drain waiting"
    assert search_queue.has_pending(db), "nothing was indexed in the request"
    run_next(app, huey)
    assert not search_queue.has_pending(db)
    commit_a_statement(app, db, process.id, "Indexed by the next drain")
    assert names(huey) == ["drain_job"], "after it ran, the next commit queues another"


def test_the_catch_up_refreshes_stale_analyses_and_drains_search(app, huey, db):
    process = make_process(db)
    statement = Statement(process_id=process.id, text="Voted on outside any request")
    voter = Voter(process_id=process.id, external_id="v1")
    db.add_all([statement, voter])
    db.flush()
    agreement.record_vote(db, statement, voter, "agree")
    db.commit()
    assert agreement.stale_processes(db) == [process.id] and search_queue.has_pending(db)
    with app.app_context():
        done = tasks.run_catch_up.call_local()
    assert done == {"refreshed": 1, "search": 1}
    assert db.get(AnalysisCache, process.id).vote_events == 1
    assert agreement.stale_processes(db) == [] and not search_queue.has_pending(db)
    with app.app_context():
        assert tasks.run_catch_up.call_local() == {"refreshed": 0, "search": 0}


def test_the_daily_digest_job_queues_each_persons_digest_once(app, huey, db, make_user):
    person = make_user(notification_email=EmailMode.DAILY)
    db.add(
        Notification(
            user_id=person.id,
            kind=NotificationKind.NEW_THREAD,
            message="A new thread",
            target_type="thread",
            target_id=1,
        )
    )
    db.commit()
    with app.app_context():
        assert tasks.run_digests.call_local() == 1
        assert tasks.run_digests.call_local() == 0, "each notification is emailed once"
    waiting = huey.pending()
    assert [t.name for t in waiting] == ["deliver"]
    assert waiting[0].args[:2] == (person.email, "consult: 1 new notification")
    assert db.scalar(sa.select(Notification.emailed_at).where(Notification.user_id == person.id)) is not None
