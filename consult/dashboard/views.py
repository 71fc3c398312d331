"""A signed-in person's start page, "Your consult": where sign-in lands when there is no `next`."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from consult.clock import london_today
from consult.dashboard import queries
from consult.db import get_session

bp = Blueprint("dashboard", __name__, template_folder="templates")


@bp.get("/me")
@login_required
def start():
    page = queries.start_page(get_session(), current_user, london_today())
    return render_template("dashboard/start.html", page=page, queue_kinds=queries.QUEUE_KINDS)
