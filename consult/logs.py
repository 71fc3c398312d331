"""Structured logs: every record carries the request id (from X-Request-ID or made here), also inside jobs.

LOG_FORMAT "json" (the production default) writes one JSON object per line (python-json-logger) for a log
collector; "text" (development) writes readable lines. Tests leave logging to pytest.
"""

from __future__ import annotations

import logging
import re
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, Response, g, has_request_context, request

HEADER = "X-Request-ID"
_VALID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")  # a proxy's id is kept only if it is safe to log and echo
_job_request_id: ContextVar[str | None] = ContextVar("consult_request_id", default=None)
_configured = False


def current_request_id() -> str | None:
    """The id of the request being served, or of the request that queued the running job."""
    if has_request_context():
        return g.get("request_id")
    return _job_request_id.get()


@contextmanager
def request_id_scope(request_id: str | None) -> Iterator[None]:
    """Run a job with its request's id in every log record."""
    token = _job_request_id.set(request_id)
    try:
        yield
    finally:
        _job_request_id.reset(token)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


def formatter(kind: str) -> logging.Formatter:
    if kind == "json":
        from pythonjsonlogger.json import JsonFormatter

        return JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    return logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")


def configure(kind: str, level: str = "INFO") -> None:
    """Send the root logger's records to stderr in the given format, once per process."""
    global _configured
    if _configured:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter(kind))
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    _configured = True


def init_app(app: Flask) -> None:
    """Give each request an id (the proxy's X-Request-ID when it is well formed) and echo it in the response."""
    if not app.testing and app.config.get("LOG_FORMAT"):
        configure(app.config["LOG_FORMAT"], app.config.get("LOG_LEVEL", "INFO"))

    @app.before_request
    def assign_request_id() -> None:
        given = request.headers.get(HEADER, "")
        g.request_id = given if _VALID.match(given) else uuid.uuid4().hex

    @app.after_request
    def echo_request_id(response: Response) -> Response:
        if "request_id" in g:
            response.headers[HEADER] = g.request_id
        return response
