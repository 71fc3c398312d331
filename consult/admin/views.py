"""Admin pages: users and their roles, organisation claims, background jobs, and the development mail outbox."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from consult import mail_delivery
from consult.accounts import permissions, queries, services
from consult.accounts.models import Role
from consult.admin.forms import DecisionForm, DisableForm, RetryJobForm, RoleForm, UserSearchForm
from consult.db import get_session
from consult.flow import saving
from consult.jobs import queries as job_queries
from consult.jobs import services as job_services
from consult.security import require

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")
PER_PAGE = 50


@bp.before_request
@login_required
def only_admins():
    """Every admin route is for administrators only; this guard covers new routes too."""
    require(permissions.can_manage_users(current_user))


@bp.get("/users")
def users():
    db = get_session()
    query = UserSearchForm()
    search = query.values()["q"] or ""
    page = min(query.number, 100_000)
    found, total = queries.list_users(db, search=search, page=page, per_page=PER_PAGE)
    pages = max(1, -(-total // PER_PAGE))
    return render_template("admin/users.html", users=found, total=total, page=page, pages=pages, search=search)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user(user_id: int):
    db = get_session()
    target = queries.get_user_or_404(db, user_id)
    form = RoleForm()
    if form.validate_on_submit():
        role = Role(form.role.data)
        with saving(db, form) as saved:
            if form.action.data == "grant":
                services.grant_role(db, target, role, actor=current_user)
            else:
                services.revoke_role(db, target, role, actor=current_user)
        if saved:
            flash(f"Roles of {target.display_name} updated.")
            return redirect(url_for("admin.user", user_id=target.id))
    return render_template("admin/user.html", target=target, form=form, disable_form=DisableForm())


@bp.post("/users/<int:user_id>/disabled")
def disable(user_id: int):
    db = get_session()
    target = queries.get_user_or_404(db, user_id)
    form = DisableForm()
    if not form.validate_on_submit():
        abort(400)
    with saving(db, form) as saved:
        services.set_disabled(db, target, form.disabled.data == "yes", actor=current_user)
    if saved:
        flash(f"{target.display_name} is now {'disabled' if target.disabled else 'enabled'}.")
    else:
        flash(saved.reason, "error")
    return redirect(url_for("admin.user", user_id=target.id))


@bp.get("/claims")
def claims():
    db = get_session()
    return render_template("admin/claims.html", claims=queries.list_pending_claims(db), form=DecisionForm())


@bp.post("/claims/<int:claim_id>")
def decide(claim_id: int):
    db = get_session()
    claim = queries.get_claim_or_404(db, claim_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    require(permissions.can_decide_claim(current_user, claim))
    with saving(db, form) as saved:
        services.decide_claim(db, claim, approve=form.decision.data == "approve", actor=current_user)
    if saved:
        flash(f"Claim by {claim.user.display_name} to {claim.organisation.name} {claim.status.value}.")
    else:
        flash(saved.reason, "error")
    return redirect(url_for("admin.claims"))


@bp.get("/outbox")
def outbox():
    require(permissions.can_view_outbox(current_user, current_app.config["ENV"]))
    return render_template("admin/outbox.html", messages=mail_delivery.outbox_messages())


@bp.get("/jobs")
def jobs():
    """Jobs waiting, scheduled (retries waiting out their delay) and failed for good, with a way to queue again."""
    db = get_session()
    try:
        waiting = job_queries.waiting()
    except Exception:
        current_app.logger.warning("admin: the job queue is not reachable", exc_info=True)
        waiting = None
    return render_template(
        "admin/jobs.html", waiting=waiting, failed=job_queries.failed(db), form=RetryJobForm()
    )


@bp.post("/jobs/failed/<int:job_id>")
def retry_job(job_id: int):
    db = get_session()
    job = job_queries.get_failed_or_404(db, job_id)
    form = RetryJobForm()
    if not form.validate_on_submit():
        abort(400)
    name = job.task_name
    with saving(db, form) as saved:
        job_services.retry_failed(db, job, actor=current_user)
    if saved:
        flash(f"The {name} job is queued again.")
    else:
        flash(saved.reason, "error")
    return redirect(url_for("admin.jobs"))
