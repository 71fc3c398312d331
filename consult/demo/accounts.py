"""Demo content for `make run`: organisations and one account per role, created idempotently."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult.accounts.models import (
    ClaimStatus,
    Organisation,
    OrganisationClaim,
    Role,
    RoleGrant,
    Sector,
    User,
)
from consult.db import utcnow
from consult.security import hash_password

ORGANISATIONS = [
    ("Cabinet Office (demo)", Sector.GOVERNMENT_DEPARTMENT),
    ("Department for Work and Pensions (demo)", Sector.GOVERNMENT_DEPARTMENT),
    ("Involve (demo facilitator)", Sector.CIVIL_SOCIETY),
    ("Privacy Matters (fictional campaign group)", Sector.CIVIL_SOCIETY),
    ("Northshire County Council (fictional)", Sector.PUBLIC_SECTOR),
    ("University of Eastmoor (fictional)", Sector.ACADEMIC),
]

# email, display name, organisation (or None), sector, roles
USERS = [
    ("admin@demo.example.org", "Ada Admin", None, Sector.INDIVIDUAL, [Role.ADMIN]),
    (
        "facilitator@demo.example.org",
        "Farah Facilitator",
        "Involve (demo facilitator)",
        Sector.CIVIL_SOCIETY,
        [Role.FACILITATOR],
    ),
    (
        "officer@demo.example.org",
        "Owen Officer",
        "Department for Work and Pensions (demo)",
        Sector.GOVERNMENT_DEPARTMENT,
        [Role.DEPARTMENT_OFFICER],
    ),
    (
        "board@demo.example.org",
        "Bea Board",
        "Cabinet Office (demo)",
        Sector.GOVERNMENT_DEPARTMENT,
        [Role.REVIEW_BOARD],
    ),
    (
        "campaigner@demo.example.org",
        "Cal Campaigner",
        "Privacy Matters (fictional campaign group)",
        Sector.CIVIL_SOCIETY,
        [],
    ),
    (
        "council@demo.example.org",
        "Priya Patel",
        "Northshire County Council (fictional)",
        Sector.PUBLIC_SECTOR,
        [],
    ),
    (
        "researcher@demo.example.org",
        "Dr Rhys Evans",
        "University of Eastmoor (fictional)",
        Sector.ACADEMIC,
        [],
    ),
    ("resident@demo.example.org", "Iris Individual", None, Sector.INDIVIDUAL, []),
]


def demo_password(path: Path) -> str:
    """One random password for all demo accounts, kept in the instance folder (never a known default)."""
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    password = "demo-" + secrets.token_urlsafe(12)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(password + "\n", encoding="utf-8")
    path.chmod(0o600)
    return password


def seed(db: Session, *, password_path: Path, echo: Callable[[str], None] = print) -> str:
    """Create what is missing; running it twice changes nothing."""
    password = demo_password(password_path)
    organisations = {org.name: org for org in db.scalars(sa.select(Organisation))}
    for name, sector in ORGANISATIONS:
        if name not in organisations:
            organisations[name] = Organisation(name=name, sector=sector, approved=True)
            db.add(organisations[name])
    existing = set(db.scalars(sa.select(User.email)))
    created = 0
    password_hash = None
    for email, display_name, org_name, sector, roles in USERS:
        if email in existing:
            continue
        password_hash = password_hash or hash_password(password)
        organisation = organisations[org_name] if org_name else None
        user = User(
            email=email,
            display_name=display_name,
            password_hash=password_hash,
            sector=sector,
            organisation=organisation,
            email_verified_at=utcnow(),
        )
        user.role_grants.extend(RoleGrant(role=role) for role in roles)
        if organisation is not None:
            user.claims.append(
                OrganisationClaim(organisation=organisation, status=ClaimStatus.APPROVED, decided_at=utcnow())
            )
        db.add(user)
        created += 1
    db.flush()
    from consult.demo.process import seed_process

    by_role = {email.split("@")[0]: db.scalar(sa.select(User).where(User.email == email)) for email, *_ in USERS}
    process_created = seed_process(db, by_role)
    from flask import current_app

    from consult.demo.objective import seed_objective

    objective_created = seed_objective(db, by_role, Path(current_app.config["CONTENT_DIR"]))
    from consult.demo.paper import seed_paper

    paper_created = seed_paper(db, by_role)
    echo(f"demo: accounts use the password in {password_path}")
    return (
        f"{created} demo accounts created, {len(USERS) - created} already there; "
        f"demo process {'created' if process_created else 'already there'}; "
        f"demo proposal {'created' if objective_created else 'already there'}; "
        f"demo paper {'published' if paper_created else 'already there'}"
    )
