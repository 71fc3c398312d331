"""Who is told about what: the handlers for the events features announce (consult/events.py), connected once."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from blinker import NamedSignal
from flask import Flask
from sqlalchemy.orm import Session

from consult import events
from consult.discussions.models import Comment, Thread
from consult.notifications import audiences
from consult.notifications.models import NotificationKind
from consult.notifications.services import follow_as, followers, follows, notify, retitle
from consult.objectives.lifecycle import Status
from consult.objectives.models import Proposal
from consult.papers.models import Paper
from consult.processes.models import Process, WorkingGroup

COMMENT_REFERENCE = re.compile(r"(?:/comments/|#comment-)(\d{1,12})")


def on_thread_started(
    db: Session,
    *,
    thread_id: int,
    title: str,
    kind: str,
    group_id: int,
    group_name: str,
    process_id: int,
    actor_id: int,
    actor_name: str,
) -> None:
    """Followers of the group and process hear of a new thread; the group's facilitators of a new issue (their
    queue: an issue waits for its status)."""
    follow_as(db, actor_id, "thread", thread_id)
    message = f"{actor_name} started “{title}” in {group_name}"
    audience = followers(db, [("group", group_id), ("process", process_id)])
    recipients = dict.fromkeys(audience, (NotificationKind.NEW_THREAD, message))
    if kind == "issue":
        raised = (NotificationKind.NEW_ISSUE, f"{actor_name} raised an issue in {group_name}: “{title}”")
        recipients.update(dict.fromkeys(audiences.group_facilitators(db, group_id), raised))
    notify(db, recipients, target_type="thread", target_id=thread_id, exclude={actor_id})


def on_reply_posted(
    db: Session,
    *,
    thread_id: int,
    thread_title: str,
    comment_id: int,
    body: str,
    parent_author_id: int | None,
    actor_id: int,
    actor_name: str,
) -> None:
    follow_as(db, actor_id, "thread", thread_id)
    recipients: dict[int, tuple[NotificationKind, str]] = {}
    for user_id in followers(db, [("thread", thread_id)]):
        recipients[user_id] = (NotificationKind.THREAD_REPLY, f"{actor_name} replied in “{thread_title}”")
    referenced = {int(n) for n in COMMENT_REFERENCE.findall(body)} - {comment_id}
    if referenced:
        for author_id in db.scalars(sa.select(Comment.author_id).where(Comment.id.in_(referenced))):
            if author_id:
                recipients[author_id] = (
                    NotificationKind.MENTION,
                    f"{actor_name} mentioned your comment in “{thread_title}”",
                )
    if parent_author_id:
        recipients[parent_author_id] = (
            NotificationKind.REPLY_TO_YOU,
            f"{actor_name} replied to your comment in “{thread_title}”",
        )
    anchor = f"comment-{comment_id}"
    notify(db, recipients, target_type="thread", target_id=thread_id, anchor=anchor, exclude={actor_id})


def on_issue_status_changed(
    db: Session, *, thread_id: int, title: str, status_label: str, note: str, author_id: int | None, actor_id: int
) -> None:
    """The thread's followers hear of it; for the person who raised the issue it is a decision about their own
    contribution (mailed as their decisions setting says)."""
    message = f"The issue “{title}” is now: {status_label.lower()}"
    recipients = dict.fromkeys(followers(db, [("thread", thread_id)]), (NotificationKind.ISSUE_STATUS, message))
    if author_id:
        recipients[author_id] = (
            NotificationKind.OWN_ISSUE_STATUS,
            f"The issue you raised, “{title}”, is now: {status_label.lower()}",
        )
    notify(
        db,
        recipients,
        target_type="thread",
        target_id=thread_id,
        exclude={actor_id},
        detail=_labelled("Note", note),
    )


#: What a notification says instead of a hidden thread's title.
HIDDEN_THREAD = "a thread hidden by a facilitator"


def _as_quoted(title: str | None) -> str:
    """A thread as notification messages name it: its quoted title, or the placeholder while it is hidden."""
    return HIDDEN_THREAD if title is None else f"“{title}”"


def on_thread_renamed(db: Session, *, thread_id: int, old_title: str | None, new_title: str | None) -> None:
    retitle(db, thread_id, old=_as_quoted(old_title), new=_as_quoted(new_title))


def on_meeting_scheduled(
    db: Session, *, meeting_id: int, title: str, process_id: int, group_id: int | None, actor_id: int
) -> None:
    targets = [("process", process_id)] + ([("group", group_id)] if group_id else [])
    notify(
        db,
        dict.fromkeys(followers(db, targets), (NotificationKind.NEW_MEETING, f"New meeting: {title}")),
        target_type="meeting",
        target_id=meeting_id,
        exclude={actor_id},
    )


def _labelled(label: str, text: str | None) -> str:
    """A decision's reason or note as notifications show it ("Reason: …"), or nothing when there is none."""
    text = (text or "").strip()
    return f"{label}: {text}" if text else ""


