"""Meeting pages: schedule, read, RSVP, notes, attendance, actions, and iCalendar feeds."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from consult.accounts.models import User
from consult.db import get_session, utcnow
from consult.errors import keeps_input_on_csrf_failure
from consult.flow import saving
from consult.meetings import calendar_feed, permissions, queries, services
from consult.meetings.forms import (
    ActionForm,
    ActionStatusForm,
    AttendanceForm,
    CancelRsvpForm,
    MeetingForm,
    NoteCommentForm,
    NotesForm,
    NoteStatusForm,
    RsvpForm,
)
from consult.meetings.models import MeetingAction
from consult.processes import queries as process_queries
from consult.security import TokenError, make_token, read_token, require

bp = Blueprint("meetings", __name__, template_folder="templates")
FEED_MAX_AGE = 400 * 24 * 3600  # personal feed links last a year; sign-out-everywhere revokes them


@bp.route("/processes/<slug>/meetings/new", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def new(slug: str):
    db = get_session()
    process = process_queries.get_process_or_404(db, slug)
    require(permissions.can_schedule(current_user))
    form = MeetingForm()
    form.group.choices = [("", "Whole process")] + [(str(g.id), g.name) for g in process.groups]
    if form.validate_on_submit():
        group = next((g for g in process.groups if str(g.id) == form.group.data), None)
        with saving(db, form) as saved:
            result = services.schedule(db, process, actor=current_user, group=group, **form.service_data())
        if saved:
            if result.short_notice:
                flash("Meeting scheduled – with less than 14 days' notice. Consider a later date so people can plan.")
            else:
                flash("Meeting scheduled.")
            return redirect(url_for("meetings.show", meeting_id=result.meeting.id))
    return render_template("meetings/new.html", form=form, process=process)


def _attendance(db, meeting):
    replies = queries.rsvps(db, meeting.id)
    mine = next((r for r in replies if current_user.is_authenticated and r.user_id == current_user.id), None)
    attended = mine is not None and mine.attended is not False
    return replies, mine, attended


@bp.get("/meetings/<int:meeting_id>")
def show(meeting_id: int):
    db = get_session()
    meeting = queries.get_meeting_or_404(db, meeting_id)
    replies, mine, attended = _attendance(db, meeting)
    standing = queries.audience_standing(db, meeting, current_user)
    managing = permissions.can_manage_meeting(current_user, meeting)
    is_past = meeting.starts_at <= utcnow()
    return render_template(
        "meetings/show.html",
        meeting=meeting,
        process=meeting.process,
        replies=replies,
        mine=mine,
        in_person=queries.in_person_count(replies),
        is_past=is_past,
        can_rsvp=permissions.can_rsvp(current_user, meeting, is_past=is_past, standing=standing),
        standing=standing,
        show_link=permissions.can_see_joining_link(current_user, standing),
        managing=managing,
        read_notes=permissions.can_read_notes(current_user, meeting, attended=attended, standing=standing),
        comment_form=NoteCommentForm(formdata=None)
        if permissions.can_comment_on_notes(current_user, meeting, attended=attended, standing=standing)
        else None,
        note_comments=queries.note_comments(db, meeting.id)
        if permissions.can_read_note_comments(current_user, meeting, attended=attended, standing=standing)
        else [],
        actions=queries.actions(db, meeting.id),
        rsvp_form=RsvpForm(formdata=None),
        short_notice=meeting.starts_at - meeting.created_at < services.MIN_NOTICE,
    )


@bp.post("/meetings/<int:meeting_id>/rsvp")
@login_required
def rsvp(meeting_id: int):
    db = get_session()
    meeting = queries.get_meeting_or_404(db, meeting_id)
    cancel = CancelRsvpForm()
    if cancel.action.data == "cancel":
        if not cancel.validate_on_submit():
            abort(400)
        with saving(db, cancel) as saved:
            services.cancel_rsvp(db, meeting, actor=current_user)
        if saved:
            flash("Your reply has been cancelled.")
        else:
            flash(saved.reason, "error")
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    form = RsvpForm()
    if form.validate_on_submit():
        with saving(db, form) as saved:
            services.rsvp(db, meeting, actor=current_user, mode=form.mode.data)
        if saved:
            flash("Thank you – your reply is recorded.")
        else:
            flash(saved.reason, "error")
    else:
        flash("Select how you will attend.")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/meetings/<int:meeting_id>/notes", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def notes(meeting_id: int):
    """Edit the notes; a save on top of someone else's newer one is refused with both texts shown."""
    db = get_session()
    meeting = queries.get_meeting_or_404(db, meeting_id)
    require(permissions.can_manage_meeting(current_user, meeting))
    form = NotesForm()
    if request.method == "GET":
        form.body.data = meeting.notes
        form.restart_from(meeting.notes_version)
    conflict = None
    if form.validate_on_submit():
        with saving(db, form) as saved:
            services.save_notes(db, meeting, actor=current_user, body=form.body.data, base_version=form.started_from())
        if saved:
            flash("Notes saved.")
            return redirect(url_for("meetings.notes", meeting_id=meeting.id))
        if saved.conflict:
            conflict = queries.notes_conflict(meeting, form.body.data or "")
            form.restart_from(meeting.notes_version)
    return _notes_page(db, meeting, form=form, conflict=conflict)


