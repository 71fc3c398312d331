"""Reports, the facilitators' queue, hiding and restoring, blocks, and the public moderation log."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consult.accounts.models import Role
from consult.discussions.models import Comment
from consult.moderation import services
from consult.moderation.models import ActionKind, ModerationAction, Report
from consult.processes.models import Membership
from tests.factories import make_group, make_process, make_thread, post, reload
from tests.refusals import REFUSAL, flushes_then_refuses, left_behind


@pytest.fixture
def scene(db, make_user):
    process = make_process(db)
    author = make_user(display_name="Author")
    reader = make_user(display_name="Reader")
    facilitator = make_user(roles=(Role.FACILITATOR,), display_name="Fiona Facilitator")
    group = make_group(db, process, members=[author, reader])
    thread = make_thread(db, group, author, replies=0)
    opening = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id))
    reply = Comment(thread_id=thread.id, parent_id=opening.id, author_id=author.id, body="Rude words here", depth=1)
    db.add(reply)
    db.flush()
    child = Comment(thread_id=thread.id, parent_id=reply.id, author_id=reader.id, body="A reply below", depth=2)
    db.add(child)
    db.commit()
    return process, group, thread, reply, author, reader, facilitator


def test_report_hide_restore_cycle_with_public_log(client, login, scene, db):
    process, _group, thread, reply, _author, reader, facilitator = scene
    login(reader)
    missing = post(client, f"/comments/{reply.id}/report", reason="")
    assert "Enter a reason" in missing.get_data(as_text=True)
    assert post(client, f"/comments/{reply.id}/report", reason="Personal attack").status_code == 302
    again = post(client, f"/comments/{reply.id}/report", reason="Again")
    assert "already reported" in again.get_data(as_text=True)
    assert db.scalar(sa.select(sa.func.count()).select_from(Report)) == 1
    assert client.get(f"/processes/{process.slug}/moderation/queue").status_code == 403

    login(facilitator)
    queue = client.get(f"/processes/{process.slug}/moderation/queue").get_data(as_text=True)
    assert "Personal attack" in queue and "Rude words here" in queue
    assert post(client, f"/comments/{reply.id}/moderate", action="hide", reason="Breaks rule 2").status_code == 302
    assert reload(db, reply).hidden_at is not None

    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "This comment was hidden by a facilitator. Reason: Breaks rule 2" in page
    assert "A reply below" in page, "replies stay in place"
    public = client.get(f"/processes/{process.slug}/moderation").get_data(as_text=True)
    assert "Fiona Facilitator" in public and "Hid a comment" in public and "Breaks rule 2" in public
    assert "Rude words here" not in public and "Rude words here" not in page
    assert "Personal attack" not in public, "the reporter's report is not published"
    assert "no open reports" in client.get(f"/processes/{process.slug}/moderation/queue").get_data(as_text=True)

    assert post(client, f"/comments/{reply.id}/moderate", action="restore", reason="On reflection").status_code == 302
    assert "Rude words here" in client.get(f"/threads/{thread.id}").get_data(as_text=True)
    kinds = db.scalars(sa.select(ModerationAction.kind).order_by(ModerationAction.id)).all()
    assert kinds == [ActionKind.HIDE, ActionKind.RESTORE]


def test_replying_to_a_hidden_comment_is_refused(client, login, scene, db, app):
    _process, group, thread, reply, _author, reader, facilitator = scene
    from consult.moderation import services

    with app.app_context():
        services.hide(db, reply, group, actor=facilitator, membership=None, reason="Hidden")
    db.commit()
    login(reader)
    response = post(client, f"/threads/{thread.id}/replies", parent_id=reply.id, body="Replying anyway")
    assert "deleted or hidden" in response.get_data(as_text=True)
    assert client.get(f"/comments/{reply.id}/history").status_code == 404, "history of a hidden comment is not shown"


def test_participants_cannot_moderate(client, login, scene):
    _process, _group, _thread, reply, _author, reader, _facilitator = scene
    login(reader)
    assert client.get(f"/comments/{reply.id}/moderate").status_code == 403
    assert post(client, f"/comments/{reply.id}/moderate", action="hide", reason="x").status_code == 403


def test_authors_cannot_report_their_own_comment(client, login, scene):
    _process, _group, _thread, reply, author, _reader, _facilitator = scene
    login(author)
    assert client.get(f"/comments/{reply.id}/report").status_code == 403


def test_block_stops_posting_for_a_period_and_is_logged(client, login, scene, db):
    process, group, thread, reply, author, _reader, facilitator = scene
    membership = db.scalar(sa.select(Membership).where(Membership.user_id == author.id))
    login(facilitator)
    bad = post(
        client,
        f"/processes/{process.slug}/groups/{group.slug}/members/{membership.id}/block",
        action="block",
        days="0",
        reason="Repeated abuse",
    )
    assert "between 1 and 365" in bad.get_data(as_text=True)
    ok = post(
        client,
        f"/processes/{process.slug}/groups/{group.slug}/members/{membership.id}/block",
        action="block",
        days="7",
        reason="Repeated abuse",
    )
    assert ok.status_code == 302
    assert reload(db, membership).blocked_until is not None
    login(author)
    assert post(client, f"/threads/{thread.id}/replies", parent_id=reply.id, body="Still here").status_code == 403
    assert client.get(f"/threads/{thread.id}").status_code == 200, "blocked people can still read"
    public = client.get(f"/processes/{process.slug}/moderation").get_data(as_text=True)
    assert "Blocked a participant from the group" in public and "Repeated abuse" in public
    login(facilitator)
    post(
        client,
        f"/processes/{process.slug}/groups/{group.slug}/members/{membership.id}/block",
        action="unblock",
        reason="Apology received",
    )
    assert reload(db, membership).blocked_until is None


def test_queue_query_count_does_not_grow_with_reports(client, login, scene, db, make_user, query_counter):
    process, _group, thread, reply, author, reader, facilitator = scene
    db.add(Report(comment_id=reply.id, reporter_id=reader.id, reason="one"))
    db.commit()
    login(facilitator)
    client.get(f"/processes/{process.slug}/moderation/queue")
    with query_counter() as few:
        client.get(f"/processes/{process.slug}/moderation/queue")
    for n in range(15):
        reporter = make_user()
        comment = Comment(thread_id=thread.id, parent_id=reply.id, author_id=author.id, body=f"c{n}", depth=2)
        db.add(comment)
        db.flush()
        db.add(Report(comment_id=comment.id, reporter_id=reporter.id, reason=f"r{n}"))
    db.commit()
    with query_counter() as many:
        client.get(f"/processes/{process.slug}/moderation/queue")
    assert len(many) == len(few)


def test_a_refused_report_is_shown_on_its_form_and_leaves_nothing_behind(client, app, login, scene, db, monkeypatch):
    _process, _group, _thread, reply, _author, reader, _facilitator = scene
    monkeypatch.setattr(services, "report", flushes_then_refuses(db, "reason"))
    login(reader)
    with left_behind(app, db) as counts:
        response = post(client, f"/comments/{reply.id}/report", reason="Kept reason")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and REFUSAL in page and "Kept reason" in page
    assert counts[-1] == 0


def test_a_refused_block_leaves_nothing_behind(client, app, login, scene, db, monkeypatch):
    process, group, _thread, _reply, author, _reader, facilitator = scene
    membership = db.scalar(sa.select(Membership).where(Membership.user_id == author.id))
    monkeypatch.setattr(services, "block", flushes_then_refuses(db, "days"))
    login(facilitator)
    block = f"/processes/{process.slug}/groups/{group.slug}/members/{membership.id}/block"
    with left_behind(app, db) as counts:
        response = post(client, block, action="block", days="7", reason="Repeated abuse")
    assert response.status_code == 200 and REFUSAL in response.get_data(as_text=True)
    assert counts[-1] == 0


def test_an_unknown_moderation_button_is_a_bad_request(client, login, scene, db):
    _process, _group, _thread, reply, _author, _reader, facilitator = scene
    login(facilitator)
    assert post(client, f"/comments/{reply.id}/moderate", action="delete", reason="x").status_code == 400
    assert post(client, f"/comments/{reply.id}/moderate", reason="x").status_code == 400
    assert reload(db, reply).hidden_at is None
