"""Per-person posting limits: a script's pace is refused with a 429 that keeps the text; people are counted by
account, not address; the counts are shared by every worker when they share Redis."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest
import redis
import sqlalchemy as sa

from consult import create_app
from consult.accounts.models import Role
from consult.agreement.models import Statement
from consult.discussions.models import Comment, Thread
from consult.papers.models import PaperComment, PaperStatus
from tests.factories import PASSWORD, csrf_from, fresh_token, make_group, make_process, make_thread

REDIS_URL = "redis://127.0.0.1:6379/15"
LIMITS = {
    "COMMENT_RATE_LIMIT": "2 per minute",
    "THREAD_RATE_LIMIT": "1 per minute",
    "STATEMENT_RATE_LIMIT": "2 per minute",
    "PAPER_COMMENT_RATE_LIMIT": "1 per minute",
}


@pytest.fixture
def app_config(app_config):
    """The suite turns rate limits off; these tests turn them on, in memory, with a fresh key prefix each."""
    return app_config | LIMITS | {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_KEY_PREFIX": f"consult-test-{uuid.uuid4().hex}",
    }


def post(client, path, **data):
    token = csrf_from(client.get("/account/").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, "submission_token": fresh_token(), **data})


def count(db, model, *where) -> int:
    return db.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


@pytest.fixture
def scene(db, make_user):
    process = make_process(db)
    member, other = make_user(), make_user()
    group = make_group(db, process, members=[member, other])
    thread = make_thread(db, group, member)
    opening = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id))
    return SimpleNamespace(process=process, group=group, member=member, other=other, thread=thread, opening=opening)


def reply(client, scene, body):
    return post(client, f"/threads/{scene.thread.id}/replies", parent_id=scene.opening.id, body=body)


def test_a_third_reply_in_a_minute_is_refused_with_the_text_kept(client, login, scene, db):
    login(scene.member)
    assert reply(client, scene, "First").status_code == 302
    assert reply(client, scene, "Second").status_code == 302
    refused = reply(client, scene, "Third, typed with care")
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "You can post up to 2 replies per minute" in page and "Please send it again after" in page
    assert "Third, typed with care" in page, "the text is kept in the form"
    assert count(db, Comment, Comment.thread_id == scene.thread.id) == 3


def test_limits_count_each_person_not_each_address(client, login, scene, db):
    login(scene.member)
    reply(client, scene, "One")
    reply(client, scene, "Two")
    login(scene.other)  # same client, same address
    assert reply(client, scene, "Someone else").status_code == 302


def test_refused_submissions_do_not_count(client, login, scene, db):
    login(scene.member)
    for _ in range(3):
        assert "Enter your comment" in reply(client, scene, "").get_data(as_text=True)
    assert reply(client, scene, "One").status_code == 302
    assert reply(client, scene, "Two").status_code == 302


def test_threads_statements_and_paper_comments_are_limited_too(client, app, login, scene, db, make_user):
    from consult.papers import services as papers

    slug, group_slug = scene.process.slug, scene.group.slug
    login(scene.member)
    new = f"/processes/{slug}/groups/{group_slug}/threads/new"
    assert post(client, new, kind="issue", title="An issue", body="Body").status_code == 302
    second = post(client, new, kind="discussion", title="Another thread", body="Kept body")
    assert second.status_code == 429 and "Kept body" in second.get_data(as_text=True)
    assert count(db, Thread) == 2

    for text in ("Statement one", "Statement two"):
        assert post(client, f"/processes/{slug}/statements", text=text).status_code == 302
    third = post(client, f"/processes/{slug}/statements", text="Statement three")
    assert third.status_code == 429 and "Statement three" in third.get_data(as_text=True)
    assert count(db, Statement) == 2

    facilitator = make_user(roles=(Role.FACILITATOR,))
    with app.app_context():
        paper = papers.create_paper(db, scene.process, actor=facilitator, title="Findings")
        paper.status = PaperStatus.IN_REVIEW
    db.commit()
    path = f"/papers/{paper.id}/paragraphs/0/comment"
    assert post(client, path, paragraph=0, body="Paper comment").status_code == 302
    again = post(client, path, paragraph=0, body="Second paper comment")
    assert again.status_code == 429 and "Second paper comment" in again.get_data(as_text=True)
    assert count(db, PaperComment) == 1


def redis_available() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def test_posting_limits_are_shared_between_workers(app_config, db, scene):
    if not redis_available():
        pytest.skip("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
    config = app_config | {
        "REDIS_URL": REDIS_URL,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "SESSION_FACTORY": lambda write: db,
    }
    clients = [create_app(config).test_client(), create_app(config).test_client()]
    for client in clients:
        page = client.get("/account/sign-in").get_data(as_text=True)
        data = {"csrf_token": csrf_from(page), "email": scene.member.email, "password": PASSWORD}
        assert client.post("/account/sign-in", data=data).status_code == 302
    assert [reply(c, scene, f"Worker {n}").status_code for n, c in enumerate(clients)] == [302, 302]
    assert reply(clients[0], scene, "Over the limit").status_code == 429
    assert reply(clients[1], scene, "Over the limit").status_code == 429
    keys = redis.Redis.from_url(REDIS_URL).keys(f"*{config['RATELIMIT_KEY_PREFIX']}*")
    assert keys, "the posting counts were not stored in Redis"
