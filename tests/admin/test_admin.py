"""Admins give and remove roles, approve organisation claims, disable accounts; nobody else can."""

from __future__ import annotations

import re

import pytest

from consult.accounts import services
from consult.accounts.models import ClaimStatus, OrganisationClaim, Role, Sector
from consult.errors import PermissionDenied, ValidationError
from tests.factories import csrf_from, make_organisation, post, reload
from tests.refusals import REFUSAL, flushes_then_refuses, left_behind


@pytest.fixture
def admin(make_user):
    return make_user(roles=(Role.ADMIN,))


def test_admin_gives_facilitator_role_and_the_users_sessions_restart(client, login, admin, make_user, db):
    person = make_user()
    generation = person.session_generation
    login(admin)
    response = post(client, f"/admin/users/{person.id}", role="facilitator", action="grant")
    assert response.status_code == 302
    person = reload(db, person)
    assert person.has_role(Role.FACILITATOR)
    assert person.session_generation == generation + 1
    assert person.role_grants[0].granted_by_id == admin.id


def test_department_officer_needs_a_government_department(client, login, admin, make_user, db):
    charity = make_organisation(db, sector=Sector.CIVIL_SOCIETY)
    person = make_user(organisation=charity)
    login(admin)
    response = post(client, f"/admin/users/{person.id}", role="department_officer", action="grant")
    assert response.status_code == 200
    assert "must belong to an approved government department" in response.get_data(as_text=True)
    assert not reload(db, person).has_role(Role.DEPARTMENT_OFFICER)

    department = make_organisation(db, sector=Sector.GOVERNMENT_DEPARTMENT)
    officer = make_user(organisation=department, sector=Sector.GOVERNMENT_DEPARTMENT)
    assert post(client, f"/admin/users/{officer.id}", role="department_officer", action="grant").status_code == 302
    assert reload(db, officer).has_role(Role.DEPARTMENT_OFFICER)


def test_roles_need_a_verified_email(app, db, admin, make_user):
    person = make_user(verified=False)
    with app.app_context(), pytest.raises(ValidationError, match="verify"):
        services.grant_role(db, person, Role.FACILITATOR, actor=admin)


def test_service_refuses_role_changes_by_non_admins(app, db, make_user):
    actor = make_user(roles=(Role.FACILITATOR,))
    person = make_user()
    with app.app_context():
        with pytest.raises(PermissionDenied):
            services.grant_role(db, person, Role.FACILITATOR, actor=actor)
        with pytest.raises(PermissionDenied):
            services.revoke_role(db, person, Role.FACILITATOR, actor=actor)


def test_admin_cannot_remove_own_admin_role(client, login, admin, db):
    login(admin)
    response = post(client, f"/admin/users/{admin.id}", role="admin", action="revoke")
    assert "cannot remove your own administrator role" in response.get_data(as_text=True)
    assert reload(db, admin).has_role(Role.ADMIN)


def test_approving_a_claim_sets_the_organisation(client, login, admin, make_user, db):
    department = make_organisation(db, sector=Sector.GOVERNMENT_DEPARTMENT, approved=False)
    person = make_user()
    claim = OrganisationClaim(user=person, organisation=department)
    db.add(claim)
    db.commit()
    login(admin)
    page = client.get("/admin/claims")
    assert department.name in page.get_data(as_text=True)
    response = post(client, f"/admin/claims/{claim.id}", decision="approve")
    assert response.status_code == 302
    claim = reload(db, claim)
    assert claim.status == ClaimStatus.APPROVED
    assert claim.decided_by_id == admin.id
    assert reload(db, person).organisation_id == department.id
    assert claim.organisation.approved
    again = post(client, f"/admin/claims/{claim.id}", decision="reject")
    assert again.status_code == 403, "a decided claim cannot be decided again"


def test_rejecting_a_claim_leaves_the_user_without_organisation(client, login, admin, make_user, db):
    organisation = make_organisation(db)
    person = make_user()
    claim = OrganisationClaim(user=person, organisation=organisation)
    db.add(claim)
    db.commit()
    login(admin)
    post(client, f"/admin/claims/{claim.id}", decision="reject")
    assert reload(db, claim).status == ClaimStatus.REJECTED
    assert reload(db, person).organisation_id is None


def test_disabled_user_is_signed_out_and_cannot_sign_in(client, app, login, admin, make_user, db):
    person = make_user()
    other = app.test_client()
    page = other.get("/account/sign-in")
    other.post(
        "/account/sign-in",
        data={
            "csrf_token": csrf_from(page.get_data(as_text=True)),
            "email": person.email,
            "password": "correct horse battery",
        },
    )
    assert other.get("/account/").status_code == 200
    login(admin)
    post(client, f"/admin/users/{person.id}/disabled", disabled="yes")
    assert reload(db, person).disabled
    assert other.get("/account/").status_code == 302


def test_user_list_paginates_and_searches(client, login, admin, make_user):
    for n in range(3):
        make_user(display_name=f"Findable {n}")
    login(admin)
    body = client.get("/admin/users?q=findable").get_data(as_text=True)
    assert body.count("Findable ") == 3
    assert client.get("/admin/users?page=abc").status_code == 200
    assert client.get("/admin/users?page=-5").status_code == 200


def test_user_list_query_count_does_not_grow_with_users(client, login, admin, make_user, query_counter):
    login(admin)
    make_user()
    with query_counter() as few:
        client.get("/admin/users")
    for _ in range(20):
        make_user(roles=(Role.FACILITATOR,), organisation=None)
    with query_counter() as many:
        client.get("/admin/users")
    assert len(many) == len(few), many


def test_outbox_is_for_admins_and_lists_mail(client, login, admin, make_user, outbox):
    person = make_user()
    login(person)
    assert client.get("/admin/outbox").status_code == 403
    login(admin)
    page = client.get("/account/reset-password")
    client.post(
        "/account/reset-password", data={"csrf_token": csrf_from(page.get_data(as_text=True)), "email": person.email}
    )
    body = client.get("/admin/outbox").get_data(as_text=True)
    assert "Reset your consult password" in body
    assert re.search(r'<a class="govuk-link" href="http://[^"]+/account/reset-password/[^"]+">', body), "links click"


def test_outbox_is_not_served_in_production(app, admin):
    from consult.accounts.permissions import can_view_outbox

    assert can_view_outbox(admin, "development")
    assert not can_view_outbox(admin, "production")


def test_a_refused_role_change_is_shown_on_its_form_and_leaves_nothing_behind(
    client, app, login, admin, make_user, db, monkeypatch
):
    person = make_user()
    monkeypatch.setattr(services, "grant_role", flushes_then_refuses(db, "role"))
    login(admin)
    with left_behind(app, db) as counts:
        response = post(client, f"/admin/users/{person.id}", role=Role.FACILITATOR.value, action="grant")
    assert response.status_code == 200 and REFUSAL in response.get_data(as_text=True)
    assert counts[-1] == 0


def test_a_refused_disable_is_flashed_and_leaves_nothing_behind(client, app, login, admin, make_user, db, monkeypatch):
    person = make_user()
    monkeypatch.setattr(services, "set_disabled", flushes_then_refuses(db))
    login(admin)
    with left_behind(app, db) as counts:
        response = post(client, f"/admin/users/{person.id}/disabled", disabled="yes")
    assert response.status_code == 302 and counts[-1] == 0
    assert REFUSAL in client.get(response.location).get_data(as_text=True)
    assert not reload(db, person).disabled
