"""Account changes: verb functions that take the session and the actor, flush, and never commit."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from consult import clock
from consult.accounts import permissions, queries, sessions, throttle
from consult.accounts.devices import trusted_device
from consult.accounts.models import (
    ClaimStatus,
    MailLog,
    Organisation,
    OrganisationClaim,
    Role,
    RoleGrant,
    Sector,
    User,
)
from consult.accounts.passwords import password_problem
from consult.db import utcnow
from consult.errors import PermissionDenied, ValidationError
from consult.security import (
    TokenError,
    burn_password_check,
    hash_password,
    make_token,
    needs_rehash,
    read_token,
    verify_password,
)

log = logging.getLogger("consult.auth")

SIGN_IN_FAILED = "Enter a correct email address and password"


@dataclass(frozen=True)
class Registration:
    """What registration did: the view mails a verification link or an 'already registered' note."""

    user: User
    is_new: bool


def check_new_password(password: str, *, personal: tuple[str, ...] = (), field: str = "password") -> None:
    config = current_app.config
    problem = password_problem(
        password,
        min_length=config["PASSWORD_MIN_LENGTH"],
        max_length=config["PASSWORD_MAX_LENGTH"],
        personal=personal,
    )
    if problem:
        raise ValidationError(field, problem)


def _claim_organisation(db: Session, user: User, name: str, sector: Sector) -> None:
    """Record a claim to belong to an organisation, creating it (unapproved) if it is new."""
    name = " ".join(name.split())
    if not name:
        return
    organisation = queries.find_organisation(db, name)
    if organisation is None:
        organisation = Organisation(name=name, sector=sector, approved=False)
        db.add(organisation)
    if user.organisation is organisation:
        return
    for claim in user.claims:
        if claim.status == ClaimStatus.PENDING:
            claim.status = ClaimStatus.REJECTED
            claim.decided_at = utcnow()
    user.claims.append(OrganisationClaim(organisation=organisation))


def register(
    db: Session, *, email: str, display_name: str, password: str, sector: str, organisation: str = ""
) -> Registration:
    """Create an unverified account; an address already registered is revealed neither by the page nor by its timing."""
    email = queries.normalise_email(email)
    display_name = " ".join(display_name.split())
    check_new_password(password, personal=(email, display_name))
    # Hash before the look-up: a taken address then costs the same slow hash as a new one, so timing tells nothing.
    password_hash = hash_password(password)
    existing = queries.get_user_by_email(db, email)
    if existing is not None:
        return Registration(existing, is_new=False)
    user = User(email=email, display_name=display_name, password_hash=password_hash, sector=Sector(sector))
    db.add(user)
    _claim_organisation(db, user, organisation, Sector(sector))
    db.flush()
    log.info("account registered user_id=%s", user.id)
    return Registration(user, is_new=True)


# Emailed links ------------------------------------------------------------------------------


def verification_token(user: User) -> str:
    return make_token("verify", {"uid": user.id, "email": user.email, "n": user.token_nonce})


def verify_email(db: Session, token: str) -> User:
    """Mark the address verified; each link works once and only for the address it was sent to."""
    payload = read_token("verify", token, current_app.config["VERIFY_TOKEN_MAX_AGE"])
    user = db.get(User, payload.get("uid"))
    if user is None or user.email != payload.get("email") or user.token_nonce != payload.get("n"):
        raise TokenError(expired=False)
    user.email_verified_at = utcnow()
    user.token_nonce += 1
    db.flush()
    log.info("email verified user_id=%s", user.id)
    return user


def reset_token(user: User) -> str:
    return make_token("reset", {"uid": user.id, "n": user.token_nonce})


def user_for_reset_token(db: Session, token: str) -> User:
    payload = read_token("reset", token, current_app.config["RESET_TOKEN_MAX_AGE"])
    user = db.get(User, payload.get("uid"))
    if user is None or user.token_nonce != payload.get("n") or user.disabled:
        raise TokenError(expired=False)
    return user


def reset_password(db: Session, token: str, new_password: str) -> User:
    """Set a new password from an emailed link; ends every other session, spends the link, clears failed sign-ins."""
    user = user_for_reset_token(db, token)
    check_new_password(new_password, personal=(user.email, user.display_name))
    user.password_hash = hash_password(new_password)
    user.token_nonce += 1
    user.session_generation += 1
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()  # the link proved they read mail sent to this address
    throttle.clear(db, user.email)
    log.info("password reset user_id=%s", user.id)
    return user


def email_change_token(user: User) -> str:
    return make_token("change-email", {"uid": user.id, "email": user.pending_email, "n": user.token_nonce})


def request_email_change(db: Session, user: User, *, password: str, new_email: str) -> bool:
    """Remember the new address until it is confirmed; False when it belongs to another account."""
    if not verify_password(user.password_hash, password):
        raise ValidationError("password", "Your password is not correct")
    new_email = queries.normalise_email(new_email)
    if new_email == user.email:
        raise ValidationError("email", "Enter an email address different from your current one")
    user.pending_email = new_email
    db.flush()
    return queries.get_user_by_email(db, new_email) is None


def confirm_email_change(db: Session, token: str) -> User:
    payload = read_token("change-email", token, current_app.config["VERIFY_TOKEN_MAX_AGE"])
    user = db.get(User, payload.get("uid"))
    if user is None or user.pending_email != payload.get("email") or user.token_nonce != payload.get("n"):
        raise TokenError(expired=False)
    if queries.get_user_by_email(db, user.pending_email or "") is not None:
        raise ValidationError(None, "That email address is already in use by another account")
    user.email = user.pending_email or user.email
    user.pending_email = None
    user.email_verified_at = utcnow()
    user.token_nonce += 1
    db.flush()
    log.info("email changed user_id=%s", user.id)
    return user


def may_send_mail(db: Session, address: str, purpose: str) -> bool:
    """Count mail per address per hour, so verification and reset mail cannot flood an inbox."""
    since = utcnow() - timedelta(hours=1)
    sent = db.scalar(
        sa.select(sa.func.count()).select_from(MailLog).where(MailLog.address == address, MailLog.sent_at >= since)
    )
    if (sent or 0) >= current_app.config["MAILS_PER_ADDRESS_PER_HOUR"]:
        log.warning("mail limit reached purpose=%s", purpose)
        return False
    db.add(MailLog(address=address, purpose=purpose))
    db.flush()
    return True


# Signing in --------------------------------------------------------------------------------


def authenticate(
    db: Session, *, email: str, password: str, address: str | None = None, device_cookie: str | None = None
) -> User:
    """Return the user for a correct email and password; too soon after failures, raise throttle.SignInThrottled."""
    email = queries.normalise_email(email)
    user = queries.get_user_by_email(db, email)
    device = trusted_device(device_cookie, user)
    source = throttle.device_source(device) if device else throttle.network_of(address)
    now = clock.now()
    try:
        throttle.check(db, email, source=source, trusted=device is not None, now=now)
    except throttle.SignInThrottled:
        log.warning("sign-in throttled")
        raise
    if user is None:
        burn_password_check(password)
    if user is None or user.disabled or not verify_password(user.password_hash, password):
        throttle.record_failure(db, email, source=source, now=now)
        log.info("sign-in failed")
        raise ValidationError("email", SIGN_IN_FAILED)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_sign_in_at = utcnow()
    throttle.clear(db, email)
    log.info("sign-in user_id=%s", user.id)
    return user


def sign_out_everywhere(db: Session, user: User) -> None:
    """Invalidate every session and remember cookie of this user."""
    user.session_generation += 1
    sessions.end_all(db, user)
    db.flush()
    log.info("signed out everywhere user_id=%s", user.id)


# Profile ----------------------------------------------------------------------------------


def update_profile(db: Session, user: User, *, display_name: str, sector: str, organisation: str = "") -> None:
    user.display_name = " ".join(display_name.split())
    user.sector = Sector(sector)
    current = user.organisation.name if user.organisation else ""
    pending = user.pending_claim.organisation.name if user.pending_claim else ""
    wanted = " ".join(organisation.split())
    if wanted and wanted.lower() not in {current.lower(), pending.lower()}:
        _claim_organisation(db, user, wanted, user.sector)
    db.flush()


def change_password(db: Session, user: User, *, current_password: str, new_password: str) -> None:
    """Change the password after checking the current one; other sessions end."""
    if not verify_password(user.password_hash, current_password):
        raise ValidationError("current_password", "Your current password is not correct")
    check_new_password(new_password, personal=(user.email, user.display_name), field="new_password")
    user.password_hash = hash_password(new_password)
    user.session_generation += 1
    db.flush()
    log.info("password changed user_id=%s", user.id)


# Administration -----------------------------------------------------------------------------


def grant_role(db: Session, user: User, role: Role, *, actor: User) -> None:
    """Give a role; the user's sessions restart so the change applies everywhere at once."""
    refusal = permissions.role_refusal(user, role)
    if refusal:
        raise ValidationError("role", refusal)
    if not permissions.can_grant_role(actor, user, role):
        raise PermissionDenied
    if user.has_role(role):
        return
    user.role_grants.append(RoleGrant(role=role, granted_by_id=actor.id))
    user.session_generation += 1
    db.flush()
    log.info("role granted user_id=%s role=%s by=%s", user.id, role.value, actor.id)


