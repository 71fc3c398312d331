"""Position papers over HTTP: generating, editing, reviewing, re-versioning, publishing and provenance."""

from __future__ import annotations

import io
import re
import threading

import pytest
import sqlalchemy as sa
from odf import teletype
from odf.opendocument import load
from odf.text import H, P
from sqlalchemy.orm import Session

from consult.accounts.models import Role, RoleGrant, Sector, User
from consult.agreement import ledger
from consult.agreement import services as agreement
from consult.agreement.models import Statement
from consult.discussions import services as discussions
from consult.errors import StaleEdit
from consult.papers import evidence, review, services
from consult.papers.models import Paper, PaperComment, PaperEvent, PaperStatus, PaperVersion
from consult.processes.queries import membership_of
from consult.processes.timeline import ProcessState
from tests.factories import csrf_from, make_group, make_organisation, make_process, post, reload
from tests.refusals import REFUSAL, flushes_then_refuses, left_behind

TEXTS = ["Share a flag only", "Tell households first", "Water companies are public bodies", "Delete within a year"]


@pytest.fixture
def world(db, app, make_user):
    """A process with a group, votes, a ledger and an issue raised; a facilitator, a member and an outsider."""
    # Ten votes from two sectors per finding: enough for this process (test_outcome_evidence.py covers thin ones).
    process = make_process(db, slug="papers", outcome_min_sectors=2)
    facilitator = make_user(roles=(Role.FACILITATOR,), display_name="Fran Facilitator")
    organisation = make_organisation(db, name="Water Watch")
    member = make_user(organisation_id=organisation.id, display_name="Mo Member")
    outsider = make_user(display_name="Otto Outsider")
    voters = [make_user(sector=Sector.CIVIL_SOCIETY if n < 5 else Sector.PUBLIC_SECTOR) for n in range(10)]
    group = make_group(db, process, members=[member, *voters])
    statements = [Statement(process_id=process.id, text=t, author_id=facilitator.id) for t in TEXTS]
    statements.append(Statement(process_id=process.id, text="Audit every share", author_id=member.id))
    db.add_all(statements)
    db.commit()
    with app.app_context():
        for n, person in enumerate(voters):
            voter = agreement.voter_for(db, process.id, person.id)
            agreement.record_vote(db, statements[0], voter, "agree")
            agreement.record_vote(db, statements[1], voter, "agree" if n % 2 else "pass")
            agreement.record_vote(db, statements[2], voter, "agree" if n >= 5 else "disagree")
            agreement.record_vote(db, statements[4], voter, "agree")
        agreement.refresh_analysis(db, process.id)
        ledger.record_outcome(db, statements[0], actor=facilitator, kind="agreed", summary="Banked")
        ledger.record_outcome(
            db, statements[1], actor=facilitator, kind="agreed_with_caveats", summary="Yes", caveats="Not in winter"
        )
        ledger.record_outcome(
            db,
            statements[2],
            actor=facilitator,
            kind="disagreement_noted",
            summary="Split by sector",
            reasons_for="They serve the public",
            reasons_against="They answer to shareholders",
        )
        ledger.record_outcome(db, statements[4], actor=facilitator, kind="agreed", summary="An annual audit")
        issue = discussions.start_thread(
            db,
            group,
            actor=member,
            membership=membership_of(db, group.id, member),
            state=ProcessState.OPEN,
            kind="issue",
            title="Consent is not meaningful for people in debt",
            body="Raised early.",
        )
        discussions.set_issue_status(
            db, issue, actor=facilitator, membership=None, status="answered", note="Added a caveat on notification"
        )
    db.commit()
    return {
        "process": process,
        "group": group,
        "facilitator": facilitator,
        "member": member,
        "outsider": outsider,
        "statements": statements,
        "issue": issue,
        "organisation": organisation,
        "voters": voters,
    }


def generate(client, login, world, title="Conclusions") -> Paper:
    login(world["facilitator"])
    response = post(client, "/processes/papers/papers/new", title=title, summary="What we *found*.")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    paper_id = int(re.search(r"/papers/(\d+)/draft", response.headers["Location"]).group(1))
    return paper_id


