"""Domain errors raised by services, and the friendly error pages every failure ends on."""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, g, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

log = logging.getLogger(__name__)


class ValidationError(Exception):
    """A rule a service enforces; `field` names the form field the message belongs next to."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class StaleEdit(ValidationError):
    """Someone else saved first; the form is shown again with the user's text kept."""


ERROR_PAGES = {
    400: (
        "Sorry, there is a problem with the request",
        "The request could not be understood. Go back and try again.",
    ),
    403: ("You do not have permission to do that", "If you think you should, ask a site administrator."),
    404: ("Page not found", "If you typed the web address, check it is correct."),
    405: ("That action is not allowed here", "The page does not accept this kind of request."),
    413: ("The upload is too large", "Reduce its size and try again."),
    429: ("Too many attempts", "You have tried this too many times. Wait a while and try again."),
    500: ("Sorry, there is a problem with the service", "Try again later. Nothing you submitted was saved."),
}


def keeps_input_on_csrf_failure(view):
    """Mark a form view that can safely be re-run to re-show the form after a CSRF failure."""
    view.keeps_input_on_csrf_failure = True
    return view


def render_error(code: int, detail: str | None = None):
    title, body = ERROR_PAGES.get(code, ERROR_PAGES[500])
    return render_template("errors/error.html", code=code, title=title, body=detail or body), code


def init_app(app: Flask) -> None:
    """Register error pages; a CSRF failure on a form re-shows that form with what was typed."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        view = current_app.view_functions.get(request.endpoint or "")
        if view is not None and getattr(view, "keeps_input_on_csrf_failure", False):
            g.csrf_failed = True
            try:
                return view(**(request.view_args or {}))
            except HTTPException as http_error:  # e.g. the page's object does not exist
                return render_error(http_error.code or 500)
        return render_error(400, "This form had expired, so nothing was saved. Go back, reload the page and try again.")

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError):
        """A Host outside TRUSTED_HOSTS: no link can be built for it, so answer without the page layout."""
        return Response("Bad request: this site does not answer to that host name.\n", 400, mimetype="text/plain")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        if code not in ERROR_PAGES:
            return error
        body, status = render_error(code)
        headers = {"Allow": ", ".join(error.valid_methods)} if getattr(error, "valid_methods", None) else {}
        return body, status, headers

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500)
