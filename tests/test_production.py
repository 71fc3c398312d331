"""The app configured from the environment as a production deployment is, behind one TLS-terminating proxy."""

from __future__ import annotations

import secrets

import pytest
from flask import jsonify, request

from consult import create_app
from consult.extensions import limiter
from tests.conftest import CheckedClient
from tests.factories import PASSWORD, csrf_from

SITE = "consult.example.org"
PROXY = "10.0.0.2"  # the one proxy in front: what the app sees as the peer address
# What the proxy sends: the client's Host, its own address appended to X-Forwarded-For, the scheme it served.
THROUGH_PROXY = {
    "environ_base": {"REMOTE_ADDR": PROXY},
    "headers": {"Host": SITE, "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"},
}


@pytest.fixture
def production(monkeypatch, database_url, db, tmp_path):
    """create_app() reading CONSULT_* and the other variables the README's production section sets."""
    monkeypatch.setenv("CONSULT_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", secrets.token_hex(32))
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SITE_URL", f"https://{SITE}")
    monkeypatch.setenv("CONSULT_PROXY_HOPS", "1")
    monkeypatch.setenv("CONSULT_TRUSTED_HOSTS", f"{SITE}, www.{SITE}")
    monkeypatch.setenv("MAIL_SERVER", "")
    app = create_app(
        {"SESSION_FACTORY": lambda write: db, "MAIL_OUTBOX": str(tmp_path / "outbox"), "SEARCH_INDEX": str(tmp_path)}
    )
    app.test_client_class = CheckedClient

    @app.get("/_probe")
    def probe():
        return jsonify(host=request.host, scheme=request.scheme, remote_addr=request.remote_addr)

    with app.app_context():
        limiter.reset()
    return app


def through_proxy(**overrides):
    """Request arguments as the proxy would send them, with some headers changed."""
    return {**THROUGH_PROXY, "headers": {**THROUGH_PROXY["headers"], **overrides}}


def cookie_attributes(response, name: str) -> dict[str, str]:
    for header in response.headers.getlist("Set-Cookie"):
        cookie_name, _, rest = header.partition("=")
        if cookie_name == name:
            attributes = {}
            for part in rest.split(";")[1:]:
                key, _, value = part.strip().partition("=")
                attributes[key.lower()] = value
            return attributes
    raise AssertionError(f"no Set-Cookie for {name}: {response.headers.getlist('Set-Cookie')}")


def assert_secure_host_cookie(attributes: dict[str, str]) -> None:
    assert {"secure", "httponly"} <= set(attributes)
    assert attributes.get("samesite") == "Lax"
    assert attributes.get("path") == "/"
    assert "domain" not in attributes, "a __Host- cookie must not name a Domain"


def test_production_trusts_the_site_url_host_and_the_configured_ones(production):
    assert production.config["ENV"] == "production"
    assert production.config["DEBUG"] is False
    assert production.config["TRUSTED_HOSTS"] == [SITE, f"www.{SITE}"]
    assert production.config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert production.config["REMEMBER_COOKIE_NAME"] == "__Host-remember"


def test_session_remember_and_device_cookies_are_secure_http_only_lax_and_host_only(production, make_user):
    user = make_user()
    client = production.test_client()
    page = client.get("/account/sign-in", **THROUGH_PROXY)
    assert page.status_code == 200
    assert_secure_host_cookie(cookie_attributes(page, "__Host-session"))

    data = {"csrf_token": csrf_from(page.get_data(as_text=True)), "email": user.email, "password": PASSWORD}
    response = client.post(
        "/account/sign-in",
        data=data | {"remember": "y"},
        **through_proxy(Referer=f"https://{SITE}/account/sign-in"),
    )

    assert response.status_code == 302
    for name in ("__Host-session", "__Host-remember", "__Host-device"):
        assert_secure_host_cookie(cookie_attributes(response, name))


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_an_unknown_host_is_refused_with_400(production, method):
    client = production.test_client()
    response = client.open("/account/sign-in", method=method, **through_proxy(Host="evil.example"))
    assert response.status_code == 400
    assert "evil.example" not in response.get_data(as_text=True)
    assert response.headers["Content-Security-Policy"], "security headers are still set"


def test_every_trusted_host_is_served(production):
    client = production.test_client()
    for host in (SITE, f"www.{SITE}"):
        assert client.get("/_probe", **through_proxy(Host=host)).json["host"] == host


def test_x_forwarded_host_is_ignored(production):
    seen = production.test_client().get("/_probe", **through_proxy(**{"X-Forwarded-Host": "evil.example"})).json
    assert seen["host"] == SITE


def test_forwarded_address_and_scheme_are_read_for_the_one_configured_hop(production):
    client = production.test_client()

    direct = client.get("/_probe", **THROUGH_PROXY).json
    # A client that sends its own X-Forwarded-For gets the proxy's value appended; only the last hop counts.
    spoofed = client.get(
        "/_probe", **through_proxy(**{"X-Forwarded-For": "198.51.100.66, 203.0.113.9", "X-Forwarded-Proto": "https"})
    ).json
    plain = client.get("/_probe", **through_proxy(**{"X-Forwarded-Proto": "http"})).json

    assert (direct["remote_addr"], direct["scheme"]) == ("203.0.113.9", "https")
    assert spoofed["remote_addr"] == "203.0.113.9"
    assert plain["scheme"] == "http"


def test_production_refuses_to_start_without_an_https_site_url(monkeypatch, database_url):
    monkeypatch.setenv("SECRET_KEY", secrets.token_hex(32))
    for site_url in ("", "http://127.0.0.1:5000", f"http://{SITE}", "https://"):
        monkeypatch.setenv("SITE_URL", site_url)
        with pytest.raises(RuntimeError, match="SITE_URL"):
            create_app({"ENV": "production", "DATABASE_URL": database_url})
