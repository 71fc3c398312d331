"""Outcomes need evidence: agreement or disagreement below a process's minimum votes and sectors is refused unless
the facilitator cites a meeting's notes or a thread with a reason, and that basis is published beside the finding."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from odf import teletype
from odf.opendocument import load
from odf.text import P

from consult.accounts.models import Role, Sector
from consult.agreement import ledger
from consult.agreement import services as agreement
from consult.agreement.models import Outcome, Statement
from consult.db import utcnow
from consult.errors import ValidationError
from consult.meetings.models import Meeting, NoteStatus
from consult.papers import services as papers
from consult.papers.models import PaperStatus, PaperVersion
from consult.processes import services as processes
from tests.factories import make_group, make_process, make_thread, post, reload

SLUG = "evidence"
SECTORS = [Sector.CIVIL_SOCIETY, Sector.GOVERNMENT_DEPARTMENT, Sector.ACADEMIC]


def _meeting(db, process, facilitator, title, status=NoteStatus.PUBLISHED):
    start = utcnow() - timedelta(days=3)
    meeting = Meeting(
        process_id=process.id,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        created_by_id=facilitator.id,
        notes="Everyone in the room wanted the flag only.",
        notes_status=status,
    )
    db.add(meeting)
    db.commit()
    return meeting


def _hidden(db, thread):
    thread.hidden_at, thread.hidden_reason = utcnow(), "Off topic"
    db.commit()
    return thread


@pytest.fixture
def world(db, app, make_user):
    """A process with the default minimums (10 votes, 3 sectors) and statements with more and fewer votes."""
    process = make_process(db, slug=SLUG)
    facilitator = make_user(roles=(Role.FACILITATOR,))
    people = [make_user(sector=SECTORS[n % 3]) for n in range(12)]  # four from each of three sectors
    extra = [make_user(sector=Sector.CIVIL_SOCIETY) for _ in range(4)]
    group = make_group(db, process, members=people)
    texts = {
        "empty": "Nobody has voted on this",
        "thin": "Two people from one sector voted on this",
        "two_sectors": "Twelve people from two sectors voted on this",
        "broad": "Twelve people from three sectors voted on this",
    }
    rows = {key: Statement(process_id=process.id, text=text) for key, text in texts.items()}
    db.add_all(rows.values())
    db.commit()
    civil = [p for p in people if p.sector == Sector.CIVIL_SOCIETY]
    not_academic = [p for p in people if p.sector != Sector.ACADEMIC]
    with app.app_context():
        for key, voters in (("thin", civil[:2]), ("two_sectors", not_academic + extra), ("broad", people)):
            for person in voters:
                agreement.record_vote(db, rows[key], agreement.voter_for(db, process.id, person.id), "agree")
        agreement.refresh_analysis(db, process.id)
    db.commit()
    other = make_process(db, slug="elsewhere")
    other_group = make_group(db, other)
    return {
        "process": process,
        "facilitator": facilitator,
        "statements": rows,
        "meeting": _meeting(db, process, facilitator, "Workshop in Leeds"),
        "draft_meeting": _meeting(db, process, facilitator, "Notes still in draft", NoteStatus.DRAFT),
        "thread": make_thread(db, group, facilitator, title="Which data items are needed?"),
        "hidden_thread": _hidden(db, make_thread(db, group, facilitator, title="A thread taken down")),
        "other_meeting": _meeting(db, other, facilitator, "Another process's meeting"),
        "other_thread": make_thread(db, other_group, facilitator, title="Another process's thread"),
    }


def record(client, statement, **fields):
    return post(client, f"/processes/{SLUG}/statements/{statement.id}/outcome", **({"summary": "Noted"} | fields))


def stored(db) -> int:
    return db.scalar(sa.select(sa.func.count()).select_from(Outcome))


def field_error(html: str, name: str) -> str:
    """The error message GOV.UK Frontend shows in the field's own group (id "<field>-error", which the field's
    aria-describedby names), without its visually hidden "Error:" prefix; "" when there is none."""
    message = re.search(rf'<p id="{name}-error" class="govuk-error-message">(.*?)</p>', html, re.S)
    if not message:
        return ""
    assert re.search(rf'aria-describedby="[^"]*\b{name}-error\b', html), f"{name} does not point to its error"
    text = re.sub(r'<span class="govuk-visually-hidden">[^<]*</span>', "", message.group(1))
    return re.sub(r"<[^>]+>", "", text).strip()


AGREEMENT_FIELDS = {
    "agreed": {},
    "agreed_with_caveats": {"caveats": "Not in winter"},
    "disagreement_noted": {"reasons_for": "They serve the public", "reasons_against": "They answer to shareholders"},
}


@pytest.mark.parametrize("kind", list(AGREEMENT_FIELDS))
def test_a_finding_with_no_votes_is_refused_with_the_reason_beside_the_choice(client, login, world, db, kind):
    login(world["facilitator"])
    response = record(client, world["statements"]["empty"], kind=kind, **AGREEMENT_FIELDS[kind])
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    message = field_error(html, "kind")
    assert "needs at least 10 votes from 3 sectors in this process" in message
    assert "this statement has 0 votes from 0 sectors" in message
    assert 'href="#kind"' in html, "the error summary links to the choice"
    assert stored(db) == 0


@pytest.mark.parametrize(
    ("kind", "fields"), [("still_to_discuss", {}), ("parked", {}), ("options", {"options": "One way\nAnother way"})]
)
def test_outcomes_that_claim_no_finding_need_no_votes(client, login, world, db, kind, fields):
    login(world["facilitator"])
    assert record(client, world["statements"]["empty"], kind=kind, **fields).status_code == 302
    outcome = db.scalar(sa.select(Outcome))
    assert (outcome.votes_counted, outcome.sectors_counted, outcome.basis_meeting_id) == (0, 0, None)


def test_sectors_count_as_well_as_votes(client, login, world, db):
    login(world["facilitator"])
    narrow = record(client, world["statements"]["two_sectors"], kind="agreed")
    assert "this statement has 12 votes from 2 sectors" in field_error(narrow.get_data(as_text=True), "kind")
    assert stored(db) == 0
    assert record(client, world["statements"]["broad"], kind="agreed").status_code == 302
    outcome = db.scalar(sa.select(Outcome))
    assert (outcome.votes_counted, outcome.sectors_counted, outcome.basis_meeting_id, outcome.basis_reason) == (
        12,
        3,
        None,
        "",
    )
    ledger_page = client.get(f"/processes/{SLUG}/ledger").get_data(as_text=True)
    assert "Twelve people from three sectors voted on this" in ledger_page and "data-basis" not in ledger_page


def test_citing_meeting_notes_with_a_reason_records_it_and_publishes_the_basis(client, login, world, db):
    login(world["facilitator"])
    thin, meeting = world["statements"]["thin"], world["meeting"]
    response = record(
        client,
        thin,
        kind="agreed",
        basis=f"meeting-{meeting.id}",
        basis_reason="The Leeds workshop agreed it with every sector in the room.",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    outcome = db.scalar(sa.select(Outcome))
    assert (outcome.basis_meeting_id, outcome.votes_counted, outcome.sectors_counted) == (meeting.id, 2, 1)
    for page in (f"/processes/{SLUG}/ledger", f"/processes/{SLUG}/statements/{thin.id}"):
        html = client.get(page).get_data(as_text=True)
        basis = html[html.index("data-basis") :][:1500]
        assert f'href="/meetings/{meeting.id}"' in basis and "Workshop in Leeds" in basis, page
        assert "The Leeds workshop agreed it with every sector in the room." in basis, page
        assert "the statement had 2 votes from 1 sector" in basis, page


def test_citing_a_thread_records_a_disagreement_with_too_few_votes(client, login, world, db):
    login(world["facilitator"])
    thread = world["thread"]
    fields = AGREEMENT_FIELDS["disagreement_noted"]
    cited = {"basis": f"thread-{thread.id}", "basis_reason": "Both sides argued it out in the thread."}
    assert record(client, world["statements"]["thin"], kind="disagreement_noted", **fields, **cited).status_code == 302
    assert db.scalar(sa.select(Outcome.basis_thread_id)) == thread.id
    html = client.get(f"/processes/{SLUG}/ledger").get_data(as_text=True)
    basis = html[html.index("data-basis") :][:1500]
    assert f'href="/threads/{thread.id}"' in basis and "Both sides argued it out in the thread." in basis


def test_a_citation_needs_a_reason_and_a_listed_meeting_or_thread(client, login, world, db):
    login(world["facilitator"])
    thin = world["statements"]["thin"]
    meeting = world["meeting"]
    no_reason = record(client, thin, kind="agreed", basis=f"meeting-{meeting.id}")
    assert "Say why this evidence supports the outcome" in field_error(no_reason.get_data(as_text=True), "basis_reason")
    no_citation = record(client, thin, kind="agreed", basis_reason="Because")
    assert "Choose the meeting notes or thread" in field_error(no_citation.get_data(as_text=True), "basis")
    form = client.get(f"/processes/{SLUG}/statements/{thin.id}/outcome").get_data(as_text=True)
    assert f'value="meeting-{meeting.id}"' in form and f'value="thread-{world["thread"].id}"' in form
    for unlisted in (
        f"meeting-{world['draft_meeting'].id}",
        f"meeting-{world['other_meeting'].id}",
        f"thread-{world['hidden_thread'].id}",
        f"thread-{world['other_thread'].id}",
        "meeting-99999999",
        "statement-1",
    ):
        assert f'value="{unlisted}"' not in form
        refused = record(client, thin, kind="agreed", basis=unlisted, basis_reason="Because")
        assert field_error(refused.get_data(as_text=True), "basis") == "Choose meeting notes or a thread from the list"
    assert stored(db) == 0


def test_the_service_checks_what_is_cited_itself(world, db, app):
    thin, facilitator = world["statements"]["thin"], world["facilitator"]
    attempts = [
        {"basis_meeting_id": world["draft_meeting"].id},
        {"basis_meeting_id": world["other_meeting"].id},
        {"basis_thread_id": world["hidden_thread"].id},
        {"basis_thread_id": world["other_thread"].id},
        {"basis_meeting_id": world["meeting"].id, "basis_thread_id": world["thread"].id},
    ]
    with app.app_context():
        for cited in attempts:
            with pytest.raises(ValidationError) as refused:
                ledger.record_outcome(
                    db, thin, actor=facilitator, kind="agreed", summary="S", basis_reason="Because", **cited
                )
            assert refused.value.field == "basis"


def test_the_form_shows_the_figures_beside_the_choice(client, login, world):
    login(world["facilitator"])
    narrow = client.get(f"/processes/{SLUG}/statements/{world['statements']['two_sectors'].id}/outcome")
    html = narrow.get_data(as_text=True)
    assert "12 agree (100%) · 0 disagree (0%) · 0 pass (0%) · 12 votes" in html
    table = html[html.index("By declared sector and by opinion group") :]
    for row in ("Civil society organisation", "Government department", "Group A"):
        assert row in table
    choice = html[html.index('<fieldset class="govuk-fieldset"') :]
    choice = choice[: choice.index("</fieldset>")]
    assert "Counted now: 12 votes from 2 sectors" in choice and 'name="kind"' in choice
    assert "data-evidence-warning" in html
    broad = client.get(f"/processes/{SLUG}/statements/{world['statements']['broad'].id}/outcome")
    assert "data-evidence-warning" not in broad.get_data(as_text=True)


@pytest.mark.parametrize(
    ("votes", "sectors", "field", "message"),
    [
        ("0", "3", "outcome_min_votes", "Votes a finding needs must be between 1 and 100,000"),
        ("ten", "3", "outcome_min_votes", "Votes a finding needs must be a whole number, like 10"),
        ("", "3", "outcome_min_votes", "Enter the number of votes a finding needs"),
        ("10", "6", "outcome_min_sectors", "Sectors a finding needs must be between 0 and 5"),
        ("10", "-1", "outcome_min_sectors", "Sectors a finding needs must be a whole number, like 3"),
    ],
)
def test_process_settings_validate_each_minimum(client, login, world, db, votes, sectors, field, message):
    login(world["facilitator"])
    details = {"title": "Evidence", "summary": "S", "outcome_min_votes": votes, "outcome_min_sectors": sectors}
    response = post(client, f"/processes/{SLUG}/edit", **details)
    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), field) == message
    process = reload(db, world["process"])
    assert (process.outcome_min_votes, process.outcome_min_sectors) == (10, 3)


def test_a_process_sets_its_own_minimums_and_the_rule_follows(client, login, world, db, app):
    login(world["facilitator"])
    new_form = client.get("/processes/new").get_data(as_text=True)
    assert re.search(r'name="outcome_min_votes"[^>]*value="10"', new_form)
    assert re.search(r'name="outcome_min_sectors"[^>]*value="3"', new_form)
    details = {"title": "Evidence", "summary": "S", "outcome_min_votes": "2", "outcome_min_sectors": "1"}
    assert post(client, f"/processes/{SLUG}/edit", **details).status_code == 302
    assert "at least 2 votes from 1 sector" in client.get(f"/processes/{SLUG}/ledger").get_data(as_text=True)
    assert record(client, world["statements"]["thin"], kind="agreed").status_code == 302
    with app.app_context(), pytest.raises(ValidationError) as refused:
        processes.update_process(
            db,
            world["process"],
            actor=world["facilitator"],
            title="T",
            summary="S",
            principles="",
            objectives_concerned="",
            outcome_min_votes=0,
        )
    assert refused.value.field == "outcome_min_votes"


def _paper(db, app, world):
    """A paper generated from the ledger: a thin finding cited on meeting notes, and a broad one."""
    facilitator, process = world["facilitator"], world["process"]
    with app.app_context():
        ledger.record_outcome(
            db,
            world["statements"]["thin"],
            actor=facilitator,
            kind="agreed",
            summary="Banked at the workshop",
            basis_meeting_id=world["meeting"].id,
            basis_reason="The Leeds workshop agreed it with every sector in the room.",
        )
        ledger.record_outcome(db, world["statements"]["broad"], actor=facilitator, kind="agreed", summary="Banked")
        paper = papers.create_paper(db, process, actor=facilitator, title="Conclusions")
    db.commit()
    return paper


def test_a_paper_says_what_each_finding_is_based_on_and_marks_thin_evidence(client, login, world, db, app):
    paper = _paper(db, app, world)
    thin, broad = world["statements"]["thin"], world["statements"]["broad"]
    login(world["facilitator"])
    draft = client.get(f"/papers/{paper.id}/draft").get_data(as_text=True)
    thin_block = draft[draft.index(thin.text) :][:4000]
    assert "Thin evidence" in thin_block and "Based on 2 votes from 1 sector." in thin_block
    assert "Fewer votes or sectors than this process asks of a finding (at least 10 votes from 3 sectors)" in thin_block
    assert "The Leeds workshop agreed it with every sector in the room." in thin_block
    broad_block = draft[draft.index(broad.text) :][:4000]
    broad_block = broad_block[: broad_block.index("See the evidence")]
    assert "Based on 12 votes from 3 sectors." in broad_block and "Thin evidence" not in broad_block
    assert "rests on the votes alone only with at least 10 votes from 3 sectors" in draft  # how the paper was made
    evidence = client.get(f"/papers/{paper.id}/versions/1/evidence/finding/{thin.id}").get_data(as_text=True)
    assert "Thin evidence" in evidence and "Based on 2 votes from 1 sector." in evidence
    basis = evidence[evidence.index("data-basis") :][:1500]
    assert f'href="/meetings/{world["meeting"].id}"' in basis and "every sector in the room" in basis
    odt = load(io.BytesIO(client.get(f"/papers/{paper.id}/versions/1/paper.odt").data))
    text = "\n".join(teletype.extractText(p) for p in odt.getElementsByType(P))
    assert "Thin evidence. Based on 2 votes from 1 sector." in text
    assert "Meeting notes: Workshop in Leeds" in text
    assert "Why it supports the outcome: The Leeds workshop agreed it with every sector in the room." in text
    assert "Based on 12 votes from 3 sectors." in text


def test_a_published_paper_keeps_the_basis_and_the_support_it_had(client, world, db, app):
    paper = _paper(db, app, world)
    facilitator, thin = world["facilitator"], world["statements"]["thin"]
    with app.app_context():
        papers.change_status(db, paper, actor=facilitator, target=PaperStatus.IN_REVIEW.value, note="Review")
        papers.change_status(db, paper, actor=facilitator, target=PaperStatus.APPROVED.value, note="Agreed")
        papers.publish(db, paper, actor=facilitator, confirm_open_comments=False, note="First")
        # Later, the process asks for less: the published paper still says what it said.
        world["process"].outcome_min_votes, world["process"].outcome_min_sectors = 1, 1
    db.commit()
    page = client.get(f"/papers/{paper.id}").get_data(as_text=True)
    block = page[page.index(thin.text) :][:4000]
    assert "Thin evidence" in block and "every sector in the room" in block
    # A snapshot published before the rule existed gets its line from its own figures.
    version = db.scalar(sa.select(PaperVersion).where(PaperVersion.paper_id == paper.id))
    snapshot = dict(version.evidence)
    snapshot["statements"] = {
        key: {k: v for k, v in ref.items() if k != "support"} for key, ref in snapshot["statements"].items()
    }
    version.evidence = snapshot
    db.commit()
    older = client.get(f"/papers/{paper.id}").get_data(as_text=True)
    block = older[older.index(thin.text) :][:4000]
    assert "Based on 2 votes from 1 sector." in block and "Thin evidence" not in block  # today's minimums: 1 and 1


def test_the_ledger_makes_the_same_number_of_queries_for_few_or_many_cited_outcomes(
    client, login, make_user, db, app, query_counter
):
    from tests.factories import count_queries_of

    facilitator = make_user(roles=(Role.FACILITATOR,))

    def ledger_with(count: int, slug: str) -> str:
        process = make_process(db, slug=slug)
        group = make_group(db, process)
        meeting = _meeting(db, process, facilitator, "Workshop")
        thread = make_thread(db, group, facilitator)
        statements = [Statement(process_id=process.id, text=f"Statement {n}") for n in range(count)]
        db.add_all(statements)
        db.commit()
        with app.app_context():
            for n, statement in enumerate(statements):
                cited = {"basis_meeting_id": meeting.id} if n % 2 else {"basis_thread_id": thread.id}
                ledger.record_outcome(
                    db, statement, actor=facilitator, kind="agreed", summary="S", basis_reason="R", **cited
                )
        db.commit()
        return f"/processes/{slug}/ledger"

    few, many = ledger_with(2, "few-cited"), ledger_with(8, "many-cited")
    login(facilitator)
    assert count_queries_of(client, query_counter, few) == count_queries_of(client, query_counter, many)
