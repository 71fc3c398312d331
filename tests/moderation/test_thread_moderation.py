"""Facilitators hide a whole thread, title included, wherever the title appears; authors correct their titles."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from consult.accounts.models import Role
from consult.discussions.models import Comment, Thread
from consult.moderation.models import ActionKind, ModerationAction
from consult.notifications import services as notifications
from tests.factories import csrf_from, make_group, make_process, post, reload

TITLE = "Abusivetitleword about a named official"


def text_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


@pytest.fixture
def scene(db, client, login, make_user):
    process = make_process(db)
    author, follower, other = make_user(), make_user(), make_user()
    facilitator = make_user(roles=(Role.FACILITATOR,), display_name="Fiona Facilitator")
    group = make_group(db, process, members=[author, follower, other])
    notifications.follow(db, follower, "group", group.id)
    db.commit()
    login(author)
    response = post(
        client,
        f"/processes/{process.slug}/groups/{group.slug}/threads/new",
        kind="issue",
        title=TITLE,
        body="Openingbodyword text",
    )
    assert response.status_code == 302
    thread = db.scalar(sa.select(Thread))
    opening = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id))
    return SimpleNamespace(
        process=process,
        group=group,
        author=author,
        follower=follower,
        other=other,
        facilitator=facilitator,
        thread=thread,
        opening=opening,
    )


def places(scene) -> list[str]:
    """Every public page that shows a thread's title."""
    slug, group_slug = scene.process.slug, scene.group.slug
    return [
        f"/threads/{scene.thread.id}",
        f"/comments/{scene.opening.id}",
        f"/processes/{slug}/issues",
        f"/processes/{slug}/groups/{group_slug}",
        f"/processes/{slug}/feed.atom",
        f"/processes/{slug}/groups/{group_slug}/feed.atom",
        "/search?q=abusivetitleword",
        "/search?q=openingbodyword",
    ]


def test_a_hidden_thread_loses_its_title_everywhere_and_comes_back_on_restore(client, login, scene, db):
    login(scene.follower)
    assert "Abusivetitleword" in text_of(client, "/notifications")
    for path in places(scene):
        assert "Abusivetitleword" in text_of(client, path) or "openingbodyword" in path, path

    login(scene.facilitator)
    assert "Hide this thread" in text_of(client, f"/threads/{scene.thread.id}")
    form = text_of(client, f"/threads/{scene.thread.id}/moderate")
    assert "Abusivetitleword" in form, "the facilitator sees what they are hiding"
    response = post(client, f"/threads/{scene.thread.id}/moderate", action="hide", reason="Names an official")
    assert response.status_code == 302
    assert reload(db, scene.thread).hidden_at is not None

    for user in (None, scene.follower):
        if user is None:
            client.post("/account/sign-out", data={"csrf_token": csrf_from(text_of(client, "/account/"))})
        else:
            login(user)
        for path in places(scene):
            page = text_of(client, path)
            assert "Abusivetitleword" not in page and "Openingbodyword" not in page, path
        tombstone = text_of(client, f"/threads/{scene.thread.id}")
        assert "This thread was hidden by a facilitator. Reason: Names an official" in tombstone
    assert "Abusivetitleword" not in text_of(client, "/notifications"), "notification texts lose the title too"
    log = text_of(client, f"/processes/{scene.process.slug}/moderation")
    assert "Hid a thread" in log and "Names an official" in log and "Abusivetitleword" not in log

    login(scene.facilitator)
    assert post(client, f"/threads/{scene.thread.id}/moderate", action="restore", reason="Reworded").status_code == 302
    for path in places(scene):
        page = text_of(client, path)
        assert "Abusivetitleword" in page or "Openingbodyword" in page, path
    kinds = db.scalars(sa.select(ModerationAction.kind).order_by(ModerationAction.id)).all()
    assert kinds == [ActionKind.HIDE_THREAD, ActionKind.RESTORE_THREAD]


def test_nobody_replies_edits_or_reports_in_a_hidden_thread(client, login, scene, db, app):
    from consult.moderation import services

    with app.app_context():
        services.hide_thread(db, scene.thread, actor=scene.facilitator, membership=None, reason="Hidden")
    db.commit()
    login(scene.author)
    reply = post(client, f"/threads/{scene.thread.id}/replies", parent_id=scene.opening.id, body="Still here")
    assert reply.status_code == 403
    assert client.get(f"/comments/{scene.opening.id}/edit").status_code == 403
    assert client.get(f"/threads/{scene.thread.id}/title").status_code == 403
    assert client.get(f"/comments/{scene.opening.id}/history").status_code == 404
    login(scene.other)
    assert client.get(f"/comments/{scene.opening.id}/report").status_code == 403
    assert db.scalar(sa.select(sa.func.count()).select_from(Comment)) == 1


