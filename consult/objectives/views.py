"""Objective pages: the reference list, objectives in force, and proposals from draft to law."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from consult.db import get_session
from consult.errors import keeps_input_on_csrf_failure
from consult.flow import saving
from consult.forms import CompareForm
from consult.objectives import criteria, diffing, lifecycle, permissions, queries, services
from consult.objectives.fields import FIELDS, display, fields_in
from consult.objectives.forms import (
    AssessmentForm,
    ConsulteeForm,
    LinkProcessForm,
    NewProposalForm,
    ProposalForm,
    RecommendationForm,
    TransitionForm,
)
from consult.objectives.models import Consultee, Criterion
from consult.security import require

bp = Blueprint("objectives", __name__, url_prefix="/objectives", template_folder="templates")


@bp.get("/")
def index():
    db = get_session()
    return render_template(
        "objectives/index.html",
        in_force=queries.list_in_force(db),
        proposals=queries.list_public_proposals(db),
        drafts=queries.list_department_drafts(db, current_user),
    )


@bp.get("/processes/<int:process_id>")
def process_redirect(process_id: int):
    """Proposals store the process id; send readers to its readable address."""
    from consult.processes.models import Process

    process = get_session().get(Process, process_id) or abort(404)
    return redirect(url_for("processes.show", slug=process.slug))


@bp.get("/specified-persons")
def specified_persons():
    return render_template("objectives/persons.html", groups=queries.person_groups(get_session()))


@bp.get("/in-force/<slug>")
def in_force(slug: str):
    return render_template("objectives/in_force.html", objective=queries.get_in_force_or_404(get_session(), slug))


@bp.route("/proposals/new", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def new():
    require(permissions.can_create_proposal(current_user))
    form = NewProposalForm()
    if form.validate_on_submit():
        db = get_session()
        with saving(db, form) as saved:
            proposal = services.create_proposal(db, actor=current_user, title=form.title.data)
        if saved:
            flash("Draft started. It stays private to your department until you submit it.")
            return redirect(url_for("objectives.edit", proposal_id=proposal.id))
    return render_template("objectives/new.html", form=form)


def _persons_choices(db) -> list[tuple[str, str]]:
    return [
        (p.paragraph, f"Paragraph {p.paragraph}: {p.name}" + ("" if p.verified else " (unverified)"))
        for p in queries.list_persons(db)
    ]


@bp.get("/proposals/<int:proposal_id>")
def show(proposal_id: int):
    db = get_session()
    proposal = queries.get_visible_proposal_or_404(db, proposal_id, current_user)
    answers = proposal.answers or {}
    missing = criteria.missing_items(answers, queries.parties(db, answers))
    transition_form = TransitionForm(formdata=None)
    transition_form.offer_response_link(permissions.can_set_response_link(current_user, proposal))
    names = queries.person_names(db)
    return render_template(
        "objectives/show.html",
        proposal=proposal,
        answers=answers,
        fields_by_criterion=[(criterion, fields_in(criterion.value)) for criterion in Criterion],
        proposal_fields=fields_in("proposal"),
        display=display,
        names=names,
        missing=missing,
        readiness=criteria.readiness(answers, queries.parties(db, answers)),
        transitions=queries.transitions(db, proposal.id),
        versions=queries.versions(db, proposal.id),
        assessments=queries.latest_assessments(db, proposal.id),
        recommendations=(
            queries.recommendations(db, proposal.id)
            if permissions.can_see_recommendations(current_user, proposal)
            else []
        ),
        consultees=list(Consultee),
        replies=queries.consultee_replies(db, proposal.id),
        moves=services.available_moves(proposal, actor=current_user),
        transition_form=transition_form,
        main_path=lifecycle.MAIN_PATH,
    )


@bp.route("/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def edit(proposal_id: int):
    db = get_session()
    proposal = queries.get_visible_proposal_or_404(db, proposal_id, current_user)
    require(permissions.can_edit_proposal(current_user, proposal))
    if request.method == "GET":
        form = ProposalForm(data=dict(proposal.answers or {}))
        form.restart_from(proposal.version)
    else:
        form = ProposalForm()
    form.disclosers.choices = form.recipients.choices = _persons_choices(db)
    conflict = None
    if form.validate_on_submit():
        with saving(db, form) as saved:
            services.save_answers(
                db,
                proposal,
                actor=current_user,
                answers=form.service_data(),
                base_version=form.started_from(),
                change_note=form.change_note.data or "",
            )
        if saved:
            flash("Saved." + (" A new public version was created." if proposal.is_public else ""))
            return redirect(url_for("objectives.show", proposal_id=proposal.id))
        if saved.conflict:
            conflict = queries.edit_conflict(db, proposal, form.service_data())
            form.restart_from(proposal.version)
    missing = criteria.missing_items(form.service_data(), queries.parties(db, form.service_data()))
    return render_template(
        "objectives/edit.html",
        form=form,
        proposal=proposal,
        fields=FIELDS,
        missing=missing,
        conflict=conflict,
        person_groups=queries.person_groups(db),
    )


def _chosen_move(proposal, target: str | None, unknown: int = 400) -> lifecycle.Move:
    """The move asked for: `unknown` for a value that is no status at all, 403 for a move this person may not make."""
    try:
        status = lifecycle.Status(target or "")
    except ValueError:
        abort(unknown)
    move = next((m for m in services.available_moves(proposal, actor=current_user) if m.target == status), None)
    require(move is not None)
    return move  # type: ignore[return-value]


def _refusal_summary(form: TransitionForm, proposal, missing) -> list[dict[str, str]]:
    """The error summary of a refused move: the form's messages, then each checklist item still to answer, linked
    to its field on the edit page for those who can edit it."""
    editable = permissions.can_edit_proposal(current_user, proposal)
    items = form.error_list
    for item in missing:
        entry = {"text": item.message}
        if editable:
            entry["href"] = url_for("objectives.edit", proposal_id=proposal.id, _anchor=item.field)
        items.append(entry)
    return items


@bp.post("/proposals/<int:proposal_id>/transition")
@login_required
@keeps_input_on_csrf_failure
def transition(proposal_id: int):
    db = get_session()
    proposal = queries.get_visible_proposal_or_404(db, proposal_id, current_user)
    form = TransitionForm()
    form.offer_response_link(permissions.can_set_response_link(current_user, proposal))
    move = _chosen_move(proposal, form.target.data)
    if move.confirm and form.confirmed.data != "yes":  # a pause or withdrawal is made only from its "are you sure?"
        if form.confirmed.data:
            abort(400)  # a tampered confirmation
        return render_template("objectives/confirm_move.html", form=form, proposal=proposal, move=move)
    missing = []
    if form.validate_on_submit():
        with saving(db, form) as saved:
            services.transition(db, proposal, actor=current_user, **form.service_data())
        if saved:
            flash(f"The proposal is now: {proposal.status.label.lower()}.")
            return redirect(url_for("objectives.show", proposal_id=proposal.id))
        missing = getattr(saved.error, "missing", [])
    template = "objectives/confirm_move.html" if move.confirm else "objectives/transition.html"
    summary = _refusal_summary(form, proposal, missing)
    return render_template(template, form=form, proposal=proposal, move=move, summary=summary), 400


@bp.get("/proposals/<int:proposal_id>/moves/<target>")
@login_required
def confirm_move(proposal_id: int, target: str):
    """The "are you sure?" page of a move that stops or ends a proposal in public (pause, withdraw, reject)."""
    proposal = queries.get_visible_proposal_or_404(get_session(), proposal_id, current_user)
    move = _chosen_move(proposal, target, unknown=404)
    if not move.confirm:
        abort(404)
    form = TransitionForm(formdata=None, target=move.target.value)
    return render_template("objectives/confirm_move.html", form=form, proposal=proposal, move=move)


def _small(proposal_id: int, form_class, predicate, service, heading: str, message: str):
    db = get_session()
    proposal = queries.get_visible_proposal_or_404(db, proposal_id, current_user)
    require(predicate(current_user, proposal))
    form = form_class()
    if form.validate_on_submit():
        with saving(db, form) as saved:
            service(db, proposal, actor=current_user, **form.service_data())
        if saved:
            flash(message)
            return redirect(url_for("objectives.show", proposal_id=proposal.id))
    return render_template("objectives/small_form.html", form=form, proposal=proposal, heading=heading)


@bp.route("/proposals/<int:proposal_id>/process", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def link_process(proposal_id: int):
    return _small(
        proposal_id,
        LinkProcessForm,
        permissions.can_link_process,
        services.link_process,
        "Link an open policy process",
        "Process linked.",
    )


@bp.route("/proposals/<int:proposal_id>/assessments", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def assess(proposal_id: int):
    return _small(
        proposal_id,
        AssessmentForm,
        permissions.can_assess_criteria,
        services.record_assessment,
        "Record the working group's view on a condition",
        "The group's view is recorded.",
    )


@bp.route("/proposals/<int:proposal_id>/recommendation", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def recommend(proposal_id: int):
    return _small(
        proposal_id,
        RecommendationForm,
        permissions.can_recommend,
        services.record_recommendation,
        "Record your recommendation",
        "Your recommendation is recorded. It is published after the decision.",
    )


@bp.route("/proposals/<int:proposal_id>/consultees", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def consultees(proposal_id: int):
    return _small(
        proposal_id,
        ConsulteeForm,
        permissions.can_record_consultees,
        services.record_consultee,
        "Record a statutory consultee",
        "Consultee recorded.",
    )


@bp.get("/proposals/<int:proposal_id>/versions/<int:number>")
def version(proposal_id: int, number: int):
    db = get_session()
    proposal = queries.get_visible_proposal_or_404(db, proposal_id, current_user)
    snapshot = queries.get_version_or_404(db, proposal.id, number)
    return render_template(
        "objectives/version.html",
        proposal=proposal,
        snapshot=snapshot,
        fields=FIELDS,
        display=display,
        names=queries.person_names(db),
    )


@bp.get("/proposals/<int:proposal_id>/compare")
def compare(proposal_id: int):
    db = get_session()
    proposal = queries.get_visible_proposal_or_404(db, proposal_id, current_user)
    numbers = [v.number for v in queries.versions(db, proposal.id)]
    asked = CompareForm().values()
    old, new = asked["old"], asked["new"]
    if len(numbers) < 2:
        abort(404)
    old = old if old in numbers else numbers[-2]
    new = new if new in numbers else numbers[-1]
    before, after = queries.get_version_or_404(db, proposal.id, old), queries.get_version_or_404(db, proposal.id, new)
    rows = diffing.compare(before.answers, after.answers, queries.person_names(db))
    return render_template(
        "objectives/compare.html", proposal=proposal, rows=rows, before=before, after=after, numbers=numbers
    )
