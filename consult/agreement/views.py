"""Statements, voting (with and without the guided flow), proposals, and the analysis page."""

from __future__ import annotations

import textwrap

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from consult import caching
from consult.accounts.models import SECTOR_NAMES
from consult.agreement import figures as agreement_figures
from consult.agreement import ledger, permissions, queries, refresher, routing, services, sufficiency, svg
from consult.agreement.forms import (
    CloseMediationForm,
    DecisionForm,
    FlagForm,
    MediationForm,
    OutcomeForm,
    StatementForm,
    VoteForm,
)
from consult.agreement.models import Mediation, OutcomeKind, StatementStatus
from consult.clock import london_today
from consult.db import get_session
from consult.errors import keeps_input_on_csrf_failure
from consult.flow import saving
from consult.forms import PageForm
from consult.posting import limits
from consult.posting.tokens import ALREADY_SENT, AlreadySubmitted
from consult.processes import queries as process_queries
from consult.provenance import views as provenance_views
from consult.security import require, safe_next

bp = Blueprint("agreement", __name__, url_prefix="/processes/<slug>", template_folder="templates")
VALUE_NAMES = {1: "agree", -1: "disagree", 0: "pass"}
STATEMENTS_PER_PAGE = 50  # what a person reads at a sitting; the rest are a page or a sort away


def _process(slug: str):
    db = get_session()
    process = process_queries.get_process_or_404(db, slug)
    _, state = process_queries.process_state(process, london_today())
    return db, process, state


def _blocked(db, process) -> bool:
    """Blocked in any group of the process: statements and votes are process-wide (processes.permissions)."""
    return process_queries.process_standing(db, process.id, current_user).blocked


@bp.get("/statements")
def statements(slug: str):
    """The statements, a page at a time in the order chosen; signed-out readers share one rendering per version."""
    db, process, state = _process(slug)
    if not caching.shareable():
        return _render_statements(db, process, state)
    version = (process.id, process.title, state, queries.statements_version(db, process.id))
    return caching.page("statements", version, lambda: _render_statements(db, process, state))


