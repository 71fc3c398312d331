"""Threads: starting, nested replies, edit history, tombstones, issue statuses, summaries, query counts."""

from __future__ import annotations

import re
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult import caching
from consult.accounts.models import Role
from consult.discussions import services, tree
from consult.discussions.models import Comment, CommentRevision, IssueStatus, Thread
from tests.factories import make_group, make_process, make_thread, post, reload
from tests.refusals import REFUSAL, flushes_then_refuses, left_behind

XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>',
    "<style>body{display:none}</style>",
    '"><script>alert(1)</script>',
]


@pytest.fixture
def setting(db, make_user):
    process = make_process(db)
    member = make_user()
    facilitator = make_user(roles=(Role.FACILITATOR,))
    group = make_group(db, process, members=[member])
    return process, group, member, facilitator


def test_member_starts_thread_and_replies_two_deep(client, login, setting, db):
    process, group, member, _ = setting
    login(member)
    response = post(
        client,
        f"/processes/{process.slug}/groups/{group.slug}/threads/new",
        kind="question",
        title="Who holds the data?",
        body="Which bodies **hold** it?",
        stance="",
    )
    assert response.status_code == 302
    thread = db.scalar(sa.select(Thread).where(Thread.title == "Who holds the data?"))
    opening = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id))
    first = post(client, f"/threads/{thread.id}/replies", parent_id=opening.id, body="The councils.", stance="supports")
    assert first.status_code == 302
    child = db.scalar(sa.select(Comment).where(Comment.parent_id == opening.id))
    second = post(client, f"/threads/{thread.id}/replies", parent_id=child.id, body="And water companies.", stance="")
    assert second.status_code == 302
    grandchild = db.scalar(sa.select(Comment).where(Comment.parent_id == child.id))
    assert grandchild.depth == 2
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "<strong>hold</strong>" in page
    assert page.index("The councils.") < page.index("And water companies.")
    assert "Supports" in page


def test_non_members_and_observers_cannot_post(client, login, setting, db, make_user):
    process, group, member, _ = setting
    thread = make_thread(db, group, member)
    opening = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id))
    outsider = make_user()
    login(outsider)
    assert post(client, f"/threads/{thread.id}/replies", parent_id=opening.id, body="Hi").status_code == 403
    assert client.get(f"/processes/{process.slug}/groups/{group.slug}/threads/new").status_code == 403
    assert "Join " in client.get(f"/threads/{thread.id}").get_data(as_text=True)


def test_replying_in_a_closed_process_is_refused(client, login, db, make_user):
    process = make_process(db, state="closed")
    member = make_user()
    group = make_group(db, process, members=[member])
    thread = make_thread(db, group, member)
    opening = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id))
    login(member)
    assert post(client, f"/threads/{thread.id}/replies", parent_id=opening.id, body="late").status_code == 403
    assert db.scalar(sa.select(sa.func.count()).select_from(Comment).where(Comment.thread_id == thread.id)) == 1


def test_reply_to_a_comment_of_another_thread_is_refused(client, login, setting, db):
    _process, group, member, _ = setting
    one = make_thread(db, group, member)
    other = make_thread(db, group, member)
    other_opening = db.scalar(sa.select(Comment).where(Comment.thread_id == other.id))
    login(member)
    response = post(client, f"/threads/{one.id}/replies", parent_id=other_opening.id, body="Wrong place")
    assert response.status_code == 400
    assert db.scalar(sa.select(sa.func.count()).select_from(Comment).where(Comment.parent_id == other_opening.id)) == 0


def test_reply_to_deleted_comment_is_refused_and_empty_reply_keeps_nothing(client, login, setting, db):
    _process, group, member, _ = setting
    thread = make_thread(db, group, member, replies=1)
    reply = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id, Comment.parent_id.is_not(None)))
    login(member)
    assert post(client, f"/comments/{reply.id}/delete").status_code == 302
    response = post(client, f"/threads/{thread.id}/replies", parent_id=reply.id, body="Are you there?")
    assert response.status_code == 200
    assert "deleted or hidden" in response.get_data(as_text=True)
    empty = post(client, f"/threads/{thread.id}/replies", parent_id=reply.id, body="")
    assert "Enter your comment" in empty.get_data(as_text=True)


def test_edit_keeps_every_version_and_shows_edited_link(client, login, setting, db):
    _process, group, member, _ = setting
    thread = make_thread(db, group, member)
    opening = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id))
    login(member)
    assert post(client, f"/comments/{opening.id}/edit", body="Second wording", stance="objects").status_code == 302
    revisions = db.scalars(sa.select(CommentRevision.body).where(CommentRevision.comment_id == opening.id)).all()
    assert revisions == ["Opening post", "Second wording"]
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "edited" in page
    history = client.get(f"/comments/{opening.id}/history").get_data(as_text=True)
    assert "Opening post" in history and "Second wording" in history