def edit_form(client, paper_id):
    page = client.get(f"/papers/{paper_id}/edit").get_data(as_text=True)
    base = re.search(r'name="base_version" type="hidden" value="(\d+)"|name="base_version" value="(\d+)"', page)
    assert base, page[:3000]
    return page, int(base.group(1) or base.group(2))


def save(client, paper_id, base, body, title="Conclusions", note="Edited"):
    return post(
        client,
        f"/papers/{paper_id}/edit",
        base_version=str(base),
        title=title,
        summary="What we *found*.",
        body=body,
        change_note=note,
    )


def current_body(db, paper_id) -> str:
    paper = db.get(Paper, paper_id, populate_existing=True)
    return db.scalar(
        sa.select(PaperVersion.body).where(
            PaperVersion.paper_id == paper_id, PaperVersion.number == paper.current_version
        )
    )


def status(client, paper_id, target, note=""):
    response = post(client, f"/papers/{paper_id}/status", target=target, note=note)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def test_generated_draft_is_built_from_the_ledger_with_figures_and_evidence_links(client, login, world, db):
    paper_id = generate(client, login, world)
    page = client.get(f"/papers/{paper_id}/draft").get_data(as_text=True)
    for heading in ("Areas of agreement", "Agreed with caveats", "Areas of disagreement", "You said, we did"):
        assert heading in page
    assert "Share a flag only" in page and "Not in winter" in page
    assert "They answer to shareholders" in page  # each side's reasons
    assert "Consent is not meaningful for people in debt" in page and "Added a caveat on notification" in page
    # Figures: 10 agree on the first statement, and the table by sector.
    assert "10 agree (100%) · 0 disagree (0%) · 0 pass (0%) · 10 votes" in page
    assert "Civil society organisation" in page and "Public sector body" in page
    assert "Group A" in page and "Opinion group" not in page
    first = world["statements"][0]
    assert f"/papers/{paper_id}/versions/1/evidence/finding/{first.id}" in page
    # The body holds references, not pasted text.
    body = current_body(db, paper_id)
    assert f"[[finding:{first.id}]]" in body and "Share a flag only" not in body
    # The member's own statement is in "you said, we did".
    assert f"[[said:{world['statements'][4].id}]]" in body


def test_drafts_are_for_members_and_facilitators_only(client, login, world, app):
    paper_id = generate(client, login, world)
    client.post("/account/sign-out", data={"csrf_token": csrf_from(client.get("/account/").get_data(as_text=True))})
    assert client.get(f"/papers/{paper_id}").status_code == 404
    assert client.get(f"/papers/{paper_id}/draft").status_code == 404
    assert client.get(f"/papers/{paper_id}/versions/1").status_code == 404
    assert client.get(f"/papers/{paper_id}/versions/1/paper.odt").status_code == 404
    assert "Conclusions" not in client.get("/processes/papers/papers").get_data(as_text=True)
    login(world["outsider"])
    assert client.get(f"/papers/{paper_id}/draft").status_code == 404
    assert client.get("/processes/papers/papers/new").status_code == 403
    assert post(client, f"/papers/{paper_id}/status", target="in_review").status_code == 403
    login(world["member"])
    assert client.get(f"/papers/{paper_id}/draft").status_code == 200
    assert client.get(f"/papers/{paper_id}/edit").status_code == 403


