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


def csrf_token(client) -> str:
    """A valid CSRF token for the client's current session, read from a page once per session secret."""
    with client.session_transaction() as session:
        secret = session.get("csrf_token")
    cached = getattr(client, "_csrf_cache", None)
    if secret is None or cached is None or cached[0] != secret:
        page = client.get("/account/")  # signed in: the account page; signed out: it redirects to sign in
        if page.status_code != 200:
            page = client.get("/account/sign-in")
        token = csrf_from(page.get_data(as_text=True))
        with client.session_transaction() as session:
            client._csrf_cache = (session.get("csrf_token"), token)
    return client._csrf_cache[1]


def count_queries_of(client, query_counter, url: str) -> int:
    """SQL statements one GET of the page runs, after a warm-up request (the shared test session starts each empty)."""
    client.get(url)
    with query_counter() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def post(client, path: str, **data):
    """POST a form as a browser would: a CSRF token for the current session and, for forms that create something,
    a submission token never used before (consult.posting.tokens)."""
    return client.post(path, data={"csrf_token": csrf_token(client), "submission_token": fresh_token(), **data})


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


def make_process(db: Session, *, state: str = "open", **overrides):
    """A process whose single stage makes it open, forthcoming or closed today."""
    from datetime import timedelta

    from consult.clock import london_today
    from consult.processes.models import Process, Stage, StageKind

    n = next(_sequence)
    today = london_today()
    starts, ends = {
        "open": (today - timedelta(days=10), today + timedelta(days=30)),
        "forthcoming": (today + timedelta(days=10), today + timedelta(days=40)),
        "closed": (today - timedelta(days=40), today - timedelta(days=10)),
    }[state]
    values = {"slug": f"process-{n}", "title": f"Process {n}", "summary": "What we will discuss."} | overrides
    process = Process(**values)
    process.stages.append(Stage(kind=StageKind.WORKING_GROUPS, starts_on=starts, ends_on=ends))
    db.add(process)
    db.commit()
    return process


def make_group(db: Session, process, *, members=(), facilitators=(), **overrides):
    from consult.db import utcnow
    from consult.processes.models import JoinPolicy, Membership, MembershipStatus, WorkingGroup

    n = next(_sequence)
    values = {"slug": f"group-{n}", "name": f"Group {n}", "remit": "Our remit.", "join_policy": JoinPolicy.OPEN}
    group = WorkingGroup(process_id=process.id, **(values | overrides))
    db.add(group)
    db.flush()
    for user in members:
        db.add(Membership(group_id=group.id, user_id=user.id, status=MembershipStatus.MEMBER, approved_at=utcnow()))
    for user in facilitators:
        db.add(
            Membership(group_id=group.id, user_id=user.id, status=MembershipStatus.FACILITATOR, approved_at=utcnow())
        )
    db.commit()
    return group


def make_thread(
    db: Session, group, author, *, replies: int = 0, kind: str = "discussion", title: str = "A thread", seed: int = 1
):
    """A thread with `replies` comments spread over several levels by a seeded generator."""
    import random

    from consult.discussions.models import Comment, CommentRevision, Thread, ThreadKind

    thread = Thread(group_id=group.id, kind=ThreadKind(kind), title=title, author_id=author.id)
    db.add(thread)
    db.flush()
    opening = Comment(thread_id=thread.id, author_id=author.id, body="Opening post", depth=0)
    db.add(opening)
    db.flush()
    db.add(CommentRevision(comment_id=opening.id, body=opening.body))
    rng = random.Random(seed)
    comments = [opening]
    for n in range(replies):
        parent = rng.choice(comments[-20:]) if rng.random() < 0.7 else opening
        comment = Comment(
            thread_id=thread.id,
            parent_id=parent.id,
            author_id=author.id,
            body=f"Reply {n}: " + "words " * rng.randint(5, 60),
            depth=parent.depth + 1,
        )
        db.add(comment)
        comments.append(comment)
        if n % 200 == 0:
            db.flush()
    db.flush()
    db.commit()
    return thread


def fresh_token() -> str:
    """A new one-time submission token, as a create form renders it."""
    import uuid

    return uuid.uuid4().hex
