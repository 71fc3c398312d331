"""Security requirements of SECURITY.md (§1 checklist, §3-4 stack notes, §7 test plan), checked over HTTP."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
import sqlalchemy as sa
from markupsafe import escape

from consult import create_app
from consult.accounts.models import OrganisationClaim, Role, User
from consult.config import defaults
from consult.db import Base
from consult.security import hash_password, verify_password
from tests.conftest import CheckedClient
from tests.factories import PASSWORD, csrf_from, make_organisation

UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
SIGN_IN = "/account/sign-in"
PATH_VARIABLE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
NEW_PASSWORD = "a completely different passphrase"


def _route_table() -> list[tuple[str, str, frozenset[str]]]:
    """(rule, endpoint, methods) of the real app, read once so each route is its own test."""
    app = create_app({"ENV": "testing", "DATABASE_URL": "sqlite://", "RATELIMIT_ENABLED": False})
    return [(rule.rule, rule.endpoint, frozenset(rule.methods or ())) for rule in app.url_map.iter_rules()]


ROUTES = _route_table()
UNSAFE_ROUTES = [
    (rule, endpoint, method) for rule, endpoint, methods in ROUTES for method in UNSAFE_METHODS if method in methods
]
ADMIN_ROUTES = [
    (rule, endpoint, method)
    for rule, endpoint, methods in ROUTES
    if rule.startswith("/admin")
    for method in ("GET", "POST")
    if method in methods
]


# Helpers ------------------------------------------------------------------------------------


def sign_in(client, email: str, password: str = PASSWORD, *, remember: bool = False, next_url=None, environ_base=None):
    """Sign in through the real form; returns the response to the POST."""
    page = client.get(SIGN_IN)
    data = {"csrf_token": csrf_from(page.get_data(as_text=True)), "email": email, "password": password}
    if remember:
        data["remember"] = "y"
    extra = {"environ_base": environ_base} if environ_base else {}
    query = {"next": next_url} if next_url is not None else None
    return client.post(SIGN_IN, data=data, query_string=query, **extra)


def token_from(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return csrf_from(response.get_data(as_text=True))


def fill_path(rule: str, ids: dict[str, int]) -> str:
    """A URL for a rule: integer variables from ids (1 when absent), any other variable "x"."""

    def value(match: re.Match) -> str:
        converter, name = match.group(1), match.group(2)
        return str(ids.get(name, 1)) if converter == "int" else "x"

    return PATH_VARIABLE.sub(value, rule)


def is_sign_in_redirect(response) -> bool:
    return response.status_code in (302, 303) and urlsplit(response.headers["Location"]).path == SIGN_IN


def cookie_value(client, name: str) -> str:
    cookie = client.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    return cookie.value


def client_with_cookie(app, name: str, value: str):
    other = app.test_client()
    other.set_cookie(name, value)
    return other


def set_cookie_header(response, name: str) -> dict[str, str]:
    """The attributes of the Set-Cookie header for one cookie, names lower-cased."""
    for header in response.headers.getlist("Set-Cookie"):
        cookie_name, _, rest = header.partition("=")
        if cookie_name == name:
            value, *attributes = rest.split(";")
            parsed = {"value": value}
            for attribute in attributes:
                key, _, attribute_value = attribute.strip().partition("=")
                parsed[key.lower()] = attribute_value
            return parsed
    raise AssertionError(f"no Set-Cookie for {name}: {response.headers.getlist('Set-Cookie')}")


def fresh_user(db, user: User) -> User:
    db.expire_all()
    return db.get(User, user.id)


def user_state(db, user: User) -> dict:
    current = fresh_user(db, user)
    return {
        "email": current.email,
        "pending_email": current.pending_email,
        "display_name": current.display_name,
        "sector": current.sector,
        "password_hash": current.password_hash,
        "session_generation": current.session_generation,
        "token_nonce": current.token_nonce,
        "disabled": current.disabled,
        "email_verified_at": current.email_verified_at,
        "roles": current.roles,
        "claims": [(claim.organisation_id, claim.status) for claim in current.claims],
    }


def database_snapshot(db) -> dict[str, list[tuple]]:
    """Every row of every table the models define, to prove a request changed nothing at all."""
    db.expire_all()
    existing = set(sa.inspect(db.connection()).get_table_names())
    return {
        table.name: [tuple(row) for row in db.execute(sa.select(table).order_by(*table.primary_key.columns))]
        for table in Base.metadata.sorted_tables
        if table.name in existing
    }


class Page(HTMLParser):
    """Tags of a page, to look for script elements and event handlers a payload might have created."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.script_text: list[str] = []
        self._in_script = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_text.append(data)

    def input_value(self, name: str) -> str | None:
        for tag, attrs in self.tags:
            if tag == "input" and attrs.get("name") == name:
                return attrs.get("value")
        return None


