"""Factory functions for tests: valid defaults, any field overridable, committed to the test transaction."""

from __future__ import annotations

import itertools
import re

from sqlalchemy.orm import Session

from consult.accounts.models import Organisation, Role, RoleGrant, Sector, User
from consult.db import utcnow
from consult.security import hash_password

PASSWORD = "correct horse battery"
_sequence = itertools.count(1)
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def make_organisation(db: Session, **overrides) -> Organisation:
    n = next(_sequence)
    values = {"name": f"Organisation {n}", "sector": Sector.CIVIL_SOCIETY, "approved": True} | overrides
    organisation = Organisation(**values)
    db.add(organisation)
    db.commit()
    return organisation


def make_user(
    db: Session, *, roles: tuple[Role, ...] = (), verified: bool = True, password: str = PASSWORD, **overrides
) -> User:
    n = next(_sequence)
    values = {
        "email": f"person{n}@example.org",
        "display_name": f"Person {n}",
        "password_hash": hash_password(password),
        "sector": Sector.CIVIL_SOCIETY,
        "email_verified_at": utcnow() if verified else None,
    } | overrides
    user = User(**values)
    user.role_grants.extend(RoleGrant(role=role) for role in roles)
    db.add(user)
    db.commit()
    return user


def reload(db: Session, obj):
    """Fetch a fresh copy after requests (the app closes the shared session after each one)."""
    return db.get(type(obj), obj.id, populate_existing=True)
