"""Both directions: an evidence page quotes a statement's sources; a thread lists the statements it gave rise to."""

from __future__ import annotations

import re

import sqlalchemy as sa

from consult.agreement import ledger
from consult.agreement.models import Mediation, MediationResult, Outcome, OutcomeKind, Statement, StatementStatus
from consult.db import utcnow
from consult.discussions.models import Comment
from consult.provenance.models import StatementSource
from tests.factories import count_queries_of, post


def link_everything(db, world):
    statement = world["statement"]
    db.add_all(
        [
            StatementSource(statement_id=statement.id, comment_id=world["quoted"].id),
            StatementSource(statement_id=statement.id, thread_id=world["issue"].id),
            StatementSource(statement_id=statement.id, meeting_id=world["published_meeting"].id),
            StatementSource(statement_id=statement.id, meeting_id=world["draft_meeting"].id),
            Mediation(
                statement_id=statement.id,
                parties="Debt advisers; water companies",
                notes="Both sides accepted a **30-day** notice.",
                result=MediationResult.RESOLVED,
            ),
        ]
    )
    db.commit()


def generate_paper(client, login, world, app, db) -> int:
    """Record an outcome and generate a paper from the ledger through the real route."""
    with app.app_context():
        ledger.record_outcome(
            db, world["statement"], actor=world["facilitator"], kind="still_to_discuss", summary="Keep talking"
        )
    db.commit()
    login(world["facilitator"])
    response = post(client, "/processes/prov/papers/new", title="Conclusions", summary="What we found.")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(re.search(r"/papers/(\d+)/draft", response.headers["Location"]).group(1))


def publish_paper(client, login, world, app, db) -> int:
    """Generate, approve and publish a paper: its evidence is then the snapshot taken at publication."""
    paper_id = generate_paper(client, login, world, app, db)
    for target in ("in_review", "approved"):
        assert post(client, f"/papers/{paper_id}/status", target=target, note="Agreed").status_code == 302
    assert post(client, f"/papers/{paper_id}/publish").status_code == 302
    return paper_id


def test_the_published_evidence_page_quotes_comments_notes_and_mediation(client, login, world, app, db):
    link_everything(db, world)
    paper_id = publish_paper(client, login, world, app, db)
    client.post("/account/sign-out", data={"csrf_token": _token(client)})
    evidence_url = f"/papers/{paper_id}/versions/1/evidence/finding/{world['statement'].id}"
    page = client.get(evidence_url).get_data(as_text=True)
    assert "No thread or meeting is linked" not in page
    # The comment, quoted with its stance and its author's sector only: papers are not attributed (DESIGN.md).
    assert "Tell <strong>every</strong> household before sharing." in page
    assert "A participant" in page and "Supports" in page
    assert "Mo Member" not in page and "Debt Advice Network" not in page
    assert f"/threads/{world['thread'].id}#comment-{world['quoted'].id}" in page
    # The issue, the published meeting notes (and not the draft ones), and the mediation record.
    assert "Consent is not meaningful in debt" in page
    assert "We agreed to <strong>notify first</strong>." in page
    assert "Cardiff workshop" in page and "Draft thoughts nobody agreed" not in page
    assert "Resolved" in page and "<strong>30-day</strong> notice" in page
    assert "Debt advisers" not in page  # the parties are not published
    # A comment hidden after publication is no longer quoted from the snapshot.
    comment = db.get(Comment, world["quoted"].id)
    comment.hidden_at, comment.hidden_reason = utcnow(), "Off topic"
    db.commit()
    later = client.get(evidence_url).get_data(as_text=True)
    assert "household before sharing" not in later and "has since been deleted or hidden" in later
    assert "We agreed to <strong>notify first</strong>." in later


def _token(client) -> str:
    from tests.factories import csrf_from

    return csrf_from(client.get("/account/").get_data(as_text=True))