def revoke_role(db: Session, user: User, role: Role, *, actor: User) -> None:
    if not permissions.can_manage_users(actor):
        raise PermissionDenied
    if role == Role.ADMIN and user.id == actor.id:
        raise ValidationError("role", "You cannot remove your own administrator role")
    for grant in list(user.role_grants):
        if grant.role == role:
            user.role_grants.remove(grant)
            user.session_generation += 1
    db.flush()
    log.info("role revoked user_id=%s role=%s by=%s", user.id, role.value, actor.id)


def decide_claim(db: Session, claim: OrganisationClaim, *, approve: bool, actor: User) -> None:
    """Approve or reject a claim; approving sets the user's organisation and approves the body."""
    if not permissions.can_decide_claim(actor, claim):
        raise PermissionDenied
    claim.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
    claim.decided_by_id = actor.id
    claim.decided_at = utcnow()
    if approve:
        claim.organisation.approved = True
        claim.user.organisation = claim.organisation
        if claim.organisation.sector != Sector.GOVERNMENT_DEPARTMENT:
            _drop_department_officer(claim.user)
    db.flush()


def _drop_department_officer(user: User) -> None:
    for grant in list(user.role_grants):
        if grant.role == Role.DEPARTMENT_OFFICER:
            user.role_grants.remove(grant)
            user.session_generation += 1


def set_disabled(db: Session, user: User, disabled: bool, *, actor: User) -> None:
    if not permissions.can_manage_users(actor):
        raise PermissionDenied
    if user.id == actor.id:
        raise ValidationError(None, "You cannot disable your own account")
    user.disabled = disabled
    user.session_generation += 1
    db.flush()


def create_admin(db: Session, *, email: str, display_name: str, password: str) -> User:
    """Create a verified administrator from the command line (there is no default account)."""
    email = queries.normalise_email(email)
    if queries.get_user_by_email(db, email) is not None:
        raise ValidationError("email", "An account with that email address already exists")
    check_new_password(password, personal=(email, display_name))
    user = User(
        email=email,
        display_name=display_name,
        password_hash=hash_password(password),
        sector=Sector.INDIVIDUAL,
        email_verified_at=utcnow(),
    )
    user.role_grants.append(RoleGrant(role=Role.ADMIN))
    db.add(user)
    db.flush()
    return user