def _quote(text: str, limit: int = 120) -> str:
    """A statement or title quoted in a message, shortened at a word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return f"“{text}”"
    return "“" + text[:limit].rsplit(" ", 1)[0] + "…”"


def _process_slug(db: Session, process_id: int) -> str:
    return db.scalar(sa.select(Process.slug).where(Process.id == process_id)) or ""


def _group_path(db: Session, group_id: int) -> str:
    slugs = db.execute(
        sa.select(Process.slug, WorkingGroup.slug)
        .join(WorkingGroup, WorkingGroup.process_id == Process.id)
        .where(WorkingGroup.id == group_id)
    ).one()
    return f"/processes/{slugs[0]}/groups/{slugs[1]}"


def on_comment_moderated(
    db: Session,
    *,
    comment_id: int,
    thread_id: int,
    thread_title: str | None,
    author_id: int | None,
    hidden: bool,
    reason: str,
    actor_id: int,
) -> None:
    """The author is told their comment was hidden or restored, with the facilitator's reason."""
    if not author_id:
        return
    where = _as_quoted(thread_title)
    message = f"A facilitator hid your comment in {where}" if hidden else f"Your comment in {where} was restored"
    notify(
        db,
        {author_id: (NotificationKind.COMMENT_MODERATED, message)},
        target_type="thread",
        target_id=thread_id,
        anchor=f"comment-{comment_id}",
        exclude={actor_id},
        detail=_labelled("Reason", reason),
    )


def on_comment_reported(
    db: Session, *, comment_id: int, thread_id: int, group_id: int, process_id: int, reason: str, actor_id: int
) -> None:
    """The group's facilitators see a report in their queue (the reporter is not named)."""
    title = db.scalar(sa.select(Thread.title).where(Thread.id == thread_id)) or ""
    notify(
        db,
        dict.fromkeys(
            audiences.group_facilitators(db, group_id),
            (NotificationKind.REPORT, f"A comment in “{title}” was reported"),
        ),
        target_type="thread",
        target_id=thread_id,
        anchor=f"comment-{comment_id}",
        link=f"/processes/{_process_slug(db, process_id)}/moderation/queue",
        exclude={actor_id},
        detail=_labelled("Reason given", reason),
    )


def _statement_link(db: Session, process_id: int, statement_id: int) -> str:
    return f"/processes/{_process_slug(db, process_id)}/statements/{statement_id}"


def on_statement_proposed(
    db: Session, *, statement_id: int, process_id: int, text: str, actor_id: int, actor_name: str
) -> None:
    """The process's facilitators have a proposed statement to accept or reject."""
    notify(
        db,
        dict.fromkeys(
            audiences.process_facilitators(db, process_id),
            (NotificationKind.PROPOSED_STATEMENT, f"{actor_name} proposed a statement: {_quote(text)}"),
        ),
        target_type="statement",
        target_id=statement_id,
        link=_statement_link(db, process_id, statement_id),
        exclude={actor_id},
    )