def assert_only_escaped(html: str, payload: str) -> None:
    assert payload not in html, f"raw payload {payload!r} in the page"
    assert str(escape(payload)) in html, f"escaped payload {payload!r} not shown"
    page = Page(html)
    assert not any("alert(1)" in text for text in page.script_text)
    for tag, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not (tag == "img" and attrs.get("src") == "x"), "the img payload became an element"


# Fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def build_app(app_config, db):
    """Build a separate app on the test transaction with some settings changed."""

    def build(**overrides):
        app = create_app({**app_config, "SESSION_FACTORY": lambda write: db, **overrides})
        app.test_client_class = CheckedClient
        return app

    return build


@pytest.fixture
def admin(make_user):
    return make_user(roles=(Role.ADMIN,))


@pytest.fixture
def participant(make_user):
    return make_user()


# Response headers (ASVS 3.4.x, 14.3.2) ------------------------------------------------------------


def assert_security_headers(response) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for directive in csp.split(";"):
        name, *values = directive.split()
        directives[name] = values
    assert directives.get("default-src") == ["'self'"], csp
    assert directives.get("object-src") == ["'none'"], csp
    assert directives.get("base-uri") == ["'none'"], csp
    assert directives.get("frame-ancestors") == ["'none'"], csp
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") == "strict-origin-when-cross-origin"
    hsts = [part.strip() for part in response.headers.get("Strict-Transport-Security", "").split(";")]
    max_age = next((int(part.split("=", 1)[1]) for part in hsts if part.lower().startswith("max-age=")), 0)
    assert max_age >= 31_536_000, hsts
    assert "includesubdomains" in {part.lower() for part in hsts}


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        (SIGN_IN, 200),
        ("/no-such-page", 404),
        ("/static/js/app.mjs", 200),
        ("/static/no-such-file.js", 404),
    ],
)
def test_security_headers_are_on_every_kind_of_response(client, path, status):
    with client.get(path) as response:  # closing releases the static file
        assert response.status_code == status
        assert_security_headers(response)


def test_security_headers_are_on_a_method_not_allowed_response(client):
    response = client.put(SIGN_IN)

    assert response.status_code == 405
    assert_security_headers(response)


def test_security_headers_are_on_a_server_error_page_without_a_traceback(app):
    app.add_url_rule("/boom", "boom", lambda: 1 / 0)
    unchecked = app.test_client()  # the `client` fixture would fail the test on the 500 this wants

    response = unchecked.get("/boom")

    assert response.status_code == 500
    assert_security_headers(response)
    body = response.get_data(as_text=True)
    assert "Sorry, there is a problem with the service" in body
    assert "Traceback" not in body
    assert "ZeroDivisionError" not in body


def test_static_module_script_is_served_as_javascript(client):
    # With nosniff a browser refuses a module script served with a non-JavaScript type.
    with client.get("/static/js/app.mjs") as response:
        assert response.status_code == 200
        assert response.mimetype in {"text/javascript", "application/javascript"}


@pytest.mark.parametrize("path", ["/", "/account/", "/account/edit", "/account/password", "/no-such-page"])
def test_pages_for_a_signed_in_user_are_not_stored(client, login, participant, path):
    login(participant)

    response = client.get(path)

    assert "no-store" in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/", SIGN_IN])
def test_html_responses_declare_a_charset(client, path):
    assert client.get(path).headers["Content-Type"].lower() == "text/html; charset=utf-8"


# CSRF (ASVS 3.5.1) ----------------------------------------------------------------------------


def test_csrf_sweep_covers_the_state_changing_routes():
    endpoints = {endpoint for _, endpoint, _ in UNSAFE_ROUTES}

    assert {"accounts.sign_in", "accounts.sign_out", "admin.disable", "admin.decide"} <= endpoints


