"""Daily digests: each person's setting per kind decides what goes in; one digest per person per London day, however
often the command runs and even when two runs overlap; a failed mail is tried again on the next run."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult import mail_delivery
from consult.accounts.models import User
from consult.notifications.models import Notification, NotificationDigest, NotificationKind
from consult.notifications.notification_emails import send_due_digests
from tests.factories import make_group, make_process, make_thread

K = NotificationKind
# 20:00 UTC on a winter day is 20:00 in London; two hours later it is the next London day.
EVENING = datetime(2026, 12, 2, 20, 0, tzinfo=UTC)


def add(db, user, kind: NotificationKind, message: str, target_id: int, **extra) -> Notification:
    notification = Notification(
        user_id=user.id, kind=kind, message=message, target_type="thread", target_id=target_id, anchor="", **extra
    )
    db.add(notification)
    return notification


@pytest.fixture
def thread(db, make_user):
    author = make_user()
    return make_thread(db, make_group(db, make_process(db), members=[author]), author)


def test_each_setting_decides_which_kinds_go_in_the_digest(app, db, make_user, thread, outbox):
    both_daily = make_user(decision_email="daily")
    default = make_user()  # everything else daily, decisions each time (already mailed when they happened)
    quiet = make_user(notification_email="none", decision_email="none")
    gone = make_user(disabled=True)
    add(db, both_daily, K.THREAD_REPLY, "Someone replied", thread.id)
    add(db, both_daily, K.STATEMENT_DECIDED, "Your statement was rejected", thread.id, detail="Reason: Two in one")
    add(db, default, K.NEW_THREAD, "A new thread", thread.id)
    add(db, default, K.COMMENT_MODERATED, "Hidden at once", thread.id, emailed_at=EVENING - timedelta(hours=1))
    add(db, quiet, K.THREAD_REPLY, "Never mailed", thread.id)
    add(db, gone, K.THREAD_REPLY, "Disabled", thread.id)
    db.commit()
    with app.app_context():
        assert send_due_digests(db, EVENING) == 2
    by_address = {m["To"]: m for m in outbox()}
    assert set(by_address) == {both_daily.email, default.email}
    body = by_address[both_daily.email].get_content()
    assert "Someone replied" in body and "Your statement was rejected" in body and "Reason: Two in one" in body
    assert by_address[both_daily.email]["Subject"] == "consult: 2 new notifications"
    assert "Hidden at once" not in by_address[default.email].get_content(), "mailed when it happened"
    assert f"/threads/{thread.id}" in body


def test_a_digest_goes_once_a_day_whatever_the_number_of_runs(app, db, make_user, thread, outbox):
    person = make_user()
    add(db, person, K.THREAD_REPLY, "First", thread.id)
    db.commit()
    with app.app_context():
        assert send_due_digests(db, EVENING) == 1
        add(db, person, K.THREAD_REPLY, "Second", thread.id)
        db.commit()
        assert send_due_digests(db, EVENING + timedelta(hours=1)) == 0, "the same London day: it waits"
        assert send_due_digests(db, EVENING + timedelta(hours=5)) == 1, "the next London day"
        assert send_due_digests(db, EVENING + timedelta(hours=6)) == 0
    first, second = sorted(outbox(), key=lambda m: m.get_content().find("Second"))
    assert "First" in first.get_content() and "Second" not in first.get_content()
    assert "Second" in second.get_content() and "First" not in second.get_content()
    periods = db.scalars(sa.select(NotificationDigest.period).where(NotificationDigest.user_id == person.id)).all()
    assert sorted(periods) == [EVENING.date(), EVENING.date() + timedelta(days=1)]


def test_a_digest_another_run_has_claimed_is_not_sent_again(app, db, make_user, thread, outbox):
    person = make_user()
    add(db, person, K.THREAD_REPLY, "Waiting", thread.id)
    db.add(NotificationDigest(user_id=person.id, period=EVENING.date(), items=3, sent_at=EVENING))
    db.commit()
    with app.app_context():
        assert send_due_digests(db, EVENING) == 0
    assert outbox() == []


def test_a_mail_that_fails_is_sent_by_the_next_run(app, db, make_user, thread, outbox, monkeypatch):
    person = make_user()
    waiting = add(db, person, K.THREAD_REPLY, "Waiting", thread.id)
    db.commit()

    def down(*_args, **_kwargs):
        raise OSError("mail server down")

    with app.app_context():
        monkeypatch.setattr(mail_delivery, "send", down)
        assert send_due_digests(db, EVENING) == 0
        assert db.get(Notification, waiting.id, populate_existing=True).emailed_at is None
        assert db.scalar(sa.select(NotificationDigest).where(NotificationDigest.user_id == person.id)) is None
        monkeypatch.undo()
        assert send_due_digests(db, EVENING + timedelta(minutes=10)) == 1
    (message,) = outbox()
    assert "Waiting" in message.get_content()


def test_the_scheduled_command_sends_due_digests(app, db, make_user, thread, outbox):
    person = make_user()
    add(db, person, K.THREAD_REPLY, "From the command", thread.id)
    db.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["notifications", "send-digests"])
    assert result.exit_code == 0, result.output
    assert "digests: 1 sent" in result.output
    assert "digests: 0 sent" in runner.invoke(args=["notifications", "send-digests"]).output
    assert len(outbox()) == 1


def test_two_runs_at_once_send_one_digest(engine, app):
    """Real concurrent transactions (SQLite or PostgreSQL): both runs see the digest due; the unique claim lets one
    of them send it."""
    writers = engine.execution_options(consult_write=True)
    with Session(writers) as setup:
        person = User(email="digest-race@example.org", display_name="Racer", password_hash="x", sector="academic")
        setup.add(person)
        setup.flush()
        setup.add(
            Notification(
                user_id=person.id, kind=K.NEW_MEETING, message="Race", target_type="meeting", target_id=1, anchor=""
            )
        )
        setup.commit()
        person_id = person.id
    sent: list[int] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        with app.app_context(), Session(writers, expire_on_commit=False) as session:
            barrier.wait(timeout=10)
            sent.append(send_due_digests(session, EVENING))

    try:
        workers = [threading.Thread(target=run) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert sorted(sent) == [0, 1]
        with app.app_context():
            mails = [m for m in mail_delivery.outbox_messages() if m["To"] == "digest-race@example.org"]
        assert len(mails) == 1
    finally:
        with Session(writers) as cleanup:
            cleanup.execute(sa.delete(User).where(User.id == person_id))
            cleanup.commit()
