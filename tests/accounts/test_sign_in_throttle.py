"""Failed sign-ins slow down whoever is guessing, with growing waits; they never lock the right password out."""

from __future__ import annotations

import ipaddress
import itertools
import re
from datetime import timedelta

import pytest

from consult import clock as app_clock
from consult.accounts import services, throttle
from consult.accounts.throttle import SignInThrottled
from consult.db import utcnow
from consult.errors import ValidationError
from tests.factories import PASSWORD, csrf_from

SIGN_IN = "/account/sign-in"
WRONG = "not the password at all"
NEW_PASSWORD = "a new long passphrase"
ATTACKER = "198.51.100.66"
OWNER = "203.0.113.9"


class FakeClock:
    """Time that moves only when the test moves it."""

    def __init__(self) -> None:
        self.now = utcnow()

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(app_clock, "now", lambda: fake.now)
    return fake


def attempt(client, email: str, password: str, address: str):
    page = client.get(SIGN_IN, environ_base={"REMOTE_ADDR": address})
    data = {"csrf_token": csrf_from(page.get_data(as_text=True)), "email": email, "password": password}
    return client.post(SIGN_IN, data=data, environ_base={"REMOTE_ADDR": address})


def retry_after(response) -> int:
    assert response.status_code == 429, response.status_code
    return int(response.headers["Retry-After"])


def test_a_hundred_failures_from_one_address_leave_the_owner_free_to_sign_in(app, client, make_user, clock):
    """Finding 2: 100 wrong passwords, spaced under the per-address rate limit, then the right one."""
    user = make_user()
    for _ in range(100):
        attempt(client, user.email, WRONG, ATTACKER)
        clock.advance(30)

    owner = app.test_client()
    assert attempt(owner, user.email, PASSWORD, OWNER).status_code == 302
    assert owner.get("/account/").status_code == 200


def test_waits_double_for_the_guessing_address_and_a_throttled_attempt_is_not_checked(app, client, make_user, clock):
    user = make_user()
    free = app.config["SIGN_IN_FREE_FAILURES_PER_ADDRESS"]
    for _ in range(free):
        assert attempt(client, user.email, WRONG, ATTACKER).status_code == 200

    waits = []
    for _ in range(4):
        waits.append(retry_after(attempt(client, user.email, WRONG, ATTACKER)))
        clock.advance(waits[-1])
        assert attempt(client, user.email, WRONG, ATTACKER).status_code == 200, "checked once the wait is over"

    assert waits == [waits[0] * 2**n for n in range(4)]
    throttled = attempt(client, user.email, PASSWORD, ATTACKER)
    assert retry_after(throttled) == waits[-1] * 2
    assert client.get("/account/").status_code == 302, "the right password was not even checked"


def test_a_throttled_attempt_says_when_to_try_again_and_keeps_the_email(app, client, make_user, clock):
    user = make_user()
    for _ in range(app.config["SIGN_IN_FREE_FAILURES_PER_ADDRESS"]):
        attempt(client, user.email, WRONG, ATTACKER)
    clock.advance(0)
    response = attempt(client, user.email, WRONG, ATTACKER)

    page = response.get_data(as_text=True)
    assert retry_after(response) >= 1
    assert re.search(r"Wait \d+ (second|minute)s? and try again, or reset your password", page)
    assert f'value="{user.email}"' in page
    assert "govuk-error-summary" in page


def test_the_wait_for_one_address_stops_growing_at_its_cap(app, client, make_user, clock):
    user = make_user()
    cap = app.config["SIGN_IN_MAX_WAIT_PER_ADDRESS"]
    waits = []
    while not waits or waits[-1] < cap:
        response = attempt(client, user.email, WRONG, ATTACKER)
        if response.status_code == 429:
            waits.append(retry_after(response))
            clock.advance(waits[-1])
    attempt(client, user.email, WRONG, ATTACKER)
    assert retry_after(attempt(client, user.email, WRONG, ATTACKER)) == cap


def test_signing_in_clears_the_account_failures(app, client, make_user, clock):
    user = make_user()
    for _ in range(app.config["SIGN_IN_FREE_FAILURES_PER_ADDRESS"]):
        attempt(client, user.email, WRONG, OWNER)
    clock.advance(retry_after(attempt(client, user.email, WRONG, OWNER)))

    assert attempt(client, user.email, PASSWORD, OWNER).status_code == 302
    client.post("/account/sign-out", data={"csrf_token": csrf_from(client.get("/account/").get_data(as_text=True))})
    for _ in range(app.config["SIGN_IN_FREE_FAILURES_PER_ADDRESS"]):
        assert attempt(client, user.email, WRONG, OWNER).status_code == 200


