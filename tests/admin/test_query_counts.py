"""The admin lists load each row's organisation in their own query, however many rows there are."""

from __future__ import annotations

import pytest

from consult.accounts.models import OrganisationClaim, Role
from tests.factories import count_queries_of, make_organisation


@pytest.fixture
def admin(make_user):
    return make_user(roles=(Role.ADMIN,))


def test_user_list_query_count_does_not_grow_with_users_of_different_organisations(
    client, login, admin, make_user, db, query_counter
):
    login(admin)
    make_user(organisation=make_organisation(db))
    few = count_queries_of(client, query_counter, "/admin/users")
    for _ in range(20):
        make_user(organisation=make_organisation(db))
    many = count_queries_of(client, query_counter, "/admin/users")
    assert many == few


def test_claim_list_query_count_does_not_grow_with_claims(client, login, admin, make_user, db, query_counter):
    def claim() -> None:
        db.add(OrganisationClaim(user=make_user(), organisation=make_organisation(db, approved=False)))
        db.commit()

    login(admin)
    claim()
    few = count_queries_of(client, query_counter, "/admin/claims")
    for _ in range(20):
        claim()
    many = count_queries_of(client, query_counter, "/admin/claims")
    assert many == few
