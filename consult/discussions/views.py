"""Thread pages: read, start, reply, edit, delete, history, issue status, summary, issues register."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from consult import caching, events
from consult.clock import london_today
from consult.db import get_session
from consult.discussions import permissions, queries, services, tree
from consult.discussions.forms import (
    EditCommentForm,
    IssueStatusForm,
    ReplyForm,
    SummaryForm,
    ThreadForm,
    ThreadTitleForm,
)
from consult.discussions.models import Comment, Thread
from consult.errors import keeps_input_on_csrf_failure
from consult.flow import saving
from consult.forms import PageForm
from consult.moderation import permissions as moderation_permissions
from consult.posting import limits
from consult.posting.tokens import ALREADY_SENT, AlreadySubmitted
from consult.processes import permissions as process_permissions
from consult.processes import queries as process_queries
from consult.provenance import queries as provenance_queries
from consult.provenance import views as provenance_views
from consult.security import require

bp = Blueprint("discussions", __name__, template_folder="templates")
PER_PAGE = 50


def _context(db, thread: Thread):
    membership = process_queries.membership_of(db, thread.group_id, current_user)
    _, state = process_queries.process_state(thread.group.process, london_today())
    return membership, state


@bp.route("/processes/<slug>/groups/<group_slug>/threads/new", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def new_thread(slug: str, group_slug: str):
    db = get_session()
    group = process_queries.get_group_or_404(db, slug, group_slug)
    membership = process_queries.membership_of(db, group.id, current_user)
    _, state = process_queries.process_state(group.process, london_today())
    require(permissions.can_start_thread(current_user, membership, state))
    form = ThreadForm()
    status = 200
    if form.validate_on_submit():
        try:
            with saving(db, form) as saved:
                thread = services.start_thread(
                    db, group, actor=current_user, membership=membership, state=state, **form.service_data()
                )
                limits.count_post("thread", current_user)
        except AlreadySubmitted as sent:
            flash(ALREADY_SENT)
            return redirect(url_for("discussions.thread", thread_id=sent.target_id))
        if saved:
            return redirect(url_for("discussions.thread", thread_id=thread.id))
        status = saved.status
    return render_template("discussions/new_thread.html", form=form, group=group, process=group.process), status


def _render_thread(db, thread: Thread, *, reply_form: ReplyForm | None = None, root: Comment | None = None, status=200):
    membership, state = _context(db, thread)
    if not thread.is_visible:
        return render_template(
            "discussions/hidden_thread.html",
            thread=thread,
            group=thread.group,
            process=thread.group.process,
            moderating=moderation_permissions.can_moderate(current_user, thread.group, membership),
        )
    # Lay out the whole tree from ids alone, then load only the comments this page shows (issue 15).
    skeleton = queries.comment_skeleton(db, thread.id)
    opening_id = next((row.id for row in skeleton if row.parent_id is None), None)
    start_id = root.id if root else opening_id
    nodes = tree.build(skeleton, root_id=start_id)
    shown, page, pages = tree.paginate(nodes, PageForm().number, PER_PAGE)
    loaded = queries.comments_by_id(
        db, thread.id, [node.comment.id for node in tree.walk(shown)] + ([opening_id] if opening_id else [])
    )
    for node in tree.walk(shown):
        node.comment = loaded[node.comment.id]
    opening = loaded.get(opening_id) if opening_id else None
    return render_template(
        "discussions/thread.html",
        thread=thread,
        group=thread.group,
        process=thread.group.process,
        opening=opening,
        root=root,
        nodes=shown,
        page=page,
        pages=pages,
        revisions=queries.revision_counts(db, thread.id),
        membership=membership,
        state=state,
        # Built only for people who can sign a form: making one puts a CSRF token in a signed-out reader's session,
        # and a page that sets a cookie cannot be shared by the cache (consult.caching).
        reply_form=reply_form or (ReplyForm(formdata=None) if current_user.is_authenticated else None),
        permissions=permissions,
        status_changes=queries.list_status_changes(db, thread.id),
        following=events.is_following(db, current_user, "thread", thread.id),
        moderation_permissions=moderation_permissions,
        blocked_until=membership.blocked_until if process_permissions.is_blocked(membership) else None,
        from_thread=provenance_views.thread_statements(db, thread.id),
        can_propose_statement=provenance_views.may_propose_in(db, thread.group.process, state),
    ), status


@bp.get("/threads/<int:thread_id>")
def thread(thread_id: int):
    db = get_session()
    thread = queries.get_thread_or_404(db, thread_id)
    if not caching.shareable():
        return _render_thread(db, thread)
    # Signed-out readers share one rendering per version of the thread (and day: the process's stage is by date).
    version = (
        queries.thread_version(db, thread),
        provenance_queries.thread_statements_version(db, thread.id),
        london_today(),
    )
    return caching.page("thread", version, lambda: _render_thread(db, thread))


@bp.get("/comments/<int:comment_id>")
def comment(comment_id: int):
    """'Continue this thread': the replies below one comment, on their own page."""
    db = get_session()
    root = queries.get_comment_or_404(db, comment_id)
    return _render_thread(db, root.thread, root=root)


@bp.get("/comments/<int:comment_id>/in-thread")
def permalink(comment_id: int):
    """A comment's lasting address: the page of its thread (or of "continue this thread") that shows it."""
    db = get_session()
    comment = queries.get_comment_or_404(db, comment_id)
    return redirect(comment_url(db, comment.thread_id, comment.id))


