"""Rate limits hold across several workers when they share Redis (REDIS_URL), as gunicorn workers do."""

from __future__ import annotations

import uuid

import pytest
import redis

from consult import create_app
from tests.factories import csrf_from

REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_available() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def two_workers(app_config, db):
    if not redis_available():
        pytest.skip("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
    config = app_config | {
        "RATELIMIT_ENABLED": True,
        "REDIS_URL": REDIS_URL,
        # A fresh key prefix per test keeps runs independent without flushing anyone's Redis.
        "RATELIMIT_KEY_PREFIX": f"consult-test-{uuid.uuid4().hex}",
        "SIGN_IN_RATE_LIMIT": "4 per minute",
        "SESSION_FACTORY": lambda write: db,
    }
    workers = [create_app(config), create_app(config)]
    assert all(worker.config["RATELIMIT_STORAGE_URI"] == REDIS_URL for worker in workers)
    return workers, config["RATELIMIT_KEY_PREFIX"]


def attempt(app) -> int:
    client = app.test_client()
    page = client.get("/account/sign-in")
    data = {"csrf_token": csrf_from(page.get_data(as_text=True)), "email": "x@example.org", "password": "wrong one"}
    return client.post("/account/sign-in", data=data).status_code


def test_sign_in_limit_is_shared_between_workers(two_workers):
    (first, second), prefix = two_workers
    statuses = [attempt(first), attempt(second), attempt(first), attempt(second)]
    assert statuses == [200, 200, 200, 200]
    assert attempt(first) == 429
    assert attempt(second) == 429
    # The counters live in Redis, which every worker process reaches, not in one process's memory.
    keys = redis.Redis.from_url(REDIS_URL).keys(f"*{prefix}*")
    assert keys, "the rate-limit counters were not stored in Redis"
