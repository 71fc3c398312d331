"""A create form's one-time token: sending the same form again (or five times at once) stores one thing, and
leads to what the first submission created."""

from __future__ import annotations

import re
import threading
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult.accounts.models import Role
from consult.agreement.models import Statement
from consult.discussions.models import Comment, Thread
from consult.papers.models import PaperComment, PaperStatus
from consult.posting.models import SubmissionToken
from tests.factories import csrf_from, fresh_token, make_group, make_process, make_thread

TOKEN_FIELD = re.compile(
    r'name="submission_token"[^>]*value="([0-9a-f]{32})"|value="([0-9a-f]{32})"[^>]*name="submission_token"'
)


def post(client, path, **data):
    token = csrf_from(client.get("/account/").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def count(db, model, *where) -> int:
    return db.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def token_on(page: str) -> str:
    match = TOKEN_FIELD.search(page)
    assert match, "the form carries no submission token"
    return match.group(1) or match.group(2)


@pytest.fixture
def scene(db, make_user):
    process = make_process(db)
    member = make_user()
    group = make_group(db, process, members=[member])
    thread = make_thread(db, group, member)
    opening = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id))
    return SimpleNamespace(process=process, group=group, member=member, thread=thread, opening=opening)


def test_the_same_reply_sent_twice_is_stored_once(client, login, scene, db):
    login(scene.member)
    token = token_on(client.get(f"/threads/{scene.thread.id}").get_data(as_text=True))
    path = f"/threads/{scene.thread.id}/replies"
    first = post(client, path, parent_id=scene.opening.id, body="Only once", submission_token=token)
    second = post(client, path, parent_id=scene.opening.id, body="Only once", submission_token=token)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"], "the repeat leads to the first reply"
    assert count(db, Comment, Comment.body == "Only once") == 1
    assert "already sent this" in client.get(second.headers["Location"]).get_data(as_text=True)


def test_a_new_thread_a_statement_and_a_paper_comment_are_stored_once(client, app, login, scene, db, make_user):
    from consult.papers import services as papers

    login(scene.member)
    new = f"/processes/{scene.process.slug}/groups/{scene.group.slug}/threads/new"
    token = token_on(client.get(new).get_data(as_text=True))
    for _ in range(2):
        post(client, new, kind="issue", title="Raised twice?", body="Body", submission_token=token)
    assert count(db, Thread, Thread.title == "Raised twice?") == 1

    token = token_on(client.get(f"/processes/{scene.process.slug}/statements").get_data(as_text=True))
    for _ in range(2):
        post(client, f"/processes/{scene.process.slug}/statements", text="Proposed twice?", submission_token=token)
    assert count(db, Statement) == 1

    facilitator = make_user(roles=(Role.FACILITATOR,))
    with app.app_context():
        paper = papers.create_paper(db, scene.process, actor=facilitator, title="Findings")
        paper.status = PaperStatus.IN_REVIEW
    db.commit()
    path = f"/papers/{paper.id}/paragraphs/0/comment"
    token = token_on(client.get(path).get_data(as_text=True))
    responses = [post(client, path, paragraph=0, body="Commented twice?", submission_token=token) for _ in range(2)]
    assert count(db, PaperComment) == 1
    assert responses[0].headers["Location"] == responses[1].headers["Location"]


def test_a_form_without_a_valid_token_keeps_the_text_and_offers_a_fresh_token(client, login, scene, db):
    login(scene.member)
    path = f"/threads/{scene.thread.id}/replies"
    for token in (None, "", "not-a-token"):
        data = {"parent_id": scene.opening.id, "body": "Typed before the form went stale"}
        if token is not None:
            data["submission_token"] = token
        response = post(client, path, **data)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "This form is out of date" in page and "Typed before the form went stale" in page
    assert count(db, Comment) == 1
    fresh = token_on(page)
    assert post(client, path, parent_id=scene.opening.id, body="Now", submission_token=fresh).status_code == 302


def test_a_refused_submission_does_not_use_up_its_token(client, login, scene, db):
    login(scene.member)
    token = fresh_token()
    path = f"/threads/{scene.thread.id}/replies"
    assert "Enter your comment" in post(
        client, path, parent_id=scene.opening.id, body="", submission_token=token
    ).get_data(as_text=True)
    assert post(client, path, parent_id=scene.opening.id, body="Fixed", submission_token=token).status_code == 302
    assert count(db, Comment, Comment.body == "Fixed") == 1


def test_five_simultaneous_submissions_store_exactly_one(engine):
    """Five real transactions send the same reply form at the same moment, on SQLite and on PostgreSQL."""
    from consult.accounts.models import User
    from consult.discussions import services
    from consult.posting.tokens import AlreadySubmitted
    from consult.processes.models import Membership, Process
    from consult.processes.timeline import ProcessState

    writers = engine.execution_options(consult_write=True)
    with Session(writers) as setup:
        process = make_process(setup, slug="token-race")
        person = User(
            email="token-race@example.org",
            display_name="Racer",
            password_hash="x",
            sector="academic",
            email_verified_at=process.created_at,
        )
        setup.add(person)
        setup.flush()
        group = make_group(setup, process, members=[person])
        thread = make_thread(setup, group, person)
        opening_id = setup.scalar(sa.select(Comment.id).where(Comment.thread_id == thread.id))
        user_id, group_id = person.id, group.id
    token = fresh_token()
    outcomes: list[str] = []
    barrier = threading.Barrier(5)

    def send() -> None:
        barrier.wait(timeout=10)
        with Session(writers, expire_on_commit=False) as session:
            actor = session.get(User, user_id)
            membership = session.scalar(sa.select(Membership).where(Membership.group_id == group_id))
            try:
                services.reply(
                    session,
                    session.get(Comment, opening_id),
                    actor=actor,
                    membership=membership,
                    state=ProcessState.OPEN,
                    body="Sent five times at once",
                    submission_token=token,
                )
                session.commit()
                outcomes.append("stored")
            except AlreadySubmitted:
                session.rollback()
                outcomes.append("already")

    try:
        workers = [threading.Thread(target=send) for _ in range(5)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        with Session(engine) as check:
            stored = check.scalar(
                sa.select(sa.func.count()).select_from(Comment).where(Comment.body == "Sent five times at once")
            )
            target = check.scalar(sa.select(SubmissionToken.target_id).where(SubmissionToken.token == token))
            first = check.scalar(sa.select(Comment.id).where(Comment.body == "Sent five times at once"))
        assert stored == 1
        assert sorted(outcomes) == ["already"] * 4 + ["stored"]
        assert target == first
    finally:
        with Session(writers) as cleanup:
            cleanup.execute(sa.delete(Process).where(Process.slug == "token-race"))
            cleanup.execute(sa.delete(User).where(User.email == "token-race@example.org"))
            cleanup.commit()
