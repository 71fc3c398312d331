"""A block applies to everything the person could do in the group, and to the process-wide actions it reaches
(consult.processes.permissions.is_blocked states the rule); reading, deleting one's own words and posting in
another group go on."""

from __future__ import annotations

from datetime import time, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from consult.accounts.models import Role
from consult.agreement.models import MediationFlag, Statement, Vote
from consult.clock import london_today
from consult.db import utcnow
from consult.discussions.models import Comment, Thread
from consult.errors import PermissionDenied
from consult.meetings.models import NoteStatus, Rsvp
from consult.moderation.models import Report
from consult.papers.models import PaperComment, PaperStatus
from consult.processes.models import Membership
from consult.processes.timeline import ProcessState
from tests.factories import make_group, make_process, make_thread, post, reload


def count(db, model, *where) -> int:
    return db.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


@pytest.fixture
def world(db, app, make_user):
    """Blocked in group G of a process: a thread there with their own reply, another group H where they are
    not blocked, a statement, a paper in review, a meeting of G and one of the whole process."""
    from consult.meetings import services as meetings
    from consult.papers import services as papers

    process = make_process(db)
    blocked, peer = make_user(display_name="Blocked Person"), make_user(display_name="Peer")
    facilitator = make_user(roles=(Role.FACILITATOR,))
    group = make_group(db, process, members=[blocked, peer])
    other_group = make_group(db, process, members=[blocked])
    thread = make_thread(db, group, peer, title="In the blocked group")
    opening = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id))
    own = Comment(thread_id=thread.id, parent_id=opening.id, author_id=blocked.id, body="My old words", depth=1)
    db.add(own)
    other_thread = make_thread(db, other_group, blocked, title="In the other group")
    statement = Statement(process_id=process.id, text="Share a flag only")
    db.add(statement)
    db.commit()
    with app.app_context():
        paper = papers.create_paper(db, process, actor=facilitator, title="Findings")
        paper.status = PaperStatus.IN_REVIEW
        root = PaperComment(
            paper_id=paper.id, author_id=peer.id, body="A review comment", version_number=1, paragraph=0
        )
        db.add(root)

        def meeting(group_or_none):
            return meetings.schedule(
                db,
                process,
                actor=facilitator,
                group=group_or_none,
                title="Workshop",
                day=london_today() + timedelta(days=30),
                start_time=time(10, 0),
                end_time=time(12, 0),
                remote_url="https://meet.example.org/room",
            ).meeting

        group_meeting, process_meeting = meeting(group), meeting(None)
    db.commit()
    membership = db.scalar(
        sa.select(Membership).where(Membership.group_id == group.id, Membership.user_id == blocked.id)
    )
    membership.blocked_until = utcnow() + timedelta(days=7)
    db.commit()
    return SimpleNamespace(
        process=process,
        group=group,
        other_group=other_group,
        blocked=blocked,
        peer=peer,
        facilitator=facilitator,
        membership=membership,
        thread=thread,
        opening=opening,
        own=own,
        other_thread=other_thread,
        statement=statement,
        paper=paper,
        root=root,
        group_meeting=group_meeting,
        process_meeting=process_meeting,
    )


def test_blocked_people_cannot_edit_their_old_comments(client, login, world, db):
    login(world.blocked)
    assert client.get(f"/comments/{world.own.id}/edit").status_code == 403
    assert post(client, f"/comments/{world.own.id}/edit", body="Changed while blocked").status_code == 403
    assert reload(db, world.own).body == "My old words"
    page = client.get(f"/threads/{world.thread.id}").get_data(as_text=True)
    assert f"/comments/{world.own.id}/edit" not in page, "no Edit link either"


def test_blocked_people_cannot_reply_start_threads_or_report_in_the_group(client, login, world, db):
    slug, group_slug = world.process.slug, world.group.slug
    login(world.blocked)
    assert post(client, f"/threads/{world.thread.id}/replies", parent_id=world.opening.id, body="Hi").status_code == 403
    new = post(client, f"/processes/{slug}/groups/{group_slug}/threads/new", kind="issue", title="T", body="B")
    assert new.status_code == 403
    assert client.get(f"/comments/{world.opening.id}/report").status_code == 403
    assert post(client, f"/comments/{world.opening.id}/report", reason="Spite").status_code == 403
    assert count(db, Report) == 0
    page = client.get(f"/threads/{world.thread.id}").get_data(as_text=True)
    assert f"/comments/{world.opening.id}/report" not in page
    assert "blocked you from posting in this group until" in page


def test_blocked_people_cannot_propose_statements_vote_or_ask_for_mediation(client, login, world, db):
    slug = world.process.slug
    login(world.blocked)
    page = client.get(f"/processes/{slug}/statements").get_data(as_text=True)
    assert f"/statements/{world.statement.id}/vote" not in page and 'name="text"' not in page
    assert "blocked you from taking part in this process" in page
    assert post(client, f"/processes/{slug}/statements", text="A new statement").status_code == 403
    voted = post(client, f"/processes/{slug}/statements/{world.statement.id}/vote", value="agree")
    assert "blocked you from taking part" in client.get(voted.headers["Location"]).get_data(as_text=True)
    assert client.get(f"/processes/{slug}/statements/{world.statement.id}/flag").status_code == 403
    assert post(client, f"/processes/{slug}/statements/{world.statement.id}/flag", reason="Unfair").status_code == 403
    assert "/vote" not in client.get(f"/processes/{slug}/vote").get_data(as_text=True).split("<main")[1]
    assert count(db, Statement) == 1 and count(db, Vote) == 0 and count(db, MediationFlag) == 0


