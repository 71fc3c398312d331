"""Decisions reach the people they are about, and queue events the facilitators who run the queue (issue #14 item 4).

Each test makes the change through its feature's service, commits (the mail goes after the commit) and checks who
was told in the app and by email: the right people, with the reason, by their settings; never the person who acted,
and never anyone unrelated or who can no longer see the subject.
"""

from __future__ import annotations

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from consult.accounts.models import Role, Sector
from consult.agreement import ledger
from consult.agreement import services as agreement
from consult.clock import london_today
from consult.db import utcnow
from consult.discussions import services as discussions
from consult.discussions.models import Comment
from consult.meetings import services as meetings
from consult.meetings.models import NoteStatus, Rsvp
from consult.moderation import services as moderation
from consult.notifications.models import Notification, NotificationKind
from consult.objectives import services as objectives
from consult.objectives.lifecycle import Status
from consult.objectives.models import Criterion, Proposal
from consult.papers import review
from consult.papers import services as papers
from consult.processes import services as processes
from consult.processes.models import JoinPolicy, Membership
from consult.processes.queries import membership_of
from consult.processes.timeline import ProcessState
from tests.factories import make_group, make_organisation, make_process, make_thread

K = NotificationKind


@pytest.fixture
def cast(db, make_user):
    """A process run by its facilitator (creator and group facilitator), an author, a bystander in the same group,
    and a facilitator of the site who does not run this process."""
    runner = make_user(roles=(Role.FACILITATOR,), display_name="Fay Runner")
    other_facilitator = make_user(roles=(Role.FACILITATOR,), display_name="Olu Elsewhere")
    author = make_user(display_name="Ann Author")
    bystander = make_user(display_name="Ben Bystander")
    process = make_process(db, created_by_id=runner.id)
    group = make_group(db, process, members=[author, bystander], facilitators=[runner])
    return {
        "process": process,
        "group": group,
        "runner": runner,
        "other_facilitator": other_facilitator,
        "author": author,
        "bystander": bystander,
    }


def told(db, user) -> list[Notification]:
    return list(db.scalars(sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)))


def kinds(db, user) -> list[NotificationKind]:
    return [n.kind for n in told(db, user)]


def mail_to(outbox, user) -> list:
    return [m for m in outbox() if m["To"] == user.email]


def nobody_else(db, cast, *, but) -> None:
    """Only `but` (names in cast) were told anything."""
    for name in ("runner", "other_facilitator", "author", "bystander"):
        if name not in but:
            assert told(db, cast[name]) == [], f"{name} was told"


def test_a_hidden_comment_tells_its_author_with_the_reason_by_email_at_once(app, db, cast, outbox):
    thread = make_thread(db, cast["group"], cast["bystander"], title="Data items", replies=1)
    comment = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id, Comment.parent_id.is_not(None)))
    comment.author_id = cast["author"].id
    db.commit()
    with app.app_context():
        moderation.hide(
            db, comment, cast["group"], actor=cast["runner"], membership=None, reason="Names a private person"
        )
        db.commit()
    (notification,) = told(db, cast["author"])
    assert notification.kind == K.COMMENT_MODERATED
    assert notification.message == "A facilitator hid your comment in “Data items”"
    assert notification.detail == "Reason: Names a private person"
    assert notification.emailed_at is not None
    (message,) = mail_to(outbox, cast["author"])
    assert "hid your comment" in message["Subject"]
    body = message.get_content()
    assert "Reason: Names a private person" in body and f"/comments/{comment.id}/in-thread" in body
    nobody_else(db, cast, but={"author"})
    assert len(outbox()) == 1

    with app.app_context():
        moderation.restore(db, comment, cast["group"], actor=cast["runner"], membership=None, reason="Edited out")
        db.commit()
    restored = told(db, cast["author"])[-1]
    assert (restored.message, restored.detail) == ("Your comment in “Data items” was restored", "Reason: Edited out")
    assert len(mail_to(outbox, cast["author"])) == 2


