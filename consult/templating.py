"""Template globals and filters shared by every page."""

from __future__ import annotations

import re
from datetime import date, datetime

from flask import Flask, request
from flask_login import current_user
from markupsafe import Markup, escape

from consult.accounts import permissions as account_permissions
from consult.clock import LONDON
from consult.db import get_session
from consult.markdown import render_markdown
from consult.notifications.queries import unread_count
from consult.objectives import permissions as objectives_permissions
from consult.processes import permissions as process_permissions
from consult.weblinks import is_web_url

NAVIGATION = [
    ("processes.index", {}, "Processes"),
    ("objectives.index", {}, "Objectives"),
    ("pages.show", {"slug": "about"}, "About"),
    ("pages.show", {"slug": "the-power"}, "The power"),
    ("pages.show", {"slug": "objectives-in-force"}, "Objectives in force"),
]


def format_date(value: date | datetime | str | None) -> str:
    """GOV.UK style dates (21 November 2026), shown in UK time; ISO text (from JSON snapshots) is read first."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.astimezone(LONDON)
    return f"{value.day} {value:%B %Y}"


def format_datetime(value: datetime | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    local = value.astimezone(LONDON)
    hour = local.strftime("%I:%M%p").lstrip("0").lower()
    return f"{format_date(local)} at {hour}"


_WEB_ADDRESS = re.compile(r"https?://[^\s<>]+")


def linkify(text: str) -> Markup:
    """Plain text (an email, say) with its http(s) addresses as links; escaped first, so nothing else is markup."""
    escaped = str(escape(text))
    return Markup(  # noqa: S704 - the text is escaped above; only the matched addresses are wrapped
        _WEB_ADDRESS.sub(lambda m: f'<a class="govuk-link" href="{m.group(0)}">{m.group(0)}</a>', escaped)
    )


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["linkify"] = linkify
    # `{% if link is web_url %}`: stored links (some from before the checks) get an href only if http(s).
    app.jinja_env.tests["web_url"] = is_web_url
    app.jinja_env.globals["account_permissions"] = account_permissions
    app.jinja_env.globals["process_permissions"] = process_permissions
    app.jinja_env.globals["objectives_permissions"] = objectives_permissions

    @app.context_processor
    def layout_context() -> dict:
        unread = 0
        if current_user.is_authenticated:
            unread = unread_count(get_session(), current_user.id)
        return {
            "unread_notifications": unread,
            "site_name": app.config["SITE_NAME"],
            "navigation": NAVIGATION,
            "current_path": request.path,
            "app_env": app.config["ENV"],
        }