@bp.post("/meetings/<int:meeting_id>/notes/status")
@login_required
def notes_status(meeting_id: int):
    """Move the notes to their next stage (shared, final, published); its own form, separate from the text."""
    db = get_session()
    meeting = queries.get_meeting_or_404(db, meeting_id)
    require(permissions.can_manage_meeting(current_user, meeting))
    status_form = NoteStatusForm()
    if status_form.validate_on_submit():
        with saving(db, status_form) as saved:
            services.set_notes_status(db, meeting, actor=current_user, status=status_form.status.data)
        if saved:
            flash(f"Notes are now: {meeting.notes_status.label.lower()}.")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return _notes_page(db, meeting, status_form=status_form)


def _notes_page(db, meeting, *, form=None, status_form=None, conflict=None):
    """The notes page with both of its forms; the one not submitted starts fresh from the saved notes."""
    if form is None:
        form = NotesForm(formdata=None, body=meeting.notes)
        form.restart_from(meeting.notes_version)
    return render_template(
        "meetings/notes.html",
        form=form,
        status_form=status_form or NoteStatusForm(formdata=None),
        meeting=meeting,
        conflict=conflict,
        replies=queries.rsvps(db, meeting.id),
    )


@bp.post("/meetings/<int:meeting_id>/attendance")
@login_required
def attendance(meeting_id: int):
    db = get_session()
    meeting = queries.get_meeting_or_404(db, meeting_id)
    require(permissions.can_manage_meeting(current_user, meeting))
    form = AttendanceForm()
    if not form.validate_on_submit():
        abort(400)
    services.record_attendance(db, meeting, actor=current_user, attended_user_ids=set(form.attended.data or ()))
    db.commit()
    flash("Attendance recorded.")
    return redirect(url_for("meetings.notes", meeting_id=meeting.id))


@bp.post("/meetings/<int:meeting_id>/note-comments")
@login_required
@keeps_input_on_csrf_failure
def note_comment(meeting_id: int):
    db = get_session()
    meeting = queries.get_meeting_or_404(db, meeting_id)
    _, _, attended = _attendance(db, meeting)
    standing = queries.audience_standing(db, meeting, current_user)
    require(permissions.can_comment_on_notes(current_user, meeting, attended=attended, standing=standing))
    form = NoteCommentForm()
    if form.validate_on_submit():
        with saving(db, form) as saved:
            services.comment_on_notes(
                db, meeting, actor=current_user, attended=attended, body=form.body.data, standing=standing
            )
        if saved:
            flash("Thank you – the facilitators will consider your comment.")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    # Refused: the comment comes back on a page of its own with the message beside it, so nothing typed is lost.
    return render_template("meetings/note_comment.html", form=form, meeting=meeting), 400


@bp.route("/meetings/<int:meeting_id>/actions", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def actions(meeting_id: int):
    db = get_session()
    meeting = queries.get_meeting_or_404(db, meeting_id)
    require(permissions.can_manage_meeting(current_user, meeting))
    form = ActionForm()
    if form.validate_on_submit():
        with saving(db, form) as saved:
            services.add_action(db, meeting, actor=current_user, **form.service_data())
        if saved:
            flash("Action added.")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return render_template("meetings/action.html", form=form, meeting=meeting)


@bp.post("/meetings/<int:meeting_id>/actions/<int:action_id>")
@login_required
def action_status(meeting_id: int, action_id: int):
    db = get_session()
    meeting = queries.get_meeting_or_404(db, meeting_id)
    action = db.get(MeetingAction, action_id)
    if action is None or action.meeting_id != meeting.id:
        abort(404)
    require(permissions.can_manage_meeting(current_user, meeting))
    form = ActionStatusForm()
    if not form.validate_on_submit():
        abort(400)
    services.set_action_status(db, action, meeting, actor=current_user, status=form.status.data)
    db.commit()
    flash("Action updated.")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.get("/processes/<slug>/meetings.ics")
def process_calendar(slug: str):
    db = get_session()
    process = process_queries.get_process_or_404(db, slug)
    body = calendar_feed.build(
        queries.list_for_process(db, process.id),
        name=f"{process.title} – meetings",
        base_url=request.host_url.rstrip("/"),
        joining_links=set(),
    )
    return _ics(body, f"{process.slug}-meetings.ics")


@bp.get("/account/calendar")
@login_required
def my_calendar_link():
    token = make_token("calendar", {"uid": current_user.id, "g": current_user.session_generation})
    return render_template(
        "meetings/my_calendar.html",
        feed=url_for("meetings.person_calendar", token=token, _external=True),
        meetings=queries.list_for_person(get_session(), current_user.id),
    )


@bp.get("/calendar/<token>.ics")
def person_calendar(token: str):
    """A personal feed for calendar apps, which cannot sign in: the signed link is the credential."""
    try:
        payload = read_token("calendar", token, FEED_MAX_AGE)
    except TokenError:
        abort(404)
    db = get_session()
    user = db.get(User, payload.get("uid"))
    if user is None or user.disabled or user.session_generation != payload.get("g"):
        abort(404)
    meetings = queries.list_for_person(db, user.id)
    # Checked now, not when the person replied: they may have left the group, been blocked, or replied
    # before RSVPs followed the audience.
    standings = queries.audience_standings(db, meetings, user)
    body = calendar_feed.build(
        meetings,
        name=f"{current_app.config['SITE_NAME']} – my meetings",
        base_url=request.host_url.rstrip("/"),
        joining_links={m.id for m in meetings if permissions.can_see_joining_link(user, standings[m.id])},
    )
    return _ics(body, "my-meetings.ics")


def _ics(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
