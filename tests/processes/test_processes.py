"""Processes with stages, working groups, joining and membership decisions."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from consult.accounts.models import Role
from consult.processes import services, timeline
from consult.processes.models import Membership, MembershipStatus, Process
from tests.factories import make_group, make_process, post
from tests.refusals import REFUSAL, flushes_then_refuses, left_behind


class Dates:
    def __init__(self, start, end):
        self.starts_on, self.ends_on = start, end


def test_timeline_state_and_current_stage():
    stages = [Dates(date(2027, 1, 1), date(2027, 1, 31)), Dates(date(2027, 3, 1), date(2027, 3, 31))]
    assert timeline.state(stages, date(2026, 12, 31)) == timeline.ProcessState.FORTHCOMING
    assert timeline.state(stages, date(2027, 2, 15)) == timeline.ProcessState.OPEN
    assert timeline.state(stages, date(2027, 4, 1)) == timeline.ProcessState.CLOSED
    assert timeline.state([], date(2027, 1, 1)) == timeline.ProcessState.FORTHCOMING
    assert timeline.current_stage(stages, date(2026, 12, 31)) is None
    assert timeline.current_stage(stages, date(2027, 2, 15)) is stages[0]
    assert timeline.current_stage(stages, date(2027, 3, 1)) is stages[1]
    assert timeline.overlap_problem(date(2027, 1, 31), date(2027, 2, 5), stages)
    assert timeline.overlap_problem(date(2027, 2, 5), date(2027, 2, 1), stages)
    assert timeline.overlap_problem(date(2027, 2, 1), date(2027, 2, 28), stages) is None


def test_facilitator_creates_a_process_and_adds_stages(client, login, make_user, db):
    facilitator = make_user(roles=(Role.FACILITATOR,))
    login(facilitator)
    response = post(
        client,
        "/processes/new",
        title="Water poverty",
        slug="water-poverty",
        summary="Should water companies receive data?",
        principles="",
        objectives_concerned="",
    )
    assert response.status_code == 302
    response = post(
        client,
        "/processes/water-poverty/stages",
        kind="scoping",
        **{"starts_on": ["1", "3", "2027"], "ends_on": ["30", "4", "2027"]},
        description="Agree the questions",
    )
    assert response.status_code == 302
    process = db.scalar(sa.select(Process).where(Process.slug == "water-poverty"))
    assert [stage.kind.value for stage in process.stages] == ["scoping"]
    page = client.get("/processes/water-poverty").get_data(as_text=True)
    assert "1 March 2027 to 30 April 2027" in page
    listing = client.get("/processes/").get_data(as_text=True)
    assert "Forthcoming" in listing and "Water poverty" in listing


def test_overlapping_stage_is_refused_next_to_the_field(client, login, make_user, db):
    facilitator = make_user(roles=(Role.FACILITATOR,))
    process = make_process(db)
    login(facilitator)
    stage = process.stages[0]
    response = post(
        client,
        f"/processes/{process.slug}/stages",
        kind="drafting",
        starts_on=[str(stage.starts_on.day), str(stage.starts_on.month), str(stage.starts_on.year)],
        ends_on=[str(stage.ends_on.day), str(stage.ends_on.month), str(stage.ends_on.year)],
    )
    assert response.status_code == 200
    assert "overlap another stage" in response.get_data(as_text=True)


def test_participants_cannot_create_processes(client, login, make_user):
    login(make_user())
    assert client.get("/processes/new").status_code == 403
    response = post(client, "/processes/new", title="X", slug="x", summary="Y")
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("roles", "verified", "may_create"),
    [
        ((Role.ADMIN,), False, False),  # an unverified admin may not create a process, so sees no button
        ((Role.ADMIN,), True, True),
        ((Role.FACILITATOR,), True, True),
        ((), True, False),
    ],
)
def test_the_start_a_process_button_follows_the_permission(client, login, make_user, roles, verified, may_create):
    login(make_user(roles=roles, verified=verified))
    shows_button = "Start a process" in client.get("/processes/").get_data(as_text=True)
    allowed = client.get("/processes/new").status_code == 200
    assert shows_button == allowed == may_create


def test_duplicate_slug_is_refused(client, login, make_user, db):
    make_process(db, slug="taken")
    login(make_user(roles=(Role.FACILITATOR,)))
    response = post(client, "/processes/new", title="X", slug="taken", summary="Y")
    assert "already uses that web address" in response.get_data(as_text=True)


@pytest.mark.parametrize("slug", ["Has Spaces", "UPPER", "trailing-", "new", "a--b"])
def test_bad_slugs_are_refused(client, login, make_user, slug):
    login(make_user(roles=(Role.FACILITATOR,)))
    response = post(client, "/processes/new", title="X", slug=slug, summary="Y")
    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)


def test_verified_user_joins_open_group_and_is_listed_with_organisation(client, login, make_user, db):
    process = make_process(db)
    group = make_group(db, process)
    person = make_user()
    login(person)
    response = post(client, f"/processes/{process.slug}/groups/{group.slug}/join", declared_interests="Funded by X")
    assert response.status_code == 302
    page = client.get(f"/processes/{process.slug}/groups/{group.slug}").get_data(as_text=True)
    assert person.display_name in page and "Funded by X" in page
    again = post(client, f"/processes/{process.slug}/groups/{group.slug}/join")
    assert again.status_code == 302
    count = db.scalar(sa.select(sa.func.count()).select_from(Membership).where(Membership.group_id == group.id))
    assert count == 1, "joining twice changes nothing"


def test_unverified_user_cannot_join(client, login, make_user, db):
    process = make_process(db)
    group = make_group(db, process)
    login(make_user(verified=False))
    assert post(client, f"/processes/{process.slug}/groups/{group.slug}/join").status_code == 403


def test_cannot_join_a_group_of_a_closed_process(client, login, make_user, db):
    process = make_process(db, state="closed")
    group = make_group(db, process)
    login(make_user())
    assert post(client, f"/processes/{process.slug}/groups/{group.slug}/join").status_code == 403


def test_request_to_join_needs_a_facilitator(client, app, login, make_user, db):
    process = make_process(db)
    facilitator = make_user()
    group = make_group(db, process, join_policy="request", facilitators=[facilitator])
    person = make_user()
    login(person)
    post(client, f"/processes/{process.slug}/groups/{group.slug}/join")
    membership = db.scalar(sa.select(Membership).where(Membership.user_id == person.id))
    assert membership.status == MembershipStatus.PENDING
    decide = f"/processes/{process.slug}/groups/{group.slug}/members/{membership.id}"
    assert post(client, decide, decision="approve").status_code == 403, "a pending member cannot let themselves in"
    login(facilitator)
    assert post(client, decide, decision="approve").status_code == 302
    db.expire_all()
    assert db.get(Membership, membership.id).status == MembershipStatus.MEMBER


def test_process_and_group_pages_are_public(client, db, make_user):
    process = make_process(db)
    group = make_group(db, process, members=[make_user()])
    assert client.get(f"/processes/{process.slug}").status_code == 200
    assert client.get(f"/processes/{process.slug}/groups/{group.slug}").status_code == 200
    assert client.get(f"/processes/{process.slug}/groups/nope").status_code == 404
    assert client.get("/processes/nope").status_code == 404


def test_group_page_queries_do_not_grow_with_members(client, db, make_user, query_counter):
    process = make_process(db)
    group = make_group(db, process, members=[make_user() for _ in range(2)])
    with query_counter() as few:
        client.get(f"/processes/{process.slug}/groups/{group.slug}")
    big = make_group(db, process, members=[make_user() for _ in range(25)])
    with query_counter() as many:
        client.get(f"/processes/{process.slug}/groups/{big.slug}")
    assert len(many) == len(few)


def test_process_list_queries_do_not_grow_with_processes(client, db, query_counter):
    make_process(db)
    with query_counter() as few:
        client.get("/processes/")
    for state in ("open", "closed", "forthcoming") * 5:
        make_process(db, state=state)
    with query_counter() as many:
        client.get("/processes/")
    assert len(many) == len(few)


@pytest.mark.parametrize("parts", [["1", "3"], ["1", "3", "2027", "9"], []])
def test_date_fields_with_the_wrong_number_of_parts_get_a_message_not_an_error(client, login, make_user, db, parts):
    process = make_process(db)
    login(make_user(roles=(Role.FACILITATOR,)))
    response = post(
        client, f"/processes/{process.slug}/stages", kind="drafting", starts_on=parts, ends_on=["30", "4", "2027"]
    )
    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)


def test_a_refused_new_process_leaves_nothing_behind(client, app, login, make_user, db, monkeypatch):
    monkeypatch.setattr(services, "create_process", flushes_then_refuses(db, "slug"))
    login(make_user(roles=(Role.FACILITATOR,)))
    with left_behind(app, db) as counts:
        response = post(client, "/processes/new", title="X", slug="x", summary="Y")
    assert response.status_code == 200 and REFUSAL in response.get_data(as_text=True)
    assert counts[-1] == 0


def test_a_refused_join_is_flashed_and_leaves_nothing_behind(client, app, login, make_user, db, monkeypatch):
    process = make_process(db)
    group = make_group(db, process)
    monkeypatch.setattr(services, "join_group", flushes_then_refuses(db))
    login(make_user())
    with left_behind(app, db) as counts:
        response = post(client, f"/processes/{process.slug}/groups/{group.slug}/join")
    assert response.status_code == 302 and counts[-1] == 0
    assert REFUSAL in client.get(response.location).get_data(as_text=True)


def test_a_membership_decision_other_than_approve_or_reject_is_a_bad_request(client, login, make_user, db):
    process = make_process(db)
    facilitator = make_user()
    group = make_group(db, process, join_policy="request", facilitators=[facilitator])
    person = make_user()
    login(person)
    post(client, f"/processes/{process.slug}/groups/{group.slug}/join")
    membership = db.scalar(sa.select(Membership).where(Membership.user_id == person.id))
    login(facilitator)
    decide = f"/processes/{process.slug}/groups/{group.slug}/members/{membership.id}"
    assert post(client, decide, decision="maybe").status_code == 400
    assert post(client, decide).status_code == 400
    db.expire_all()
    assert db.get(Membership, membership.id).status == MembershipStatus.PENDING
