"""Linking a statement to its sources with pickers, and proposing a statement from a comment."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import Session

from consult.agreement import permissions as agreement_permissions
from consult.agreement import queries as agreement_queries
from consult.agreement.models import Statement
from consult.clock import london_today
from consult.db import get_session
from consult.discussions.models import Comment
from consult.errors import ValidationError, keeps_input_on_csrf_failure
from consult.flow import saving
from consult.posting import limits
from consult.posting.tokens import ALREADY_SENT, AlreadySubmitted
from consult.processes import queries as process_queries
from consult.processes.models import Process
from consult.processes.timeline import ProcessState
from consult.provenance import permissions, queries, services
from consult.provenance.forms import (
    CommentQueryForm,
    CommentSourceForm,
    CommentThreadForm,
    ProposeFromCommentForm,
    RemoveSourceForm,
    SourceForm,
)
from consult.search.schema import plain_text
from consult.security import require

bp = Blueprint("provenance", __name__, url_prefix="/processes/<slug>", template_folder="templates")


def _statement(slug: str, statement_id: int) -> tuple[Session, Process, Statement]:
    db = get_session()
    process = process_queries.get_process_or_404(db, slug)
    return db, process, agreement_queries.get_statement_or_404(db, process.id, statement_id)


def _shorten(text: str, width: int = 120) -> str:
    """A comment's words for a picker's label: no Markdown, cut at a word."""
    words = " ".join(plain_text(text).split())
    return words if len(words) <= width else services.trim_at_word(words, width - 2) + " …"


def _pickers(db: Session, process: Process, forms: dict[str, SourceForm], thread_id: int | None) -> dict[str, Any]:
    """Fill each picker's choices from the process's own records (three queries at most)."""
    threads = queries.threads_of_process(db, process.id)
    issue_choices = [(t.id, t.title) for t in threads if queries.is_issue(t)]
    forms["thread"].target.choices = [
        ("", "Choose a thread"),
        *((t.id, t.title) for t in threads if not queries.is_issue(t)),
    ]
    forms["issue"].target.choices = [("", "Choose an issue"), *issue_choices]
    forms["meeting"].target.choices = [
        ("", "Choose a meeting"),
        *((m.id, f"{m.title} ({m.starts_at:%-d %B %Y})") for m in queries.meetings_of_process(db, process.id)),
    ]
    chosen = next((t for t in threads if t.id == thread_id), None)
    comments = queries.recent_comments(db, chosen.id) if chosen else []
    forms["comment"].target.choices = [
        (c.id, f"{c.author.display_name if c.author else 'Former participant'}: {_shorten(c.body)}") for c in comments
    ]
    return {"threads": threads, "chosen_thread": chosen, "has_issues": bool(issue_choices)}


def statement_panel(
    db: Session, process: Process, statement: Statement, *, forms: dict[str, SourceForm] | None = None
) -> dict[str, Any]:
    """What the statement page's "Where this statement came from" block needs: links, and pickers for facilitators."""
    sources = [
        s for s in queries.sources_of(db, [statement.id])[statement.id] if permissions.can_see_source(current_user, s)
    ]
    panel: dict[str, Any] = {"sources": sources, "is_public": permissions.is_public, "managing": False}
    if permissions.can_manage_sources(current_user):
        thread_id = CommentThreadForm().values()["thread"]
        forms = forms or {}
        for kind in services.KINDS:
            if kind not in forms:
                forms[kind] = (CommentSourceForm if kind == "comment" else SourceForm)(kind, formdata=None)
        panel |= {"managing": True, "forms": forms}
        panel |= _pickers(db, process, forms, thread_id)
    return panel


@bp.post("/statements/<int:statement_id>/sources/<kind>")
@login_required
@keeps_input_on_csrf_failure
def add(slug: str, statement_id: int, kind: str):
    """Link a picked thread, issue, comment or meeting; a refusal re-shows the pickers with the reason."""
    if kind not in services.KINDS:
        abort(404)
    db, process, statement = _statement(slug, statement_id)
    require(permissions.can_manage_sources(current_user))
    form = (CommentSourceForm if kind == "comment" else SourceForm)(kind)
    if form.validate_on_submit():
        with saving(db, form) as saved:
            services.add_source(db, statement, actor=current_user, kind=kind, target=form.target.data)
        if saved:
            flash(f"Linked the {form.target.label.text.lower()} to this statement.")
            return redirect(url_for("agreement.statement", slug=slug, statement_id=statement.id, _anchor="sources"))
    panel = statement_panel(db, process, statement, forms={kind: form})
    return render_template(
        "provenance/sources.html", process=process, statement=statement, provenance=panel, form=form
    ), 400