def comment_url(db, thread_id: int, comment_id: int) -> str:
    """The URL of the page showing a comment, with its anchor: pages hold PER_PAGE top-level replies each."""
    parents = {row.id: row.parent_id for row in queries.comment_skeleton(db, thread_id)}
    root, page = tree.locate(parents, comment_id, per_page=PER_PAGE)
    page_arg = {"page": page} if page > 1 else {}
    anchor = f"comment-{comment_id}"
    if root is None:
        return url_for("discussions.thread", thread_id=thread_id, _anchor=anchor, **page_arg)
    return url_for("discussions.comment", comment_id=root, _anchor=anchor, **page_arg)


@bp.post("/threads/<int:thread_id>/replies")
@login_required
@keeps_input_on_csrf_failure
def reply(thread_id: int):
    db = get_session()
    thread = queries.get_thread_or_404(db, thread_id)
    membership, state = _context(db, thread)
    form = ReplyForm()
    status = 200
    if form.validate_on_submit():
        parent = queries.find_comment(db, form.parent_id.data)
        if parent is None or parent.thread_id != thread.id:
            form.form_errors.append("You can only reply to a comment in this thread")
        else:
            try:
                with saving(db, form) as saved:
                    comment = services.reply(
                        db,
                        parent,
                        actor=current_user,
                        membership=membership,
                        state=state,
                        body=form.body.data,
                        stance=form.stance.data,
                        submission_token=form.submission_token.data,
                    )
                    limits.count_post("comment", current_user)
            except AlreadySubmitted as sent:
                flash(ALREADY_SENT)
                return redirect(comment_url(db, thread.id, sent.target_id))
            if saved:
                return redirect(comment_url(db, thread.id, comment.id))
            status = saved.status
    parent = queries.find_comment(db, form.parent_id.data)
    if parent is None or parent.thread_id != thread.id:
        abort(400)
    return render_template("discussions/reply.html", form=form, parent=parent, thread=thread), status


@bp.get("/comments/<int:comment_id>/reply")
@login_required
def reply_form(comment_id: int):
    """A page to reply to one comment, so replying works without JavaScript on a long thread."""
    db = get_session()
    parent = queries.get_comment_or_404(db, comment_id)
    membership, state = _context(db, parent.thread)
    require(permissions.can_reply(current_user, parent.thread, parent, membership, state))
    form = ReplyForm(formdata=None, parent_id=parent.id)
    return render_template("discussions/reply.html", form=form, parent=parent, thread=parent.thread)


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def edit(comment_id: int):
    db = get_session()
    comment = queries.get_comment_or_404(db, comment_id)
    membership, state = _context(db, comment.thread)
    require(permissions.can_edit_comment(current_user, comment.thread, comment, membership, state))
    form = EditCommentForm(obj=comment)
    if request.method == "GET":
        form.stance.data = comment.stance.value if comment.stance else ""
    if form.validate_on_submit():
        services.edit_comment(
            db, comment, actor=current_user, membership=membership, state=state, **form.service_data()
        )
        db.commit()
        flash("Your comment has been updated. Earlier versions stay in its history.")
        return redirect(comment_url(db, comment.thread_id, comment.id))
    return render_template("discussions/edit_comment.html", form=form, comment=comment)


