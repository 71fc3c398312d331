"""The job queue unreachable (Redis stopped): votes, comments and mail are not lost and no page fails."""

from __future__ import annotations

import sqlalchemy as sa

from consult.agreement import services as agreement
from consult.agreement.models import Statement, Vote
from tests.factories import csrf_from, make_process
from tests.jobs.smtp import closed_port


def test_with_the_queue_down_a_vote_is_kept_and_mail_is_sent_from_the_request(
    app, huey, client, db, login, make_user, outbox
):
    app.config["JOBS_URL"] = f"redis://127.0.0.1:{closed_port()}/0"
    from consult.jobs import queue

    queue.configure(app)
    assert not queue.reachable()
    process = make_process(db, slug="queue-down")
    statement = Statement(process_id=process.id, text="Counted even with the queue down")
    db.add(statement)
    db.commit()
    login(make_user())
    token = csrf_from(client.get("/account/").get_data(as_text=True))
    response = client.post(
        f"/processes/queue-down/statements/{statement.id}/vote", data={"csrf_token": token, "value": "agree"}
    )
    assert response.status_code == 302, "the client fails the test on any 500"
    assert db.scalar(sa.select(sa.func.count()).select_from(Vote).where(Vote.statement_id == statement.id)) == 1
    assert agreement.stale_processes(db) == [process.id], "left for the catch-up"

    with app.app_context():
        from consult import mail_delivery

        mail_delivery.send("someone@example.org", "Sent anyway", "The queue is down.")
    assert [m["Subject"] for m in outbox()] == ["Sent anyway"]
