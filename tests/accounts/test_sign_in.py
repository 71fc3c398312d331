"""Signing in and out, password reset and change, email change, profile."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from consult.accounts.models import ClaimStatus, Organisation, OrganisationClaim, User
from tests.factories import PASSWORD, csrf_from, make_organisation, reload

LINK = re.compile(r"https?://[^/\s]+(/account/[^\s]+)")  # on SITE_URL, see test_email_links
NEW_PASSWORD = "a new long passphrase"


def post_form(client, path, **data):
    page = client.get(path)
    return client.post(path, data={"csrf_token": csrf_from(page.get_data(as_text=True)), **data})


def test_sign_in_with_correct_password_lands_on_the_start_page(client, make_user):
    user = make_user()
    response = post_form(client, "/account/sign-in", email=user.email.upper(), password=PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/me"
    assert "Your consult" in client.get("/me").get_data(as_text=True)
    assert user.display_name in client.get("/account/").get_data(as_text=True)


def test_password_is_checked_exactly_as_typed(client, make_user):
    user = make_user()
    for wrong in (PASSWORD[:-1], PASSWORD.upper(), PASSWORD + " ", " " + PASSWORD):
        response = post_form(client, "/account/sign-in", email=user.email, password=wrong)
        assert response.status_code == 200
        assert "Enter a correct email address and password" in response.get_data(as_text=True)


def test_unknown_email_and_wrong_password_get_the_same_answer(client, make_user):
    user = make_user()
    unknown = post_form(client, "/account/sign-in", email="nobody@example.org", password=PASSWORD)
    wrong = post_form(client, "/account/sign-in", email=user.email, password="wrong password here")
    assert unknown.status_code == wrong.status_code == 200
    strip = re.compile(r'value="[^"]*"')
    assert strip.sub("", unknown.get_data(as_text=True)) == strip.sub("", wrong.get_data(as_text=True))


def test_disabled_user_cannot_sign_in(client, make_user):
    user = make_user(disabled=True)
    response = post_form(client, "/account/sign-in", email=user.email, password=PASSWORD)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.get_data(as_text=True)


def test_account_pages_need_sign_in(client):
    for path in ("/account/", "/account/edit", "/account/password", "/account/email"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/account/sign-in" in response.headers["Location"]


def test_sign_out_ends_the_session(client, make_user, login):
    login(make_user())
    token = csrf_from(client.get("/account/").get_data(as_text=True))
    client.post("/account/sign-out", data={"csrf_token": token})
    assert client.get("/account/").status_code == 302


def test_password_reset_flow_sets_new_password_and_link_works_once(client, make_user, outbox, db):
    user = make_user()
    response = post_form(client, "/account/reset-password", email=user.email)
    assert response.status_code == 302
    path = LINK.search(outbox()[0].get_content()).group(1)
    response = post_form(client, path, password=NEW_PASSWORD)
    assert response.status_code == 302
    assert post_form(client, "/account/sign-in", email=user.email, password=NEW_PASSWORD).status_code == 302
    assert client.get(path).status_code == 400, "a used reset link is refused"


def test_reset_request_does_not_reveal_whether_an_account_exists(client, make_user, outbox):
    user = make_user()
    known = post_form(client, "/account/reset-password", email=user.email)
    unknown = post_form(client, "/account/reset-password", email="nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert [message["To"] for message in outbox()] == [user.email]


def test_reset_with_a_weak_password_keeps_the_link_usable(client, make_user, outbox):
    user = make_user()
    post_form(client, "/account/reset-password", email=user.email)
    path = LINK.search(outbox()[0].get_content()).group(1)
    response = post_form(client, path, password="short")
    assert response.status_code == 200
    assert "12 characters or more" in response.get_data(as_text=True)
    assert post_form(client, path, password=NEW_PASSWORD).status_code == 302


def test_change_password_needs_the_current_one(client, make_user, login):
    user = make_user()
    login(user)
    wrong = post_form(client, "/account/password", current_password="not it at all", new_password=NEW_PASSWORD)
    assert "Your current password is not correct" in wrong.get_data(as_text=True)
    right = post_form(client, "/account/password", current_password=PASSWORD, new_password=NEW_PASSWORD)
    assert right.status_code == 302
    assert client.get("/account/").status_code == 200, "this session continues"


def test_change_email_is_confirmed_from_the_new_address(client, make_user, login, outbox, db):
    user = make_user()
    login(user)
    wrong = post_form(client, "/account/email", email="new@example.org", password="wrong password")
    assert "Your password is not correct" in wrong.get_data(as_text=True)
    response = post_form(client, "/account/email", email="New@Example.org", password=PASSWORD)
    assert response.status_code == 302
    (message,) = outbox()
    assert message["To"] == "new@example.org"
    path = LINK.search(message.get_content()).group(1)
    user = reload(db, user)
    assert user.email != "new@example.org"
    post_form(client, path)
    user = reload(db, user)
    assert user.email == "new@example.org"
    assert user.pending_email is None


def test_change_email_to_a_taken_address_changes_nothing(client, make_user, login, outbox, db):
    user = make_user()
    other = make_user()
    login(user)
    post_form(client, "/account/email", email=other.email, password=PASSWORD)
    (message,) = outbox()
    assert message["To"] == other.email
    assert "Nothing has changed" in message.get_content()
    user = reload(db, user)
    assert user.email != other.email


def test_profile_edit_keeps_input_on_error_and_saves_when_valid(client, make_user, login, db):
    user = make_user()
    login(user)
    bad = post_form(client, "/account/edit", display_name="", sector="academic", organisation="Uni")
    assert "Enter a display name" in bad.get_data(as_text=True)
    assert 'value="Uni"' in bad.get_data(as_text=True)
    good = post_form(client, "/account/edit", display_name="Renamed", sector="academic", organisation="")
    assert good.status_code == 302
    user = reload(db, user)
    assert user.display_name == "Renamed"
    assert user.sector.value == "academic"


def test_registered_users_count_unchanged_by_failed_sign_in(client, db):
    post_form(client, "/account/sign-in", email="ghost@example.org", password="whatever password")
    assert db.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def saved_as_shown(client, path):
    """Submit a form exactly as the page filled it in, as someone pressing Save without typing would."""
    page = client.get(path).get_data(as_text=True)
    data = {"csrf_token": csrf_from(page)}
    for tag in re.findall(r"<input[^>]*>", page):
        name, value = re.search(r'name="([^"]*)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and name.group(1) != "csrf_token" and 'type="radio"' not in tag:
            data[name.group(1)] = html.unescape(value.group(1)) if value else ""
        elif name and 'type="radio"' in tag and "checked" in tag:
            data[name.group(1)] = value.group(1)
    return page, client.post(path, data=data)


@pytest.mark.parametrize("claim", [ClaimStatus.APPROVED, ClaimStatus.PENDING])
def test_profile_shows_the_organisation_name_and_saving_unchanged_claims_nothing(client, make_user, login, db, claim):
    organisation = make_organisation(db, name="Open Rights Group", approved=claim == ClaimStatus.APPROVED)
    user = make_user(organisation_id=organisation.id if claim == ClaimStatus.APPROVED else None)
    if claim == ClaimStatus.PENDING:
        db.add(OrganisationClaim(user_id=user.id, organisation_id=organisation.id))
        db.commit()
    login(user)
    count = lambda model: db.scalar(sa.select(sa.func.count()).select_from(model))  # noqa: E731
    before = (count(Organisation), count(OrganisationClaim))

    page, response = saved_as_shown(client, "/account/edit")

    assert 'value="Open Rights Group"' in page
    assert "object at 0x" not in page
    assert response.status_code == 302
    assert (count(Organisation), count(OrganisationClaim)) == before
    user = reload(db, user)
    assert [c.status for c in user.claims] == ([ClaimStatus.PENDING] if claim == ClaimStatus.PENDING else [])