def test_decision_emails_follow_the_decisions_setting_not_the_general_one(app, db, cast, outbox):
    author = cast["author"]
    author.notification_email, author.decision_email = "each", "none"
    db.commit()
    thread = make_thread(db, cast["group"], author)
    opening = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id))
    with app.app_context():
        moderation.hide(db, opening, cast["group"], actor=cast["runner"], membership=None, reason="Off topic")
        db.commit()
    assert kinds(db, author) == [K.COMMENT_MODERATED], "told on the site"
    assert mail_to(outbox, author) == [], "but not mailed: decisions are off"


def test_a_rolled_back_decision_leaves_no_notification_and_sends_nothing(app, db, cast, outbox):
    thread = make_thread(db, cast["group"], cast["author"])
    opening = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id))
    with app.app_context():
        moderation.hide(db, opening, cast["group"], actor=cast["runner"], membership=None, reason="Off topic")
        db.rollback()
    assert told(db, cast["author"]) == []
    assert outbox() == []


def test_a_report_reaches_the_groups_facilitators_without_naming_the_reporter(app, db, cast, outbox):
    cast["runner"].notification_email = "each"
    db.commit()
    thread = make_thread(db, cast["group"], cast["author"], title="Retention")
    opening = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id))
    reporter = cast["bystander"]
    with app.app_context():
        moderation.report(
            db, opening, actor=reporter, membership=membership_of(db, cast["group"].id, reporter), reason="Abusive"
        )
        db.commit()
    (notification,) = told(db, cast["runner"])
    assert notification.kind == K.REPORT
    assert notification.message == "A comment in “Retention” was reported"
    assert notification.detail == "Reason given: Abusive"
    assert notification.link == f"/processes/{cast['process'].slug}/moderation/queue"
    assert reporter.display_name not in notification.message
    (mail,) = mail_to(outbox, cast["runner"])
    assert "Reason given: Abusive" in mail.get_content() and "/moderation/queue" in mail.get_content()
    nobody_else(db, cast, but={"runner"})


def test_a_group_with_no_facilitator_of_its_own_falls_back_to_the_sites_facilitators(app, db, cast, make_user):
    lone = make_group(db, make_process(db), members=[cast["author"], cast["bystander"]])
    thread = make_thread(db, lone, cast["author"])
    opening = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id))
    with app.app_context():
        moderation.report(
            db, opening, actor=cast["bystander"], membership=membership_of(db, lone.id, cast["bystander"]), reason="x"
        )
        db.commit()
    assert kinds(db, cast["runner"]) == kinds(db, cast["other_facilitator"]) == [K.REPORT]
    assert told(db, cast["author"]) == told(db, cast["bystander"]) == []


def test_a_new_issue_reaches_the_groups_facilitators(app, db, cast):
    author = cast["author"]
    with app.app_context():
        discussions.start_thread(
            db,
            cast["group"],
            actor=author,
            membership=membership_of(db, cast["group"].id, author),
            state=ProcessState.OPEN,
            kind="issue",
            title="Consent in debt",
            body="Raised early.",
        )
        discussions.start_thread(
            db,
            cast["group"],
            actor=author,
            membership=membership_of(db, cast["group"].id, author),
            state=ProcessState.OPEN,
            kind="discussion",
            title="Just talk",
            body="Hello.",
        )
        db.commit()
    (notification,) = told(db, cast["runner"])
    assert notification.kind == K.NEW_ISSUE, "a discussion is not the facilitators' queue"
    assert "raised an issue" in notification.message and "Consent in debt" in notification.message
    nobody_else(db, cast, but={"runner"})


def test_an_issue_status_change_tells_who_raised_it_with_the_note(app, db, cast, outbox):
    thread = make_thread(db, cast["group"], cast["author"], kind="issue", title="Consent")
    thread.issue_status = "open"
    db.commit()
    with app.app_context():
        discussions.set_issue_status(
            db, thread, actor=cast["runner"], membership=None, status="answered", note="See paragraph 4"
        )
        db.commit()
    (notification,) = told(db, cast["author"])
    assert (notification.kind, notification.detail) == (K.OWN_ISSUE_STATUS, "Note: See paragraph 4")
    assert "See paragraph 4" in mail_to(outbox, cast["author"])[0].get_content(), "a decision: mailed at once"
    nobody_else(db, cast, but={"author"})


