"""Process, stage and working group pages."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from consult import events
from consult.clock import london_today
from consult.dashboard import queries as dashboard_queries
from consult.db import get_session
from consult.discussions import queries as discussion_queries
from consult.errors import keeps_input_on_csrf_failure
from consult.flow import saving
from consult.meetings import queries as meeting_queries
from consult.objectives.queries import list_for_process
from consult.processes import permissions, queries, services
from consult.processes.forms import (
    EditProcessForm,
    GroupForm,
    JoinForm,
    MembershipDecisionForm,
    ProcessForm,
    StageForm,
)
from consult.processes.models import Stage
from consult.processes.timeline import ProcessState
from consult.security import require

bp = Blueprint("processes", __name__, url_prefix="/processes", template_folder="templates")


@bp.get("/")
def index():
    db = get_session()
    today = london_today()
    grouped: dict[ProcessState, list] = {state: [] for state in ProcessState}
    for process in queries.list_processes(db):
        stage, state = queries.process_state(process, today)
        grouped[state].append((process, stage))
    return render_template("processes/index.html", grouped=grouped, states=ProcessState)


@bp.route("/new", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def new():
    require(permissions.can_create_process(current_user))
    form = ProcessForm()
    if form.validate_on_submit():
        db = get_session()
        with saving(db, form) as saved:
            process = services.create_process(db, actor=current_user, **form.service_data())
        if saved:
            flash("Process created. Now add its stages and dates.")
            return redirect(url_for("processes.edit", slug=process.slug))
    return render_template("processes/form.html", form=form, process=None)


@bp.get("/<slug>")
def show(slug: str):
    db = get_session()
    process = queries.get_process_or_404(db, slug)
    current, state = queries.process_state(process, london_today())
    counts = queries.member_counts(db, [group.id for group in process.groups])
    meetings = meeting_queries.list_for_process(db, process.id, upcoming_only=True)
    following = events.is_following(db, current_user, "process", process.id)
    actions = dashboard_queries.process_actions(db, process, current_user, london_today(), upcoming=meetings)

    proposals = list_for_process(db, process.id)
    return render_template(
        "processes/show.html",
        process=process,
        current=current,
        state=state,
        counts=counts,
        meetings=meetings,
        following=following,
        proposals=proposals,
        actions=actions,
        queue_kinds=dashboard_queries.QUEUE_KINDS,
    )


@bp.get("/<slug>/groups")
def groups(slug: str):
    """The working groups of a process, with their member counts (one part of the process navigation)."""
    db = get_session()
    process = queries.get_process_or_404(db, slug)
    counts = queries.member_counts(db, [group.id for group in process.groups])
    return render_template("processes/groups.html", process=process, counts=counts)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def edit(slug: str):
    db = get_session()
    process = queries.get_process_or_404(db, slug)
    require(permissions.can_manage_process(current_user, process))
    form = EditProcessForm(obj=process)
    if form.validate_on_submit():
        with saving(db, form) as saved:
            services.update_process(db, process, actor=current_user, **form.service_data())
        if saved:
            flash("Process updated.")
            return redirect(url_for("processes.show", slug=process.slug))
    return render_template("processes/edit.html", form=form, process=process, stage_form=StageForm(formdata=None))


@bp.post("/<slug>/stages")
@login_required
@keeps_input_on_csrf_failure
def add_stage(slug: str):
    db = get_session()
    process = queries.get_process_or_404(db, slug)
    require(permissions.can_manage_process(current_user, process))
    stage_form = StageForm()
    if stage_form.validate_on_submit():
        with saving(db, stage_form) as saved:
            services.add_stage(db, process, actor=current_user, **stage_form.service_data())
        if saved:
            flash("Stage added.")
            return redirect(url_for("processes.edit", slug=process.slug))
    form = EditProcessForm(obj=process, formdata=None)
    return render_template("processes/edit.html", form=form, process=process, stage_form=stage_form)


@bp.post("/<slug>/stages/<int:stage_id>/delete")
@login_required
def remove_stage(slug: str, stage_id: int):
    db = get_session()
    process = queries.get_process_or_404(db, slug)
    require(permissions.can_manage_process(current_user, process))
    stage = db.get(Stage, stage_id)
    if stage is None or stage.process_id != process.id:
        abort(404)
    services.remove_stage(db, process, stage, actor=current_user)
    db.commit()
    flash("Stage removed.")
    return redirect(url_for("processes.edit", slug=process.slug))


@bp.route("/<slug>/groups/new", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def new_group(slug: str):
    db = get_session()
    process = queries.get_process_or_404(db, slug)
    require(permissions.can_manage_process(current_user, process))
    form = GroupForm()
    if form.validate_on_submit():
        with saving(db, form) as saved:
            group = services.create_group(db, process, actor=current_user, **form.service_data())
        if saved:
            flash("Working group created.")
            return redirect(url_for("processes.group", slug=process.slug, group_slug=group.slug))
    return render_template("processes/group_form.html", form=form, process=process)


@bp.get("/<slug>/groups/<group_slug>")
def group(slug: str, group_slug: str):
    db = get_session()
    working_group = queries.get_group_or_404(db, slug, group_slug)
    membership = queries.membership_of(db, working_group.id, current_user)
    _, state = queries.process_state(working_group.process, london_today())
    threads = discussion_queries.list_threads(db, working_group.id)
    return render_template(
        "processes/group.html",
        group=working_group,
        process=working_group.process,
        membership=membership,
        state=state,
        join_form=JoinForm(formdata=None),
        threads=threads,
        following=events.is_following(db, current_user, "group", working_group.id),
    )


@bp.post("/<slug>/groups/<group_slug>/join")
@login_required
@keeps_input_on_csrf_failure
def join(slug: str, group_slug: str):
    db = get_session()
    working_group = queries.get_group_or_404(db, slug, group_slug)
    _, state = queries.process_state(working_group.process, london_today())
    form = JoinForm()
    if form.validate_on_submit():
        with saving(db, form) as saved:
            membership = services.join_group(db, working_group, actor=current_user, state=state, **form.service_data())
        if not saved:
            flash(saved.reason, "error")
            return redirect(url_for("processes.group", slug=slug, group_slug=group_slug))
        flash(
            "You have joined the group."
            if permissions.is_member(membership)
            else "You have asked to join. A facilitator will decide."
        )
        return redirect(url_for("processes.group", slug=slug, group_slug=group_slug))
    return render_template("processes/join.html", form=form, group=working_group, process=working_group.process)


@bp.post("/<slug>/groups/<group_slug>/leave")
@login_required
def leave(slug: str, group_slug: str):
    db = get_session()
    working_group = queries.get_group_or_404(db, slug, group_slug)
    membership = queries.membership_of(db, working_group.id, current_user)
    if membership is None:
        abort(400)
    require(permissions.can_leave_group(current_user, membership))
    services.leave_group(db, membership, actor=current_user)
    db.commit()
    flash("You have left the group.")
    return redirect(url_for("processes.group", slug=slug, group_slug=group_slug))


@bp.post("/<slug>/groups/<group_slug>/members/<int:membership_id>")
@login_required
def decide(slug: str, group_slug: str, membership_id: int):
    db = get_session()
    working_group = queries.get_group_or_404(db, slug, group_slug)
    membership = queries.get_membership_or_404(db, membership_id)
    if membership.group_id != working_group.id:
        abort(404)
    actor_membership = queries.membership_of(db, working_group.id, current_user)
    require(permissions.can_facilitate_group(current_user, working_group, actor_membership))
    form = MembershipDecisionForm()
    if not form.validate_on_submit():
        abort(400)
    with saving(db, form) as saved:
        services.decide_membership(
            db, membership, actor=current_user, approve=form.approves, actor_membership=actor_membership
        )
    if saved:
        flash("Request decided.")
    else:
        flash(saved.reason, "error")
    return redirect(url_for("processes.group", slug=slug, group_slug=group_slug))
