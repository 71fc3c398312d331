"""The people and objects the hostile-corpus forms act on, made on first use so each form builds only what it needs."""

from __future__ import annotations

import itertools
from datetime import time, timedelta
from functools import cached_property

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from consult.accounts.models import Role, Sector, User
from consult.agreement.models import Mediation, Statement, StatementStatus
from consult.clock import london_today
from consult.db import utcnow
from consult.discussions.models import Comment, CommentRevision, Thread
from consult.meetings import services as meetings
from consult.meetings.models import AttendanceMode, MeetingAction, NoteStatus, Rsvp
from consult.objectives.lifecycle import Status
from consult.objectives.models import Proposal
from consult.papers import services as papers
from consult.papers.models import PaperComment, PaperStatus
from consult.processes.models import JoinPolicy, Membership, MembershipStatus, WorkingGroup
from tests import factories
from tests.factories import PASSWORD, csrf_from

_numbers = itertools.count(1)


class World:
    """One open process with a group, a thread, a meeting, statements, proposals and papers, and their people."""

    def __init__(self, db: Session, app: Flask) -> None:
        self.db = db
        self.app = app

    def _user(self, *roles: Role, **overrides):
        with self.app.app_context():
            return factories.make_user(self.db, roles=roles, **overrides)

    @cached_property
    def facilitator(self):
        return self._user(Role.FACILITATOR)

    @cached_property
    def admin(self):
        return self._user(Role.ADMIN)

    @cached_property
    def member(self):
        """A participant in the group: starts threads, comments, votes, reviews papers."""
        user = self._user()
        membership = Membership(group_id=self.group.id, user_id=user.id, status=MembershipStatus.MEMBER)
        membership.approved_at = utcnow()
        self.db.add(membership)
        self.db.commit()
        return user

    @cached_property
    def reader(self):
        """A participant outside every group: reports comments, flags statements, asks to join."""
        return self._user()

    @cached_property
    def officer(self):
        department = factories.make_organisation(
            self.db, name="Department for Hostile Input", sector=Sector.GOVERNMENT_DEPARTMENT
        )
        return self._user(Role.DEPARTMENT_OFFICER, organisation_id=department.id, sector=Sector.GOVERNMENT_DEPARTMENT)

    @cached_property
    def board(self):
        return self._user(Role.REVIEW_BOARD)

    @cached_property
    def process(self):
        return factories.make_process(self.db, slug="hostile-corpus", title="Hostile corpus process")

    @cached_property
    def group(self):
        return factories.make_group(self.db, self.process, slug="corpus-group", name="Corpus group")

    def fresh_group(self) -> WorkingGroup:
        """A group nobody has joined yet (joining is once per person and group)."""
        return factories.make_group(self.db, self.process, join_policy=JoinPolicy.OPEN)

    @cached_property
    def thread(self):
        return factories.make_thread(self.db, self.group, self.member, kind="issue", title="Corpus thread")

    def fresh_thread(self, *, hidden: bool = False) -> Thread:
        """A thread by the member, visible or already hidden (hiding and restoring are once per thread)."""
        thread = factories.make_thread(self.db, self.group, self.member, title=f"Thread {next(_numbers)}")
        if hidden:
            thread.hidden_at, thread.hidden_reason = utcnow(), "Hidden before"
            self.db.commit()
        return thread

    @cached_property
    def opening(self) -> Comment:
        first = sa.select(Comment).where(Comment.thread_id == self.thread.id, Comment.parent_id.is_(None))
        return self.db.scalar(first)

    def fresh_comment(self) -> Comment:
        """A visible reply by the member (reports and hides are once per comment)."""
        comment = Comment(
            thread_id=self.thread.id, parent_id=self.opening.id, author_id=self.member.id, body="A reply", depth=1
        )
        self.db.add(comment)
        self.db.flush()
        self.db.add(CommentRevision(comment_id=comment.id, body=comment.body))
        self.db.commit()
        return comment

    @cached_property
    def comment(self) -> Comment:
        return self.fresh_comment()

    @cached_property
    def member_membership(self) -> Membership:
        return self.db.scalars(
            sa.select(Membership).where(Membership.group_id == self.group.id, Membership.user_id == self.member.id)
        ).one()

    @cached_property
    def meeting(self):
        """A future meeting whose notes are shared, with the member signed up (so they may comment on the notes)."""
        with self.app.app_context():
            meeting = meetings.schedule(
                self.db,
                self.process,
                actor=self.facilitator,
                group=self.group,
                title="Corpus meeting",
                day=london_today() + timedelta(days=30),
                start_time=time(10),
                end_time=time(12),
                venue="Town hall",
                city="Leeds",
            ).meeting
        meeting.notes_status = NoteStatus.SHARED
        self.db.add(Rsvp(meeting_id=meeting.id, user_id=self.member.id, mode=AttendanceMode.IN_PERSON))
        self.db.commit()
        return meeting

    @cached_property
    def meeting_action(self) -> MeetingAction:
        action = MeetingAction(meeting_id=self.meeting.id, description="Write it up", owner="The facilitators")
        self.db.add(action)
        self.db.commit()
        return action

    def fresh_statement(self, status: StatementStatus = StatementStatus.ACCEPTED) -> Statement:
        statement = Statement(
            process_id=self.process.id, text=f"Statement {next(_numbers)}", author_id=self.facilitator.id, status=status
        )
        self.db.add(statement)
        self.db.commit()
        return statement

    @cached_property
    def statement(self) -> Statement:
        return self.fresh_statement()

    def fresh_mediation(self) -> Mediation:
        mediation = Mediation(statement_id=self.statement.id, parties="Two sides", facilitator_id=self.facilitator.id)
        self.db.add(mediation)
        self.db.commit()
        return mediation

    def latest_mediation_parties(self) -> str:
        """Parties are never published; what was stored is checked instead."""
        return self.db.scalar(sa.select(Mediation.parties).order_by(Mediation.id.desc()).limit(1)) or ""

    def fresh_proposal(self, status: Status = Status.DRAFT) -> Proposal:
        """A proposal of the officer's department, put straight into `status` (the walk there is tested elsewhere)."""
        proposal = Proposal(
            department_id=self.officer.organisation_id,
            created_by_id=self.officer.id,
            answers={"title": f"Proposal {next(_numbers)}"},
            status=status,
            process_id=self.process.id,
            submitted_at=None if status == Status.DRAFT else utcnow(),
        )
        self.db.add(proposal)
        self.db.commit()
        return proposal

    @cached_property
    def proposal(self) -> Proposal:
        return self.fresh_proposal()

    @cached_property
    def public_proposal(self) -> Proposal:
        return self.fresh_proposal(Status.SUBMITTED)

    def fresh_paper(self, status: PaperStatus = PaperStatus.IN_REVIEW):
        self.member  # noqa: B018 - papers are reviewed by the process's members
        with self.app.app_context():
            paper = papers.create_paper(self.db, self.process, actor=self.facilitator, title="Corpus paper")
        paper.status = status
        self.db.commit()
        return paper

    @cached_property
    def paper(self):
        return self.fresh_paper()

    @cached_property
    def drafting_paper(self):
        return self.fresh_paper(PaperStatus.DRAFTING)

    def fresh_paper_comment(self) -> PaperComment:
        comment = PaperComment(
            paper_id=self.paper.id, author_id=self.member.id, body="A review comment", version_number=1, paragraph=0
        )
        self.db.add(comment)
        self.db.commit()
        return comment


def signed_in(app: Flask, user: User | None) -> tuple[FlaskClient, str]:
    """A client (signed in through the real form unless user is None) and its CSRF token."""
    client = app.test_client()
    if user is None:
        return client, csrf_from(client.get("/account/register").get_data(as_text=True))
    token = csrf_from(client.get("/account/sign-in").get_data(as_text=True))
    response = client.post("/account/sign-in", data={"csrf_token": token, "email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    return client, csrf_from(client.get("/account/").get_data(as_text=True))
