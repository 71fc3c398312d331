"""Operating consult (issue 17 item 4): health and readiness checks, request ids, metrics, Redis faults."""

from __future__ import annotations

import logging

from flask.testing import FlaskClient

from consult.jobs import queue as jobs
from tests.jobs.smtp import closed_port

DOWN_REDIS = f"redis://127.0.0.1:{closed_port()}/0"


def test_healthz_answers_without_touching_anything(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_checks_the_database_and_the_queue(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"] == {"database": "ok", "queue": "ok"}


def test_readyz_names_what_is_down_with_a_503(app, monkeypatch):
    app.config["REDIS_URL"] = DOWN_REDIS
    monkeypatch.setattr(jobs, "reachable", lambda: False)
    response = FlaskClient(app, app.response_class).get("/readyz")  # a 503 on purpose: not the suite's client
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable" and body["down"] == ["queue", "redis"]
    assert body["checks"]["database"] == "ok"


def test_a_request_id_is_taken_from_the_proxy_or_made_and_echoed(client):
    given = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert given.headers["X-Request-ID"] == "abc-123"
    made = client.get("/healthz", headers={"X-Request-ID": "<script>alert(1)</script>"})
    assert "<" not in made.headers["X-Request-ID"] and len(made.headers["X-Request-ID"]) == 32


def test_jobs_log_with_the_request_id_that_queued_them(app):
    """Mail queued by a request carries its id into the job (run at once here, as in immediate mode)."""
    from consult.logs import RequestIdFilter

    seen: list[str] = []

    class Spy(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.request_id)

    spy = Spy()
    spy.addFilter(RequestIdFilter())
    logger = logging.getLogger("consult.test-job")
    logger.addHandler(spy)

    @jobs.job()
    def spy_job() -> None:
        logger.warning("running")

    try:
        with app.test_request_context("/", headers={"X-Request-ID": "req-42"}):
            app.preprocess_request()
            jobs.enqueue(spy_job)
        assert seen == ["req-42"]
    finally:
        logger.removeHandler(spy)


def test_json_logs_carry_the_request_id():
    from consult.logs import RequestIdFilter, formatter

    record = logging.LogRecord("consult.x", logging.INFO, __file__, 1, "hello %s", ("there",), None)
    RequestIdFilter().filter(record)
    line = formatter("json").format(record)
    assert '"message": "hello there"' in line and '"request_id": "-"' in line and '"level": "INFO"' in line


def test_metrics_need_the_token(app, client):
    assert client.get("/metrics").status_code == 404, "no token configured: no metrics"
    app.config["METRICS_TOKEN"] = "s3cret-token"
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    client.get("/healthz")
    response = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert 'consult_http_requests_total{endpoint="ops.healthz",method="GET",status="200"}' in text
    assert "consult_http_request_duration_seconds_bucket" in text
    assert 'consult_jobs_waiting{state="queued"} 0.0' in text and "consult_jobs_failed 0.0" in text
