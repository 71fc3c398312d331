"""Notifications, email settings, follow buttons and Atom feeds."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from consult.db import get_session
from consult.forms import BaseForm
from consult.notifications import feeds, queries, services
from consult.notifications.forms import FollowForm, SettingsForm
from consult.processes import queries as process_queries
from consult.security import safe_next

bp = Blueprint("notifications", __name__, template_folder="templates")


@bp.get("/notifications")
@login_required
def index():
    db = get_session()
    items = queries.list_for_user(db, current_user.id)
    return render_template("notifications/index.html", items=items, link_of=services.link_of)


@bp.post("/notifications/read")
@login_required
def mark_read():
    if not BaseForm().validate_on_submit():
        abort(400)
    db = get_session()
    services.mark_all_read(db, actor=current_user)
    db.commit()
    flash("All notifications marked as read.")
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = SettingsForm(obj=current_user)
    if form.validate_on_submit():
        db = get_session()
        services.set_email_mode(db, current_user, form.notification_email.data, form.decision_email.data)
        db.commit()
        flash("Your email settings are saved.")
        return redirect(url_for("notifications.index"))
    return render_template("notifications/settings.html", form=form)


@bp.post("/follow")
@login_required
def follow():
    """Follow or stop following a process, group or thread, then go back where you were."""
    form = FollowForm()
    if not form.validate_on_submit() or form.target_id.data is None:
        abort(400)
    db = get_session()
    if form.action.data == "unfollow":
        services.unfollow(db, current_user, form.target_type.data, form.target_id.data)
        message = "You have stopped following it."
    else:
        services.follow(db, current_user, form.target_type.data, form.target_id.data)
        message = "You are following it: we will tell you what happens."
    db.commit()
    flash(message)
    return redirect(safe_next(form.next.data, url_for("notifications.index")))


@bp.get("/processes/<slug>/feed.atom")
def process_feed(slug: str):
    db = get_session()
    process = process_queries.get_process_or_404(db, slug)
    return Response(feeds.process_feed(db, process, request.host_url.rstrip("/")), mimetype="application/atom+xml")


@bp.get("/papers/feed.atom")
def papers_feed():
    """Every published position paper; served here with the other feeds, so papers need not import notifications."""
    db = get_session()
    return Response(feeds.papers_feed(db, request.host_url.rstrip("/")), mimetype="application/atom+xml")


@bp.get("/processes/<slug>/groups/<group_slug>/feed.atom")
def group_feed(slug: str, group_slug: str):
    db = get_session()
    group = process_queries.get_group_or_404(db, slug, group_slug)
    return Response(feeds.group_feed(db, group, request.host_url.rstrip("/")), mimetype="application/atom+xml")
