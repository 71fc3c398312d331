"""Mail is sent by a job: a stopped or failing mail server delays it and never loses it (issue 17 faults)."""

from __future__ import annotations

import sqlalchemy as sa

from consult import mail_delivery
from consult.accounts.models import Role
from consult.jobs import worker
from consult.jobs.models import FailedJob
from tests.factories import post
from tests.jobs.running import run_next, run_scheduled
from tests.jobs.smtp import closed_port, fake_smtp


def use_smtp(app, port: int) -> None:
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)


def test_sending_only_queues_the_message(app, huey, outbox):
    with app.app_context():
        mail_delivery.send("someone@example.org", "Queued", "Sent by a worker.")
    assert outbox() == [], "nothing is sent in the request"
    assert huey.pending_count() == 1
    run_next(app, huey)
    assert [m["Subject"] for m in outbox()] == ["Queued"]


def test_a_refused_connection_keeps_the_message_queued_until_the_server_is_back(app, huey):
    use_smtp(app, closed_port())
    with app.app_context():
        mail_delivery.send("someone@example.org", "Your link", "Follow it.")
    tried_at = huey._get_timestamp()
    first = run_next(app, huey, at=tried_at)
    assert huey.pending_count() == 0 and huey.scheduled_count() == 1, "scheduled to try again, not dropped"
    again = huey.scheduled()[0]
    assert again.id == first.id and again.eta > tried_at, "the same message, tried later"
    run_scheduled(app, huey)  # the server is still down: scheduled again
    assert huey.scheduled_count() == 1
    with fake_smtp() as server:
        use_smtp(app, server.port)
        run_scheduled(app, huey)
        assert len(server.messages) == 1 and "Subject: Your link" in server.messages[0]
    assert huey.scheduled_count() == 0 and huey.pending_count() == 0


def test_the_wait_between_tries_grows_to_an_hour():
    waits = [mail_delivery.retry_delay(0, age) for age in (1, 120, 1800, 10**6)]
    assert waits == [30, 60, 900, 3600]


def test_a_permanent_refusal_is_a_failed_job_admins_can_queue_again(app, huey, db, client, make_user, login):
    worker.connect_signals(app)
    with fake_smtp() as server:
        server.reject_code = 550
        use_smtp(app, server.port)
        with app.app_context():
            mail_delivery.send("nobody@example.org", "Bounced", "No such mailbox.")
        run_next(app, huey)
        assert huey.scheduled_count() == 0, "a 5xx answer is not retried"
        failed = db.scalars(sa.select(FailedJob)).all()
        assert [(f.task_name, f.arguments[:2]) for f in failed] == [("deliver", ["nobody@example.org", "Bounced"])]
        assert "550" in failed[0].error

        admin = make_user(email="jobs-admin@example.org", roles=(Role.ADMIN,))
        login(admin)
        page = client.get("/admin/jobs").get_data(as_text=True)
        assert "deliver" in page and "550" in page and "Queue again" in page
        server.reject_code = None
        response = post(client, f"/admin/jobs/failed/{failed[0].id}")
        assert response.status_code == 302
        assert db.scalars(sa.select(FailedJob)).all() == []
        run_next(app, huey)
        assert len(server.messages) == 1 and "Subject: Bounced" in server.messages[0]


def test_people_cannot_see_or_retry_jobs(app, huey, client, make_user, login):
    login(make_user())
    assert client.get("/admin/jobs").status_code == 403
    assert post(client, "/admin/jobs/failed/1").status_code == 403


def test_admins_see_waiting_mail_by_recipient_and_subject_never_its_body(app, huey, client, make_user, login):
    with app.app_context():
        mail_delivery.send("waiting@example.org", "Reset your password", "https://example.org/reset/SECRET-TOKEN")
    login(make_user(roles=(Role.ADMIN,)))
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "waiting@example.org, Reset your password" in page
    assert "SECRET-TOKEN" not in page