def test_proposed_statements_reach_the_facilitators_and_the_decision_its_author(app, db, cast, outbox):
    process, author = cast["process"], cast["author"]
    with app.app_context():
        statement = agreement.add_statement(
            db, process.id, actor=author, state=ProcessState.OPEN, text="Share a flag only", blocked=False
        )
        db.commit()
    (proposed,) = told(db, cast["runner"])
    assert proposed.kind == K.PROPOSED_STATEMENT
    assert proposed.message == "Ann Author proposed a statement: “Share a flag only”"
    assert proposed.link == f"/processes/{process.slug}/statements/{statement.id}"
    assert proposed.emailed_at is None and mail_to(outbox, cast["runner"]) == [], "queue events: the daily email"
    nobody_else(db, cast, but={"runner"})

    with app.app_context():
        agreement.decide_statement(db, statement, actor=cast["runner"], accept=False, reason="Two ideas in one")
        db.commit()
    (decided,) = told(db, author)
    assert decided.kind == K.STATEMENT_DECIDED
    assert decided.message == "Your statement “Share a flag only” was rejected"
    assert decided.detail == "Reason: Two ideas in one"
    assert decided.link == proposed.link, "the author can open their rejected statement"
    assert "Two ideas in one" in mail_to(outbox, author)[0].get_content()
    assert kinds(db, cast["runner"]) == [K.PROPOSED_STATEMENT], "the facilitator is not told of their own decision"

    with app.app_context():
        agreement.decide_statement(db, statement, actor=cast["runner"], accept=True, reason="")
        db.commit()
    accepted = told(db, author)[-1]
    assert accepted.message.endswith("was accepted: people can vote on it now") and accepted.detail == ""


def test_a_facilitators_own_statement_tells_nobody(app, db, cast):
    with app.app_context():
        agreement.add_statement(
            db,
            cast["process"].id,
            actor=cast["runner"],
            state=ProcessState.OPEN,
            text="Accepted at once",
            blocked=False,
        )
        db.commit()
    nobody_else(db, cast, but=set())


def test_a_mediation_request_reaches_the_facilitators_with_its_reason(app, db, cast):
    statement = agreement.create_statement(
        db, cast["process"].id, author=cast["runner"], text="Water companies are public bodies", accepted=True
    )
    db.commit()
    with app.app_context():
        ledger.flag_for_mediation(db, statement, actor=cast["author"], reason="We were not heard", blocked=False)
        db.commit()
    (notification,) = told(db, cast["runner"])
    assert notification.kind == K.MEDIATION_REQUEST
    assert notification.detail == "Reason: We were not heard"
    assert notification.link == f"/processes/{cast['process'].slug}/mediation"
    nobody_else(db, cast, but={"runner"})


def test_join_requests_reach_the_facilitators_and_the_decision_the_person(app, db, cast, make_user):
    closed = make_group(db, cast["process"], join_policy=JoinPolicy.REQUEST, facilitators=[cast["runner"]])
    newcomer, second = make_user(display_name="Nia Newcomer"), make_user(display_name="Sam Second")
    with app.app_context():
        processes.join_group(db, closed, actor=newcomer, state=ProcessState.OPEN)
        processes.join_group(db, closed, actor=second, state=ProcessState.OPEN)
        db.commit()
    assert [n.message for n in told(db, cast["runner"])] == [
        f"Nia Newcomer asked to join {closed.name}",
        f"Sam Second asked to join {closed.name}",
    ]
    assert all(n.link == f"/processes/{cast['process'].slug}/groups/{closed.slug}" for n in told(db, cast["runner"]))
    pending = {m.user_id: m for m in db.scalars(sa.select(Membership).where(Membership.group_id == closed.id))}
    runner_membership = membership_of(db, closed.id, cast["runner"])
    with app.app_context():
        processes.decide_membership(
            db, pending[newcomer.id], actor=cast["runner"], approve=True, actor_membership=runner_membership
        )
        processes.decide_membership(
            db, pending[second.id], actor=cast["runner"], approve=False, actor_membership=runner_membership
        )
        db.commit()
    assert [(n.kind, n.message) for n in told(db, newcomer)] == [
        (K.JOIN_DECIDED, f"You are now a member of {closed.name}")
    ]
    assert [n.message for n in told(db, second)] == [f"Your request to join {closed.name} was turned down"]
    assert len(told(db, cast["runner"])) == 2, "nothing about their own decisions"
    nobody_else(db, cast, but={"runner"})


