"""Position paper routes that change things: generating, editing, status, publishing, review comments, naming."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from consult.db import get_session
from consult.errors import keeps_input_on_csrf_failure
from consult.flow import saving
from consult.objectives import queries as objective_queries
from consult.papers import permissions, queries, rendering, review, services
from consult.papers.blueprint import bp
from consult.papers.forms import (
    CommentForm,
    EditPaperForm,
    NamingForm,
    NewPaperForm,
    PublishForm,
    ReplyForm,
    ResolveForm,
    StatusForm,
)
from consult.papers.loading import blocked_in, evidence_for, load_paper
from consult.papers.models import PaperStatus
from consult.posting import limits
from consult.posting.tokens import ALREADY_SENT, AlreadySubmitted
from consult.processes import queries as process_queries
from consult.security import require


@bp.route("/processes/<slug>/papers/new", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def new(slug: str):
    db = get_session()
    process = process_queries.get_process_or_404(db, slug)
    require(permissions.can_manage_papers(current_user))
    form = NewPaperForm()
    form.proposal_id.choices = [("", "The whole process")] + [
        (p.id, p.title) for p in objective_queries.list_for_process(db, process.id)
    ]
    if form.validate_on_submit():
        with saving(db, form) as saved:
            paper = services.create_paper(db, process, actor=current_user, **form.service_data())
        if saved:
            flash("Draft generated from the outcomes ledger. Edit it, then put it out for review.")
            return redirect(url_for("papers.draft", paper_id=paper.id))
    return render_template("papers/new.html", form=form, process=process)


@bp.route("/papers/<int:paper_id>/edit", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def edit(paper_id: int):
    db, paper, _ = load_paper(paper_id)
    if paper.status in {PaperStatus.PUBLISHED, PaperStatus.SUPERSEDED}:
        abort(404)  # a published version is never edited; start a new version from the paper's status
    require(permissions.can_edit(current_user, paper))
    current = queries.current(db, paper)
    if request.method == "GET":
        form = EditPaperForm(data={"title": current.title, "summary": current.summary, "body": current.body})
        form.restart_from(current.number)
    else:
        form = EditPaperForm()
    conflict = None
    if form.validate_on_submit():
        with saving(db, form) as saved:
            version = services.save_version(
                db, paper, actor=current_user, base_version=form.started_from(), **form.service_data()
            )
        if saved:
            flash(f"Saved as version {version.number}.")
            return redirect(url_for("papers.draft", paper_id=paper.id))
        if saved.conflict:
            conflict = queries.edit_conflict(
                db, paper, title=form.title.data or "", summary=form.summary.data or "", body=form.body.data or ""
            )
            form.restart_from(paper.current_version)
    return render_template("papers/edit.html", form=form, paper=paper, current=current, conflict=conflict)


@bp.route("/papers/<int:paper_id>/status", methods=["GET", "POST"])
@login_required
def status(paper_id: int):
    db, paper, _ = load_paper(paper_id)
    require(permissions.can_manage_papers(current_user))
    form = StatusForm()
    form.set_targets(sorted(permissions.TRANSITIONS[paper.status], key=list(PaperStatus).index))
    if form.validate_on_submit():
        with saving(db, form) as saved:
            services.change_status(db, paper, actor=current_user, **form.service_data())
        if saved:
            flash(f"The paper is now: {paper.status.label}.")
            return redirect(url_for("papers.draft", paper_id=paper.id))
    return render_template("papers/status.html", form=form, paper=paper, current=queries.current(db, paper))


@bp.route("/papers/<int:paper_id>/publish", methods=["GET", "POST"])
@login_required
def publish(paper_id: int):
    """Publishing asks for confirmation when review comments are still open, and records the choice."""
    db, paper, _ = load_paper(paper_id)
    require(permissions.can_publish(current_user, paper))
    form = PublishForm()
    open_count = queries.open_comment_count(db, paper.id)
    if form.validate_on_submit():
        with saving(db, form) as saved:
            version = services.publish(
                db, paper, actor=current_user, confirm_open_comments=bool(form.confirm.data), note=form.note.data or ""
            )
        if saved:
            flash(f"Version {version.number} is published.")
            return redirect(url_for("papers.version", paper_id=paper.id, number=version.number))
    return render_template(
        "papers/publish.html", form=form, paper=paper, current=queries.current(db, paper), open_count=open_count
    )


@bp.route("/papers/<int:paper_id>/paragraphs/<int:paragraph>/comment", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def comment(paper_id: int, paragraph: int):
    """Comment on one paragraph; a page of its own so it works without JavaScript."""
    db, paper, member = load_paper(paper_id)
    blocked = blocked_in(db, paper)
    require(permissions.can_comment(current_user, paper, member, blocked=blocked))
    version = queries.current(db, paper)
    items = rendering.items(version.body, evidence_for(db, paper, version))
    if not 0 <= paragraph < len(items):
        abort(404)
    form = CommentForm(paragraph=paragraph)
    status = 200
    if form.validate_on_submit():
        try:
            with saving(db, form) as saved:
                created = review.add_comment(
                    db,
                    paper,
                    actor=current_user,
                    is_member=member,
                    paragraph=paragraph,
                    body=form.body.data,
                    submission_token=form.submission_token.data,
                    blocked=blocked,
                )
                limits.count_post("paper_comment", current_user)
        except AlreadySubmitted as sent:
            return _already_sent(paper, sent)
        if saved:
            flash("Comment added.")
            return redirect(url_for("papers.draft", paper_id=paper.id, _anchor=f"comment-{created.id}"))
        status = saved.status
    page = render_template("papers/comment.html", form=form, paper=paper, item=items[paragraph], version=version)
    return page, status


def _already_sent(paper, sent: AlreadySubmitted):
    flash(ALREADY_SENT)
    return redirect(url_for("papers.draft", paper_id=paper.id, _anchor=f"comment-{sent.target_id}"))


@bp.route("/papers/<int:paper_id>/comments/<int:comment_id>/reply", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def reply(paper_id: int, comment_id: int):
    db, paper, member = load_paper(paper_id)
    parent = queries.get_comment_or_404(db, paper.id, comment_id)
    blocked = blocked_in(db, paper)
    require(permissions.can_reply(current_user, paper, parent, member, blocked=blocked))
    form = ReplyForm()
    status = 200
    if form.validate_on_submit():
        try:
            with saving(db, form) as saved:
                created = review.reply(
                    db,
                    paper,
                    parent,
                    actor=current_user,
                    is_member=member,
                    body=form.body.data,
                    submission_token=form.submission_token.data,
                    blocked=blocked,
                )
                limits.count_post("paper_comment", current_user)
        except AlreadySubmitted as sent:
            return _already_sent(paper, sent)
        if saved:
            flash("Reply added.")
            return redirect(url_for("papers.draft", paper_id=paper.id, _anchor=f"comment-{created.id}"))
        status = saved.status
    return render_template("papers/reply.html", form=form, paper=paper, parent=parent), status


@bp.route("/papers/<int:paper_id>/comments/<int:comment_id>/resolve", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def resolve(paper_id: int, comment_id: int):
    db, paper, _ = load_paper(paper_id)
    target = queries.get_comment_or_404(db, paper.id, comment_id)
    require(permissions.can_resolve(current_user, target))
    form = ResolveForm()
    if form.validate_on_submit():
        with saving(db, form) as saved:
            review.resolve(db, target, actor=current_user, **form.service_data())
        if saved:
            flash("Comment resolved.")
            return redirect(url_for("papers.draft", paper_id=paper.id, _anchor=f"comment-{target.id}"))
    return render_template("papers/resolve.html", form=form, paper=paper, target=target)


@bp.post("/papers/<int:paper_id>/comments/<int:comment_id>/hide")
@login_required
def hide(paper_id: int, comment_id: int):
    db, paper, _ = load_paper(paper_id)
    target = queries.get_comment_or_404(db, paper.id, comment_id)
    require(permissions.can_hide(current_user, target))
    review.hide(db, target, actor=current_user)
    db.commit()
    flash("Comment hidden.")
    return redirect(url_for("papers.draft", paper_id=paper.id))


@bp.post("/papers/<int:paper_id>/naming")
@login_required
def naming(paper_id: int):
    """An organisation's member agrees (or withdraws agreement) for it to be named in the published paper."""
    db, paper, member = load_paper(paper_id)
    require(permissions.can_consent_to_naming(current_user, paper, member))
    consent = NamingForm().agrees
    services.set_naming_consent(db, paper, actor=current_user, is_member=member, consent=consent)
    db.commit()
    flash("Your organisation will be named." if consent else "Your organisation will not be named.")
    return redirect(url_for("papers.draft", paper_id=paper.id))
