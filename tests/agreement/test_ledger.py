"""The outcomes ledger and mediation over HTTP."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consult.accounts.models import Role, Sector
from consult.agreement import ledger, queries, services
from consult.agreement.models import Mediation, MediationFlag, Outcome, Statement
from consult.errors import ValidationError
from tests.factories import make_process, post


@pytest.fixture
def setup(db, make_user, app):
    # Two sectors vote here, so the process asks for two (tests/agreement/test_outcome_evidence.py covers the rule).
    process = make_process(db, slug="ledger", outcome_min_sectors=2)
    statements = [
        Statement(process_id=process.id, text=t)
        for t in ("Share a flag only", "Tell households first", "Water companies are public bodies")
    ]
    db.add_all(statements)
    db.commit()
    facilitator = make_user(roles=(Role.FACILITATOR,))
    people = [make_user(sector=Sector.CIVIL_SOCIETY if n < 6 else Sector.GOVERNMENT_DEPARTMENT) for n in range(12)]
    with app.app_context():
        for n, person in enumerate(people):
            voter = services.voter_for(db, process.id, person.id)
            services.record_vote(db, statements[0], voter, "agree")
            services.record_vote(db, statements[1], voter, "agree" if n % 3 else "pass")
            services.record_vote(db, statements[2], voter, "agree" if n >= 6 else "disagree")
        services.refresh_analysis(db, process.id)
    db.commit()
    return process, statements, facilitator, people


def test_ledger_lists_agreement_and_disagreement_with_figures(client, login, setup, db):
    process, (flag, tell, public), facilitator, people = setup
    login(facilitator)
    assert (
        post(
            client, f"/processes/ledger/statements/{flag.id}/outcome", kind="agreed", summary="Everyone agreed"
        ).status_code
        == 302
    )
    missing = post(
        client,
        f"/processes/ledger/statements/{public.id}/outcome",
        kind="disagreement_noted",
        summary="Split by sector",
        reasons_for="They serve the public",
    )
    assert "Record each side" in missing.get_data(as_text=True)
    assert (
        post(
            client,
            f"/processes/ledger/statements/{public.id}/outcome",
            kind="disagreement_noted",
            summary="Split by sector",
            reasons_for="They serve the public",
            reasons_against="They are private companies",
        ).status_code
        == 302
    )
    options = post(
        client,
        f"/processes/ledger/statements/{tell.id}/outcome",
        kind="options",
        summary="Two ways",
        options="Only one option",
    )
    assert "at least two options" in options.get_data(as_text=True)
    page = client.get("/processes/ledger/ledger").get_data(as_text=True)
    assert "Areas of agreement" in page and "Areas of disagreement" in page
    assert "12 agree (100%) · 0 disagree (0%) · 0 pass (0%) · 12 votes" in page
    assert "They are private companies" in page
    assert page.index("Share a flag only") < page.index("Water companies are public bodies")


def test_outcomes_are_versioned_and_the_newest_counts(client, login, setup, db):
    process, (flag, *_rest), facilitator, _ = setup
    login(facilitator)
    post(client, f"/processes/ledger/statements/{flag.id}/outcome", kind="still_to_discuss", summary="First")
    post(client, f"/processes/ledger/statements/{flag.id}/outcome", kind="agreed", summary="Second")
    assert db.scalar(sa.select(sa.func.count()).select_from(Outcome)) == 2
    page = client.get("/processes/ledger/ledger").get_data(as_text=True)
    assert "Second" in page and "Still to discuss" not in page
    history = client.get(f"/processes/ledger/statements/{flag.id}/outcome").get_data(as_text=True)
    assert "First" in history and "Second" in history


def test_only_facilitators_record_outcomes_and_mediate(client, login, setup):
    process, (flag, *_rest), _, people = setup
    login(people[0])
    assert (
        post(client, f"/processes/ledger/statements/{flag.id}/outcome", kind="agreed", summary="x").status_code == 403
    )
    assert client.get(f"/processes/ledger/statements/{flag.id}/mediation").status_code == 403


def test_contested_statements_are_queued_mediated_and_reframed(client, login, setup, db):
    process, (flag, tell, public), facilitator, people = setup
    login(people[1])
    assert (
        post(client, f"/processes/ledger/statements/{tell.id}/flag", reason="Councils disagree quietly").status_code
        == 302
    )
    again = post(client, f"/processes/ledger/statements/{tell.id}/flag", reason="again")
    assert "already asked" in again.get_data(as_text=True)
    login(facilitator)
    queue = client.get("/processes/ledger/mediation").get_data(as_text=True)
    assert "Water companies are public bodies" in queue, "divisive across sectors"
    assert "Councils disagree quietly" in queue, "flagged by a participant"
    assert "Share a flag only" not in queue.split("Mediation record")[0]
    assert (
        post(
            client,
            f"/processes/ledger/statements/{public.id}/mediation",
            parties="Civil society; departments",
            meeting_url="javascript:alert(1)",
        ).status_code
        == 200
    )
    assert (
        post(
            client,
            f"/processes/ledger/statements/{public.id}/mediation",
            parties="Civil society; departments",
            meeting_url="https://meet.example.org/m",
        ).status_code
        == 302
    )
    # The id, not the object: the refused save below rolls the shared test session back, expiring loaded objects.
    record_id = db.scalar(sa.select(Mediation.id))
    no_text = post(client, f"/processes/ledger/mediations/{record_id}", result="reframed", notes="Reframed")
    assert "Write the reframed statement" in no_text.get_data(as_text=True)
    assert (
        post(
            client,
            f"/processes/ledger/mediations/{record_id}",
            result="reframed",
            notes="Both sides accept",
            new_statement="Water companies may receive a flag only under a contract",
        ).status_code
        == 302
    )
    reframed = db.scalar(sa.select(Statement).where(Statement.text.like("Water companies may receive%")))
    assert reframed.corrects_id == public.id
    public_log = client.get("/processes/ledger/mediation").get_data(as_text=True)
    assert "Reframed as a new statement" in public_log and "Both sides accept" in public_log
    assert facilitator.display_name not in public_log.split("Mediation record")[1], "logged without attribution"
    assert db.scalar(sa.select(sa.func.count()).select_from(MediationFlag)) == 1


def test_statement_page_shows_bars_by_sector_and_group(client, setup):
    process, (flag, tell, public), _, _ = setup
    page = client.get(f"/processes/ledger/statements/{public.id}").get_data(as_text=True)
    assert "By declared sector" in page and "Civil society organisation" in page and "Government department" in page
    assert "<meter" in page and "6 (100%)" in page
    assert client.get("/processes/ledger/statements/999999").status_code == 404


@pytest.mark.parametrize("bad", ["https://", "http://user:secret@meet.example.org/m", "https://meet.example.org/a b"])
def test_a_mediation_meeting_link_must_be_a_web_address(db, make_user, bad):
    process = make_process(db, slug="mediated")
    statement = Statement(process_id=process.id, text="Tell households first")
    db.add(statement)
    db.flush()
    facilitator = make_user(roles=(Role.FACILITATOR,))
    with pytest.raises(ValidationError) as refused:
        ledger.open_mediation(db, statement, actor=facilitator, parties="Both sides", meeting_url=bad)
    assert refused.value.field == "meeting_url"


def test_results_page_gives_each_groups_share_of_votes_as_the_statement_page_does(client, setup, db):
    """The demo's contradiction: the results page showed Polis's smoothed (1+a)/(2+n) where the statement page
    showed a/n, so a group that agreed 2 of 2 read 75% on one page and 100% on the other."""
    process, statements, _, _ = setup
    report = queries.cached_report(db, process.id).report
    results = client.get("/processes/ledger/agreement").get_data(as_text=True)
    differing = 0
    for statement in statements:
        entry = next(e for e in report["statements"] if e["statement"] == statement.id)
        assert entry["groups"], "the votes split into opinion groups"
        row = results.split(f'<td class="govuk-table__cell">{statement.text}</td>')[1].split("</tr>")[0]
        statement_page = client.get(f"/processes/ledger/statements/{statement.id}").get_data(as_text=True)
        for group in entry["groups"]:
            agree, votes = group["agree"], group["votes"]
            raw, smoothed = round(100 * agree / votes), round(100 * (agree + 1) / (votes + 2))
            assert f"{agree} agree ({raw}%)" in row and f"{agree} ({raw}%)" in statement_page
            if raw != smoothed:
                differing += 1
                assert f" {smoothed}%" not in row
    assert differing  # the two definitions differ here, so the checks above can tell them apart