def test_joining_an_open_group_asks_nobody(app, db, cast, make_user):
    with app.app_context():
        processes.join_group(db, make_group(db, cast["process"]), actor=make_user(), state=ProcessState.OPEN)
        db.commit()
    nobody_else(db, cast, but=set())


@pytest.fixture
def paper(app, db, cast):
    with app.app_context():
        paper = papers.create_paper(db, cast["process"], actor=cast["runner"], title="Conclusions")
        papers.change_status(db, paper, actor=cast["runner"], target="in_review")
    db.commit()
    return paper


def test_review_comments_reach_the_facilitators_and_the_papers_author(app, db, cast, paper):
    with app.app_context():
        comment = review.add_comment(
            db, paper, actor=cast["author"], is_member=True, paragraph=0, body="Too strong", blocked=False
        )
        db.commit()
    (notification,) = told(db, cast["runner"])
    assert notification.kind == K.REVIEW_COMMENT
    assert notification.message == "Ann Author commented on the draft of “Conclusions”"
    assert f"/papers/{paper.id}/draft#comment-{comment.id}" in mail_to_path(notification)
    nobody_else(db, cast, but={"runner"})

    with app.app_context():
        review.reply(db, paper, comment, actor=cast["bystander"], is_member=True, body="Agreed", blocked=False)
        db.commit()
    assert kinds(db, cast["author"]) == [K.REVIEW_REPLY]
    assert kinds(db, cast["runner"]) == [K.REVIEW_COMMENT, K.REVIEW_COMMENT]
    assert told(db, cast["bystander"]) == []


def mail_to_path(notification: Notification) -> str:
    from consult.notifications.services import link_of

    return link_of(notification)


def test_a_resolved_review_comment_tells_its_author_what_was_done(app, db, cast, paper, outbox):
    with app.app_context():
        comment = review.add_comment(
            db, paper, actor=cast["author"], is_member=True, paragraph=0, body="Too strong", blocked=False
        )
        review.resolve(db, comment, actor=cast["runner"], note="Softened the wording")
        db.commit()
    (notification,) = told(db, cast["author"])
    assert notification.kind == K.REVIEW_RESOLVED
    assert notification.detail == "What was done: Softened the wording"
    assert "Softened the wording" in mail_to(outbox, cast["author"])[0].get_content()
    assert told(db, cast["bystander"]) == told(db, cast["other_facilitator"]) == []


def test_a_reviewer_who_has_left_the_process_is_not_told(app, db, cast, paper):
    author = cast["author"]
    with app.app_context():
        comment = review.add_comment(db, paper, actor=author, is_member=True, paragraph=0, body="Hm", blocked=False)
        db.commit()
        processes.leave_group(db, membership_of(db, cast["group"].id, author), actor=author)
        review.reply(db, paper, comment, actor=cast["bystander"], is_member=True, body="Agreed", blocked=False)
        review.resolve(db, comment, actor=cast["runner"], note="Done")
        db.commit()
    assert told(db, author) == [], "they can no longer read the working text"


def test_published_notes_reach_those_who_came(app, db, cast, make_user):
    came, unmarked, absent, stranger = cast["author"], cast["bystander"], make_user(), make_user()
    with app.app_context():
        scheduled = meetings.schedule(
            db,
            cast["process"],
            actor=cast["runner"],
            group=None,
            title="Plenary",
            day=london_today() + timedelta(days=30),
            start_time=time(10),
            end_time=time(12),
            venue="Hall",
            city="York",
        )
    meeting = scheduled.meeting
    for person, attended in ((came, True), (unmarked, None), (absent, False)):
        db.add(Rsvp(meeting_id=meeting.id, user_id=person.id, mode="in_person", attended=attended))
    meeting.notes, meeting.notes_status = "We agreed.", NoteStatus.FINAL
    db.commit()
    with app.app_context():
        meetings.set_notes_status(db, meeting, actor=cast["runner"], status="published")
        db.commit()
    for person in (came, unmarked):
        (notification,) = told(db, person)
        assert (notification.kind, notification.link) == (K.NOTES_PUBLISHED, f"/meetings/{meeting.id}/notes")
    assert told(db, absent) == told(db, stranger) == told(db, cast["runner"]) == []