@pytest.mark.parametrize(("rule", "endpoint", "method"), UNSAFE_ROUTES, ids=[f"{m} {r}" for r, _, m in UNSAFE_ROUTES])
def test_unsafe_request_without_csrf_token_is_refused_and_changes_nothing(
    app, client, db, login, admin, make_user, outbox, rule, endpoint, method
):
    victim = make_user()
    claim = OrganisationClaim(user=victim, organisation=make_organisation(db, approved=False))
    db.add(claim)
    db.commit()
    login(admin)
    assert client.get("/account/").status_code == 200
    # Point path variables at real objects, so a request that got through would change something.
    real_ids = {"user_id": victim.id, "claim_id": claim.id}
    url = fill_path(rule, real_ids)
    before = database_snapshot(db)
    # Values every form would accept, so that a request which skipped the CSRF check would change things.
    data = {
        "display_name": "Changed by CSRF",
        "sector": "academic",
        "organisation": "CSRF organisation",
        "email": "csrf@example.org",
        "password": PASSWORD,
        "current_password": PASSWORD,
        "new_password": NEW_PASSWORD,
        "disabled": "yes",
        "role": "facilitator",
        "action": "grant",
        "decision": "approve",
        "remember": "y",
    }
    app.config["PROPAGATE_EXCEPTIONS"] = False  # an error in the CSRF handler must show up as a 500

    response = client.open(url, method=method, data=data)

    body = response.get_data(as_text=True)
    marked = getattr(app.view_functions[endpoint], "keeps_input_on_csrf_failure", False)
    if marked:
        # The form is shown again; a view whose object in the URL does not exist may answer 404, and one the
        # signed-in admin may not use answers 403 (it is re-run, and its permission check still applies).
        assert response.status_code in (200, 400, 403, 404), f"{method} {url} gave {response.status_code}"
        if response.status_code == 200:
            assert "had expired" in body
    else:
        assert response.status_code == 400, f"{method} {url} gave {response.status_code}"
    assert database_snapshot(db) == before
    assert outbox() == []
    assert client.get("/account/").status_code == 200, "the request without a token signed the admin out"


def test_register_form_is_shown_again_with_what_was_typed_after_csrf_failure(client, db):
    response = client.post(
        "/account/register",
        data={
            "email": "typed@example.org",
            "display_name": "Typed Name",
            "sector": "academic",
            "organisation": "Typed Organisation",
            "password": NEW_PASSWORD,
        },
    )

    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "had expired" in body
    page = Page(body)
    assert page.input_value("email") == "typed@example.org"
    assert page.input_value("display_name") == "Typed Name"
    assert page.input_value("organisation") == "Typed Organisation"
    assert NEW_PASSWORD not in body, "the password must not be sent back"
    assert db.scalar(sa.select(User).where(User.email == "typed@example.org")) is None


# Session revocation (ASVS 7.2.4, 7.4.1, 7.4.2, 7.4.3) ------------------------------------------------


def test_session_cookie_from_before_sign_in_does_not_become_signed_in(app, client, participant):
    name = app.config["SESSION_COOKIE_NAME"]
    client.get(SIGN_IN)
    planted = cookie_value(client, name)  # what an attacker could have fixed in the victim's browser

    assert sign_in(client, participant.email).status_code == 302

    assert cookie_value(client, name) != planted
    assert client.get("/account/").status_code == 200
    assert is_sign_in_redirect(client_with_cookie(app, name, planted).get("/account/"))


def test_copied_session_cookie_stops_working_after_sign_out(app, client, participant):
    name = app.config["SESSION_COOKIE_NAME"]
    assert sign_in(client, participant.email).status_code == 302
    copied = cookie_value(client, name)
    assert client_with_cookie(app, name, copied).get("/account/").status_code == 200

    client.post("/account/sign-out", data={"csrf_token": token_from(client, "/account/")})

    assert is_sign_in_redirect(client.get("/account/"))
    assert is_sign_in_redirect(client_with_cookie(app, name, copied).get("/account/"))


def test_copied_session_cookie_stops_working_after_sign_out_everywhere(app, client, participant):
    name = app.config["SESSION_COOKIE_NAME"]
    assert sign_in(client, participant.email).status_code == 302
    copied = cookie_value(client, name)

    response = client.post("/account/sign-out-everywhere", data={"csrf_token": token_from(client, "/account/")})

    assert response.status_code == 302
    assert is_sign_in_redirect(client.get("/account/"))
    assert is_sign_in_redirect(client_with_cookie(app, name, copied).get("/account/"))


