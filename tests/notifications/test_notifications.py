"""Following, in-app notifications, email per event and daily digests, Atom feeds."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from consult.accounts.models import Role
from consult.clock import london_today
from consult.db import utcnow
from consult.discussions import services as discussions
from consult.discussions.models import Comment
from consult.meetings import services as meetings
from consult.notifications import services
from consult.notifications.models import Follow, Notification, NotificationKind
from tests.factories import make_group, make_process, make_thread, post, reload

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def world(db, make_user):
    process = make_process(db)
    alice, bob, carol = make_user(display_name="Alice"), make_user(display_name="Bob"), make_user(display_name="Carol")
    group = make_group(db, process, members=[alice, bob, carol])
    return process, group, alice, bob, carol


def kinds_for(db, user):
    return sorted(n.kind for n in db.scalars(sa.select(Notification).where(Notification.user_id == user.id)))


def test_replies_notify_the_parent_author_and_thread_followers(app, db, world):
    _process, group, alice, bob, carol = world
    from consult.processes.models import Membership
    from consult.processes.timeline import ProcessState

    memberships = {m.user_id: m for m in db.scalars(sa.select(Membership))}
    with app.app_context():
        thread = discussions.start_thread(
            db,
            group,
            actor=alice,
            membership=memberships[alice.id],
            state=ProcessState.OPEN,
            kind="discussion",
            title="Data items",
            body="Which?",
        )
        opening = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id))
        services.follow(db, carol, "thread", thread.id)
        reply = discussions.reply(
            db,
            opening,
            actor=bob,
            membership=memberships[bob.id],
            state=ProcessState.OPEN,
            body="Names and addresses only",
        )
    assert kinds_for(db, alice) == [NotificationKind.REPLY_TO_YOU]
    assert kinds_for(db, carol) == [NotificationKind.THREAD_REPLY]
    assert kinds_for(db, bob) == [], "nobody is told about their own reply"
    assert services.follows(db, bob.id, "thread", thread.id), "replying follows the thread"
    with app.app_context():
        discussions.reply(
            db,
            reply,
            actor=carol,
            membership=memberships[carol.id],
            state=ProcessState.OPEN,
            body=f"As in /comments/{opening.id}, agreed",
        )
    assert NotificationKind.MENTION in kinds_for(db, alice)
    assert kinds_for(db, bob) == [NotificationKind.REPLY_TO_YOU]


def test_new_thread_notifies_group_and_process_followers(app, db, world):
    process, group, alice, bob, carol = world
    from consult.processes.models import Membership
    from consult.processes.timeline import ProcessState

    services.follow(db, bob, "group", group.id)
    services.follow(db, carol, "process", process.id)
    membership = db.scalar(sa.select(Membership).where(Membership.user_id == alice.id))
    with app.app_context():
        discussions.start_thread(
            db,
            group,
            actor=alice,
            membership=membership,
            state=ProcessState.OPEN,
            kind="issue",
            title="Retention",
            body="How long?",
        )
    assert kinds_for(db, bob) == [NotificationKind.NEW_THREAD]
    assert kinds_for(db, carol) == [NotificationKind.NEW_THREAD]


def test_issue_status_change_tells_the_person_who_raised_it(app, db, world, make_user):
    _process, group, alice, _bob, _carol = world
    thread = make_thread(db, group, alice, kind="issue")
    thread.issue_status = "open"
    db.commit()
    facilitator = make_user(roles=(Role.FACILITATOR,))
    with app.app_context():
        discussions.set_issue_status(db, thread, actor=facilitator, membership=None, status="answered", note="See p.4")
    (notification,) = db.scalars(sa.select(Notification).where(Notification.user_id == alice.id))
    assert notification.kind == NotificationKind.OWN_ISSUE_STATUS, "for the one who raised it, a decision"
    assert "answered" in notification.message
    assert notification.detail == "Note: See p.4"


def test_new_meeting_notifies_process_followers(app, db, world, make_user):
    process, _group, _alice, bob, _carol = world
    services.follow(db, bob, "process", process.id)
    facilitator = make_user(roles=(Role.FACILITATOR,))
    with app.app_context():
        meetings.schedule(
            db,
            process,
            actor=facilitator,
            group=None,
            title="Plenary",
            day=london_today() + timedelta(days=30),
            start_time=time(10),
            end_time=time(12),
            venue="Hall",
            city="York",
        )
    assert kinds_for(db, bob) == [NotificationKind.NEW_MEETING]


def test_follow_buttons_and_notification_page(client, login, world, db):
    process, _group, _alice, bob, _carol = world
    login(bob)
    response = post(
        client, "/follow", target_type="process", target_id=str(process.id), next=f"/processes/{process.slug}"
    )
    assert response.headers["Location"] == f"/processes/{process.slug}"
    post(client, "/follow", target_type="process", target_id=str(process.id))
    assert db.scalar(sa.select(sa.func.count()).select_from(Follow)) == 1, "following twice keeps one row"
    assert "Stop following" in client.get(f"/processes/{process.slug}").get_data(as_text=True)
    post(client, "/follow", target_type="process", target_id=str(process.id), action="unfollow")
    assert db.scalar(sa.select(sa.func.count()).select_from(Follow)) == 0
    assert post(client, "/follow", target_type="users", target_id="1").status_code == 400
    assert post(client, "/follow", target_type="process", target_id="x").status_code == 400
    assert (
        post(client, "/follow", target_type="process", target_id="1", next="https://evil.example").headers["Location"]
        == "/notifications"
    )


def test_unread_count_shows_and_mark_read_clears_it(client, login, world, db):
    _process, group, alice, bob, _carol = world
    thread = make_thread(db, group, alice)
    db.add(
        Notification(
            user_id=bob.id,
            kind=NotificationKind.THREAD_REPLY,
            message="Alice replied",
            target_type="thread",
            target_id=thread.id,
            anchor="",
        )
    )
    db.commit()
    login(bob)
    page = client.get("/notifications").get_data(as_text=True)
    assert '1<span class="govuk-visually-hidden"> unread' in page
    assert f'href="/threads/{thread.id}"' in page
    post(client, "/notifications/read")
    assert "unread" not in client.get("/notifications").get_data(as_text=True)


def test_mark_all_read_marks_only_the_actors_unread_notifications(app, db, world):
    _process, group, alice, bob, _carol = world
    thread = make_thread(db, group, alice)

    def notification(user, **extra):
        item = Notification(
            user_id=user.id,
            kind=NotificationKind.THREAD_REPLY,
            message="Someone replied",
            target_type="thread",
            target_id=thread.id,
            anchor="",
            **extra,
        )
        db.add(item)
        return item

    already = notification(bob, read_at=utcnow() - timedelta(days=2))
    first_read = already.read_at
    unread = [notification(bob), notification(bob)]
    alices = notification(alice)
    db.flush()
    with app.app_context():
        assert services.mark_all_read(db, actor=bob) == 2
    db.commit()
    assert all(reload(db, item).read_at is not None for item in unread)
    assert reload(db, already).read_at == first_read, "earlier reads keep their time"
    assert reload(db, alices).read_at is None, "another person's notifications are untouched"


def test_email_for_each_event_is_sent_after_commit(client, login, world, db, outbox):
    _process, group, alice, bob, _carol = world
    alice.notification_email = "each"
    db.commit()
    thread = make_thread(db, group, alice)
    opening = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id))
    login(bob)
    post(client, f"/threads/{thread.id}/replies", parent_id=opening.id, body="Hello Alice")
    (message,) = outbox()
    assert message["To"] == alice.email
    assert "Bob replied to your comment" in message["Subject"]
    reply_id = db.scalar(sa.select(sa.func.max(Comment.id)).where(Comment.thread_id == thread.id))
    assert f"/comments/{reply_id}/in-thread" in message.get_content()  # the permalink finds its page


def test_nothing_is_mailed_when_the_transaction_rolls_back(app, db, world, outbox):
    _process, group, alice, _bob, _carol = world
    alice.notification_email = "each"
    db.commit()
    thread = make_thread(db, group, alice)
    with app.app_context():
        services.notify(
            db,
            {alice.id: (NotificationKind.THREAD_REPLY, "Will be rolled back")},
            target_type="thread",
            target_id=thread.id,
        )
        db.rollback()
    assert outbox() == []


def test_daily_digest_groups_and_is_sent_once(app, db, world, outbox):
    _process, group, alice, bob, carol = world
    thread = make_thread(db, group, alice)
    for n in range(3):
        db.add(
            Notification(
                user_id=bob.id,
                kind=NotificationKind.THREAD_REPLY,
                message=f"Event {n}",
                target_type="thread",
                target_id=thread.id,
                anchor="",
            )
        )
    carol.notification_email = "none"
    db.add(
        Notification(
            user_id=carol.id,
            kind=NotificationKind.THREAD_REPLY,
            message="Quiet",
            target_type="thread",
            target_id=thread.id,
            anchor="",
        )
    )
    db.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-digests"])
    assert result.exit_code == 0, result.output
    assert "1 sent" in result.output
    (message,) = outbox()
    assert message["To"] == bob.email and "3 new notifications" in message["Subject"]
    body = message.get_content()
    assert all(f"Event {n}" in body for n in range(3))
    again = runner.invoke(args=["send-digests"])
    assert "0 sent" in again.output
    assert len(outbox()) == 1


def test_email_settings_form(client, login, world, db):
    _process, _group, _alice, bob, _carol = world
    login(bob)
    bad = post(client, "/notifications/settings", notification_email="hourly")
    assert "Not a valid choice" in bad.get_data(as_text=True)
    assert reload(db, bob).decision_email == "each", "decisions are mailed each time by default"
    post(client, "/notifications/settings", notification_email="none", decision_email="daily")
    saved = reload(db, bob)
    assert (saved.notification_email, saved.decision_email) == ("none", "daily")
    missing = post(client, "/notifications/settings", notification_email="none")
    assert "Select how we should email you about decisions" in missing.get_data(as_text=True)


def test_atom_feeds_parse_and_leave_out_hidden_comments(client, db, world):
    process, group, alice, _bob, _carol = world
    thread = make_thread(db, group, alice, title="Feed thread", replies=3)
    hidden = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id, Comment.parent_id.is_not(None)))
    hidden.hidden_at = hidden.created_at
    hidden.body = "secret hidden words"
    db.commit()
    for path in (f"/processes/{process.slug}/feed.atom", f"/processes/{process.slug}/groups/{group.slug}/feed.atom"):
        response = client.get(path)
        assert response.mimetype == "application/atom+xml"
        root = ET.fromstring(response.data)
        assert root.tag == f"{ATOM}feed"
        titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
        assert any("Feed thread" in title for title in titles)
        assert b"secret hidden words" not in response.data
    assert client.get("/processes/nope/feed.atom").status_code == 404
