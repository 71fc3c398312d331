"""Redis stopped (issue 17 faults): signing in and posting still work, limits are counted in each process
meanwhile, and /readyz says Redis is down. Before, a posting limit with Redis down was a 500."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from consult.discussions.models import Comment
from tests.factories import PASSWORD, csrf_from, fresh_token, make_group, make_process, make_thread
from tests.jobs.smtp import closed_port

DOWN_REDIS = f"redis://127.0.0.1:{closed_port()}/0"


@pytest.fixture
def app_config(app_config):
    return app_config | {
        "RATELIMIT_ENABLED": True,
        "REDIS_URL": DOWN_REDIS,
        "RATELIMIT_STORAGE_URI": DOWN_REDIS,
        "RATELIMIT_KEY_PREFIX": f"consult-test-{uuid.uuid4().hex}",
        "COMMENT_RATE_LIMIT": "2 per minute",
    }


@pytest.fixture
def scene(db, make_user):
    process = make_process(db)
    member = make_user()
    group = make_group(db, process, members=[member])
    thread = make_thread(db, group, member)
    opening = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id))
    return SimpleNamespace(member=member, thread=thread, opening=opening)


def reply(client, scene, body):
    token = csrf_from(client.get("/account/").get_data(as_text=True))
    data = {"csrf_token": token, "submission_token": fresh_token(), "parent_id": scene.opening.id, "body": body}
    return client.post(f"/threads/{scene.thread.id}/replies", data=data)


def test_with_redis_down_people_sign_in_and_post_and_limits_still_hold(app, client, db, scene):
    """The client fails the test on any 500 (conftest.CheckedClient)."""
    token = csrf_from(client.get("/account/sign-in").get_data(as_text=True))
    signed_in = client.post(
        "/account/sign-in", data={"csrf_token": token, "email": scene.member.email, "password": PASSWORD}
    )
    assert signed_in.status_code == 302, "sign-in's own rate limit falls back to memory"
    assert [reply(client, scene, f"Reply {n} while Redis is down").status_code for n in range(3)] == [302, 302, 429]
    comments = db.scalars(sa.select(Comment.body).where(Comment.thread_id == scene.thread.id)).all()
    assert "Reply 0 while Redis is down" in comments and "Reply 2 while Redis is down" not in comments
    ready = FlaskClient(app, app.response_class).get("/readyz")  # a 503 on purpose: not the suite's client
    assert ready.status_code == 503 and ready.get_json()["down"] == ["redis"]