@bp.post("/statements/<int:statement_id>/sources/<int:source_id>/remove")
@login_required
@keeps_input_on_csrf_failure
def remove(slug: str, statement_id: int, source_id: int):
    db, _, statement = _statement(slug, statement_id)
    require(permissions.can_manage_sources(current_user))
    source = queries.get_source(db, statement.id, source_id) or abort(404)
    form = RemoveSourceForm()
    if form.validate_on_submit():
        with saving(db, form) as saved:
            services.remove_source(db, source, actor=current_user)
        if saved:
            flash("Link removed. The record it pointed to is unchanged.")
    else:
        flash("The link was not removed: the form had expired. Try again.", "error")
    return redirect(url_for("agreement.statement", slug=slug, statement_id=statement.id, _anchor="sources"))


@bp.route("/statements/from-comment", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def propose_from_comment(slug: str):
    """The propose form, pre-filled from a comment (GET ?comment=<id>), which becomes the statement's source."""
    db = get_session()
    process = process_queries.get_process_or_404(db, slug)
    _, state = process_queries.process_state(process, london_today())
    blocked = process_queries.process_standing(db, process.id, current_user).blocked
    form = ProposeFromCommentForm()
    if not form.is_submitted():
        try:
            comment = services.find_comment_in_process(db, process.id, CommentQueryForm().values()["comment"])
        except ValidationError:
            abort(404)
        require(permissions.can_propose_from_comment(current_user, comment, comment.thread, state, blocked=blocked))
        form = ProposeFromCommentForm(formdata=None, comment_id=comment.id, text=services.suggested_text(comment))
        return _propose_page(process, form, comment)
    try:
        # Checked again on sending: the comment may have been hidden since, or the id changed by hand.
        comment = services.find_comment_in_process(db, process.id, form.comment_id.data)
    except ValidationError as refused:
        form.validate()
        form.form_errors.append(refused.message)
        return _propose_page(process, form, None, status=400)
    require(permissions.can_propose_from_comment(current_user, comment, comment.thread, state, blocked=blocked))
    status = 400
    if form.validate_on_submit():
        try:
            with saving(db, form) as saved:
                services.propose_from_comment(
                    db,
                    process.id,
                    actor=current_user,
                    state=state,
                    comment_id=comment.id,
                    text=form.text.data,
                    submission_token=form.submission_token.data,
                    blocked=blocked,
                )
                limits.count_post("statement", current_user)
        except AlreadySubmitted:
            flash(ALREADY_SENT)
            return redirect(url_for("agreement.statements", slug=slug))
        if saved:
            moderating = permissions.can_manage_sources(current_user)
            flash("Statement added." if moderating else "Thank you. A facilitator will review your statement.")
            return redirect(url_for("agreement.statements", slug=slug))
        status = max(status, saved.status)
    return _propose_page(process, form, comment, status=status)


def _propose_page(process: Process, form: ProposeFromCommentForm, comment: Comment | None, status: int = 200):
    return render_template("provenance/propose_from_comment.html", process=process, form=form, comment=comment), status


def thread_statements(db: Session, thread_id: int) -> list[tuple[Statement, Any]]:
    """For a thread page: the statements that came out of it that the reader may see, with their outcomes."""
    return [
        (statement, outcome)
        for statement, outcome in queries.statements_from_thread(db, thread_id)
        if agreement_permissions.can_view(current_user, statement)
    ]


def may_propose_in(db: Session, process: Process, state: ProcessState) -> bool:
    """For a thread page: whether its comments offer "Propose as a statement" to the reader (one query at most)."""
    if not getattr(current_user, "is_authenticated", False):
        return False
    blocked = process_queries.process_standing(db, process.id, current_user).blocked
    return agreement_permissions.can_propose_statement(current_user, state, blocked=blocked)
