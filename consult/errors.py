"""Domain errors raised by services, and the friendly error pages every failure ends on."""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, g, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

log = logging.getLogger(__name__)


class ValidationError(Exception):
    """A rule a service enforces; `field` names the form field the message belongs next to."""

    #: The status a form refused for this reason is re-shown with (a posting limit says 429).
    status = 200

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class StaleEdit(ValidationError):
    """Someone else saved first; the form is shown again with the user's text kept."""


class PermissionDenied(Exception):
    """Raised by services when the actor may not do something; the app answers 403 wherever it is raised."""


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
    """Mark a form view that re-shows its form, with what was typed, when the CSRF check fails (nothing is saved:
    BaseForm.validate refuses the submission)."""
    view.keeps_input_on_csrf_failure = True
    return view


def check_csrf() -> None:
    """Flask-WTF's manual-check mode (WTF_CSRF_CHECK_DEFAULT off, csrf.protect() here): every unsafe request is
    checked; a failure on a form view that keeps input lets the view run to re-show the form, others get a 400."""
    from consult.extensions import csrf

    if not current_app.config["WTF_CSRF_ENABLED"]:
        return
    try:
        csrf.protect(apply_exemptions=True)
    except CSRFError:
        view = current_app.view_functions.get(request.endpoint or "")
        if view is None or not getattr(view, "keeps_input_on_csrf_failure", False):
            raise
        g.csrf_failed = True


def render_error(code: int, detail: str | None = None):
    title, body = ERROR_PAGES.get(code, ERROR_PAGES[500])
    return render_template("errors/error.html", code=code, title=title, body=detail or body), code


def init_app(app: Flask) -> None:
    """Register the CSRF check and the error pages; a refusal raised anywhere (PermissionDenied) is a 403."""
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.before_request(check_csrf)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(400, "This form had expired, so nothing was saved. Go back, reload the page and try again.")

    @app.errorhandler(PermissionDenied)
    def permission_denied(error: PermissionDenied):
        return render_error(403)

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
