"""Proposals over HTTP: private drafts, checklist-gated submission, versions, diffs, lifecycle, review, consultation."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from consult.objectives.models import (
    ObjectiveInForce,
    Proposal,
    ProposalVersion,
    SpecifiedPerson,
    Transition,
)
from consult.objectives.seed import ReferenceError, load_reference
from tests.factories import make_process, post, reload
from tests.objectives.answers import COMPLETE

CONTENT = Path(__file__).resolve().parents[2] / "content"


def form_data(answers: dict) -> dict:
    data = {}
    for key, value in answers.items():
        data[key] = value if isinstance(value, list) else ("" if value is None else value)
    return data


def start_draft(client, login, cast, db, title="Education passported benefits"):
    login(cast["officer"])
    response = post(client, "/objectives/proposals/new", title=title)
    assert response.status_code == 302
    return db.scalar(sa.select(Proposal).order_by(Proposal.id.desc()))


def save(client, proposal, answers, base=None, **extra):
    return post(
        client,
        f"/objectives/proposals/{proposal.id}/edit",
        **form_data(answers),
        base_version=str(base if base is not None else proposal.version),
        **extra,
    )


def move(client, proposal, target, reason="Because", **extra):
    """A move as its form sends it (a pause or withdrawal from its "are you sure?" page, so confirmed)."""
    extra.setdefault("confirmed", "yes")
    return post(client, f"/objectives/proposals/{proposal.id}/transition", target=target, reason=reason, **extra)


def test_reference_data_loads_idempotently_and_flags_unverified(app, db, cast):
    with app.app_context():
        counts = load_reference(db, CONTENT)
    assert counts["objectives in force"] == 5
    assert db.scalar(sa.select(sa.func.count()).select_from(ObjectiveInForce)) == 5
    hmrc = db.scalar(sa.select(SpecifiedPerson).where(SpecifiedPerson.paragraph == "10"))
    assert hmrc.is_hmrc and hmrc.verified
    scottish_ministers = db.scalar(sa.select(SpecifiedPerson).where(SpecifiedPerson.paragraph == "49"))
    assert not scottish_ministers.verified
    water = db.scalar(sa.select(ObjectiveInForce).where(ObjectiveInForce.slug == "water-poverty"))
    assert "not apply in Scotland" in water.jurisdiction


def test_malformed_reference_file_is_refused_with_its_name(app, db, tmp_path):
    (tmp_path / "specified-persons.yaml").write_text("persons:\n  - paragraph: '1'\n    colour: red\n")
    (tmp_path / "objectives.yaml").write_text("objectives: []\n")
    with app.app_context(), pytest.raises(ReferenceError, match=r"specified-persons\.yaml: entry 1"):
        load_reference(db, tmp_path)


def test_objectives_in_force_and_reference_pages(client, cast):
    page = client.get("/objectives/in-force/multiple-disadvantages").get_data(as_text=True)
    assert "13 factors" in page and "substance misuse" in page and "Unverified" in page
    persons = client.get("/objectives/specified-persons").get_data(as_text=True)
    assert "Secretary of State for Education" in persons and "Unverified" in persons
    assert client.get("/objectives/in-force/nope").status_code == 404


def test_private_draft_is_404_for_everyone_outside_the_department(client, login, cast, db, app):
    proposal = start_draft(client, login, cast, db)
    paths = [
        f"/objectives/proposals/{proposal.id}",
        f"/objectives/proposals/{proposal.id}/edit",
        f"/objectives/proposals/{proposal.id}/versions/1",
        f"/objectives/proposals/{proposal.id}/compare",
    ]
    for who in ("other", "participant", "facilitator", "board", "admin"):
        login(cast[who])
        for path in paths:
            assert client.get(path).status_code == 404, (who, path)
        assert move(client, proposal, "submitted").status_code == 404
        assert "Education passported" not in client.get("/objectives/").get_data(as_text=True)
    anonymous = app.test_client()
    assert anonymous.get(f"/objectives/proposals/{proposal.id}").status_code == 404
    login(cast["colleague"])
    assert client.get(f"/objectives/proposals/{proposal.id}").status_code == 200


def test_only_department_officers_of_a_government_department_start_proposals(client, login, cast):
    login(cast["participant"])
    assert client.get("/objectives/proposals/new").status_code == 403
    login(cast["facilitator"])
    assert post(client, "/objectives/proposals/new", title="X").status_code == 403


def test_submission_is_refused_until_the_checklist_is_complete(client, login, cast, db):
    proposal = start_draft(client, login, cast, db)
    response = move(client, proposal, "submitted")
    assert response.status_code == 400
    assert "Every item of the statutory checklist must be answered" in response.get_data(as_text=True)
    edit = client.get(f"/objectives/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert "Still to answer: Give the evidence that the purpose condition is met" in edit
    assert reload(db, proposal).status == "draft"


def test_bad_input_gets_field_messages_and_keeps_what_was_typed(client, login, cast, db):
    proposal = start_draft(client, login, cast, db)
    typed = COMPLETE | {"problem": "My carefully typed problem statement", "disclosers": ["999"]}
    response = save(client, proposal, typed)
    body = response.get_data(as_text=True)
    assert "is not a valid choice" in body
    assert "My carefully typed problem statement" in body
    long = save(client, proposal, COMPLETE | {"objective_wording": "w" * 20001})
    assert "20,000 characters or fewer" in long.get_data(as_text=True)
    bad_body = save(client, proposal, COMPLETE | {"new_bodies": "Water company without a reason"})
    assert "Line 1" in bad_body.get_data(as_text=True)
    assert reload(db, proposal).answers == {"title": "Education passported benefits"}


def test_stale_save_is_refused_and_the_text_kept(client, login, cast, db):
    proposal = start_draft(client, login, cast, db)
    base = proposal.version
    assert save(client, proposal, COMPLETE, base=base).status_code == 302
    stale = save(client, proposal, COMPLETE | {"problem": "My version of the problem"}, base=base)
    body = stale.get_data(as_text=True)
    assert "Someone else saved this proposal" in body
    assert "My version of the problem" in body
    assert reload(db, proposal).answers["problem"] == COMPLETE["problem"]
    # The shared conflict panel: only the differing field, word by word, and a form that saves on top.
    assert "Nothing of yours was saved" in body and "<del>Families</del>" in body and "<ins>My</ins>" in body
    panel = body.split("compared with your text</caption>")[1].split("</table>")[0]
    assert "The problem, and who is affected" in panel and "Draft wording of the objective" not in panel
    newer = reload(db, proposal).version
    assert f'name="base_version" type="hidden" value="{newer}"' in body
    assert save(client, proposal, COMPLETE | {"problem": "My version of the problem"}, base=newer).status_code == 302
    assert reload(db, proposal).answers["problem"] == "My version of the problem"


def walk_to_consultation(client, login, cast, db, proposal):
    login(cast["officer"])
    assert save(client, proposal, COMPLETE).status_code == 302
    assert move(client, proposal, "submitted", "Ready for review").status_code == 302
    login(cast["facilitator"])
    assert move(client, proposal, "conditions_assessed", "All answered").status_code == 302
    refused = move(client, proposal, "open_policy_discussion", "Start")
    assert "An open policy process must be linked" in refused.get_data(as_text=True)
    process = make_process(db, slug="passported-benefits")
    assert (
        post(client, f"/objectives/proposals/{proposal.id}/process", process_slug="passported-benefits").status_code
        == 302
    )
    assert move(client, proposal, "open_policy_discussion", "Working groups begin").status_code == 302
    for criterion, view in (("purpose", "met"), ("wellbeing", "met"), ("functions", "contested")):
        response = post(
            client,
            f"/objectives/proposals/{proposal.id}/assessments",
            criterion=criterion,
            view=view,
            note=f"Group view on {criterion}",
        )
        assert response.status_code == 302
    assert move(client, proposal, "review_board", "Discussion concluded").status_code == 302
    login(cast["board"])
    early = move(client, proposal, "ministerial_decision", "Go")
    assert "at least one review board member must record" in early.get_data(as_text=True).lower()
    assert (
        post(
            client,
            f"/objectives/proposals/{proposal.id}/recommendation",
            recommendation="proceed",
            reasons="Conditions met with safeguards",
        ).status_code
        == 302
    )
    assert move(client, proposal, "ministerial_decision", "Board recommends proceeding").status_code == 302
    login(cast["officer"])
    assert move(client, proposal, "consultation", "Minister agreed to consult").status_code == 302
    return process


def test_a_proposal_goes_from_draft_to_consultation_with_the_right_people(client, login, cast, db, app):
    proposal = start_draft(client, login, cast, db)
    walk_to_consultation(client, login, cast, db, proposal)
    proposal = reload(db, proposal)
    assert proposal.status == "consultation"
    log = db.scalars(
        sa.select(Transition.to_status).where(Transition.proposal_id == proposal.id).order_by(Transition.id)
    ).all()
    assert [str(s) for s in log] == [
        "submitted",
        "conditions_assessed",
        "open_policy_discussion",
        "review_board",
        "ministerial_decision",
        "consultation",
    ]
    public = app.test_client().get(f"/objectives/proposals/{proposal.id}").get_data(as_text=True)
    assert "Minister agreed to consult" in public, "the audit log is public"
    assert "Conditions met with safeguards" in public, "board views are public after the decision"
    assert "<strong>Proceed</strong>" in public, "each recommendation is shown by its label"
    assert "Contested" in public and "Group view on functions" in public


def test_wrong_role_and_out_of_order_transitions_are_refused(client, login, cast, db):
    proposal = start_draft(client, login, cast, db)
    save(client, proposal, COMPLETE)
    move(client, proposal, "submitted")
    login(cast["officer"])
    assert move(client, proposal, "conditions_assessed").status_code == 403, "a move of another role"
    login(cast["facilitator"])
    assert move(client, proposal, "in_force").status_code == 403, "a move no one may make from here"
    assert move(client, proposal, "no-such-status").status_code == 400
    assert reload(db, proposal).status == "submitted"
    login(cast["participant"])
    assert move(client, proposal, "paused").status_code == 403


def test_consultees_then_response_then_laid_then_in_force(client, login, cast, db):
    proposal = start_draft(client, login, cast, db)
    walk_to_consultation(client, login, cast, db, proposal)
    login(cast["officer"])
    early = move(client, proposal, "response_published", "Done", response_url="https://example.org/response")
    assert "every statutory consultee" in early.get_data(as_text=True).lower()
    for consultee in ("ico", "hmrc", "scottish_ministers", "welsh_ministers", "dof_ni"):
        response = post(
            client,
            f"/objectives/proposals/{proposal.id}/consultees",
            consultee=consultee,
            consulted_on=["3", "2", "2026"],
            reply="No objection",
            replied_on=["1", "3", "2026"],
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
    backwards = post(
        client,
        f"/objectives/proposals/{proposal.id}/consultees",
        consultee="ico",
        consulted_on=["3", "2", "2026"],
        replied_on=["1", "1", "2026"],
    )
    assert "on or after the date consulted" in backwards.get_data(as_text=True)
    assert (
        move(
            client, proposal, "response_published", "Published", response_url="https://example.org/response"
        ).status_code
        == 302
    )
    assert move(client, proposal, "laid", "Draft SI laid").status_code == 302
    no_si = move(client, proposal, "in_force", "Approved")
    assert "statutory instrument number" in no_si.get_data(as_text=True)
    assert (
        move(
            client,
            proposal,
            "in_force",
            "Approved by both Houses",
            si_number="2026/123",
            in_force_on=["1", "4", "2026"],
        ).status_code
        == 302
    )
    proposal = reload(db, proposal)
    assert proposal.status == "in_force" and proposal.si_number == "2026/123"
    assert "SI 2026/123" in client.get(f"/objectives/proposals/{proposal.id}").get_data(as_text=True)
    assert client.get(f"/objectives/proposals/{proposal.id}/edit").status_code == 403, "no edits after in force"


def test_after_submission_every_change_is_a_public_version_with_a_note_and_diffs_render(client, login, cast, db, app):
    proposal = start_draft(client, login, cast, db)
    save(client, proposal, COMPLETE)
    move(client, proposal, "submitted")
    proposal = reload(db, proposal)
    no_note = save(client, proposal, COMPLETE | {"data_items": "Name and address only."})
    assert "Describe what changed" in no_note.get_data(as_text=True)
    revised = COMPLETE | {"data_items": "Name, address and an eligibility flag only (no date of birth)."}
    assert save(client, reload(db, proposal), revised, change_note="Dropped date of birth").status_code == 302
    numbers = db.scalars(sa.select(ProposalVersion.number).where(ProposalVersion.proposal_id == proposal.id)).all()
    assert sorted(numbers) == [1, 2]
    anonymous = app.test_client()
    diff = anonymous.get(f"/objectives/proposals/{proposal.id}/compare?from=1&to=2").get_data(as_text=True)
    assert "<del>" in diff and "<ins>" in diff
    assert "birth" in diff and "Dropped date of birth" in diff
    assert "1 field(s) changed" in diff
    version_one = anonymous.get(f"/objectives/proposals/{proposal.id}/versions/1").get_data(as_text=True)
    assert "date of birth" in version_one
    assert anonymous.get(f"/objectives/proposals/{proposal.id}/versions/9").status_code == 404


def test_diff_escapes_html_in_answers(client, login, cast, db):
    from consult.diffing import word_diff

    old, new = word_diff("<b>safe</b> text", "<script>alert(1)</script> text")
    assert "<script>" not in str(new) and "&lt;script&gt;" in str(new)
    assert "<del>&lt;b&gt;safe&lt;/b&gt;</del>" in str(old)


def test_board_views_are_hidden_until_the_decision(client, login, cast, db, app):
    proposal = start_draft(client, login, cast, db)
    walk_to_consultation(client, login, cast, db, proposal)
    other = start_draft(client, login, cast, db, title="Second")
    save(client, other, COMPLETE | {"title": "Second"})
    move(client, other, "submitted")
    other = reload(db, other)
    other.status = "review_board"
    db.commit()
    login(cast["board"])
    post(client, f"/objectives/proposals/{other.id}/recommendation", recommendation="revise", reasons="Secret reasons")
    assert "Secret reasons" not in app.test_client().get(f"/objectives/proposals/{other.id}").get_data(as_text=True)


def test_index_lists_public_proposals_and_own_drafts(client, login, cast, db):
    draft = start_draft(client, login, cast, db, title="Private idea")
    page = client.get("/objectives/").get_data(as_text=True)
    assert "Private idea" in page and "Your department" in page
    login(cast["participant"])
    assert "Private idea" not in client.get("/objectives/").get_data(as_text=True)
    assert draft.id
