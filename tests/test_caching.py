"""Cached pages never hide a change: a reply, edit, deletion, hiding or vote shows on the next request; conditional GET
answers 304 only while the data is unchanged; signed-in pages are private and never stored."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from consult.accounts.models import Role
from consult.agreement.models import Statement
from consult.db import utcnow
from consult.discussions import services as discussion_services
from consult.discussions.models import Comment, Thread
from consult.moderation import services as moderation_services
from tests.factories import make_group, make_process, make_thread, post


@pytest.fixture
def reader(app):
    """A second browser, signed out, that reads while others write."""
    return app.test_client()


@pytest.fixture
def scene(db, make_user):
    author = make_user(display_name="Ada Author")
    facilitator = make_user(roles=(Role.FACILITATOR,), display_name="Fay Facilitator")
    process = make_process(db, slug="cached")
    group = make_group(db, process, members=[author], facilitators=[facilitator])
    thread = make_thread(db, group, author, replies=3)
    comments = list(db.scalars(sa.select(Comment).where(Comment.thread_id == thread.id).order_by(Comment.id)))
    return thread, comments, author, facilitator, group


def read(reader, url: str) -> str:
    response = reader.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_cached_thread_page_shows_a_new_reply_at_once(client, login, reader, scene):
    thread, comments, author, _, _ = scene
    url = f"/threads/{thread.id}"
    first = reader.get(url)
    assert "A brand new reply" not in first.get_data(as_text=True)
    assert "Set-Cookie" not in first.headers, "a signed-out reader gets no session, so the page can be shared"
    assert first.headers["Cache-Control"] == "public, no-cache"
    login(author)
    post(client, f"{url}/replies", parent_id=comments[0].id, body="A brand new reply")
    assert "A brand new reply" in read(reader, url)


def test_a_cached_thread_page_shows_edits_deletions_hiding_and_restoring_at_once(db, reader, scene):
    thread, comments, author, facilitator, group = scene
    url = f"/threads/{thread.id}"
    first, second = comments[1].id, comments[2].id
    read(reader, url)

    def change(apply) -> None:  # each request ends its session, so the objects are loaded again for each change
        apply(db.get(Comment, first), db.get(Comment, second), db.merge(group))
        db.commit()

    def edit(one, _two, _group):  # what discussions.services.edit_comment changes
        one.body, one.edited_at = "Corrected wording", utcnow()

    change(edit)
    assert "Corrected wording" in read(reader, url)
    change(
        lambda _one, two, g: moderation_services.hide(
            db, two, g, actor=db.merge(facilitator), membership=None, reason="Off topic here"
        )
    )
    assert "Off topic here" in read(reader, url)
    change(
        lambda _one, two, g: moderation_services.restore(
            db, two, g, actor=db.merge(facilitator), membership=None, reason="On reflection"
        )
    )
    assert "Off topic here" not in read(reader, url)
    change(lambda one, _two, _g: discussion_services.delete_comment(db, one, actor=db.merge(author)))
    page = read(reader, url)
    assert "Corrected wording" not in page and "This comment was deleted by its author" in page


def test_a_cached_thread_page_shows_a_new_title_and_a_hidden_thread_at_once(db, reader, scene):
    thread, _, _, facilitator, _ = scene
    url = f"/threads/{thread.id}"
    read(reader, url)
    db.execute(sa.update(Thread).where(Thread.id == thread.id).values(title="A clearer title"))
    db.commit()
    assert "A clearer title" in read(reader, url)
    moderation_services.hide_thread(
        db, db.get(Thread, thread.id), actor=db.merge(facilitator), membership=None, reason="Personal details"
    )
    db.commit()
    page = read(reader, url)
    assert "A clearer title" not in page and "Personal details" in page


def test_conditional_get_answers_304_until_the_thread_changes(client, login, reader, scene):
    thread, comments, author, _, _ = scene
    url = f"/threads/{thread.id}"
    etag = reader.get(url).headers["ETag"]
    again = reader.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.get_data()
    login(author)
    post(client, f"{url}/replies", parent_id=comments[0].id, body="Something new")
    fresh = reader.get(url, headers={"If-None-Match": etag})
    assert (
        fresh.status_code == 200 and fresh.headers["ETag"] != etag and "Something new" in fresh.get_data(as_text=True)
    )


def test_every_signed_out_page_gets_an_etag_and_a_304(reader):
    response = reader.get("/processes/")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "public, no-cache"
    assert reader.get("/processes/", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_signed_in_pages_are_private_and_never_stored(client, login, scene):
    thread, _, author, _, _ = scene
    login(author)
    for url in (f"/threads/{thread.id}", "/processes/", "/processes/cached/statements", "/processes/cached/agreement"):
        response = client.get(url)
        assert response.headers["Cache-Control"] == "private, no-store", url
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "Reply<span" in page, "a signed-in member gets their own controls, not the shared page"


def test_a_page_with_a_message_waiting_is_rendered_for_that_reader_alone(reader, scene):
    thread, _, _, _, _ = scene
    read(reader, f"/threads/{thread.id}")  # now cached
    with reader.session_transaction() as session:
        session["_flashes"] = [("message", "A message for this reader only")]
    response = reader.get(f"/threads/{thread.id}")
    assert "A message for this reader only" in response.get_data(as_text=True)
    assert "public" not in response.headers["Cache-Control"]
    assert "A message for this reader only" not in read(reader, f"/threads/{thread.id}")


@pytest.fixture
def poll(db):
    process = make_process(db, slug="poll")
    statements = [Statement(process_id=process.id, text=f"Poll statement {n}") for n in range(3)]
    db.add_all(statements)
    db.commit()
    return process, statements


def test_statements_and_results_pages_show_a_new_vote_at_once(app, client, login, make_user, reader, poll):
    _, statements = poll
    assert "1 agree" not in read(reader, "/processes/poll/statements")
    results = read(reader, "/processes/poll/agreement")
    login(make_user())
    post(client, f"/processes/poll/statements/{statements[0].id}/vote", value="agree")
    assert "1 agree" in read(reader, "/processes/poll/statements")
    assert read(reader, "/processes/poll/agreement") != results


def test_results_page_says_at_once_when_newer_votes_are_not_counted_yet(app, client, login, make_user, reader, poll):
    _, statements = poll
    login(make_user())
    post(client, f"/processes/poll/statements/{statements[0].id}/vote", value="agree")
    before = read(reader, "/processes/poll/agreement")
    app.config["AGREEMENT_REFRESH"] = "off"  # the analysis now lags behind, as while the refresher works
    post(client, f"/processes/poll/statements/{statements[1].id}/vote", value="disagree")
    after = read(reader, "/processes/poll/agreement")
    assert "newer vote" not in before and "1 newer vote is not counted yet" in after


def test_the_opinion_map_has_a_new_address_for_each_analysis_version(client, login, make_user, reader, poll):
    _, statements = poll
    for n in range(4):
        login(make_user())
        for s in statements:
            post(client, f"/processes/poll/statements/{s.id}/vote", value="agree" if (n + s.id) % 2 else "disagree")
    (first,) = re.findall(r'class="consult-map" src="([^"]+)"', read(reader, "/processes/poll/agreement"))
    login(make_user())
    post(client, f"/processes/poll/statements/{statements[0].id}/vote", value="pass")
    (second,) = re.findall(r'class="consult-map" src="([^"]+)"', read(reader, "/processes/poll/agreement"))
    assert first != second
    stale = reader.get(first)
    assert stale.status_code == 302 and stale.headers["Location"].endswith(second)
    assert reader.get(second).mimetype == "image/svg+xml"


def test_a_cached_thread_page_shows_a_statement_linked_to_it_and_its_outcome_at_once(db, reader, scene):
    """The thread lists the statements that came out of it (consult.provenance): linking, recording an outcome and
    removing the link each change what a signed-out reader sees on the next request."""
    from consult.agreement import ledger
    from consult.provenance import services as provenance_services

    thread, comments, _, facilitator, group = scene
    url = f"/threads/{thread.id}"
    statement = Statement(process_id=group.process_id, text="Tell households before sharing")
    db.add(statement)
    db.commit()
    assert "Tell households before sharing" not in read(reader, url)
    source = provenance_services.add_source(
        db, db.merge(statement), actor=db.merge(facilitator), kind="comment", target=comments[0].id
    )
    db.commit()
    assert "Tell households before sharing" in read(reader, url)
    ledger.record_outcome(
        db, db.merge(statement), actor=db.merge(facilitator), kind="still_to_discuss", summary="Keep talking"
    )
    db.commit()
    assert "Still to discuss" in read(reader, url)
    provenance_services.remove_source(db, db.merge(source), actor=db.merge(facilitator))
    db.commit()
    assert "Tell households before sharing" not in read(reader, url)