def test_blocked_people_cannot_comment_on_position_papers(client, login, world, db):
    login(world.blocked)
    paper_id = world.paper.id
    assert client.get(f"/papers/{paper_id}/paragraphs/0/comment").status_code == 403
    assert post(client, f"/papers/{paper_id}/paragraphs/0/comment", paragraph=0, body="Mine").status_code == 403
    assert post(client, f"/papers/{paper_id}/comments/{world.root.id}/reply", body="Mine").status_code == 403
    page = client.get(f"/papers/{paper_id}/draft").get_data(as_text=True)
    assert "Comment on this paragraph" not in page and f"/comments/{world.root.id}/reply" not in page
    assert count(db, PaperComment) == 1


def test_blocked_people_cannot_reply_to_meetings_or_comment_on_their_notes(client, login, world, db):
    for meeting in (world.group_meeting, world.process_meeting):
        db.add(Rsvp(meeting_id=meeting.id, user_id=world.blocked.id, mode="remote"))  # replied before the block
        meeting.notes, meeting.notes_status = "Notes for attendees", NoteStatus.SHARED
    db.commit()
    login(world.blocked)
    for meeting in (world.group_meeting, world.process_meeting):
        page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
        assert "meet.example.org" not in page and 'name="mode"' not in page
        assert "Notes for attendees" in page, "reading goes on"
        assert post(client, f"/meetings/{meeting.id}/rsvp", mode="remote").status_code == 403
        assert post(client, f"/meetings/{meeting.id}/note-comments", body="Mine").status_code == 403


def test_blocked_people_cannot_leave_and_rejoin_to_wipe_the_block(client, login, world, db):
    slug, group_slug = world.process.slug, world.group.slug
    login(world.blocked)
    assert "Leave this group" not in client.get(f"/processes/{slug}/groups/{group_slug}").get_data(as_text=True)
    assert post(client, f"/processes/{slug}/groups/{group_slug}/leave").status_code == 403
    assert reload(db, world.membership).blocked_until is not None


def test_a_block_leaves_reading_deleting_and_other_groups_alone(client, login, world, db):
    login(world.blocked)
    assert client.get(f"/threads/{world.thread.id}").status_code == 200
    other_opening = db.scalar(sa.select(Comment).where(Comment.thread_id == world.other_thread.id))
    reply = post(client, f"/threads/{world.other_thread.id}/replies", parent_id=other_opening.id, body="Elsewhere")
    assert reply.status_code == 302, "a block in one group does not stop posting in another"
    assert post(client, f"/comments/{world.own.id}/delete").status_code == 302
    assert reload(db, world.own).deleted_at is not None


def test_when_the_block_ends_everything_comes_back(client, login, world, db):
    world.membership.blocked_until = utcnow() - timedelta(minutes=1)
    db.commit()
    login(world.blocked)
    assert post(client, f"/comments/{world.own.id}/edit", body="Now I may").status_code == 302
    assert post(client, f"/processes/{world.process.slug}/statements", text="A new statement").status_code == 302
    assert post(client, f"/meetings/{world.group_meeting.id}/rsvp", mode="remote").status_code == 302


def test_services_enforce_the_block_too(app, db, world):
    """The guarantee for the CLI and any future caller: each service refuses, whatever the view did."""
    from consult.agreement import ledger
    from consult.agreement import services as agreement
    from consult.discussions import services as discussions
    from consult.meetings import services as meetings
    from consult.moderation import services as moderation
    from consult.papers import review as papers

    actor, state = world.blocked, ProcessState.OPEN
    calls = [
        lambda: discussions.edit_comment(
            db, world.own, actor=actor, membership=world.membership, state=state, body="x"
        ),
        lambda: moderation.report(db, world.opening, actor=actor, membership=world.membership, reason="x"),
        lambda: agreement.add_statement(db, world.process.id, actor=actor, state=state, text="A statement"),
        lambda: agreement.cast_vote(db, world.statement, actor=actor, state=state, value="agree"),
        lambda: ledger.flag_for_mediation(db, world.statement, actor=actor, reason="x"),
        lambda: papers.add_comment(db, world.paper, actor=actor, is_member=True, paragraph=0, body="x"),
        lambda: papers.reply(db, world.paper, world.root, actor=actor, is_member=True, body="x"),
        lambda: meetings.rsvp(db, world.process_meeting, actor=actor, mode="remote"),
    ]
    with app.app_context():
        for call in calls:
            with pytest.raises(PermissionDenied):
                call()
    assert count(db, Thread) == 2
