"""A process with threads, comments (one hidden), an issue, meetings and a statement; and another process."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from consult.accounts.models import Role, Sector
from consult.agreement.models import Statement
from consult.db import utcnow
from consult.discussions.models import Comment, Stance
from consult.meetings.models import Meeting, NoteStatus
from tests.factories import make_group, make_organisation, make_process, make_thread

LONG = "Households in debt must be told before any data is shared. " * 12  # well over the 400-character limit


def add_comment(db, thread, author, body, *, stance=None, hidden=False) -> Comment:
    comment = Comment(thread_id=thread.id, author_id=author.id, body=body, stance=stance, depth=1)
    comment.parent_id = db.scalar(
        sa.select(Comment.id).where(Comment.thread_id == thread.id, Comment.parent_id.is_(None)).limit(1)
    )
    if hidden:
        comment.hidden_at, comment.hidden_reason = utcnow(), "Personal attack"
    db.add(comment)
    db.commit()
    return comment


def add_meeting(db, process, title: str, *, notes: str, status: NoteStatus) -> Meeting:
    starts = utcnow() - timedelta(days=3)
    meeting = Meeting(
        process_id=process.id,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        notes=notes,
        notes_status=status,
    )
    db.add(meeting)
    db.commit()
    return meeting


@pytest.fixture
def world(db, make_user):
    process = make_process(db, slug="prov", title="Water data")
    facilitator = make_user(roles=(Role.FACILITATOR,), display_name="Fran Facilitator")
    organisation = make_organisation(db, name="Debt Advice Network")
    member = make_user(display_name="Mo Member", organisation_id=organisation.id, sector=Sector.CIVIL_SOCIETY)
    outsider = make_user(display_name="Otto Outsider")
    group = make_group(db, process, members=[member])
    thread = make_thread(db, group, member, title="Telling households first")
    quoted = add_comment(db, thread, member, "Tell **every** household before sharing.", stance=Stance.SUPPORTS)
    long_comment = add_comment(db, thread, member, LONG, stance=Stance.OBJECTS)
    hidden = add_comment(db, thread, member, "Something rude", hidden=True)
    issue = make_thread(db, group, member, kind="issue", title="Consent is not meaningful in debt")
    published = add_meeting(
        db, process, "Leeds workshop", notes="We agreed to **notify first**.", status=NoteStatus.PUBLISHED
    )
    draft = add_meeting(db, process, "Cardiff workshop", notes="Draft thoughts nobody agreed", status=NoteStatus.DRAFT)
    statement = Statement(process_id=process.id, text="Tell households before sharing", author_id=facilitator.id)
    db.add(statement)
    db.commit()
    other = make_process(db, slug="elsewhere")
    other_group = make_group(db, other, members=[member])
    other_thread = make_thread(db, other_group, member, title="Another process's thread")
    other_comment = add_comment(db, other_thread, member, "Said elsewhere")
    other_meeting = add_meeting(db, other, "Elsewhere meeting", notes="", status=NoteStatus.DRAFT)
    return {
        "process": process,
        "facilitator": facilitator,
        "member": member,
        "outsider": outsider,
        "group": group,
        "thread": thread,
        "quoted": quoted,
        "long": long_comment,
        "hidden": hidden,
        "issue": issue,
        "published_meeting": published,
        "draft_meeting": draft,
        "statement": statement,
        "other_thread": other_thread,
        "other_comment": other_comment,
        "other_meeting": other_meeting,
    }