def test_password_change_ends_other_sessions_but_keeps_this_one(app, client, db, participant):
    other_device = app.test_client()
    remembered_device = app.test_client()
    assert sign_in(client, participant.email).status_code == 302
    assert sign_in(other_device, participant.email).status_code == 302
    assert sign_in(remembered_device, participant.email, remember=True).status_code == 302
    remember_cookie = cookie_value(remembered_device, app.config["REMEMBER_COOKIE_NAME"])

    response = client.post(
        "/account/password",
        data={
            "csrf_token": token_from(client, "/account/password"),
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert verify_password_in_app(app, fresh_user(db, participant).password_hash, NEW_PASSWORD)
    assert client.get("/account/").status_code == 200
    assert is_sign_in_redirect(other_device.get("/account/"))
    only_remember = client_with_cookie(app, app.config["REMEMBER_COOKIE_NAME"], remember_cookie)
    assert is_sign_in_redirect(only_remember.get("/account/"))


def verify_password_in_app(app, password_hash: str, password: str) -> bool:
    with app.app_context():
        return verify_password(password_hash, password)


def test_disabling_a_user_ends_their_session(app, client, participant, admin):
    user_device = app.test_client()
    assert sign_in(user_device, participant.email).status_code == 302
    assert user_device.get("/account/").status_code == 200
    assert sign_in(client, admin.email).status_code == 302

    response = client.post(
        f"/admin/users/{participant.id}/disabled",
        data={"csrf_token": token_from(client, f"/admin/users/{participant.id}"), "disabled": "yes"},
    )

    assert response.status_code == 302
    assert is_sign_in_redirect(user_device.get("/account/"))
    again = sign_in(app.test_client(), participant.email)
    assert again.status_code == 200, "a disabled account could sign in again"


# Remember-me cookie (Flask-Login, SECURITY.md §4) -----------------------------------------------------


def test_remember_cookie_lasts_at_most_30_days_and_is_http_only(app, client, participant):
    response = sign_in(client, participant.email, remember=True)

    assert response.status_code == 302
    cookie = set_cookie_header(response, app.config["REMEMBER_COOKIE_NAME"])
    expires = parsedate_to_datetime(cookie["expires"])
    now = datetime.now(UTC)
    assert now + timedelta(days=1) < expires <= now + timedelta(days=30)
    assert "httponly" in cookie
    assert cookie.get("samesite") == "Lax"


def test_remember_cookie_survives_losing_the_session_cookie(app, client, participant):
    assert sign_in(client, participant.email, remember=True).status_code == 302
    remembered = cookie_value(client, app.config["REMEMBER_COOKIE_NAME"])

    browser_restarted = client_with_cookie(app, app.config["REMEMBER_COOKIE_NAME"], remembered)

    assert browser_restarted.get("/account/").status_code == 200


def test_remember_cookie_is_not_set_without_remember(app, client, participant):
    response = sign_in(client, participant.email)

    assert response.status_code == 302
    assert client.get_cookie(app.config["REMEMBER_COOKIE_NAME"]) is None


def test_remember_cookie_stops_working_after_sign_out_everywhere(app, client, participant):
    name = app.config["REMEMBER_COOKIE_NAME"]
    assert sign_in(client, participant.email, remember=True).status_code == 302
    remembered = cookie_value(client, name)

    client.post("/account/sign-out-everywhere", data={"csrf_token": token_from(client, "/account/")})

    assert is_sign_in_redirect(client_with_cookie(app, name, remembered).get("/account/"))


# Production configuration (ASVS 3.3.x, 13.3.1) ----------------------------------------------------


@pytest.fixture
def production_app(database_url, db):
    app = create_app(
        {
            "ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "SITE_URL": "https://localhost",
            "DATABASE_URL": database_url,
            "SESSION_FACTORY": lambda write: db,
            "RATELIMIT_ENABLED": False,
        }
    )
    app.test_client_class = CheckedClient
    return app


def test_production_cookies_are_secure_host_only_and_lax(production_app):
    config = production_app.config

    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["REMEMBER_COOKIE_DURATION"] <= timedelta(days=30)
    assert config["REMEMBER_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert config["REMEMBER_COOKIE_NAME"].startswith("__Host-")
    assert config["DEBUG"] is False


def test_production_session_cookie_is_sent_with_secure_flags(production_app):
    client = production_app.test_client()

    response = client.get(SIGN_IN, base_url="https://localhost")

    cookie = set_cookie_header(response, production_app.config["SESSION_COOKIE_NAME"])
    assert "secure" in cookie
    assert "httponly" in cookie
    assert cookie.get("samesite") == "Lax"
    assert cookie.get("path") == "/"
    assert "domain" not in cookie, "a __Host- cookie must not have a Domain"


def test_production_remember_cookie_is_sent_with_secure_flags(production_app, make_user):
    user = make_user()
    client = production_app.test_client()
    token = csrf_from(client.get(SIGN_IN, base_url="https://localhost").get_data(as_text=True))

    response = client.post(
        SIGN_IN,
        base_url="https://localhost",
        data={"csrf_token": token, "email": user.email, "password": PASSWORD, "remember": "y"},
        headers={"Referer": "https://localhost/account/sign-in"},
    )

    assert response.status_code == 302
    cookie = set_cookie_header(response, production_app.config["REMEMBER_COOKIE_NAME"])
    assert {"secure", "httponly"} <= set(cookie)
    assert cookie.get("samesite") == "Lax"
    assert cookie.get("path") == "/"
    assert "domain" not in cookie


@pytest.mark.parametrize("secret", ["", "dev", "change-me", "a" * 20, "development-only-not-secret"])
def test_production_refuses_to_start_with_a_weak_secret_key(database_url, secret):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"ENV": "production", "SECRET_KEY": secret, "DATABASE_URL": database_url})


def test_production_starts_with_a_strong_secret_key(production_app):
    assert len(production_app.config["SECRET_KEY"]) == 64


# Password hashing (ASVS 11.4.2, Appendix C) ------------------------------------------------------------


def meets_appendix_c(memory_kib: int, time_cost: int) -> bool:
    return (memory_kib >= 19 * 1024 and time_cost >= 2) or (memory_kib >= 12 * 1024 and time_cost >= 3)


def test_default_argon2_parameters_meet_asvs_appendix_c(tmp_path):
    settings = defaults(str(tmp_path))

    assert meets_appendix_c(settings["ARGON2_MEMORY_COST"], settings["ARGON2_TIME_COST"])
    assert settings["ARGON2_PARALLELISM"] >= 1


def test_hash_made_with_default_config_is_argon2id_at_those_parameters(database_url, db, tmp_path):
    app = create_app(
        {
            "ENV": "testing",
            "DATABASE_URL": database_url,
            "SESSION_FACTORY": lambda write: db,
            "RATELIMIT_ENABLED": False,
            "MAIL_OUTBOX": str(tmp_path),
        }
    )
    with app.app_context():
        password_hash = hash_password(NEW_PASSWORD)
        assert verify_password(password_hash, NEW_PASSWORD)
        assert not verify_password(password_hash, NEW_PASSWORD.upper())

    assert password_hash.startswith("$argon2id$")
    params = dict(part.split("=") for part in password_hash.split("$")[3].split(","))
    assert meets_appendix_c(int(params["m"]), int(params["t"]))


# Open redirect (ASVS 3.7.2) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
        "https:evil.example",
        "///evil.example",
    ],
)
def test_sign_in_never_redirects_off_site(client, participant, target):
    response = sign_in(client, participant.email, next_url=target)

    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.scheme in ("", "http")
    assert location.netloc in ("", "localhost")
    assert location.path.startswith("/")
    assert not location.path.startswith("//")
    assert "\\" not in response.headers["Location"]
    assert "evil" not in response.headers["Location"]


