"""Sign-in throttling (ASVS 6.3.1): growing waits for whoever is guessing, never a lock on the right password.

The rule (the README's "Sign-in limits" says the same):
- Failed sign-ins are kept for an hour, per account (the email typed, so unknown addresses behave the same).
- Per account and source: the first SIGN_IN_FREE_FAILURES_PER_ADDRESS (5) failures cost nothing; after that the
  next attempt from that source waits 1 s after its latest failure, then 2, 4, 8 s… up to
  SIGN_IN_MAX_WAIT_PER_ADDRESS (15 minutes). A source is the client's network (its IPv4 address, or its IPv6 /64),
  or a trusted device (below). Someone guessing from one place never slows the owner elsewhere.
- Per account, from anywhere: once the account has had SIGN_IN_FREE_FAILURES_PER_ACCOUNT (20) failures in the
  hour, attempts from untrusted devices also wait 1 s, 2 s, 4 s… after the latest failure, up to
  SIGN_IN_MAX_WAIT_PER_ACCOUNT (60 s). Guessing from many addresses then gets at most 20 + 6 + 58 = 84 checks an
  hour, within ASVS's 100, while the owner on a new device waits a minute at most, never an hour.
- A trusted device (one the account signed in on, or reset its password on: accounts.devices) is exempt from
  the per-account wait and is counted as its own source, so neither a crowd of guessers nor a guesser sharing
  its network can slow it.
- An attempt made while waiting is not checked and not counted. A successful sign-in or a completed password
  reset clears the account's failures.
"""

from __future__ import annotations

import ipaddress
import math
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from consult.accounts.models import SignInAttempt

WINDOW = timedelta(hours=1)


class SignInThrottled(Exception):
    """This attempt came too soon after failed ones; it was not checked."""

    def __init__(self, wait: timedelta) -> None:
        super().__init__(f"wait {wait}")
        self.wait = wait

    @property
    def seconds(self) -> int:
        return max(1, math.ceil(self.wait.total_seconds()))

    @property
    def message(self) -> str:
        return (
            "There have been too many failed attempts to sign in to this account. "
            f"Wait {describe_seconds(self.seconds)} and try again, or reset your password."
        )


def describe_seconds(seconds: int) -> str:
    """'1 second', '45 seconds', '15 minutes': rounded up, so waiting that long is always enough."""
    if seconds < 60:
        return f"{seconds} second{'' if seconds == 1 else 's'}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


def wait_after(failures: int, *, free: int, cap: int) -> timedelta:
    """How long after the latest of `failures` failures the next attempt waits: none, then 1 s doubling to `cap` s."""
    if failures < free:
        return timedelta(0)
    return timedelta(seconds=min(cap, 2 ** min(failures - free, 32)))


def network_of(address: str | None) -> str:
    """The network one client controls: its IPv4 address, or the /64 an IPv6 host is normally given."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def device_source(device_id: str) -> str:
    return f"device:{device_id}"[:64]


def _failures(db: Session, email: str, since: datetime, source: str | None) -> tuple[int, datetime | None]:
    query = sa.select(sa.func.count(), sa.func.max(SignInAttempt.attempted_at)).where(
        SignInAttempt.email == email, SignInAttempt.attempted_at >= since
    )
    if source is not None:
        query = query.where(SignInAttempt.source == source)
    count, latest = db.execute(query).one()
    return count or 0, latest


def check(db: Session, email: str, *, source: str, trusted: bool, now: datetime) -> None:
    """Raise SignInThrottled if this attempt must wait; it is then neither checked nor counted."""
    config = current_app.config
    since = now - WINDOW
    gates = [(source, config["SIGN_IN_FREE_FAILURES_PER_ADDRESS"], config["SIGN_IN_MAX_WAIT_PER_ADDRESS"])]
    if not trusted:
        gates.append((None, config["SIGN_IN_FREE_FAILURES_PER_ACCOUNT"], config["SIGN_IN_MAX_WAIT_PER_ACCOUNT"]))
    ready_at = now
    for gate_source, free, cap in gates:
        count, latest = _failures(db, email, since, gate_source)
        if latest is not None:
            ready_at = max(ready_at, latest + wait_after(count, free=free, cap=cap))
    if ready_at > now:
        raise SignInThrottled(ready_at - now)


def record_failure(db: Session, email: str, *, source: str, now: datetime) -> None:
    """Count a failed sign-in, and forget this account's failures that are too old to matter."""
    db.execute(sa.delete(SignInAttempt).where(SignInAttempt.email == email, SignInAttempt.attempted_at < now - WINDOW))
    db.add(SignInAttempt(email=email, source=source, attempted_at=now))
    db.flush()


def clear(db: Session, email: str) -> None:
    """Forget the account's failures: its owner has just proved who they are."""
    db.execute(sa.delete(SignInAttempt).where(SignInAttempt.email == email))
    db.flush()
