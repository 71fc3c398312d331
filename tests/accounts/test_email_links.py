"""Every link in every email points at the configured SITE_URL, whatever Host the request claimed."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from consult import create_app
from tests.conftest import CheckedClient
from tests.factories import PASSWORD, csrf_from

SITE_URL = "https://consult.example.org"
HOSTILE = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"}
URL = re.compile(r"\w+://[^\s]+")


@pytest.fixture
def proxied_app(app_config, db):
    """The app as deployed behind one proxy, but accepting any Host so the hostile request gets through."""
    app = create_app({**app_config, "SITE_URL": SITE_URL, "PROXY_HOPS": 1, "SESSION_FACTORY": lambda write: db})
    app.test_client_class = CheckedClient
    return app


def post_hostile(client, path, **data):
    page = client.get(path, headers=HOSTILE)
    return client.post(path, data={"csrf_token": csrf_from(page.get_data(as_text=True)), **data}, headers=HOSTILE)


def links_in(messages) -> list[str]:
    links = [link for message in messages for link in URL.findall(message.get_content())]
    assert links, "the mail held no link"
    return links


def assert_only_site_links(messages) -> None:
    for link in links_in(messages):
        parts = urlsplit(link)
        assert (parts.scheme, parts.netloc) == ("https", "consult.example.org"), link


def test_reset_link_ignores_a_hostile_host_header(proxied_app, make_user, outbox):
    user = make_user()
    response = post_hostile(proxied_app.test_client(), "/account/reset-password", email=user.email)
    assert response.status_code == 302
    assert_only_site_links(outbox())


def test_verification_link_ignores_a_hostile_host_header(proxied_app, outbox):
    response = post_hostile(
        proxied_app.test_client(),
        "/account/register",
        email="new@example.org",
        display_name="New Person",
        sector="individual",
        password="a long enough passphrase",
    )
    assert response.status_code == 302
    assert_only_site_links(outbox())


def test_already_registered_mail_ignores_a_hostile_host_header(proxied_app, make_user, outbox):
    user = make_user()
    post_hostile(
        proxied_app.test_client(),
        "/account/register",
        email=user.email,
        display_name="Someone",
        sector="individual",
        password="a long enough passphrase",
    )
    assert_only_site_links(outbox())


def test_email_change_link_ignores_a_hostile_host_header(proxied_app, make_user, outbox):
    user = make_user()
    client = proxied_app.test_client()
    assert post_hostile(client, "/account/sign-in", email=user.email, password=PASSWORD).status_code == 302
    response = post_hostile(client, "/account/email", email="moved@example.org", password=PASSWORD)
    assert response.status_code == 302
    assert_only_site_links(outbox())


def test_links_follow_a_site_url_with_a_path_prefix(app_config, db, make_user, outbox):
    app = create_app({**app_config, "SITE_URL": "https://gov.example/consult/", "SESSION_FACTORY": lambda write: db})
    user = make_user()
    post_hostile(app.test_client(), "/account/reset-password", email=user.email)
    (link,) = links_in(outbox())
    assert link.startswith("https://gov.example/consult/account/reset-password/")
