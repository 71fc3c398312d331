"""Features announce events with plain values and never import notifications, which subscribes to them."""

from __future__ import annotations

import ast
from pathlib import Path

import sqlalchemy as sa

from consult import events
from consult.discussions import services as discussions
from consult.notifications import services as notifications
from consult.processes.models import Membership
from consult.processes.timeline import ProcessState
from tests.factories import make_group, make_process

PACKAGE = Path(__file__).parent.parent / "consult"


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any level (top of the file or inside a function)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_no_feature_imports_notifications():
    # jobs is the scheduler, not a feature: its periodic digest job calls notifications as the CLI does.
    features = [
        p for p in PACKAGE.iterdir() if (p / "__init__.py").exists() and p.name not in {"notifications", "jobs"}
    ]
    offenders = sorted(
        str(path.relative_to(PACKAGE))
        for feature in features
        for path in feature.rglob("*.py")
        if any(name.startswith("consult.notifications") for name in imported_modules(path))
    )
    assert features and offenders == []


def test_a_started_thread_is_announced_with_plain_values(app, db, make_user):
    author = make_user()
    group = make_group(db, make_process(db), members=[author])
    membership = db.scalar(sa.select(Membership).where(Membership.user_id == author.id))
    announced: list[dict] = []

    def record(sender, **data):
        announced.append(data)

    with app.app_context(), events.thread_started.connected_to(record):
        thread = discussions.start_thread(
            db, group, actor=author, membership=membership, state=ProcessState.OPEN, kind="issue", title="T", body="B"
        )
    assert announced == [
        {
            "thread_id": thread.id,
            "title": "T",
            "kind": "issue",
            "group_id": group.id,
            "group_name": group.name,
            "process_id": group.process_id,
            "actor_id": author.id,
            "actor_name": author.display_name,
        }
    ]


def test_follow_state_is_answered_by_notifications(app, db, make_user):
    person = make_user()
    group = make_group(db, make_process(db), members=[person])
    assert not events.is_following(db, person, "group", group.id)
    notifications.follow(db, person, "group", group.id)
    assert events.is_following(db, person, "group", group.id)
