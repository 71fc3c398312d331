"""Who may draft, edit, review, publish and read position papers."""

from __future__ import annotations

from typing import Any

from consult.accounts.permissions import can_post
from consult.papers.models import Paper, PaperComment, PaperStatus, PaperVersion
from consult.processes.permissions import is_facilitator

EDITABLE = {PaperStatus.DRAFTING, PaperStatus.IN_REVIEW}
# The moves a facilitator may make by hand; publishing has its own action (it snapshots the evidence).
TRANSITIONS: dict[PaperStatus, set[PaperStatus]] = {
    PaperStatus.DRAFTING: {PaperStatus.IN_REVIEW},
    PaperStatus.IN_REVIEW: {PaperStatus.DRAFTING, PaperStatus.APPROVED},
    PaperStatus.APPROVED: {PaperStatus.DRAFTING},
    PaperStatus.PUBLISHED: {PaperStatus.DRAFTING, PaperStatus.SUPERSEDED},
    PaperStatus.SUPERSEDED: set(),
}


def can_manage_papers(user: Any) -> bool:
    """Facilitators draft, edit and publish papers (Involve's role in 2015)."""
    return is_facilitator(user)


def can_read_working_text(user: Any, is_member: bool) -> bool:
    """Unpublished text is for the process's members and facilitators; the public reads what is published."""
    return can_manage_papers(user) or (can_post(user) and is_member)


def can_read_version(user: Any, version: PaperVersion, is_member: bool) -> bool:
    return version.is_published or can_read_working_text(user, is_member)


def can_edit(user: Any, paper: Paper) -> bool:
    return can_manage_papers(user) and paper.status in EDITABLE


def can_change_status(user: Any, paper: Paper, target: PaperStatus) -> bool:
    return can_manage_papers(user) and target in TRANSITIONS[paper.status]


def can_publish(user: Any, paper: Paper) -> bool:
    return can_manage_papers(user) and paper.status == PaperStatus.APPROVED


def can_comment(user: Any, paper: Paper, is_member: bool, *, blocked: bool) -> bool:
    """Members of the process comment on paragraphs while the paper is in review.

    `blocked`: blocked in any group of the process; papers are process-wide (processes.permissions.is_blocked).
    """
    return (
        paper.status == PaperStatus.IN_REVIEW
        and can_read_working_text(user, is_member)
        and can_post(user)
        and not blocked
    )


def can_reply(user: Any, paper: Paper, comment: PaperComment, is_member: bool, *, blocked: bool) -> bool:
    return comment.is_visible and can_comment(user, paper, is_member, blocked=blocked)


def can_resolve(user: Any, comment: PaperComment) -> bool:
    return can_manage_papers(user) and comment.parent_id is None and comment.is_visible


def can_hide(user: Any, comment: PaperComment) -> bool:
    return can_manage_papers(user) and comment.is_visible


def can_consent_to_naming(user: Any, paper: Paper, is_member: bool) -> bool:
    """A verified member of an approved organisation may agree, for it, to its name appearing in the paper."""
    organisation = getattr(user, "organisation", None)
    return (
        can_post(user)
        and is_member
        and organisation is not None
        and organisation.approved
        and paper.status not in {PaperStatus.PUBLISHED, PaperStatus.SUPERSEDED}
    )