def test_editing_saves_a_version_and_findings_survive_the_edit(client, login, world, db):
    paper_id = generate(client, login, world)
    _, base = edit_form(client, paper_id)
    body = current_body(db, paper_id).replace("## Introduction", "## Introduction\n\nA new opening by the facilitator.")
    missing_note = save(client, paper_id, base, body, note="")
    assert missing_note.status_code == 200
    assert "Say what you changed" in missing_note.get_data(as_text=True)
    bad_ref = save(client, paper_id, base, body + "\n\n[[finding:999999]]\n")
    assert "[[finding:999999]] does not refer to a statement in this process" in bad_ref.get_data(as_text=True)
    assert save(client, paper_id, base, body).status_code == 302
    page = client.get(f"/papers/{paper_id}/draft").get_data(as_text=True)
    assert "A new opening by the facilitator." in page and "Share a flag only" in page
    versions = db.scalars(sa.select(PaperVersion).where(PaperVersion.paper_id == paper_id)).all()
    assert sorted(v.number for v in versions) == [1, 2]
    history = client.get(f"/papers/{paper_id}/versions").get_data(as_text=True)
    assert "Edited" in history and "Fran Facilitator" in history
    compare = client.get(f"/papers/{paper_id}/compare?from=1&to=2").get_data(as_text=True)
    assert "<ins>" in compare and "A new opening by the facilitator." in compare


def test_a_stale_save_is_refused_with_the_text_kept_and_a_diff(client, login, world, db, make_user):
    paper_id = generate(client, login, world)
    _, base = edit_form(client, paper_id)
    body = current_body(db, paper_id)
    # Someone else saves first, from the same base.
    other = make_user(roles=(Role.FACILITATOR,), display_name="Other Facilitator")
    paper = db.get(Paper, paper_id)
    services.save_version(
        db,
        paper,
        actor=other,
        base_version=base,
        title="Conclusions",
        summary="",
        body=body + "\nTheir paragraph.\n",
        change_note="Theirs",
    )
    db.commit()
    mine = body + "\nMy careful paragraph.\n"
    response = save(client, paper_id, base, mine, note="Mine")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Someone else saved a newer version" in page and "Nothing of yours was saved" in page
    assert "Version 2 was saved by Other Facilitator" in page and "(“Theirs”)" in page
    assert "My careful paragraph." in page  # the user's text is kept in the box
    assert "<del>Their</del> paragraph." in page  # the diff against the newer version
    assert current_body(db, paper_id).endswith("Their paragraph.\n")
    # Saving again from the refreshed form succeeds on top of version 2.
    assert 'value="2"' in page
    assert save(client, paper_id, 2, mine, note="Mine, merged").status_code == 302
    assert db.get(Paper, paper_id, populate_existing=True).current_version == 3