def on_statement_decided(
    db: Session,
    *,
    statement_id: int,
    process_id: int,
    text: str,
    author_id: int | None,
    accepted: bool,
    reason: str,
    actor_id: int,
) -> None:
    """The author hears their statement was accepted or rejected, and why (they can still open it: can_view)."""
    if not author_id:
        return
    verdict = "accepted: people can vote on it now" if accepted else "rejected"
    notify(
        db,
        {author_id: (NotificationKind.STATEMENT_DECIDED, f"Your statement {_quote(text)} was {verdict}")},
        target_type="statement",
        target_id=statement_id,
        link=_statement_link(db, process_id, statement_id),
        exclude={actor_id},
        detail=_labelled("Reason", reason),
    )


def on_mediation_requested(
    db: Session, *, statement_id: int, process_id: int, text: str, reason: str, actor_id: int, actor_name: str
) -> None:
    """The process's facilitators see a request for mediation in their queue."""
    notify(
        db,
        dict.fromkeys(
            audiences.process_facilitators(db, process_id),
            (NotificationKind.MEDIATION_REQUEST, f"{actor_name} asked for mediation on {_quote(text)}"),
        ),
        target_type="statement",
        target_id=statement_id,
        link=f"/processes/{_process_slug(db, process_id)}/mediation",
        exclude={actor_id},
        detail=_labelled("Reason", reason),
    )


def on_join_requested(
    db: Session, *, membership_id: int, group_id: int, group_name: str, process_id: int, actor_id: int, actor_name: str
) -> None:
    """The group's facilitators have a request to join to decide."""
    notify(
        db,
        dict.fromkeys(
            audiences.group_facilitators(db, group_id),
            (NotificationKind.JOIN_REQUEST, f"{actor_name} asked to join {group_name}"),
        ),
        target_type="group",
        target_id=group_id,
        link=_group_path(db, group_id),
        exclude={actor_id},
    )


def on_join_decided(
    db: Session, *, group_id: int, group_name: str, user_id: int, approved: bool, actor_id: int
) -> None:
    """The person who asked hears whether they are in."""
    message = (
        f"You are now a member of {group_name}" if approved else f"Your request to join {group_name} was turned down"
    )
    notify(
        db,
        {user_id: (NotificationKind.JOIN_DECIDED, message)},
        target_type="group",
        target_id=group_id,
        link=_group_path(db, group_id),
        exclude={actor_id},
    )


def on_paper_comment_added(
    db: Session,
    *,
    paper_id: int,
    paper_title: str,
    process_id: int,
    comment_id: int,
    parent_author_id: int | None,
    actor_id: int,
    actor_name: str,
) -> None:
    """Review comments are the facilitators' queue (the paper's author among them); a reply also tells the
    author of the comment it answers, while they can still read the working text."""
    author_id = db.scalar(sa.select(Paper.created_by_id).where(Paper.id == paper_id))
    recipients = dict.fromkeys(
        audiences.process_facilitators(db, process_id, also=[author_id]),
        (NotificationKind.REVIEW_COMMENT, f"{actor_name} commented on the draft of “{paper_title}”"),
    )
    if parent_author_id and parent_author_id not in recipients:
        for reader in audiences.working_text_readers(db, process_id, [parent_author_id]):
            recipients[reader] = (
                NotificationKind.REVIEW_REPLY,
                f"{actor_name} replied to your comment on “{paper_title}”",
            )
    notify(
        db,
        recipients,
        target_type="paper",
        target_id=paper_id,
        anchor=f"comment-{comment_id}",
        exclude={actor_id},
    )


def on_paper_comment_resolved(
    db: Session,
    *,
    paper_id: int,
    paper_title: str,
    process_id: int,
    comment_id: int,
    author_id: int | None,
    note: str,
    actor_id: int,
) -> None:
    """The reviewer hears what was done about their comment, if they can still read the draft."""
    notify(
        db,
        dict.fromkeys(
            audiences.working_text_readers(db, process_id, [author_id]),
            (NotificationKind.REVIEW_RESOLVED, f"Your comment on “{paper_title}” was resolved"),
        ),
        target_type="paper",
        target_id=paper_id,
        anchor=f"comment-{comment_id}",
        exclude={actor_id},
        detail=_labelled("What was done", note),
    )


