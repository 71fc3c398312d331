"""Reporting, the facilitators' queue, hide/restore/dismiss, blocking, and the public moderation log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from consult.db import get_session
from consult.discussions import queries as discussion_queries
from consult.errors import keeps_input_on_csrf_failure
from consult.flow import saving
from consult.moderation import permissions, queries, services
from consult.moderation.forms import BlockForm, ModerateForm, ReportForm
from consult.processes import queries as process_queries
from consult.security import require

bp = Blueprint("moderation", __name__, template_folder="templates")


@bp.route("/comments/<int:comment_id>/report", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def report(comment_id: int):
    db = get_session()
    comment = discussion_queries.get_comment_or_404(db, comment_id)
    membership = process_queries.membership_of(db, comment.thread.group_id, current_user)
    require(permissions.can_report(current_user, comment.thread, comment, membership))
    form = ReportForm()
    if form.validate_on_submit():
        with saving(db, form) as saved:
            services.report(db, comment, actor=current_user, membership=membership, reason=form.reason.data)
        if saved:
            flash("Thank you. A facilitator will look at the comment.")
            return redirect(url_for("discussions.permalink", comment_id=comment.id))
    return render_template("moderation/report.html", form=form, comment=comment)


@bp.route("/comments/<int:comment_id>/moderate", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def moderate(comment_id: int):
    db = get_session()
    comment = discussion_queries.get_comment_or_404(db, comment_id)
    group = comment.thread.group
    membership = process_queries.membership_of(db, group.id, current_user)
    require(permissions.can_moderate(current_user, group, membership))
    form = ModerateForm()
    action = form.action.data or ""
    if form.validate_on_submit():
        verbs = {"hide": services.hide, "restore": services.restore, "dismiss": services.dismiss_reports}
        if action not in verbs:
            abort(400)
        with saving(db, form) as saved:
            verbs[action](db, comment, group, actor=current_user, membership=membership, reason=form.reason.data)
        if saved:
            flash({"hide": "Comment hidden.", "restore": "Comment restored.", "dismiss": "Reports dismissed."}[action])
            return redirect(url_for("moderation.queue", slug=group.process.slug))
    return render_template("moderation/moderate.html", form=form, comment=comment, group=group)


@bp.route("/threads/<int:thread_id>/moderate", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def moderate_thread(thread_id: int):
    """Hide a whole thread, title included, or restore it; the reason is public."""
    db = get_session()
    thread = discussion_queries.get_thread_or_404(db, thread_id)
    membership = process_queries.membership_of(db, thread.group_id, current_user)
    require(permissions.can_moderate(current_user, thread.group, membership))
    form = ModerateForm()
    action = form.action.data or ""
    if form.validate_on_submit():
        verbs = {"hide": services.hide_thread, "restore": services.restore_thread}
        if action not in verbs:
            abort(400)
        with saving(db, form) as saved:
            verbs[action](db, thread, actor=current_user, membership=membership, reason=form.reason.data)
        if saved:
            flash("Thread hidden." if action == "hide" else "Thread restored.")
            return redirect(url_for("discussions.thread", thread_id=thread.id))
    opening = discussion_queries.opening_comment(db, thread.id)
    return render_template("moderation/moderate_thread.html", form=form, thread=thread, opening=opening)


@bp.get("/processes/<slug>/moderation/queue")
@login_required
def queue(slug: str):
    db = get_session()
    process = process_queries.get_process_or_404(db, slug)
    items = queries.open_queue(db, process.id)
    memberships = {group.id: process_queries.membership_of(db, group.id, current_user) for group in process.groups}
    allowed = {
        group.id for group in process.groups if permissions.can_moderate(current_user, group, memberships[group.id])
    }
    require(bool(allowed))
    items = [item for item in items if item.thread.group_id in allowed]
    return render_template("moderation/queue.html", process=process, items=items)


@bp.get("/processes/<slug>/moderation")
def log(slug: str):
    db = get_session()
    process = process_queries.get_process_or_404(db, slug)
    return render_template(
        "moderation/log.html",
        process=process,
        actions=queries.public_log(db, process.id),
        groups=queries.group_names(db, process.id),
        rejections=queries.statement_rejections(db, process.id),
    )


@bp.route("/processes/<slug>/groups/<group_slug>/members/<int:membership_id>/block", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def block(slug: str, group_slug: str, membership_id: int):
    db = get_session()
    group = process_queries.get_group_or_404(db, slug, group_slug)
    target = process_queries.get_membership_or_404(db, membership_id)
    if target.group_id != group.id:
        abort(404)
    membership = process_queries.membership_of(db, group.id, current_user)
    require(permissions.can_moderate(current_user, group, membership))
    form = BlockForm()
    if form.validate_on_submit():
        with saving(db, form) as saved:
            if form.action.data == "unblock":
                services.unblock(db, target, group, actor=current_user, membership=membership, reason=form.reason.data)
            else:
                services.block(
                    db,
                    target,
                    group,
                    actor=current_user,
                    membership=membership,
                    days=form.days.data,
                    reason=form.reason.data,
                )
        if saved:
            flash("Block updated.")
            return redirect(url_for("processes.group", slug=slug, group_slug=group_slug))
    return render_template("moderation/block.html", form=form, target=target, group=group)