def test_two_facilitators_saving_at_once_lose_nothing(engine):
    """Real concurrent transactions (SQLite or PostgreSQL): one save wins, the other is refused."""
    from consult.processes.models import Process

    writers = engine.execution_options(consult_write=True)
    with Session(writers) as setup:
        process = make_process(setup, slug="paper-race")
        users = []
        for n in range(2):
            user = User(
                email=f"paper-race-{n}@example.org",
                display_name=f"Racer {n}",
                password_hash="x",
                sector="academic",
                email_verified_at=process.created_at,
            )
            user.role_grants.append(RoleGrant(role=Role.FACILITATOR))
            setup.add(user)
            users.append(user)
        setup.commit()
        paper_id = services.create_paper(setup, process, actor=users[0], title="Race").id
        setup.commit()
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def save_text(n: int) -> None:
        barrier.wait(timeout=10)
        with Session(writers, expire_on_commit=False) as session:
            paper = session.get(Paper, paper_id)
            actor = session.scalar(sa.select(User).where(User.email == f"paper-race-{n}@example.org"))
            try:
                services.save_version(
                    session,
                    paper,
                    actor=actor,
                    base_version=1,
                    title="Race",
                    summary="",
                    body=f"Text from racer {n}",
                    change_note=f"Racer {n}",
                )
                session.commit()
                outcomes.append("saved")
            except StaleEdit:
                session.rollback()
                outcomes.append("refused")

    try:
        workers = [threading.Thread(target=save_text, args=(n,)) for n in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        with Session(engine) as check:
            assert sorted(outcomes) == ["refused", "saved"]
            paper = check.get(Paper, paper_id)
            numbers = check.scalars(sa.select(PaperVersion.number).where(PaperVersion.paper_id == paper_id)).all()
            assert paper.current_version == 2 and sorted(numbers) == [1, 2]
    finally:
        with Session(writers) as cleanup:
            cleanup.execute(sa.delete(Process).where(Process.slug == "paper-race"))
            cleanup.execute(sa.delete(User).where(User.email.like("paper-race-%")))
            cleanup.commit()


def _paragraph_of(page: str, text: str) -> int:
    """The paragraph index of the block containing text, from the draft page's anchors."""
    position = page.index(text)
    anchors = [(m.start(), int(m.group(1))) for m in re.finditer(r'id="p-(\d+)"', page)]
    return max(index for start, index in anchors if start < position)


def test_review_comments_move_with_their_paragraph_and_none_are_lost(client, login, world, db):
    paper_id = generate(client, login, world)
    _, base = edit_form(client, paper_id)
    body = current_body(db, paper_id).replace(
        "## Introduction",
        "## Introduction\n\nThe groups met six times between March and June.\n\n"
        "Consent was discussed at length in the safeguards group.",
    )
    assert save(client, paper_id, base, body).status_code == 302
    status(client, paper_id, "in_review", "Open for comments")

    login(world["outsider"])
    assert client.get(f"/papers/{paper_id}/paragraphs/1/comment").status_code == 403
    login(world["member"])
    page = client.get(f"/papers/{paper_id}/draft").get_data(as_text=True)
    met = _paragraph_of(page, "The groups met six times")
    consent = _paragraph_of(page, "Consent was discussed at length")
    empty = post(client, f"/papers/{paper_id}/paragraphs/{met}/comment", paragraph=met, body="")
    assert "Enter your comment" in empty.get_data(as_text=True)
    assert (
        post(client, f"/papers/{paper_id}/paragraphs/{met}/comment", paragraph=met, body="Say where.").status_code
        == 302
    )
    assert (
        post(
            client, f"/papers/{paper_id}/paragraphs/{consent}/comment", paragraph=consent, body="Which sessions?"
        ).status_code
        == 302
    )
    first = db.scalar(sa.select(PaperComment).where(PaperComment.body == "Say where."))
    assert post(client, f"/papers/{paper_id}/comments/{first.id}/reply", body="In Leeds and online.").status_code == 302

    # The facilitator adds a paragraph above, edits one lightly and rewrites the other completely.
    login(world["facilitator"])
    _, base = edit_form(client, paper_id)
    body = (
        current_body(db, paper_id)
        .replace(
            "The groups met six times between March and June.",
            "A short note on method.\n\nThe groups met six times between March and early June.",
        )
        .replace("Consent was discussed at length in the safeguards group.", "Notification replaced this topic.")
    )
    assert save(client, paper_id, base, body, note="Reworked the introduction").status_code == 302

    moved = reload(db, first)
    assert moved.version_number == 3 and moved.paragraph == met + 1 and moved.unplaced_since is None
    assert "early June" in moved.anchor_text
    lost = db.scalar(sa.select(PaperComment).where(PaperComment.body == "Which sessions?"))
    lost = reload(db, lost)
    assert lost.unplaced_since == 3 and lost.version_number == 2
    page = client.get(f"/papers/{paper_id}/draft").get_data(as_text=True)
    assert "Comments on an earlier version" in page
    earlier = page[page.index("Comments on an earlier version") :]
    assert "Which sessions?" in earlier and "Consent was discussed at length" in earlier
    assert "Say where." in page and "In Leeds and online." in page
    assert _paragraph_of(page, "Say where.") == met + 1


def _approve(client, paper_id):
    status(client, paper_id, "approved", "Agreed")


def test_publishing_with_open_comments_needs_confirmation_and_is_recorded(client, login, world, db):
    paper_id = generate(client, login, world)
    status(client, paper_id, "in_review")
    login(world["member"])
    assert post(client, f"/papers/{paper_id}/paragraphs/1/comment", paragraph=1, body="Not yet.").status_code == 302
    login(world["facilitator"])
    _approve(client, paper_id)
    refused = post(client, f"/papers/{paper_id}/publish", note="")
    assert refused.status_code == 200
    assert "1 review comment is still open" in refused.get_data(as_text=True)
    assert db.get(Paper, paper_id, populate_existing=True).status == PaperStatus.APPROVED
    published = post(client, f"/papers/{paper_id}/publish", confirm="y", note="Deadline")
    assert published.status_code == 302
    version = db.scalar(sa.select(PaperVersion).where(PaperVersion.paper_id == paper_id, PaperVersion.number == 1))
    version = reload(db, version)
    assert version.published_at is not None and version.open_comments_at_publication == 1
    event = db.scalar(sa.select(PaperEvent).where(PaperEvent.paper_id == paper_id).order_by(PaperEvent.id.desc()))
    assert "still open, confirmed" in event.note
    assert "still open, confirmed" in client.get(f"/papers/{paper_id}/versions").get_data(as_text=True)


def test_published_version_is_immutable_public_and_keeps_its_figures(client, login, world, db, app):
    paper_id = generate(client, login, world)
    status(client, paper_id, "in_review")
    _approve(client, paper_id)
    assert post(client, f"/papers/{paper_id}/publish").status_code == 302
    # Editing a published version is impossible.
    assert client.get(f"/papers/{paper_id}/edit").status_code == 404
    assert (
        post(client, f"/papers/{paper_id}/edit", base_version="1", title="x", body="x", change_note="x").status_code
        == 404
    )
    assert client.post(f"/papers/{paper_id}/versions/1").status_code == 405

    # Later votes change the live record but not the published one.
    statement = world["statements"][0]
    with app.app_context():
        for person in world["voters"][:4]:
            voter = agreement.voter_for(db, world["process"].id, person.id)
            agreement.record_vote(db, statement, voter, "disagree")
        agreement.refresh_analysis(db, world["process"].id)
    db.commit()
    client.post("/account/sign-out", data={"csrf_token": csrf_from(client.get("/account/").get_data(as_text=True))})
    public = client.get(f"/papers/{paper_id}")
    assert public.status_code == 200
    text = public.get_data(as_text=True)
    assert (
        "10 agree (100%) · 0 disagree (0%) · 0 pass (0%) · 10 votes" in text
        and "Published" in text
        and "permanent link" in text
    )
    assert 'media="print"' in text and "Contents" in text
    provenance = client.get(f"/papers/{paper_id}/versions/1/evidence/finding/{statement.id}").get_data(as_text=True)
    assert "10 agree (100%) · 0 disagree (0%) · 0 pass (0%) · 10 votes" in provenance
    assert "Later votes do not change them" in provenance
    live = client.get(f"/processes/papers/statements/{statement.id}").get_data(as_text=True)
    assert "6 agree (60%) · 4 disagree (40%) · 0 pass (0%) · 10 votes" in live  # the live record moved on
    issue = world["issue"]
    issue_page = client.get(f"/papers/{paper_id}/versions/1/evidence/issue/{issue.id}").get_data(as_text=True)
    assert "Added a caveat on notification" in issue_page and f"/threads/{issue.id}" in issue_page
    # Not attributed: no facilitator or member name on the published page.
    assert "Fran Facilitator" not in text and "Mo Member" not in text
    # Listed for everyone, and in both Atom feeds.
    assert "Conclusions" in client.get("/processes/papers/papers").get_data(as_text=True)
    for feed in ("/papers/feed.atom", "/processes/papers/feed.atom"):
        atom = client.get(feed).get_data(as_text=True)
        assert f"/papers/{paper_id}/versions/1" in atom and "Position paper published: Conclusions" in atom


def test_a_new_version_supersedes_the_earlier_publication(client, login, world, db):
    paper_id = generate(client, login, world)
    status(client, paper_id, "in_review")
    _approve(client, paper_id)
    assert post(client, f"/papers/{paper_id}/publish").status_code == 302
    status(client, paper_id, "drafting", "Second edition")
    _, base = edit_form(client, paper_id)
    assert base == 1
    assert (
        save(
            client, paper_id, base, current_body(db, paper_id) + "\nAn update.\n", title="Conclusions, 2nd"
        ).status_code
        == 302
    )
    status(client, paper_id, "in_review")
    _approve(client, paper_id)
    assert post(client, f"/papers/{paper_id}/publish").status_code == 302
    first = client.get(f"/papers/{paper_id}/versions/1").get_data(as_text=True)
    assert "This version is superseded" in first and f"/papers/{paper_id}/versions/2" in first
    assert "Conclusions, 2nd" in client.get(f"/papers/{paper_id}").get_data(as_text=True)
    versions = db.scalars(
        sa.select(PaperVersion).where(PaperVersion.paper_id == paper_id).order_by(PaperVersion.number)
    )
    v1, v2 = [reload(db, v) for v in versions]
    assert v1.superseded_at is not None and v2.superseded_at is None and v2.published_at is not None


def test_download_is_an_opendocument_with_the_papers_headings_and_findings(client, login, world):
    paper_id = generate(client, login, world)
    response = client.get(f"/papers/{paper_id}/versions/1/paper.odt")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.oasis.opendocument.text"
    assert 'filename="paper-' in response.headers["Content-Disposition"]
    document = load(io.BytesIO(response.data))
    headings = [teletype.extractText(h) for h in document.getElementsByType(H)]
    paragraphs = " ".join(teletype.extractText(p) for p in document.getElementsByType(P))
    assert headings[0] == "Conclusions"
    assert "Areas of agreement" in headings and "Areas of disagreement" in headings
    assert "Finding: Share a flag only" in paragraphs
    assert "Reasons against: They answer to shareholders" in paragraphs
    assert "Votes: 10 agree (100%) · 0 disagree (0%) · 0 pass (0%) · 10 votes" in paragraphs


def test_markdown_in_papers_is_sanitised(client, login, world, db):
    paper_id = generate(client, login, world)
    _, base = edit_form(client, paper_id)
    body = '<script>alert(1)</script>\n\n[click](javascript:alert(2))\n\n<img src=x onerror="alert(3)">'
    assert save(client, paper_id, base, body).status_code == 302
    page = client.get(f"/papers/{paper_id}/draft").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "javascript:alert" not in page and "<img" not in page
    # A tag outside the allow-list is shown as the text that was typed, never as markup (issue 12, finding 13).
    assert "&lt;img src=x onerror=" in page


def test_organisations_are_named_only_when_they_agreed(client, login, world, db, make_user):
    silent = make_organisation(db, name="Quiet Trust")
    quiet_member = make_user(organisation_id=silent.id)
    from consult.processes.models import Membership, MembershipStatus

    db.add(Membership(group_id=world["group"].id, user_id=quiet_member.id, status=MembershipStatus.MEMBER))
    db.commit()
    paper_id = generate(client, login, world)
    login(world["member"])
    assert post(client, f"/papers/{paper_id}/naming", consent="yes").status_code == 302
    login(world["outsider"])
    assert post(client, f"/papers/{paper_id}/naming", consent="yes").status_code == 403
    login(world["facilitator"])
    status(client, paper_id, "in_review")
    _approve(client, paper_id)
    assert post(client, f"/papers/{paper_id}/publish").status_code == 302
    page = client.get(f"/papers/{paper_id}").get_data(as_text=True)
    assert "Water Watch" in page and "Quiet Trust" not in page


def test_paper_pages_make_the_same_number_of_queries_for_few_or_many_findings(
    client, login, world, db, app, query_counter
):
    facilitator = world["facilitator"]
    process = world["process"]
    with app.app_context():
        extra = [Statement(process_id=process.id, text=f"Extra statement {n}") for n in range(30)]
        db.add_all(extra)
        db.flush()
        for statement in extra:
            ledger.record_outcome(db, statement, actor=facilitator, kind="still_to_discuss", summary="Later")
        big = services.create_paper(db, process, actor=facilitator, title="Big")
    db.commit()
    small_id = generate(client, login, world, title="Small")
    # Make the small paper small: only one finding.
    paper = db.get(Paper, small_id)
    services.save_version(
        db,
        paper,
        actor=facilitator,
        base_version=1,
        title="Small",
        summary="",
        body=f"## One\n\n[[finding:{world['statements'][0].id}]]\n\n[[issue:{world['issue'].id}]]\n",
        change_note="Cut",
    )
    db.commit()
    for path in ("/papers/{}/draft", "/papers/{}/versions/{}"):
        counts = []
        for paper_id, number in ((small_id, 2), (big.id, 1)):
            url = path.format(paper_id, number)
            client.get(url)
            with query_counter() as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], (path, counts)