def _render_statements(db, process, state):
    moderating = permissions.can_moderate_statements(current_user)
    blocked = _blocked(db, process)
    sort = request.args.get("sort", "")
    sort = sort if sort in queries.SORTS else "oldest"
    page = PageForm().number
    shown, total = queries.statements_page(
        db, process.id, include_proposed=moderating, sort=sort, page=page, per_page=STATEMENTS_PER_PAGE
    )
    pages = max(1, -(-total // STATEMENTS_PER_PAGE))
    if page > pages:
        return redirect(url_for("agreement.statements", slug=process.slug, sort=sort, page=pages))
    return render_template(
        "agreement/statements.html",
        process=process,
        state=state,
        blocked=blocked,
        agreement_permissions=permissions,
        statements=shown,
        total=total,
        page=page,
        pages=pages,
        sort=sort,
        sorts=queries.SORTS,
        my_undecided=queries.my_undecided_statements(db, process.id, current_user),
        tallies=queries.tallies(db, process.id, [s.id for s in shown]),
        mine=queries.my_votes(db, process.id, current_user),
        value_names=VALUE_NAMES,
        # No form for signed-out readers: its CSRF token would give them a session and the page could not be shared.
        form=StatementForm(formdata=None) if current_user.is_authenticated else None,
        moderating=moderating,
        can_propose=permissions.can_propose_statement(current_user, state, blocked=blocked),
    )


@bp.get("/vote")
def flow(slug: str):
    """One statement at a time, the most useful unvoted one first; works without JavaScript."""
    db, process, state = _process(slug)
    statements = queries.list_statements(db, process.id)
    tallies = queries.tallies(db, process.id)
    mine = queries.my_votes(db, process.id, current_user)
    cache = queries.cached_report(db, process.id)
    extremity = routing.extremities(cache.report if cache else None)
    next_id = routing.next_statement([s.id for s in statements], tallies, set(mine), extremity)
    statement = next((s for s in statements if s.id == next_id), None)
    blocked = _blocked(db, process)
    return render_template(
        "agreement/flow.html",
        process=process,
        state=state,
        statement=statement,
        blocked=blocked,
        can_vote=statement is not None and permissions.can_vote(current_user, statement, state, blocked=blocked),
        voted=len(mine),
        total=len(statements),
        vote_form=VoteForm(formdata=None),
    )


@bp.post("/statements/<int:statement_id>/vote")
@login_required
@keeps_input_on_csrf_failure
def vote(slug: str, statement_id: int):
    db, process, state = _process(slug)
    statement = queries.get_statement_or_404(db, process.id, statement_id)
    form = VoteForm()
    back = safe_next(form.next.data, url_for("agreement.statements", slug=slug))
    value = form.value.data or ""
    if not form.validate_on_submit():
        return _vote_again(process, statement, form, back)
    blocked = _blocked(db, process)
    if not permissions.can_vote(current_user, statement, state, blocked=blocked):
        if not getattr(current_user, "is_verified", False):
            flash("Confirm your email address to vote.", "error")
        elif blocked:
            flash(
                "A facilitator has blocked you from taking part in this process for now. Your vote was not recorded.",
                "error",
            )
        else:
            flash("This statement is not open for votes.", "error")
        return redirect(back)
    with saving(db, form) as saved:
        services.cast_vote(
            db, statement, actor=current_user, state=state, value=value, reason=form.reason.data or "", blocked=blocked
        )
    if not saved:
        return _vote_again(process, statement, form, back)
    # The cached analysis is now stale; it is recomputed after this commit, off the request path (refresher.py).
    refresher.votes_changed(process.id)
    flash(f"You voted {value} on “{textwrap.shorten(statement.text, 100, placeholder=' …')}”.")
    return redirect(back)


def _vote_again(process, statement, form: VoteForm, back: str):
    """A refused vote comes back on a page of its own, the reason as typed and the message beside it."""
    if not form.errors and not form.form_errors:
        form.form_errors.append("Your vote was not recorded. Choose agree, disagree or pass.")
    return render_template("agreement/vote_again.html", process=process, statement=statement, form=form, back=back), 400


@bp.post("/statements")
@login_required
@keeps_input_on_csrf_failure
def propose(slug: str):
    db, process, state = _process(slug)
    blocked = _blocked(db, process)
    require(permissions.can_propose_statement(current_user, state, blocked=blocked))
    form = StatementForm()
    status = 400
    if form.validate_on_submit():
        facilitator = permissions.can_moderate_statements(current_user)
        try:
            with saving(db, form) as saved:
                services.add_statement(
                    db,
                    process.id,
                    actor=current_user,
                    state=state,
                    text=form.text.data,
                    submission_token=form.submission_token.data,
                    blocked=blocked,
                )
                limits.count_post("statement", current_user)
        except AlreadySubmitted:
            flash(ALREADY_SENT)
            return redirect(url_for("agreement.statements", slug=slug))
        if saved:
            flash("Statement added." if facilitator else "Thank you. A facilitator will review your statement.")
            return redirect(url_for("agreement.statements", slug=slug))
        status = max(status, saved.status)
    return render_template("agreement/propose.html", process=process, form=form), status


@bp.post("/statements/<int:statement_id>/decision")
@login_required
@keeps_input_on_csrf_failure
def decide(slug: str, statement_id: int):
    db, process, _ = _process(slug)
    require(permissions.can_moderate_statements(current_user))
    statement = queries.get_statement_or_404(db, process.id, statement_id)
    form = DecisionForm()
    accept = form.decision.data == "accept"
    if form.validate_on_submit():
        with saving(db, form) as saved:
            services.decide_statement(db, statement, actor=current_user, accept=accept, reason=form.reason.data or "")
        if saved:
            services.refresh_analysis(db, process.id, force=True)
            db.commit()
            flash("Statement accepted." if accept else "Statement rejected.")
            return redirect(url_for("agreement.statements", slug=slug))
    # Refused: the decision comes back on a page of its own with the reason as typed, so nothing is lost.
    page = render_template("agreement/decide_again.html", process=process, statement=statement, form=form)
    return page, 400


@bp.get("/agreement")
def results(slug: str):
    """Read-only: shows the cached analysis and never computes it; signed-out readers share one rendering of it."""
    db, process, _ = _process(slug)
    version = queries.analysis_version(db, process.id)
    # The newest vote anywhere is one index lookup; counting this process's votes (for "newer votes") waits for a miss.
    page_version = (process.id, process.title, tuple(version) if version else None, queries.newest_vote_event(db))
    return caching.page(
        "agreement", page_version, lambda: _render_results(db, process, version, _newer_votes(db, process.id, version))
    )


def _report(db, process_id: int, version) -> dict | None:
    """The cached report, decoded once per analysis version in each worker (it is hundreds of kB of JSON)."""
    if version is None:
        return None
    return caching.memo(("analysis", process_id, tuple(version)), lambda: queries.analysis_report(db, process_id))


def _render_results(db, process, version, newer_votes: int):
    report = _report(db, process.id, version)
    texts = queries.statement_texts(db, process.id)
    by_id = {entry["id"]: entry for entry in (report or {}).get("statements", [])}
    divisive = sorted((e for e in by_id.values() if not e["moderated_out"]), key=lambda e: -e["divisiveness_groups"])[
        :5
    ]
    bridging = sorted(
        (e for e in by_id.values() if e.get("bridging") is not None and not e["moderated_out"]),
        key=lambda e: -e["bridging"],
    )[:5]
    shown = agreement_figures.FiguresOnDemand(by_id, SECTOR_NAMES)
    apart = agreement_figures.set_apart((report or {}).get("groups", []), shown)
    return render_template(
        "agreement/results.html",
        process=process,
        cache=version,
        newer_votes=newer_votes,
        report=report,
        texts=texts,
        divisive=divisive,
        bridging=bridging,
        shown=shown,
        apart=apart,
        group_name=agreement_figures.group_name,
        map_url=url_for("agreement.opinion_map", slug=process.slug, version=caching.tag(tuple(version)))
        if version
        else None,
        colours=svg.COLOURS,
        shapes=svg.SHAPES,
        statuses=StatementStatus,
    )


@bp.get("/agreement/map-<version>.svg")
def opinion_map(slug: str, version: str):
    """The opinion map as an image of its own, one per analysis version: browsers and proxies keep it for a year."""
    db, process, _ = _process(slug)
    current = queries.analysis_version(db, process.id)
    if current is None:
        abort(404)
    current_tag = caching.tag(tuple(current))
    if version != current_tag:  # an older map: send the reader to the current one
        response = redirect(url_for("agreement.opinion_map", slug=slug, version=current_tag))
        response.headers["Cache-Control"] = "no-cache"
        return response

    def draw() -> str:
        points = [tuple(p) for p in (_report(db, process.id, current) or {}).get("points", [])]
        return str(svg.opinion_map(points, title=f"Opinion map of {process.title}"))

    response = Response(caching.versioned("opinion-map", (process.id, current_tag), draw), mimetype="image/svg+xml")
    response.set_etag(current_tag)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response.make_conditional(request)


def _newer_votes(db, process_id: int, cache) -> int:
    """Votes cast since the cached figures were made; the refresher (or cron) is bringing them in."""
    return max(0, queries.vote_event_count(db, process_id) - (cache.vote_events if cache else 0))


@bp.route("/statements/<int:statement_id>/outcome", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def outcome(slug: str, statement_id: int):
    """The outcome form, with the statement's figures beside the choice and the evidence the process asks for."""
    db, process, _ = _process(slug)
    require(permissions.can_moderate_statements(current_user))
    statement = queries.get_statement_or_404(db, process.id, statement_id)
    form = OutcomeForm()
    form.set_basis_choices(queries.citable_meetings(db, process.id), queries.citable_threads(db, process.id))
    if form.validate_on_submit():
        with saving(db, form) as saved:
            ledger.record_outcome(db, statement, actor=current_user, **form.service_data())
        if saved:
            flash("Outcome recorded in the ledger.")
            return redirect(url_for("agreement.ledger_page", slug=slug))
    cache = queries.cached_report(db, process.id)
    entry = next(
        (e for e in (cache.report if cache else {}).get("statements", []) if e["statement"] == statement.id), None
    )
    return render_template(
        "agreement/outcome.html",
        process=process,
        statement=statement,
        form=form,
        cache=cache,
        newer_votes=_newer_votes(db, process.id, cache),
        figures=agreement_figures.statement_figures(entry, SECTOR_NAMES) if entry else None,
        support=ledger.support_now(db, statement),
        needing_evidence=[kind.label for kind in OutcomeKind if kind.needs_evidence],
        history=ledger.history(db, statement.id),
        basis_of=ledger.basis_of,
    )


@bp.get("/ledger")
def ledger_page(slug: str):
    """Areas of agreement and disagreement, from the ledger, with the figures beside each."""
    db, process, _ = _process(slug)
    outcomes = ledger.current_outcomes(db, process.id)
    statements = {s.id: s for s in queries.list_statements(db, process.id)}
    cache = queries.cached_report(db, process.id)
    figures = agreement_figures.FiguresOnDemand(
        {entry["statement"]: entry for entry in (cache.report if cache else {}).get("statements", [])}, SECTOR_NAMES
    )
    sections = [
        (kind, [(statements[sid], o) for sid, o in outcomes.items() if o.kind == kind and sid in statements])
        for kind in OutcomeKind
    ]
    unrecorded = [s for sid, s in statements.items() if sid not in outcomes]
    return render_template(
        "agreement/ledger.html",
        process=process,
        sections=sections,
        figures=figures,
        unrecorded=unrecorded,
        moderating=permissions.can_moderate_statements(current_user),
        basis_of=ledger.basis_of,
        minimum_text=sufficiency.minimum_text(process.outcome_min_votes, process.outcome_min_sectors),
    )


@bp.route("/statements/<int:statement_id>/flag", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def flag(slug: str, statement_id: int):
    db, process, _ = _process(slug)
    statement = queries.get_statement_or_404(db, process.id, statement_id)
    blocked = _blocked(db, process)
    require(permissions.can_flag_for_mediation(current_user, blocked=blocked))
    form = FlagForm()
    if form.validate_on_submit():
        with saving(db, form) as saved:
            ledger.flag_for_mediation(db, statement, actor=current_user, reason=form.reason.data, blocked=blocked)
        if saved:
            flash("Thank you. The facilitators will consider mediation.")
            return redirect(url_for("agreement.statements", slug=slug))
    return render_template(
        "agreement/simple_form.html",
        process=process,
        form=form,
        heading="Ask for this statement to be mediated",
        statement=statement,
    )


@bp.get("/mediation")
def mediation(slug: str):
    db, process, _ = _process(slug)
    moderating = permissions.can_moderate_statements(current_user)
    cache = queries.cached_report(db, process.id)
    return render_template(
        "agreement/mediation.html",
        process=process,
        moderating=moderating,
        queue=ledger.queue(db, process.id, cache.report if cache else None) if moderating else [],
        log=ledger.public_log(db, process.id),
        statements={s.id: s for s in queries.list_statements(db, process.id, include_proposed=True)},
    )


@bp.route("/statements/<int:statement_id>/mediation", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def open_mediation(slug: str, statement_id: int):
    db, process, _ = _process(slug)
    require(permissions.can_moderate_statements(current_user))
    statement = queries.get_statement_or_404(db, process.id, statement_id)
    form = MediationForm()
    if form.validate_on_submit():
        with saving(db, form) as saved:
            ledger.open_mediation(db, statement, actor=current_user, **form.service_data())
        if saved:
            flash("Mediation opened.")
            return redirect(url_for("agreement.mediation", slug=slug))
    return render_template(
        "agreement/simple_form.html", process=process, form=form, heading="Open a mediation", statement=statement
    )


@bp.route("/mediations/<int:mediation_id>", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def close_mediation(slug: str, mediation_id: int):
    db, process, _ = _process(slug)
    require(permissions.can_moderate_statements(current_user))
    record = db.get(Mediation, mediation_id) or abort(404)
    statement = queries.get_statement_or_404(db, process.id, record.statement_id)
    form = CloseMediationForm()
    if form.validate_on_submit():
        with saving(db, form) as saved:
            ledger.close_mediation(db, record, actor=current_user, **form.service_data())
        if saved:
            flash("Mediation result recorded.")
            return redirect(url_for("agreement.mediation", slug=slug))
    return render_template(
        "agreement/simple_form.html",
        process=process,
        form=form,
        heading="Record the result of a mediation",
        statement=statement,
    )


@bp.get("/statements/<int:statement_id>")
def statement(slug: str, statement_id: int):
    """One statement: its tallies, and bars by declared sector and by opinion group, from the cached analysis."""
    db, process, _ = _process(slug)
    item = queries.get_statement_or_404(db, process.id, statement_id)
    if not permissions.can_view(current_user, item):
        abort(404)
    cache = queries.cached_report(db, process.id)
    newer_votes = _newer_votes(db, process.id, cache)
    entry = next((e for e in (cache.report if cache else {}).get("statements", []) if e["statement"] == item.id), None)
    return render_template(
        "agreement/statement.html",
        process=process,
        statement=item,
        cache=cache,
        newer_votes=newer_votes,
        figures=agreement_figures.statement_figures(entry, SECTOR_NAMES) if entry else None,
        outcomes=ledger.history(db, item.id),
        basis_of=ledger.basis_of,
        provenance=provenance_views.statement_panel(db, process, item),
    )
