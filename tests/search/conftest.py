"""Search fixtures: a little world with something private of every kind, and a helper to search as someone."""

from __future__ import annotations

import random
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from whoosh import index as whoosh_index
from whoosh.index import Index

from consult.accounts.models import Role, Sector
from consult.agreement.models import Statement, StatementStatus
from consult.db import utcnow
from consult.discussions.models import Comment
from consult.meetings.models import Meeting, NoteStatus, Rsvp
from consult.objectives.models import Proposal, ProposalVersion
from consult.search.schema import SCHEMA
from tests import factories

WORDS = ["water", "data", "sharing", "safeguard", "tariff", "council", "privacy", "consent", "fuel", "energy", "debt"]
WORDS += ["poverty", "the", "of", "and"]
SEGMENT_SIZE = 400

RESULT_LINK = re.compile(r'<h3 class="govuk-heading-s[^"]*"><a class="govuk-link" href="([^"]+)">([^<]*)</a>')


def results(response) -> list[tuple[str, str]]:
    """(url, title) of each result on a search page."""
    html = response.get_data(as_text=True)
    return RESULT_LINK.findall(html)


def random_text(rng: random.Random, n: int) -> str:
    # Skewed: early words are common (postings over many blocks), late ones rare (a single block).
    return " ".join(rng.choices(WORDS, weights=[1 / (i + 1) for i in range(len(WORDS))], k=n))


def build_random_index(path: str) -> Index:
    """The real schema over seeded random text in three segments, with deletions in the earlier ones.

    A document's doc_id is its docnum; odd ones are threads, even ones comments; every fifth one is private to "dept:1".
    """
    ix = whoosh_index.create_in(path, SCHEMA)
    rng = random.Random(5)
    for segment in range(3):
        writer = ix.writer()
        for n in range(SEGMENT_SIZE):
            number = segment * SEGMENT_SIZE + n
            title, body = random_text(rng, rng.randint(1, 6)), random_text(rng, rng.randint(1, 80))
            writer.add_document(
                key=f"comment:{number}",
                doc_type="thread" if number % 2 else "comment",
                doc_id=number,
                title=title,
                body=body,
                visibility="private dept:1" if number % 5 == 0 else "public",
            )
        if segment:
            for n in range(0, SEGMENT_SIZE, 7):  # deletions in earlier segments
                writer.delete_by_term("key", f"comment:{(segment - 1) * SEGMENT_SIZE + n}")
        writer.commit(merge=False)
    return ix


@pytest.fixture
def world(db, app):
    """One process with public things and one private thing of each kind, each holding a unique word."""
    with app.app_context():
        department = factories.make_organisation(db, sector=Sector.GOVERNMENT_DEPARTMENT, name="Department of Water")
        other_department = factories.make_organisation(db, sector=Sector.GOVERNMENT_DEPARTMENT, name="Other Dept")
        people = SimpleNamespace(
            participant=factories.make_user(db),
            member=factories.make_user(db),
            officer=factories.make_user(db, roles=(Role.DEPARTMENT_OFFICER,), organisation_id=department.id),
            other_officer=factories.make_user(
                db, roles=(Role.DEPARTMENT_OFFICER,), organisation_id=other_department.id
            ),
            facilitator=factories.make_user(db, roles=(Role.FACILITATOR,)),
            admin=factories.make_user(db, roles=(Role.ADMIN,)),
        )
    process = factories.make_process(db, title="Water poverty process", summary="Sharing data on aquifers.")
    group = factories.make_group(db, process, name="Safeguards group", members=(people.member,))
    thread = factories.make_thread(db, group, people.member, title="Retention of household records")
    now = utcnow()
    visible = Comment(thread_id=thread.id, author_id=people.member.id, body="Tariffs should be **automatic**.")
    hidden = Comment(
        thread_id=thread.id, author_id=people.member.id, body="Hiddenword rude remark", hidden_at=now, hidden_reason="x"
    )
    deleted = Comment(thread_id=thread.id, author_id=people.member.id, body="Deletedword text", deleted_at=now)
    meeting = Meeting(
        process_id=process.id,
        title="Manchester workshop",
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=3) + timedelta(hours=2),
        agenda="Discuss eligibility",
        notes="Sharednotesword discussed thresholds",
        notes_status=NoteStatus.SHARED,
    )
    draft_meeting = Meeting(
        process_id=process.id,
        title="Leeds workshop",
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=2) + timedelta(hours=2),
        notes="Draftnotesword unreviewed",
        notes_status=NoteStatus.DRAFT,
    )
    published_meeting = Meeting(
        process_id=process.id,
        title="Cardiff workshop",
        starts_at=now - timedelta(days=1),
        ends_at=now - timedelta(days=1) + timedelta(hours=2),
        notes="Publishednotesword agreed points",
        notes_status=NoteStatus.PUBLISHED,
    )
    draft = Proposal(
        department_id=department.id, answers={"title": "Draftproposalword objective", "problem": "Secret problem"}
    )
    public = Proposal(
        department_id=department.id,
        answers={"title": "Submitted objective", "problem": "Publicproposalword problem"},
        submitted_at=now,
        process_id=process.id,
    )
    accepted = Statement(process_id=process.id, text="Acceptedstatementword is fair", status=StatementStatus.ACCEPTED)
    proposed = Statement(process_id=process.id, text="Proposedstatementword maybe", status=StatementStatus.PROPOSED)
    rejected = Statement(process_id=process.id, text="Rejectedstatementword nope", status=StatementStatus.REJECTED)
    db.add_all([visible, hidden, deleted, meeting, draft_meeting, published_meeting, draft, public])
    db.add_all([accepted, proposed, rejected])
    db.flush()
    db.add(ProposalVersion(proposal_id=draft.id, number=1, answers=draft.answers, change_note="Draftversionword"))
    db.add(Rsvp(meeting_id=meeting.id, user_id=people.member.id, mode="in_person"))
    db.commit()
    return SimpleNamespace(
        people=people,
        process=process,
        group=group,
        thread=thread,
        visible=visible,
        hidden=hidden,
        deleted=deleted,
        meeting=meeting,
        draft=draft,
        public=public,
        department=department,
    )


@pytest.fixture
def search_as(client, login):
    """Search as someone (None for a visitor): the list of (url, title) results for a query."""

    def run(user, q: str, **params):
        if user is not None:
            login(user)
        response = client.get("/search", query_string={"q": q, **params})
        assert response.status_code == 200
        if user is not None:
            client.post("/account/sign-out", data={"csrf_token": csrf(client)})
        return results(response)

    def csrf(c):
        return factories.csrf_from(c.get("/account/").get_data(as_text=True))

    return run