@bp.post("/comments/<int:comment_id>/delete")
@login_required
def delete(comment_id: int):
    db = get_session()
    comment = queries.get_comment_or_404(db, comment_id)
    require(permissions.can_delete_comment(current_user, comment))
    services.delete_comment(db, comment, actor=current_user)
    db.commit()
    flash("Your comment has been deleted. Replies to it stay in place.")
    return redirect(url_for("discussions.thread", thread_id=comment.thread_id))


@bp.get("/comments/<int:comment_id>/history")
def history(comment_id: int):
    db = get_session()
    comment = queries.get_comment_or_404(db, comment_id)
    if not comment.is_visible or not comment.thread.is_visible:
        abort(404)
    return render_template(
        "discussions/history.html", comment=comment, revisions=queries.list_revisions(db, comment.id)
    )


@bp.route("/threads/<int:thread_id>/title", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def title(thread_id: int):
    """Correct a thread's title: its author, or a facilitator (who gives a public reason)."""
    db = get_session()
    thread = queries.get_thread_or_404(db, thread_id)
    membership, state = _context(db, thread)
    require(permissions.can_edit_thread_title(current_user, thread, membership, state))
    form = ThreadTitleForm(obj=thread)
    if form.validate_on_submit():
        with saving(db, form) as saved:
            services.edit_thread_title(
                db, thread, actor=current_user, membership=membership, state=state, **form.service_data()
            )
        if saved:
            flash("The title has been changed.")
            return redirect(url_for("discussions.thread", thread_id=thread.id))
    return render_template(
        "discussions/title.html", form=form, thread=thread, needs_reason=thread.author_id != current_user.id
    )


@bp.route("/threads/<int:thread_id>/status", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def status(thread_id: int):
    db = get_session()
    thread = queries.get_thread_or_404(db, thread_id)
    membership, _ = _context(db, thread)
    require(permissions.can_set_issue_status(current_user, thread, membership))
    form = IssueStatusForm()
    if form.validate_on_submit():
        with saving(db, form) as saved:
            services.set_issue_status(db, thread, actor=current_user, membership=membership, **form.service_data())
        if saved:
            flash(f"Status changed to {thread.issue_status.label}.")
            return redirect(url_for("discussions.thread", thread_id=thread.id))
    return render_template("discussions/status.html", form=form, thread=thread)


@bp.route("/threads/<int:thread_id>/summary", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def summary(thread_id: int):
    db = get_session()
    thread = queries.get_thread_or_404(db, thread_id)
    membership, _ = _context(db, thread)
    require(permissions.can_facilitate_thread(current_user, thread, membership))
    form = SummaryForm()
    if request.method == "GET":
        form.body.data = thread.summary
        form.restart_from(thread.summary_version)
    conflict = None
    if form.validate_on_submit():
        with saving(db, form) as saved:
            services.save_summary(
                db,
                thread,
                actor=current_user,
                membership=membership,
                body=form.body.data,
                base_version=form.started_from(),
            )
        if saved:
            flash("Summary saved.")
            return redirect(url_for("discussions.thread", thread_id=thread.id))
        if saved.conflict:
            conflict = queries.summary_conflict(db, thread, form.body.data or "")
            form.restart_from(thread.summary_version)
    return render_template(
        "discussions/summary.html",
        form=form,
        thread=thread,
        conflict=conflict,
        revisions=queries.list_summary_revisions(db, thread.id),
    )


@bp.get("/processes/<slug>/issues")
def issues(slug: str):
    db = get_session()
    process = process_queries.get_process_or_404(db, slug)
    return render_template("discussions/issues.html", process=process, issues=queries.list_issues(db, process.id))