def test_sign_in_follows_a_same_site_next(client, participant):
    response = sign_in(client, participant.email, next_url="/about")

    assert response.status_code == 302
    assert response.headers["Location"] == "/about"


# Mass assignment (ASVS 8.2.3, 15.3.3) ------------------------------------------------------------------


def test_profile_edit_ignores_privileged_extra_fields(client, db, login, make_user):
    user = make_user(verified=False)
    login(user)
    before = user_state(db, user)

    response = client.post(
        "/account/edit",
        data={
            "csrf_token": token_from(client, "/account/edit"),
            "display_name": "New Name",
            "sector": "academic",
            "organisation": "",
            "role": "admin",
            "roles": "admin",
            "is_admin": "y",
            "disabled": "y",
            "email_verified_at": "2020-01-01T00:00:00+00:00",
            "session_generation": "99",
            "token_nonce": "99",
            "email": "attacker@example.org",
            "password_hash": "x",
            "id": "1",
            "organisation_id": "1",
        },
    )

    assert response.status_code == 302
    after = user_state(db, user)
    assert after["display_name"] == "New Name", "the legitimate change was not saved"
    for field in (
        "email",
        "password_hash",
        "session_generation",
        "token_nonce",
        "disabled",
        "email_verified_at",
        "roles",
    ):
        assert after[field] == before[field], field
    assert fresh_user(db, user).organisation_id is None
    assert client.get("/account/").status_code == 200


