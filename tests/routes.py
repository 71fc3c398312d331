"""The demo world, and every route of the app with its URL arguments filled from it, for tests that walk them all."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session
from werkzeug.routing import IntegerConverter, Rule

from consult.accounts.models import OrganisationClaim, User
from consult.agreement.models import Mediation, Statement
from consult.demo import accounts as demo
from consult.discussions.models import Comment, Thread
from consult.meetings.models import Meeting, MeetingAction
from consult.objectives.models import ObjectiveInForce, Proposal
from consult.pages.models import ContentPage
from consult.papers.models import Paper, PaperComment
from consult.processes.models import Membership, Process, Stage, WorkingGroup
from consult.provenance.models import StatementSource

#: Arguments no world object can supply (emailed tokens, static files, the opinion map's analysis version).
UNFILLABLE = {"token": "not-a-token", "version": "not-a-version"}  # version: the opinion map's analysis version


def seed_demo_world(app: Flask, db: Session, tmp_path: Path) -> tuple[User, str]:
    """The demo content (processes, groups, threads, meetings, statements, a proposal, a published paper).

    Returns the demo admin and the demo password.
    """
    password_path = tmp_path / "demo-password.txt"
    with app.app_context():
        demo.seed(db, password_path=password_path, echo=lambda _: None)
    db.commit()
    admin = db.scalar(sa.select(User).where(User.email == "admin@demo.example.org"))
    return admin, password_path.read_text().strip()


@dataclass
class Route:
    rule: Rule
    methods: frozenset[str]
    int_arguments: tuple[str, ...]


def int_arguments(rule: Rule) -> tuple[str, ...]:
    return tuple(name for name, converter in rule._converters.items() if isinstance(converter, IntegerConverter))


def routes(app: Flask) -> Iterator[Route]:
    """The app's rules, skipping static files (their paths are files, not ids or parameters)."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.endswith("static"):
            continue
        yield Route(rule, frozenset(rule.methods - {"HEAD", "OPTIONS"}), int_arguments(rule))


def _first(db: Session, statement: sa.Select):
    return db.scalars(statement.limit(1)).first()


def world_arguments(db: Session) -> dict[str, object]:
    """URL argument values taken from the seeded demo world: one existing object of each kind."""
    thread = _first(db, sa.select(Thread).order_by(Thread.id))
    group = db.get(WorkingGroup, thread.group_id)
    process = db.get(Process, group.process_id)
    paper = _first(db, sa.select(Paper).where(Paper.process_id == process.id))
    values: dict[str, object] = {
        "slug": process.slug,
        "group_slug": group.slug,
        "thread_id": thread.id,
        "comment_id": _first(db, sa.select(Comment.id).where(Comment.thread_id == thread.id)),
        "membership_id": _first(db, sa.select(Membership.id).where(Membership.group_id == group.id)),
        "stage_id": _first(db, sa.select(Stage.id).where(Stage.process_id == process.id)),
        "user_id": _first(db, sa.select(User.id)),
        "claim_id": _first(db, sa.select(OrganisationClaim.id)),
        "meeting_id": _first(db, sa.select(Meeting.id).where(Meeting.process_id == process.id)),
        "action_id": _first(db, sa.select(MeetingAction.id)),
        "process_id": process.id,
        "proposal_id": _first(db, sa.select(Proposal.id)),
        "number": 1,
        "statement_id": _first(db, sa.select(Statement.id).where(Statement.process_id == process.id)),
        "mediation_id": _first(db, sa.select(Mediation.id)),
        "source_id": _first(db, sa.select(StatementSource.id)),
        "paper_id": paper.id if paper else None,
        "paragraph": 1,
        "kind": "finding",
        "ref_id": 1,
        "target": "paused",
        **UNFILLABLE,
    }
    return {name: 1 if value is None else value for name, value in values.items()}


def endpoint_arguments(db: Session) -> dict[str, dict[str, object]]:
    """Rules whose `slug` is not a process slug."""
    return {
        "pages.show": {"slug": _first(db, sa.select(ContentPage.slug)) or "about"},
        "objectives.in_force": {"slug": _first(db, sa.select(ObjectiveInForce.slug)) or "none"},
        "papers.reply": {"comment_id": _first(db, sa.select(PaperComment.id)) or 1},
        "papers.resolve": {"comment_id": _first(db, sa.select(PaperComment.id)) or 1},
    }


def build_path(rule: Rule, arguments: dict[str, object]) -> str:
    """The path for a rule, built by the app's own URL map so the test checks what routing really accepts."""
    built = rule.build({name: arguments[name] for name in rule.arguments}, append_unknown=False)
    assert built is not None, rule.rule
    return built[1]