def on_meeting_notes_published(db: Session, *, meeting_id: int, title: str, actor_id: int) -> None:
    """Those who came hear that the notes are public."""
    notify(
        db,
        dict.fromkeys(
            audiences.meeting_attendees(db, meeting_id),
            (NotificationKind.NOTES_PUBLISHED, f"The notes of “{title}” are published"),
        ),
        target_type="meeting",
        target_id=meeting_id,
        link=f"/meetings/{meeting_id}/notes",
        exclude={actor_id},
    )


def on_proposal_moved(
    db: Session,
    *,
    proposal_id: int,
    title: str,
    department_id: int,
    from_label: str,
    to_status: str,
    to_label: str,
    reason: str,
    actor_id: int,
) -> None:
    """The proposing department hears of every move; the review board when the proposal reaches it."""
    proposal = db.get_one(Proposal, proposal_id)
    recipients: dict[int, tuple[NotificationKind, str]] = {}
    if to_status == Status.REVIEW_BOARD:
        for member in audiences.review_board(db, proposal):
            recipients[member] = (NotificationKind.PROPOSAL_AT_BOARD, f"“{title}” is with the review board")
    moved = (NotificationKind.PROPOSAL_MOVED, f"“{title}” moved from {from_label.lower()} to {to_label.lower()}")
    recipients.update(dict.fromkeys(audiences.department_officers(db, proposal), moved))
    notify(
        db,
        recipients,
        target_type="proposal",
        target_id=proposal_id,
        exclude={actor_id},
        detail=_labelled("Reason", reason),
    )


def on_recommendation_recorded(db: Session, *, proposal_id: int, title: str, department_id: int, actor_id: int) -> None:
    """The proposing department hears that the board has recorded a view; what it says stays with the board until
    the proposal has passed it (objectives.permissions.recommendations_public), so the message does not say."""
    proposal = db.get_one(Proposal, proposal_id)
    notify(
        db,
        dict.fromkeys(
            audiences.department_officers(db, proposal),
            (NotificationKind.RECOMMENDATION, f"A review board member recorded a recommendation on “{title}”"),
        ),
        target_type="proposal",
        target_id=proposal_id,
        exclude={actor_id},
    )


def on_follow_state_asked(db: Session, *, user_id: int, target_type: str, target_id: int) -> bool:
    return follows(db, user_id, target_type, target_id)


HANDLERS: dict[NamedSignal, Callable[..., Any]] = {
    events.thread_started: on_thread_started,
    events.reply_posted: on_reply_posted,
    events.issue_status_changed: on_issue_status_changed,
    events.thread_renamed: on_thread_renamed,
    events.meeting_scheduled: on_meeting_scheduled,
    events.comment_moderated: on_comment_moderated,
    events.comment_reported: on_comment_reported,
    events.statement_proposed: on_statement_proposed,
    events.statement_decided: on_statement_decided,
    events.mediation_requested: on_mediation_requested,
    events.join_requested: on_join_requested,
    events.join_decided: on_join_decided,
    events.paper_comment_added: on_paper_comment_added,
    events.paper_comment_resolved: on_paper_comment_resolved,
    events.meeting_notes_published: on_meeting_notes_published,
    events.proposal_moved: on_proposal_moved,
    events.recommendation_recorded: on_recommendation_recorded,
    events.follow_state_asked: on_follow_state_asked,
}


def init_app(app: Flask) -> None:
    """Connect the handlers. Signals are process-wide, so this connects them for every app; connecting twice is a
    no-op in blinker, and `weak=False` keeps them however this module is held."""
    for signal, handler in HANDLERS.items():
        signal.connect(handler, weak=False)