def test_editing_someone_elses_comment_is_refused(client, login, setting, db, make_user):
    _process, group, member, _ = setting
    thread = make_thread(db, group, member)
    opening = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id))
    other = make_user()
    login(other)
    assert client.get(f"/comments/{opening.id}/edit").status_code == 403
    assert post(client, f"/comments/{opening.id}/edit", body="Hijacked").status_code == 403
    assert post(client, f"/comments/{opening.id}/delete").status_code == 403
    assert reload(db, opening).body == "Opening post"


def test_deleting_leaves_a_tombstone_and_keeps_replies(client, login, setting, db):
    _process, group, member, _ = setting
    thread = make_thread(db, group, member, replies=0)
    opening = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id))
    parent = Comment(thread_id=thread.id, parent_id=opening.id, author_id=member.id, body="Parent text", depth=1)
    db.add(parent)
    db.flush()
    db.add(Comment(thread_id=thread.id, parent_id=parent.id, author_id=member.id, body="Child text", depth=2))
    db.commit()
    login(member)
    post(client, f"/comments/{parent.id}/delete")
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "This comment was deleted by its author." in page
    assert "Parent text" not in page
    assert "Child text" in page
    assert client.get(f"/comments/{parent.id}/history").status_code == 404


def test_issue_status_is_set_by_facilitators_with_a_note_and_listed_in_register(client, login, setting, db):
    process, group, member, facilitator = setting
    thread = make_thread(db, group, member, kind="issue", title="Onward disclosure worry")
    thread.issue_status = IssueStatus.OPEN
    db.commit()
    login(member)
    assert post(client, f"/threads/{thread.id}/status", status="resolved", note="Done").status_code == 403
    login(facilitator)
    missing = post(client, f"/threads/{thread.id}/status", status="answered", note="")
    assert "Enter a note" in missing.get_data(as_text=True)
    assert (
        post(client, f"/threads/{thread.id}/status", status="being_considered", note="On the agenda").status_code == 302
    )
    assert reload(db, thread).issue_status == IssueStatus.BEING_CONSIDERED
    register = client.get(f"/processes/{process.slug}/issues").get_data(as_text=True)
    assert "Onward disclosure worry" in register and "Being considered" in register
    assert "On the agenda" in client.get(f"/threads/{thread.id}").get_data(as_text=True)


def test_summary_versions_and_stale_save_keeps_both_texts(client, login, setting, db):
    _process, group, member, facilitator = setting
    thread = make_thread(db, group, member)
    login(facilitator)
    first = post(client, f"/threads/{thread.id}/summary", body="We agree on A.", base_version="0")
    assert first.status_code == 302
    stale = post(client, f"/threads/{thread.id}/summary", body="My stale text", base_version="0")
    assert stale.status_code == 200
    body = stale.get_data(as_text=True)
    assert "Someone else saved the summary" in body
    assert "We agree on A." in body, "the other facilitator's version is shown"
    assert "My stale text" in body, "the user's text is kept"
    assert "Nothing of yours was saved" in body and f"saved by {facilitator.display_name}" in body
    assert "<del>agree</del>" in body and "<ins>stale</ins>" in body, "the word diff"
    assert reload(db, thread).summary == "We agree on A."
    assert 'name="base_version" type="hidden" value="1"' in body, "the next save goes on top of version 1"
    assert "We agree on A." in client.get(f"/threads/{thread.id}").get_data(as_text=True)


def test_two_facilitators_saving_at_once_never_lose_an_update(engine):
    """Two real connections save from the same base version at the same moment: one wins, one is refused."""
    from consult.accounts.models import RoleGrant, User
    from consult.discussions import services
    from consult.errors import StaleEdit
    from consult.processes.models import Process, WorkingGroup

    writers = engine.execution_options(consult_write=True)
    with Session(writers) as setup:
        process = make_process(setup, slug="race-process")
        facilitator = User(
            email="race@example.org",
            display_name="Racer",
            password_hash="x",
            sector="academic",
            email_verified_at=process.created_at,
        )
        facilitator.role_grants.append(RoleGrant(role=Role.FACILITATOR))
        setup.add(facilitator)
        setup.commit()
        group = make_group(setup, process)
        thread_id = make_thread(setup, group, facilitator).id
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def save(text: str) -> None:
        # Both editors opened the form at version 0; they press save at the same moment.
        barrier.wait(timeout=10)
        with Session(writers, expire_on_commit=False) as session:
            thread = session.get(Thread, thread_id)
            actor = session.scalar(sa.select(User).where(User.email == "race@example.org"))
            try:
                services.save_summary(session, thread, actor=actor, membership=None, body=text, base_version=0)
                session.commit()
                outcomes.append("saved")
            except StaleEdit:
                session.rollback()
                outcomes.append("refused")

    try:
        workers = [threading.Thread(target=save, args=(text,)) for text in ("Alpha", "Beta")]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        with Session(engine) as check:
            thread = check.get(Thread, thread_id)
            assert sorted(outcomes) == ["refused", "saved"]
            assert thread.summary_version == 1
            assert thread.summary in {"Alpha", "Beta"}
    finally:
        with Session(writers) as cleanup:
            cleanup.execute(sa.delete(Process).where(Process.slug == "race-process"))
            cleanup.execute(sa.delete(User).where(User.email == "race@example.org"))
            cleanup.commit()
        assert WorkingGroup  # the group and thread go with the process (ON DELETE CASCADE)


