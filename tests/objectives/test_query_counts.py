"""Objective pages load departments, actors and board members in their own queries, however many there are."""

from __future__ import annotations

from consult.accounts.models import Role, Sector
from consult.db import utcnow
from consult.objectives.lifecycle import Status
from consult.objectives.models import BoardRecommendation, Proposal, Recommendation, Transition
from tests.factories import count_queries_of, make_organisation, make_process


def submit_proposal(db, n: int, **overrides) -> Proposal:
    """A public proposal from a department of its own."""
    department = make_organisation(db, name=f"Department {n}", sector=Sector.GOVERNMENT_DEPARTMENT)
    values = {"answers": {"title": f"Proposal {n}"}, "submitted_at": utcnow(), "status": Status.SUBMITTED}
    proposal = Proposal(department_id=department.id, **(values | overrides))
    db.add(proposal)
    db.commit()
    return proposal


def test_objectives_index_query_count_does_not_grow_with_proposals_of_many_departments(client, db, query_counter):
    submit_proposal(db, 0)
    few = count_queries_of(client, query_counter, "/objectives/")
    for n in range(1, 20):
        submit_proposal(db, n)
    many = count_queries_of(client, query_counter, "/objectives/")
    assert many == few
    assert "Department 19" in client.get("/objectives/").get_data(as_text=True)


def test_process_page_query_count_does_not_grow_with_proposals_of_many_departments(client, db, query_counter):
    process = make_process(db)
    submit_proposal(db, 0, process_id=process.id)
    url = f"/processes/{process.slug}"
    few = count_queries_of(client, query_counter, url)
    for n in range(1, 20):
        submit_proposal(db, n, process_id=process.id)
    many = count_queries_of(client, query_counter, url)
    assert many == few
    assert "Department 19" in client.get(url).get_data(as_text=True)


def test_proposal_page_query_count_does_not_grow_with_transitions_and_recommendations_by_many_people(
    client, db, make_user, query_counter
):
    proposal = submit_proposal(db, 0, status=Status.CONSULTATION)

    def record(n: int) -> None:
        actor = make_user(roles=(Role.FACILITATOR,), display_name=f"Mover {n}")
        member = make_user(roles=(Role.REVIEW_BOARD,), display_name=f"Board member {n}")
        db.add(
            Transition(
                proposal_id=proposal.id,
                from_status=Status.SUBMITTED,
                to_status=Status.CONDITIONS_ASSESSED,
                actor_id=actor.id,
                reason=f"Step {n}",
            )
        )
        db.add(
            BoardRecommendation(
                proposal_id=proposal.id, member_id=member.id, recommendation=Recommendation.PROCEED, reasons=f"Why {n}"
            )
        )
        db.commit()

    record(0)
    url = f"/objectives/proposals/{proposal.id}"
    few = count_queries_of(client, query_counter, url)
    for n in range(1, 20):
        record(n)
    many = count_queries_of(client, query_counter, url)
    assert many == few
    page = client.get(url).get_data(as_text=True)
    assert "Mover 19" in page and "Board member 19" in page