def test_a_paper_can_be_about_one_proposed_objective_of_the_process(client, login, world, db):
    from consult.db import utcnow
    from consult.objectives.models import Proposal

    department = make_organisation(db, name="Department for Water", sector=Sector.GOVERNMENT_DEPARTMENT)
    discussed = Proposal(
        department_id=department.id,
        process_id=world["process"].id,
        answers={"title": "Water social tariffs objective"},
        submitted_at=utcnow(),
    )
    private = Proposal(department_id=department.id, process_id=world["process"].id, answers={"title": "Secret"})
    db.add_all([discussed, private])
    db.commit()
    login(world["facilitator"])
    form = client.get("/processes/papers/papers/new").get_data(as_text=True)
    assert "The whole process" in form and "Water social tariffs objective" in form and "Secret" not in form
    refused = post(client, "/processes/papers/papers/new", title="About a draft", proposal_id=str(private.id))
    assert refused.status_code == 200 and "Not a valid choice" in refused.get_data(as_text=True)
    response = post(client, "/processes/papers/papers/new", title="On the objective", proposal_id=str(discussed.id))
    assert response.status_code == 302
    paper = db.scalar(sa.select(Paper).where(Paper.proposal_id == discussed.id))
    page = client.get(f"/papers/{paper.id}/draft").get_data(as_text=True)
    assert "About the proposed objective" in page and f"/proposals/{discussed.id}" in page