# Admin routes (ASVS 8.2.1) ---------------------------------------------------------------------------


def test_admin_route_list_is_not_empty():
    assert {endpoint for _, endpoint, _ in ADMIN_ROUTES} >= {"admin.users", "admin.user", "admin.disable"}


@pytest.mark.parametrize(("rule", "endpoint", "method"), ADMIN_ROUTES, ids=[f"{m} {r}" for r, _, m in ADMIN_ROUTES])
def test_admin_routes_are_forbidden_to_participants(client, db, login, participant, rule, endpoint, method):
    login(participant)
    url = fill_path(rule, {"user_id": participant.id})
    before = user_state(db, participant)

    if method == "GET":
        response = client.get(url)
    else:
        token = token_from(client, "/account/")
        response = client.post(
            url,
            data={"csrf_token": token, "disabled": "yes", "role": "admin", "action": "grant", "decision": "approve"},
        )

    assert response.status_code == 403
    assert user_state(db, participant) == before


@pytest.mark.parametrize(("rule", "endpoint", "method"), ADMIN_ROUTES, ids=[f"{m} {r}" for r, _, m in ADMIN_ROUTES])
def test_admin_routes_send_anonymous_users_to_sign_in(client, participant, rule, endpoint, method):
    url = fill_path(rule, {"user_id": participant.id})

    if method == "GET":
        response = client.get(url)
    else:
        token = token_from(client, SIGN_IN)
        response = client.post(url, data={"csrf_token": token, "disabled": "yes", "decision": "approve"})

    assert is_sign_in_redirect(response), (response.status_code, response.headers.get("Location"))


def test_admin_pages_work_for_an_admin(client, login, admin):
    login(admin)

    assert client.get("/admin/users").status_code == 200
    assert client.get(f"/admin/users/{admin.id}").status_code == 200
    assert client.get("/admin/claims").status_code == 200


# Rate limiting (ASVS 6.3.1, 2.4.1) ---------------------------------------------------------------------


def test_fourth_sign_in_a_minute_from_one_address_gets_a_friendly_429(build_app, participant):
    from consult.extensions import limiter

    app = build_app(RATELIMIT_ENABLED=True, SIGN_IN_RATE_LIMIT="3 per minute")
    with app.app_context():
        limiter.reset()
    client = app.test_client()
    token = token_from(client, SIGN_IN)
    attempt = {"csrf_token": token, "email": participant.email, "password": "wrong password here"}

    statuses = [client.post(SIGN_IN, data=attempt).status_code for _ in range(3)]
    fourth = client.post(SIGN_IN, data=attempt)

    assert statuses == [200, 200, 200]
    assert fourth.status_code == 429
    body = fourth.get_data(as_text=True)
    assert "Too many attempts" in body
    assert fourth.mimetype == "text/html"
    assert_security_headers(fourth)
    assert client.get(SIGN_IN).status_code == 200, "reading the form is not limited"


@pytest.fixture
def frozen_clock(monkeypatch):
    """Stop the app's clock, so a wait of a second cannot pass while a slow machine runs the test."""
    from consult import clock

    moment = clock.now()
    monkeypatch.setattr(clock, "now", lambda: moment)