@pytest.fixture
def proposal(app, db, cast, make_user):
    """A public proposal of one department in open policy discussion, with its conditions assessed."""
    dwp = make_organisation(db, name="DWP", sector=Sector.GOVERNMENT_DEPARTMENT)
    dfe = make_organisation(db, name="DfE", sector=Sector.GOVERNMENT_DEPARTMENT)
    officer_role = (Role.DEPARTMENT_OFFICER,)
    people = {
        "officer": make_user(organisation=dwp, sector=Sector.GOVERNMENT_DEPARTMENT, roles=officer_role),
        "colleague": make_user(organisation=dwp, sector=Sector.GOVERNMENT_DEPARTMENT, roles=officer_role),
        "other_department": make_user(organisation=dfe, sector=Sector.GOVERNMENT_DEPARTMENT, roles=officer_role),
        "board": make_user(roles=(Role.REVIEW_BOARD,)),
        "second_board": make_user(roles=(Role.REVIEW_BOARD,)),
    }
    proposal = Proposal(
        department_id=dwp.id,
        created_by_id=people["officer"].id,
        answers={"title": "Fuel poverty"},
        status=Status.OPEN_POLICY_DISCUSSION,
        submitted_at=utcnow(),
        process_id=cast["process"].id,
    )
    db.add(proposal)
    db.flush()
    with app.app_context():
        for criterion in Criterion:
            objectives.record_assessment(
                db, proposal, actor=cast["runner"], criterion=criterion.value, view="met", note="Yes"
            )
    db.commit()
    return proposal, people


def test_a_proposal_reaching_the_board_tells_the_department_and_the_board(app, db, cast, proposal):
    proposal, people = proposal
    with app.app_context():
        objectives.transition(db, proposal, actor=cast["runner"], target="review_board", reason="Discussion done")
        db.commit()
    for officer in ("officer", "colleague"):
        (notification,) = told(db, people[officer])
        assert notification.kind == K.PROPOSAL_MOVED
        assert notification.message == "“Fuel poverty” moved from open policy discussion to review board"
        assert notification.detail == "Reason: Discussion done"
        assert mail_to_path(notification) == f"/objectives/proposals/{proposal.id}"
    for member in ("board", "second_board"):
        assert [n.message for n in told(db, people[member])] == ["“Fuel poverty” is with the review board"]
    assert told(db, people["other_department"]) == []
    nobody_else(db, cast, but=set())

    with app.app_context():
        objectives.transition(db, proposal, actor=people["officer"], target="paused", reason="Waiting for data")
        db.commit()
    assert kinds(db, people["colleague"]) == [K.PROPOSAL_MOVED, K.PROPOSAL_MOVED]
    assert kinds(db, people["officer"]) == [K.PROPOSAL_MOVED], "not told of their own move"
    assert len(told(db, people["board"])) == 1, "the board hears only that it has reached them"


def test_a_recommendation_tells_the_department_without_revealing_it(app, db, cast, proposal, outbox):
    proposal, people = proposal
    with app.app_context():
        objectives.transition(db, proposal, actor=cast["runner"], target="review_board", reason="Done")
        db.commit()
        objectives.record_recommendation(
            db, proposal, actor=people["board"], recommendation="revise", reasons="Narrow the data items"
        )
        db.commit()
    latest = told(db, people["officer"])[-1]
    assert latest.kind == K.RECOMMENDATION
    assert latest.message == "A review board member recorded a recommendation on “Fuel poverty”"
    assert "Narrow" not in latest.message + latest.detail, "recommendations stay with the board until it has decided"
    assert any("recorded a recommendation" in m["Subject"] for m in mail_to(outbox, people["officer"]))
    assert len(told(db, people["board"])) == 1 and len(told(db, people["second_board"])) == 1
    assert told(db, people["other_department"]) == []


def test_an_officer_who_left_the_department_is_not_told(app, db, cast, proposal):
    proposal, people = proposal
    people["colleague"].organisation_id = make_organisation(db, name="Elsewhere").id
    db.commit()
    with app.app_context():
        objectives.transition(db, proposal, actor=cast["runner"], target="review_board", reason="Done")
        db.commit()
    assert told(db, people["colleague"]) == []
    assert kinds(db, people["officer"]) == [K.PROPOSAL_MOVED]