def test_only_facilitators_hide_threads_and_a_reason_is_required(client, login, scene, db):
    login(scene.other)
    assert client.get(f"/threads/{scene.thread.id}/moderate").status_code == 403
    assert post(client, f"/threads/{scene.thread.id}/moderate", action="hide", reason="Mine").status_code == 403
    login(scene.facilitator)
    missing = post(client, f"/threads/{scene.thread.id}/moderate", action="hide", reason="")
    assert "Enter a reason" in missing.get_data(as_text=True)
    assert reload(db, scene.thread).hidden_at is None


def test_the_author_corrects_their_title(client, login, scene, db):
    login(scene.author)
    page = text_of(client, f"/threads/{scene.thread.id}")
    assert f"/threads/{scene.thread.id}/title" in page
    assert TITLE in text_of(client, f"/threads/{scene.thread.id}/title")
    empty = post(client, f"/threads/{scene.thread.id}/title", title="   ")
    assert "Enter a title" in empty.get_data(as_text=True)
    long = post(client, f"/threads/{scene.thread.id}/title", title="x" * 201)
    assert "200 characters or fewer" in long.get_data(as_text=True)
    assert reload(db, scene.thread).title == TITLE
    assert post(client, f"/threads/{scene.thread.id}/title", title="Onward disclosure").status_code == 302
    assert reload(db, scene.thread).title == "Onward disclosure"
    login(scene.follower)
    notes = text_of(client, "/notifications")
    assert "Onward disclosure" in notes and "Abusivetitleword" not in notes
    assert db.scalar(sa.select(sa.func.count()).select_from(ModerationAction)) == 0, "an author's fix is no moderation"


def test_other_members_cannot_change_a_title(client, login, scene, db):
    login(scene.other)
    assert f"/threads/{scene.thread.id}/title" not in text_of(client, f"/threads/{scene.thread.id}")
    assert client.get(f"/threads/{scene.thread.id}/title").status_code == 403
    assert post(client, f"/threads/{scene.thread.id}/title", title="Hijacked").status_code == 403
    assert reload(db, scene.thread).title == TITLE


def test_a_blocked_author_cannot_change_their_title(client, login, scene, db):
    from datetime import timedelta

    from consult.db import utcnow
    from consult.processes.models import Membership

    membership = db.scalar(sa.select(Membership).where(Membership.user_id == scene.author.id))
    membership.blocked_until = utcnow() + timedelta(days=3)
    db.commit()
    login(scene.author)
    assert post(client, f"/threads/{scene.thread.id}/title", title="Sneaky").status_code == 403
    assert reload(db, scene.thread).title == TITLE


def test_a_facilitator_retitles_with_a_public_reason_in_the_log(client, login, scene, db):
    login(scene.facilitator)
    missing = post(client, f"/threads/{scene.thread.id}/title", title="About disclosure", reason="")
    assert "Enter a reason" in missing.get_data(as_text=True)
    assert reload(db, scene.thread).title == TITLE
    done = post(client, f"/threads/{scene.thread.id}/title", title="About disclosure", reason="Named an official")
    assert done.status_code == 302
    assert reload(db, scene.thread).title == "About disclosure"
    log = text_of(client, f"/processes/{scene.process.slug}/moderation")
    assert "Changed a thread&#39;s title" in log and "Named an official" in log and "Abusivetitleword" not in log


def test_a_too_long_moderation_reason_is_shown_next_to_the_field(client, login, scene, db):
    """The reason is stored with the comment (500 characters): a longer one is refused, never a server error."""
    login(scene.facilitator)
    for path in (f"/comments/{scene.opening.id}/moderate", f"/threads/{scene.thread.id}/moderate"):
        response = post(client, path, action="hide", reason="r" * 501)
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert "Reason must be 500 characters or fewer" in body and "r" * 501 in body
    assert reload(db, scene.opening).hidden_at is None and reload(db, scene.thread).hidden_at is None


def test_position_paper_evidence_drops_a_hidden_issue_title(app, db, scene):
    from consult.moderation import services
    from consult.papers import evidence

    body = f"[[issue:{scene.thread.id}]]"
    assert evidence.gather(db, scene.process.id, body)["issues"][str(scene.thread.id)]["title"] == TITLE
    with app.app_context():
        services.hide_thread(db, scene.thread, actor=scene.facilitator, membership=None, reason="Hidden")
    found = evidence.gather(db, scene.process.id, body)["issues"][str(scene.thread.id)]
    assert found["title"] == "A thread hidden by a facilitator"
