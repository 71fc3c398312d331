"""Registration, email verification and the 'unverified users can read but not post' rule."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from consult.accounts import permissions, services
from consult.accounts.models import ClaimStatus, Organisation, Sector, User
from tests.factories import PASSWORD, csrf_from, reload
from tests.refusals import REFUSAL, flushes_then_refuses, left_behind

LINK = re.compile(r"https?://[^/\s]+(/account/[^\s]+)")  # on SITE_URL, see test_email_links


def register(client, **fields):
    page = client.get("/account/register")
    data = {
        "csrf_token": csrf_from(page.get_data(as_text=True)),
        "email": "new.person@example.org",
        "display_name": "New Person",
        "sector": "civil_society",
        "organisation": "",
        "password": PASSWORD,
    } | fields
    return client.post("/account/register", data=data)


def link_in(message) -> str:
    match = LINK.search(message.get_content())
    assert match, message.get_content()
    return match.group(1)


def test_registration_creates_unverified_account_and_sends_link(client, db, outbox):
    response = register(client, email="  New.Person@Example.org ")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/check-your-email")
    user = db.scalar(sa.select(User).where(User.email == "new.person@example.org"))
    assert user is not None and not user.is_verified
    assert user.password_hash.startswith("$argon2id$")
    (message,) = outbox()
    assert message["To"] == "new.person@example.org"
    assert "/account/verify/" in link_in(message)


def test_verification_link_confirms_on_post_only_and_works_once(client, db, outbox):
    register(client)
    path = link_in(outbox()[0])
    page = client.get(path)
    assert page.status_code == 200
    user = db.scalar(sa.select(User).where(User.email == "new.person@example.org"))
    assert not user.is_verified, "a GET (for example a mail scanner) must not verify"
    response = client.post(path, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 302
    user = reload(db, user)
    assert user.is_verified
    again = client.post(path, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert again.status_code == 400
    assert "This link does not work" in again.get_data(as_text=True)


def test_tampered_verification_link_is_refused_with_a_way_forward(client, outbox):
    register(client)
    path = link_in(outbox()[0])
    page = client.get(path)
    response = client.post(path[:-3] + "abc", data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "This link does not work" in body
    assert "new link" in body


def test_expired_verification_link_says_it_expired(client, app, outbox):
    register(client)
    path = link_in(outbox()[0])
    app.config["VERIFY_TOKEN_MAX_AGE"] = -1
    page = client.get(path)
    response = client.post(path, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 400
    assert "This link has expired" in response.get_data(as_text=True)


def test_duplicate_email_gives_same_page_and_mails_the_owner(client, make_user, outbox, db):
    existing = make_user(email="taken@example.org")
    response = register(client, email="TAKEN@example.org")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/check-your-email")
    assert db.scalar(sa.select(sa.func.count()).select_from(User).where(User.email == "taken@example.org")) == 1
    (message,) = outbox()
    assert message["To"] == existing.email
    assert "already has an account" in message.get_content()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "", "Enter your email address"),
        ("email", "not-an-email", "Enter an email address in the correct format"),
        ("email", "a" * 250 + "@example.org", "254 characters or fewer"),
        ("display_name", "", "Enter a display name"),
        ("display_name", "x" * 81, "80 characters or fewer"),
        ("organisation", "o" * 201, "200 characters or fewer"),
        ("sector", "", "Select the sector you are part of"),
        ("sector", "aliens", "Not a valid choice"),
        ("password", "elevenchars", "12 characters or more"),
        ("password", "p" * 129, "128 characters or fewer"),
        ("password", "Password1234", "too common"),
        ("password", "new.person@example.org", "must not be your email address"),
    ],
)
def test_bad_registration_input_is_shown_next_to_the_field_and_kept(client, db, field, value, message):
    response = register(client, **{field: value})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "There is a problem" in body
    assert message in body
    assert 'class="govuk-error-message"' in body
    if field != "password" and field != "email":
        assert 'value="new.person@example.org"' in body, "what was typed is kept"
    assert db.scalar(sa.select(sa.func.count()).select_from(User)) == 0


@pytest.mark.parametrize("length", [12, 64, 128])
def test_long_passwords_are_accepted(client, db, length):
    response = register(client, password="w" * (length - 4) + "ords")
    assert response.status_code == 302


def test_registration_claims_a_new_organisation_for_admin_approval(client, db):
    register(client, organisation="  Water   Watch  ", sector="civil_society")
    user = db.scalar(sa.select(User).where(User.email == "new.person@example.org"))
    assert user.organisation is None
    claim = user.pending_claim
    assert claim is not None and claim.status == ClaimStatus.PENDING
    assert claim.organisation.name == "Water Watch"
    assert claim.organisation.sector == Sector.CIVIL_SOCIETY
    assert not claim.organisation.approved


def test_registration_reuses_an_existing_organisation_case_insensitively(client, db):
    db.add(Organisation(name="Involve", sector=Sector.CIVIL_SOCIETY, approved=True))
    db.commit()
    register(client, organisation="involve")
    assert db.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 1


def test_unverified_user_can_read_but_not_post(make_user):
    unverified = make_user(verified=False)
    verified = make_user()
    assert not permissions.can_post(unverified)
    assert permissions.can_post(verified)
    assert not permissions.can_post(None)


def test_unverified_user_can_read_pages_and_ask_for_a_new_link(client, make_user, login, outbox):
    user = make_user(verified=False)
    login(user)
    profile = client.get("/account/")
    assert "Confirm your email address to take part" in profile.get_data(as_text=True)
    response = client.post(
        "/account/resend-verification", data={"csrf_token": csrf_from(profile.get_data(as_text=True))}
    )
    assert response.status_code == 302
    assert outbox()[0]["To"] == user.email


def test_verification_mail_is_limited_per_address(client, make_user, login, outbox, app):
    user = make_user(verified=False)
    login(user)
    token = csrf_from(client.get("/account/").get_data(as_text=True))
    for _ in range(app.config["MAILS_PER_ADDRESS_PER_HOUR"] + 2):
        client.post("/account/resend-verification", data={"csrf_token": token})
    assert len(outbox()) == app.config["MAILS_PER_ADDRESS_PER_HOUR"]


def test_registering_a_taken_address_does_the_same_work_as_a_new_one(client, make_user, outbox, monkeypatch):
    """The page is the same either way; hashing (the slow part) and mailing must be too, or timing tells."""
    from consult.accounts import services

    calls: list[str] = []
    real_hash = services.hash_password
    monkeypatch.setattr(services, "hash_password", lambda password: calls.append(password) or real_hash(password))
    taken = make_user()

    work = []
    for email in ("brand.new@example.org", taken.email):
        calls.clear()
        mails_before = len(outbox())
        response = register(client, email=email)
        work.append((response.status_code, response.headers["Location"], len(calls), len(outbox()) - mails_before))

    new, existing = work
    assert new == existing
    assert new[2:] == (1, 1), "one password hash and one mail each time"


def test_a_refused_registration_is_shown_on_its_form_and_leaves_nothing_behind(client, app, db, outbox, monkeypatch):
    monkeypatch.setattr(services, "register", flushes_then_refuses(db, "email"))
    with left_behind(app, db) as counts:
        response = register(client, display_name="Kept Name")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and REFUSAL in page and "Kept Name" in page
    assert counts[-1] == 0
    assert outbox() == []
