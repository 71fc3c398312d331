"""Prometheus metrics (prometheus_client): requests, latencies, queue depth and job outcomes.

`/metrics` answers only with `Authorization: Bearer <METRICS_TOKEN>` (404 while METRICS_TOKEN is unset), so it
is never public. Under gunicorn with several workers set PROMETHEUS_MULTIPROC_DIR (an empty folder, cleared at
each start; deploy/gunicorn.conf.py marks dead workers) and every worker's counts are added up. The job
worker serves its own counts on METRICS_WORKER_BIND:METRICS_WORKER_PORT when the port is set.
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from collections.abc import Iterator
from typing import Any

from flask import Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)

REQUESTS = Counter("consult_http_requests", "HTTP requests served", ["method", "endpoint", "status"])
LATENCY = Histogram(
    "consult_http_request_duration_seconds",
    "Time to serve a request",
    ["method", "endpoint"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
JOBS = Counter("consult_jobs", "Background jobs by outcome (complete, error, retrying, …)", ["job", "outcome"])


class QueueCollector(Collector):
    """Read at each scrape: jobs waiting in the queue, scheduled (retrying or delayed), and failed for good."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from consult.jobs import queue

        waiting = GaugeMetricFamily("consult_jobs_waiting", "Jobs waiting in the queue", labels=["state"])
        try:
            for state, count in queue.depth().items():
                waiting.add_metric([state], count)
        except Exception:
            log.warning("metrics: the queue is not reachable", exc_info=True)
        yield waiting
        failed = GaugeMetricFamily("consult_jobs_failed", "Jobs that failed with no retries left, not yet cleared")
        failed.add_metric([], failed_jobs())
        yield failed


def failed_jobs() -> int:
    import sqlalchemy as sa

    from consult.db import get_session
    from consult.jobs.models import FailedJob

    return get_session().scalar(sa.select(sa.func.count()).select_from(FailedJob)) or 0


_queue_registry = CollectorRegistry(auto_describe=False)
_queue_registry.register(QueueCollector())


def exposition() -> bytes:
    """This process's metrics (or every gunicorn worker's, in multiprocess mode) and the queue's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    return generate_latest(registry) + generate_latest(_queue_registry)


def authorised(token: str) -> bool:
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


def init_app(app: Flask) -> None:
    @app.before_request
    def start_timer() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def observe(response: Response) -> Response:
        started = g.get("metrics_started")
        if started is not None:
            endpoint = request.url_rule.endpoint if request.url_rule is not None else "unmatched"
            LATENCY.labels(request.method, endpoint).observe(time.perf_counter() - started)
            REQUESTS.labels(request.method, endpoint, str(response.status_code)).inc()
        return response

    @app.get("/metrics")
    def metrics() -> Any:
        if not authorised(current_app.config.get("METRICS_TOKEN", "")):
            abort(404)
        return Response(exposition(), mimetype=CONTENT_TYPE_LATEST)


def serve_worker_metrics(app: Flask) -> None:
    port = int(app.config.get("METRICS_WORKER_PORT") or 0)
    if port:
        start_http_server(port, addr=app.config.get("METRICS_WORKER_BIND", "127.0.0.1"))
