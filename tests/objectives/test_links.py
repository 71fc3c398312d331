"""Links on proposals are checked web addresses; the response link is set only by its department (issue #12, #7)."""

from __future__ import annotations

import pytest

from consult.db import utcnow
from consult.errors import ValidationError
from consult.objectives import lifecycle, permissions, services
from consult.objectives.lifecycle import Status
from consult.objectives.models import Proposal
from tests.factories import reload
from tests.objectives.test_proposals import move

LINK = "https://www.gov.uk/government/consultations/passported-benefits-response"
NOT_WEB_LINKS = [
    "javascript:alert(document.cookie)",
    " JavaScript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example/response",
    "/objectives/proposals/1",
    "https://user:password@www.gov.uk/response",
    "https://",
]


@pytest.fixture
def consulting(db, cast):
    """A public proposal at the statutory consultation stage, whose department has given its response link."""
    officer = cast["officer"]
    proposal = Proposal(
        department_id=officer.organisation_id,
        created_by_id=officer.id,
        answers={"title": "Passported benefits"},
        status=Status.CONSULTATION,
        submitted_at=utcnow(),
        response_url=LINK,
    )
    db.add(proposal)
    db.commit()
    return proposal


@pytest.mark.parametrize("bad", NOT_WEB_LINKS)
def test_a_pause_or_a_resume_never_stores_a_link_that_is_not_a_web_address(db, cast, consulting, bad):
    with pytest.raises(ValidationError) as refused:
        services.transition(db, consulting, actor=cast["officer"], target="paused", reason="Hold", response_url=bad)
    assert refused.value.field == "response_url"
    assert (consulting.status, consulting.response_url) == (Status.CONSULTATION, LINK)
    services.transition(db, consulting, actor=cast["officer"], target="paused", reason="Hold")
    with pytest.raises(ValidationError):
        services.transition(db, consulting, actor=cast["officer"], target="consultation", reason="Go", response_url=bad)
    assert (consulting.status, consulting.response_url) == (Status.PAUSED, LINK)


def test_a_facilitators_pause_and_resume_never_change_the_departments_link(db, cast, consulting):
    facilitator = cast["facilitator"]
    evil = "https://evil.example/response"
    services.transition(db, consulting, actor=facilitator, target="paused", reason="Hold", response_url=evil)
    assert (consulting.status, consulting.response_url) == (Status.PAUSED, LINK)
    services.transition(
        db, consulting, actor=facilitator, target="consultation", reason="Resume", response_url="javascript:alert(1)"
    )
    assert (consulting.status, consulting.response_url) == (Status.CONSULTATION, LINK)


def test_an_admin_recording_the_order_in_force_leaves_the_link_alone(db, cast, consulting):
    consulting.status = Status.LAID
    services.transition(
        db,
        consulting,
        actor=cast["admin"],
        target="in_force",
        reason="Approved",
        response_url="https://evil.example/response",
        si_number="2027/12",
        in_force_on=utcnow().date(),
    )
    assert (consulting.status, consulting.response_url) == (Status.IN_FORCE, LINK)


def test_only_the_proposing_departments_officers_may_set_the_link(cast, consulting):
    allowed = {name for name, user in cast.items() if permissions.can_set_response_link(user, consulting)}
    assert allowed == {"officer", "colleague"}


def test_the_department_sets_a_checked_link_and_keeps_it_without_spaces(db, cast, consulting):
    consulting.response_url = ""
    services.transition(
        db, consulting, actor=cast["colleague"], target="paused", reason="Hold", response_url=f"  {LINK}  "
    )
    assert consulting.response_url == LINK


def test_a_stored_link_that_is_not_a_web_address_does_not_count_as_given(db, consulting):
    consulting.response_url = "javascript:alert(1)"
    assert services.facts(db, consulting)[lifecycle.HAS_RESPONSE_LINK] is False
    assert services.facts(db, consulting, response_url=LINK)[lifecycle.HAS_RESPONSE_LINK] is True


def test_a_facilitators_form_has_no_link_field_and_a_crafted_one_changes_nothing(client, login, db, cast, consulting):
    login(cast["facilitator"])
    page = client.get(f"/objectives/proposals/{consulting.id}").get_data(as_text=True)
    assert 'name="response_url"' not in page
    assert move(client, consulting, "paused", response_url="javascript:alert(1)").status_code == 302
    assert reload(db, consulting).response_url == LINK


def test_the_officer_sees_a_bad_link_refused_beside_the_field_with_the_text_kept(client, login, db, cast, consulting):
    login(cast["officer"])
    assert 'name="response_url"' in client.get(f"/objectives/proposals/{consulting.id}").get_data(as_text=True)
    response = move(client, consulting, "paused", response_url="javascript:alert(1)")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The link must start with https:// or http://" in html
    assert 'value="javascript:alert(1)"' in html, "the text is kept for correcting"
    assert (reload(db, consulting).status, consulting.response_url) == (Status.CONSULTATION, LINK)


def test_a_link_stored_before_the_checks_is_not_written_into_an_href(client, db, consulting):
    consulting.response_url = "javascript:alert(document.cookie)"
    db.commit()
    page = client.get(f"/objectives/proposals/{consulting.id}").get_data(as_text=True)
    assert "javascript:" not in page
    reload(db, consulting).response_url = LINK
    db.commit()
    assert f'href="{LINK}"' in client.get(f"/objectives/proposals/{consulting.id}").get_data(as_text=True)


@pytest.mark.parametrize("bad", NOT_WEB_LINKS)
def test_a_dpia_link_that_is_not_a_web_address_is_refused_beside_its_field(db, cast, bad):
    proposal = services.create_proposal(db, actor=cast["officer"], title="Passported benefits")
    with pytest.raises(ValidationError) as refused:
        services.save_answers(
            db,
            proposal,
            actor=cast["officer"],
            answers={"title": "Passported benefits", "dpia_link": bad},
            base_version=proposal.version,
        )
    assert refused.value.field == "dpia_link"
    assert "dpia_link" not in proposal.answers


def test_a_dpia_link_is_kept_without_its_surrounding_spaces(db, cast):
    proposal = services.create_proposal(db, actor=cast["officer"], title="Passported benefits")
    answers = {"title": "Passported benefits", "dpia_link": " https://example.org/dpia.pdf "}
    services.save_answers(db, proposal, actor=cast["officer"], answers=answers, base_version=proposal.version)
    assert proposal.answers["dpia_link"] == "https://example.org/dpia.pdf"