def test_summary_conditional_update_refuses_the_second_of_two_saves(app, db, make_user):
    from consult.discussions import services
    from consult.errors import StaleEdit

    process = make_process(db)
    facilitator = make_user(roles=(Role.FACILITATOR,))
    group = make_group(db, process)
    thread = make_thread(db, group, facilitator)
    with app.app_context():
        services.save_summary(db, thread, actor=facilitator, membership=None, body="First", base_version=0)
        with pytest.raises(StaleEdit):
            services.save_summary(db, thread, actor=facilitator, membership=None, body="Second", base_version=0)
    assert thread.summary == "First"
    assert thread.summary_version == 1


@pytest.mark.parametrize("payload", XSS)
def test_xss_in_thread_fields_is_inert(client, login, setting, db, payload):
    process, group, member, _ = setting
    login(member)
    post(
        client,
        f"/processes/{process.slug}/groups/{group.slug}/threads/new",
        kind="discussion",
        title=payload,
        body=payload,
        stance="",
    )
    thread = db.scalar(sa.select(Thread).order_by(Thread.id.desc()))
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    group_page = client.get(f"/processes/{process.slug}/groups/{group.slug}").get_data(as_text=True)
    for html in (page, group_page):
        assert "<script>alert" not in html
        assert not re.search(r"<(img|svg|iframe|style)[^>]*(onerror|onload|src=)", html)
        assert 'href="javascript:' not in html


def test_tree_cuts_at_max_depth_and_counts_hidden_replies():
    class C:
        def __init__(self, id, parent_id):
            self.id, self.parent_id = id, parent_id

    chain = [C(1, None)] + [C(n, n - 1) for n in range(2, 10)]
    nodes = tree.build(chain, root_id=1, max_depth=3)
    assert nodes[0].comment.id == 2
    deepest = nodes[0].children[0].children[0]
    assert deepest.comment.id == 4 and deepest.children == [] and deepest.more_below == 5
    shown, page, pages = tree.paginate(nodes, page=9, per_page=1)
    assert pages == 1 and page == 1 and shown == nodes


def test_thread_page_query_count_does_not_depend_on_comment_count(app, client, setting, db, query_counter):
    _process, group, member, _ = setting
    small = make_thread(db, group, member, replies=10, seed=1)
    big = make_thread(db, group, member, replies=1000, seed=2)
    client.get(f"/threads/{small.id}")  # warm up: the shared test session starts each request empty
    with app.app_context():
        caching.cache.clear()  # both pages rendered, not served from the signed-out readers' cache
    with query_counter() as few:
        assert client.get(f"/threads/{small.id}").status_code == 200
    with query_counter() as many:
        response = client.get(f"/threads/{big.id}")
    assert response.status_code == 200
    assert len(many) == len(few), many
    assert "Continue this thread" in response.get_data(as_text=True) or "Next" in response.get_data(as_text=True)


def test_continue_this_thread_shows_the_subtree(client, setting, db):
    _process, group, member, _ = setting
    thread = make_thread(db, group, member)
    opening = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id))
    parent = opening
    for n in range(8):
        comment = Comment(
            thread_id=thread.id, parent_id=parent.id, author_id=member.id, body=f"Level {n}", depth=parent.depth + 1
        )
        db.add(comment)
        db.flush()
        parent = comment
    db.commit()
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "Level 4" in page and "Level 5" not in page
    link = re.search(r'href="/comments/(\d+)"', page)
    assert link
    deeper = client.get(f"/comments/{link.group(1)}").get_data(as_text=True)
    assert "Level 7" in deeper


def test_session_fixture_is_isolated(db: Session):
    assert db.scalar(sa.select(sa.func.count()).select_from(Thread)) == 0


def test_a_refused_reply_is_shown_on_its_form_and_leaves_nothing_behind(client, app, login, setting, db, monkeypatch):
    _, group, member, _ = setting
    thread = make_thread(db, group, member)
    opening = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id))
    monkeypatch.setattr(services, "reply", flushes_then_refuses(db, "body"))
    login(member)
    with left_behind(app, db) as counts:
        response = post(client, f"/threads/{thread.id}/replies", parent_id=opening.id, body="Kept text")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and REFUSAL in page and "Kept text" in page
    assert counts[-1] == 0


def test_a_refused_title_change_leaves_nothing_behind(client, app, login, setting, db, monkeypatch):
    _, group, member, _ = setting
    thread = make_thread(db, group, member)
    monkeypatch.setattr(services, "edit_thread_title", flushes_then_refuses(db, "title"))
    login(member)
    with left_behind(app, db) as counts:
        response = post(client, f"/threads/{thread.id}/title", title="A better title", reason="")
    assert response.status_code == 200 and REFUSAL in response.get_data(as_text=True)
    assert counts[-1] == 0