def test_references_to_another_process_are_reported_without_gathering_evidence(db, world, query_counter):
    other = make_process(db, slug="elsewhere")
    foreign = Statement(process_id=other.id, text="Elsewhere")
    db.add(foreign)
    db.commit()
    own, issue = world["statements"][0], world["issue"]
    body = (
        f"[[finding:{own.id}]]\n\n[[said:{foreign.id}]]\n\n[[issue:{issue.id}]]\n\n[[issue:999999]]\n\n"
        f"[[finding:{foreign.id}]]"
    )
    with query_counter() as counted:
        missing = evidence.missing_references(db, world["process"].id, body)
    assert missing == [("finding", foreign.id), ("said", foreign.id), ("issue", 999999)]
    assert len(counted) == 2
    assert evidence.missing_references(db, other.id, f"[[issue:{issue.id}]]") == [("issue", issue.id)]


def test_a_refused_new_paper_leaves_nothing_behind(client, app, login, world, db, monkeypatch):
    monkeypatch.setattr(services, "create_paper", flushes_then_refuses(db, "title"))
    login(world["facilitator"])
    with left_behind(app, db) as counts:
        response = post(client, "/processes/papers/papers/new", title="Conclusions", summary="Kept summary")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and REFUSAL in page and "Kept summary" in page
    assert counts[-1] == 0


def test_a_refused_review_comment_is_shown_on_its_form_and_leaves_nothing_behind(
    client, app, login, world, db, monkeypatch
):
    paper_id = generate(client, login, world)
    status(client, paper_id, "in_review", "Open for comments")
    monkeypatch.setattr(review, "add_comment", flushes_then_refuses(db, "body"))
    login(world["member"])
    with left_behind(app, db) as counts:
        response = post(client, f"/papers/{paper_id}/paragraphs/1/comment", paragraph=1, body="Kept comment")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and REFUSAL in page and "Kept comment" in page
    assert counts[-1] == 0