def test_guessing_one_account_from_many_addresses_is_slowed_whatever_the_address(build_app, make_user, frozen_clock):
    """ASVS 6.3.1: failures count per account across addresses; the wait is short and does not touch others."""
    app = build_app(SIGN_IN_FREE_FAILURES_PER_ACCOUNT=5)
    target = make_user()
    bystander = make_user()

    for n in range(5):
        response = sign_in(
            app.test_client(), target.email, "wrong password here", environ_base={"REMOTE_ADDR": f"10.0.0.{n + 1}"}
        )
        assert response.status_code == 200
        assert "Enter a correct email address and password" in response.get_data(as_text=True)
    sixth = sign_in(app.test_client(), target.email, environ_base={"REMOTE_ADDR": "10.0.1.1"})

    assert sixth.status_code == 429
    assert "too many failed attempts" in sixth.get_data(as_text=True)
    assert int(sixth.headers["Retry-After"]) <= app.config["SIGN_IN_MAX_WAIT_PER_ACCOUNT"]
    other_client = app.test_client()
    assert sign_in(other_client, bystander.email).status_code == 302
    assert other_client.get("/account/").status_code == 200


def test_a_throttled_attempt_does_not_sign_the_user_in(build_app, make_user, frozen_clock):
    app = build_app(SIGN_IN_FREE_FAILURES_PER_ADDRESS=1)
    target = make_user()
    client = app.test_client()
    sign_in(client, target.email, "wrong password here")

    assert sign_in(client, target.email).status_code == 429
    assert is_sign_in_redirect(client.get("/account/"))


# Stored XSS in user fields (ASVS 1.2.1; Decidim CVE-2026-23891) -------------------------------------------

SCRIPT_NAME = "<script>alert(1)</script>"
IMG_ORGANISATION = "<img src=x onerror=alert(1)>"


def admin_pages_show_only_escaped(app, admin, user_id: int) -> None:
    admin_client = app.test_client()
    assert sign_in(admin_client, admin.email).status_code == 302
    for path in ("/admin/users", f"/admin/users/{user_id}", f"/admin/users?q={quote(SCRIPT_NAME)}"):
        response = admin_client.get(path)
        assert response.status_code == 200, path
        assert_only_escaped(response.get_data(as_text=True), SCRIPT_NAME)
    claims = admin_client.get("/admin/claims").get_data(as_text=True)
    assert_only_escaped(claims, SCRIPT_NAME)
    assert_only_escaped(claims, IMG_ORGANISATION)
    # The flash message after an admin action repeats the display name.
    disabled = admin_client.post(
        f"/admin/users/{user_id}/disabled",
        data={"csrf_token": token_from(admin_client, f"/admin/users/{user_id}"), "disabled": "yes"},
        follow_redirects=True,
    )
    flash_page = disabled.get_data(as_text=True)
    assert "is now disabled" in flash_page
    assert_only_escaped(flash_page, SCRIPT_NAME)


def test_registered_script_name_and_img_organisation_are_shown_escaped(app, client, db, admin):
    register_token = token_from(client, "/account/register")
    response = client.post(
        "/account/register",
        data={
            "csrf_token": register_token,
            "email": "xss@example.org",
            "display_name": SCRIPT_NAME,
            "sector": "civil_society",
            "organisation": IMG_ORGANISATION,
            "password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    user = db.scalar(sa.select(User).where(User.email == "xss@example.org"))
    assert user is not None
    assert user.display_name == SCRIPT_NAME, "stored as typed; escaping is the template's job"
    assert sign_in(client, "xss@example.org", NEW_PASSWORD).status_code == 302

    profile = client.get("/account/").get_data(as_text=True)
    assert_only_escaped(profile, SCRIPT_NAME)
    assert_only_escaped(profile, IMG_ORGANISATION)
    edit_page = client.get("/account/edit").get_data(as_text=True)
    assert Page(edit_page).input_value("display_name") == SCRIPT_NAME
    assert SCRIPT_NAME not in edit_page
    admin_pages_show_only_escaped(app, admin, user.id)


def test_edited_script_name_and_img_organisation_are_shown_escaped(app, client, login, participant, admin):
    login(participant)

    response = client.post(
        "/account/edit",
        data={
            "csrf_token": token_from(client, "/account/edit"),
            "display_name": SCRIPT_NAME,
            "sector": "civil_society",
            "organisation": IMG_ORGANISATION,
        },
        follow_redirects=True,
    )

    assert response.status_code == 200
    assert_only_escaped(response.get_data(as_text=True), SCRIPT_NAME)
    assert_only_escaped(response.get_data(as_text=True), IMG_ORGANISATION)
    admin_pages_show_only_escaped(app, admin, participant.id)