def test_a_completed_password_reset_clears_the_account_failures(app, client, make_user, outbox, clock):
    user = make_user()
    for _ in range(app.config["SIGN_IN_FREE_FAILURES_PER_ADDRESS"] + 1):
        attempt(client, user.email, WRONG, ATTACKER)
    assert attempt(client, user.email, PASSWORD, ATTACKER).status_code == 429

    page = client.get("/account/reset-password")
    client.post(
        "/account/reset-password", data={"csrf_token": csrf_from(page.get_data(as_text=True)), "email": user.email}
    )
    path = re.search(r"https?://[^/\s]+(/account/reset-password/\S+)", outbox()[0].get_content()).group(1)
    page = client.get(path)
    client.post(path, data={"csrf_token": csrf_from(page.get_data(as_text=True)), "password": NEW_PASSWORD})

    other_client = app.test_client()
    assert attempt(other_client, user.email, NEW_PASSWORD, ATTACKER).status_code == 302


def test_guessing_from_many_addresses_slows_every_new_device_but_only_briefly(app, make_user, clock):
    user = make_user()
    for n in range(app.config["SIGN_IN_FREE_FAILURES_PER_ACCOUNT"]):
        attempt(app.test_client(), user.email, WRONG, f"10.1.{n // 250}.{n % 250 + 1}")

    fresh = app.test_client()
    wait = retry_after(attempt(fresh, user.email, PASSWORD, OWNER))
    assert 0 < wait <= app.config["SIGN_IN_MAX_WAIT_PER_ACCOUNT"]
    clock.advance(wait)
    assert attempt(fresh, user.email, PASSWORD, OWNER).status_code == 302


def test_a_device_that_signed_in_before_is_not_slowed_by_guessing_elsewhere(app, make_user, clock):
    user = make_user()
    owner = app.test_client()
    assert attempt(owner, user.email, PASSWORD, OWNER).status_code == 302
    owner.post("/account/sign-out", data={"csrf_token": csrf_from(owner.get("/account/").get_data(as_text=True))})

    for n in range(app.config["SIGN_IN_FREE_FAILURES_PER_ACCOUNT"] * 2):
        attempt(app.test_client(), user.email, WRONG, f"10.2.{n // 250}.{n % 250 + 1}")
        clock.advance(1)

    assert attempt(app.test_client(), user.email, PASSWORD, OWNER).status_code == 429
    assert attempt(owner, user.email, PASSWORD, OWNER).status_code == 302


def test_guessing_from_a_new_address_every_time_gets_at_most_100_checks_an_hour(app, db, make_user, clock):
    """ASVS 6.3.1 whatever the IP: a guesser who waits exactly as told, from a fresh address for every guess."""
    user = make_user()
    hour_ends = clock.now + timedelta(hours=1)
    checked = 0
    with app.app_context():
        for n in itertools.count(1):
            if clock.now >= hour_ends:
                break
            address = str(ipaddress.IPv4Address("10.0.0.0") + n)
            try:
                services.authenticate(db, email=user.email, password=WRONG, address=address)
            except SignInThrottled as throttled:
                clock.advance(throttled.wait.total_seconds())
            except ValidationError:
                checked += 1

    assert app.config["SIGN_IN_FREE_FAILURES_PER_ACCOUNT"] < checked <= 100


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::9", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        (None, "unknown"),
        ("not an address", "unknown"),
    ],
)
def test_failures_are_counted_per_ipv4_address_or_ipv6_64(address, network):
    assert throttle.network_of(address) == network


def test_a_device_trusted_by_one_account_is_not_trusted_by_another(app, make_user, clock):
    mine, target = make_user(), make_user()
    guesser = app.test_client()
    assert attempt(guesser, mine.email, PASSWORD, ATTACKER).status_code == 302, "the guesser's own account"
    for n in range(app.config["SIGN_IN_FREE_FAILURES_PER_ACCOUNT"]):
        attempt(app.test_client(), target.email, WRONG, f"10.3.0.{n + 1}")

    assert attempt(guesser, target.email, WRONG, ATTACKER).status_code == 429