def test_a_thread_lists_the_statements_that_came_out_of_it_with_their_outcomes(client, login, world, db):
    process = world["process"]
    from_thread = Statement(process_id=process.id, text="Banked from the thread")
    from_comment = Statement(process_id=process.id, text="From one of its comments")
    waiting = Statement(process_id=process.id, text="Still waiting", status=StatementStatus.PROPOSED)
    unrelated = Statement(process_id=process.id, text="Nothing to do with it")
    db.add_all([from_thread, from_comment, waiting, unrelated])
    db.commit()
    db.add_all(
        [
            StatementSource(statement_id=from_thread.id, thread_id=world["thread"].id),
            StatementSource(statement_id=from_comment.id, comment_id=world["long"].id),
            StatementSource(statement_id=waiting.id, comment_id=world["quoted"].id),
            StatementSource(statement_id=unrelated.id, thread_id=world["issue"].id),
            Outcome(statement_id=from_thread.id, kind=OutcomeKind.AGREED, summary="Banked"),
        ]
    )
    db.commit()
    page = client.get(f"/threads/{world['thread'].id}").get_data(as_text=True)
    assert "Statements that came out of this thread" in page
    assert "Banked from the thread" in page and "Agreed (banked)" in page
    assert "From one of its comments" in page and "No outcome recorded yet" in page
    assert "Nothing to do with it" not in page
    assert "Still waiting" not in page  # a proposed statement is its author's and facilitators' only
    login(world["facilitator"])
    assert "Still waiting" in client.get(f"/threads/{world['thread'].id}").get_data(as_text=True)


def _many_statements(db, world, count: int) -> None:
    process = world["process"]
    statements = [Statement(process_id=process.id, text=f"Statement {n}") for n in range(count)]
    db.add_all(statements)
    db.commit()
    comments = db.scalars(sa.select(Comment.id).where(Comment.thread_id == world["thread"].id)).all()
    for n, statement in enumerate(statements):
        db.add(StatementSource(statement_id=statement.id, thread_id=world["thread"].id))
        db.add(StatementSource(statement_id=statement.id, comment_id=comments[n % len(comments)]))
        db.add(Outcome(statement_id=statement.id, kind=OutcomeKind.PARKED, summary=f"Parked {n}"))
    db.commit()


def test_a_thread_page_with_many_linked_statements_runs_a_flat_number_of_queries(
    client, login, world, db, query_counter
):
    login(world["member"])
    url = f"/threads/{world['thread'].id}"
    _many_statements(db, world, 2)
    few = count_queries_of(client, query_counter, url)
    _many_statements(db, world, 30)
    many = count_queries_of(client, query_counter, url)
    assert "Statement 29" in client.get(url).get_data(as_text=True)
    assert many == few


def test_a_statement_page_and_an_evidence_page_with_many_links_run_a_flat_number_of_queries(
    client, login, world, app, db, query_counter, make_user
):
    from consult.discussions.models import Stance
    from tests.provenance.conftest import add_comment, add_meeting

    link_everything(db, world)
    paper_id = generate_paper(client, login, world, app, db)
    statement_url = f"/processes/prov/statements/{world['statement'].id}"
    # A draft's evidence page gathers the live record (a published one reads its snapshot).
    draft_url = f"/papers/{paper_id}/versions/1/evidence/finding/{world['statement'].id}"
    before = [count_queries_of(client, query_counter, url) for url in (statement_url, draft_url)]
    from consult.meetings.models import NoteStatus

    for n in range(15):
        author = make_user(display_name=f"Author {n}")
        comment = add_comment(db, world["thread"], author, f"Point {n}", stance=Stance.NEUTRAL)
        meeting = add_meeting(db, world["process"], f"Meeting {n}", notes=f"Notes {n}", status=NoteStatus.PUBLISHED)
        db.add(StatementSource(statement_id=world["statement"].id, comment_id=comment.id))
        db.add(StatementSource(statement_id=world["statement"].id, meeting_id=meeting.id))
    db.commit()
    after = [count_queries_of(client, query_counter, url) for url in (statement_url, draft_url)]
    assert "Point 14" in client.get(statement_url).get_data(as_text=True)
    assert "Point 14" in client.get(draft_url).get_data(as_text=True)
    assert "Notes 14" in client.get(draft_url).get_data(as_text=True)
    assert after == before
