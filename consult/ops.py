"""Health checks for load balancers and orchestrators: /healthz (the process is up), /readyz (its parts answer)."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from consult.db import get_session

log = logging.getLogger(__name__)
bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz():
    """The process is up and serving; checks nothing else, so a restart is never caused by a database fault."""
    return jsonify(status="ok")


def database_ok() -> bool:
    try:
        get_session().execute(sa.text("SELECT 1"))
        return True
    except Exception:
        log.warning("readyz: the database is not reachable", exc_info=True)
        return False


def redis_ok(url: str) -> bool:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        log.warning("readyz: Redis is not reachable", exc_info=True)
        return False


@bp.get("/readyz")
def readyz():
    """Whether this node can serve: database, Redis (when configured) and the job queue; 503 naming what is down."""
    from consult.jobs import queue

    checks = {"database": database_ok()}
    if current_app.config.get("REDIS_URL"):
        checks["redis"] = redis_ok(current_app.config["REDIS_URL"])
    checks["queue"] = queue.reachable()
    down = sorted(name for name, ok in checks.items() if not ok)
    body = {"status": "unavailable" if down else "ok", "checks": {k: "ok" if v else "down" for k, v in checks.items()}}
    if down:
        body["down"] = down
    response = jsonify(body)
    response.status_code = 503 if down else 200
    response.headers["Cache-Control"] = "no-store"
    return response
