"""The start page ("Your consult"): each kind of item for the right person only, with a flat query count."""

from __future__ import annotations

import re
from datetime import time, timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from consult.accounts.models import Role
from consult.agreement.models import MediationFlag, Statement, StatementStatus, Vote, Voter
from consult.clock import london_today
from consult.db import utcnow
from consult.discussions.models import Comment, IssueStatus
from consult.meetings import services as meetings
from consult.meetings.models import AttendanceMode, Rsvp
from consult.moderation.models import Report
from consult.papers import services as papers
from consult.papers.models import PaperComment, PaperStatus
from consult.processes.models import JoinPolicy, Membership, MembershipStatus
from tests.factories import PASSWORD, count_queries_of, csrf_from, make_group, make_process, make_thread


def _meeting(db, process, facilitator, title: str, days: int):
    return meetings.schedule(
        db,
        process,
        actor=facilitator,
        group=None,
        title=title,
        day=london_today() + timedelta(days=days),
        start_time=time(10, 0),
        end_time=time(12, 0),
        remote_url="https://meet.example.org/room",
    ).meeting


def _vote(db, statement, user) -> None:
    voter = db.scalar(sa.select(Voter).where(Voter.process_id == statement.process_id, Voter.user_id == user.id))
    if voter is None:
        voter = Voter(process_id=statement.process_id, user_id=user.id)
        db.add(voter)
        db.flush()
    db.add(Vote(statement_id=statement.id, voter_id=voter.id, value=1))


def _reply(db, thread, parent, author, body: str, **extra) -> Comment:
    comment = Comment(thread_id=thread.id, parent_id=parent.id, author_id=author.id, body=body, depth=1, **extra)
    db.add(comment)
    db.flush()
    return comment


def build(db, app, make_user, *, many: int = 1) -> SimpleNamespace:
    """A participant in one open process (and a closed one), a stranger's process, and a facilitator's queues."""
    participant = make_user(display_name="Pat Participant")
    other = make_user(display_name="Olu Other")
    facilitator = make_user(roles=(Role.FACILITATOR,), display_name="Fay Facilitator")
    mine = make_process(db, title="Water poverty")
    closed = make_process(db, state="closed", title="Closed consultation")
    stranger = make_process(db, title="Someone else's process")
    groups = [make_group(db, mine, members=[participant], name=f"Strand {n}") for n in range(many)]
    make_group(db, closed, members=[participant], name="Old strand")
    asking = make_group(db, mine, join_policy=JoinPolicy.REQUEST, name="Asking group")
    db.add(Membership(group_id=asking.id, user_id=other.id, status=MembershipStatus.PENDING))
    statements = [Statement(process_id=mine.id, text=f"Statement to vote on {n}") for n in range(many + 1)]
    db.add_all(statements)
    db.add_all(
        [
            Statement(process_id=mine.id, text="Proposed, not yet in the vote", status=StatementStatus.PROPOSED),
            Statement(process_id=mine.id, text="Rejected one", status=StatementStatus.REJECTED),
            Statement(process_id=closed.id, text="In a closed process"),
            Statement(process_id=stranger.id, text="In a process they never joined"),
        ]
    )
    db.flush()
    _vote(db, statements[0], participant)  # voted already: not waiting
    db.add(MediationFlag(statement_id=statements[0].id, user_id=other.id, reason="We are far apart"))

    thread = make_thread(db, groups[0], participant, title="Metering and debt")
    opening = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id))
    for n in range(many):
        _reply(db, thread, opening, other, f"Visible reply number {n}")
    _reply(db, thread, opening, other, "A hidden reply", hidden_at=utcnow(), hidden_reason="Off topic")
    _reply(db, thread, opening, participant, "Answering myself")
    hidden_thread = make_thread(db, groups[0], participant, title="A hidden thread")
    hidden_opening = db.scalar(sa.select(Comment).where(Comment.thread_id == hidden_thread.id))
    _reply(db, hidden_thread, hidden_opening, other, "Reply in a hidden thread")
    hidden_thread.hidden_at = utcnow()
    hidden_thread.hidden_reason = "Duplicate"
    db.add(Report(comment_id=opening.id, reporter_id=other.id, reason="Not on topic"))
    issue = make_thread(db, groups[0], other, kind="issue", title="An open issue")
    issue.issue_status = IssueStatus.OPEN
    db.commit()
    with app.app_context():
        going = [_meeting(db, mine, facilitator, f"Workshop {n}", days=10 + n) for n in range(many)]
        not_going = _meeting(db, mine, facilitator, "Workshop nobody told me about", days=5)
        paper = papers.create_paper(db, mine, actor=facilitator, title="Findings")
        paper.status = PaperStatus.IN_REVIEW
        db.add(PaperComment(paper_id=paper.id, author_id=other.id, body="Change this", version_number=1, paragraph=0))
        db.commit()
    for meeting in going:
        db.add(Rsvp(meeting_id=meeting.id, user_id=participant.id, mode=AttendanceMode.REMOTE))
    db.commit()
    return SimpleNamespace(
        participant=participant,
        other=other,
        facilitator=facilitator,
        mine=mine,
        closed=closed,
        stranger=stranger,
        groups=groups,
        not_going=not_going,
    )


def test_sign_in_lands_on_the_start_page_unless_there_is_a_safe_next(client, app, login, make_user):
    user = make_user()
    assert login(user).headers["Location"] == "/me"
    other = app.test_client()
    for asked, lands in [("/processes/", "/processes/"), ("https://evil.example/", "/me")]:
        token = csrf_from(other.get("/account/sign-in", query_string={"next": asked}).get_data(as_text=True))
        response = other.post(
            "/account/sign-in",
            query_string={"next": asked},
            data={"csrf_token": token, "email": user.email, "password": PASSWORD},
        )
        assert response.headers["Location"] == lands
        other.post("/account/sign-out", data={"csrf_token": csrf_from(other.get("/me").get_data(as_text=True))})


def test_the_start_page_needs_signing_in(client):
    response = client.get("/me")
    assert response.status_code == 302
    assert "/account/sign-in" in response.headers["Location"]


def test_a_participant_sees_their_groups_votes_meetings_and_replies_and_nothing_else(client, login, db, app, make_user):
    world = build(db, app, make_user)
    login(world.participant)
    page = client.get("/me").get_data(as_text=True)
    assert "Strand 0" in page and "Old strand" in page
    assert f'href="/processes/{world.mine.slug}/vote"' in page
    assert "Vote on 1 statement" in page, "two votable statements, one voted on; proposed and rejected do not count"
    assert world.closed.title not in page.split("Statements waiting for your vote")[1].split("Your working groups")[0]
    assert world.stranger.title not in page, "a process they never took part in"
    assert "Workshop 0" in page and world.not_going.title not in page
    assert "Olu Other replied in “Metering and debt”" in page
    assert "Visible reply number 0" in page
    for hidden in ("A hidden reply", "Reply in a hidden thread", "A hidden thread", "Answering myself"):
        assert hidden not in page
    assert "Your queues" not in page and "Reports to moderate" not in page


def test_a_facilitator_sees_each_queue_with_its_count(client, login, db, app, make_user):
    world = build(db, app, make_user)
    login(world.facilitator)
    page = client.get("/me").get_data(as_text=True)
    assert "Your queues" in page
    slug = world.mine.slug
    for label, href in [
        ("Reports to moderate", f"/processes/{slug}/moderation/queue"),
        ("Proposed statements to decide", f"/processes/{slug}/statements"),
        ("Requests to join a group", f"/processes/{slug}/groups"),
        ("Requests for mediation", f"/processes/{slug}/mediation"),
        ("Open issues", f"/processes/{slug}/issues"),
        ("Open review comments on papers", f"/processes/{slug}/papers"),
    ]:
        assert (
            f'href="{href}">{label}<span class="govuk-visually-hidden"> in Water poverty</span></a>: <strong>1</strong>'
            in page
        )
    assert "Queues in Someone else" not in page, "a process with nothing waiting lists no queues"


def test_a_group_facilitator_sees_requests_to_join_their_group_only(client, login, db, make_user):
    member_facilitator = make_user()
    asker = make_user()
    process = make_process(db)
    theirs = make_group(db, process, facilitators=[member_facilitator], join_policy=JoinPolicy.REQUEST, name="Theirs")
    elsewhere = make_group(db, process, join_policy=JoinPolicy.REQUEST, name="Elsewhere")
    for group in (theirs, elsewhere):
        db.add(Membership(group_id=group.id, user_id=asker.id, status=MembershipStatus.PENDING))
    db.commit()
    login(member_facilitator)
    page = client.get("/me").get_data(as_text=True)
    assert "Requests to join Theirs</a>: <strong>1</strong>" in page
    assert "Requests to join Elsewhere" not in page
    assert "Reports to moderate" not in page


def test_a_voter_who_joined_no_group_is_still_asked_for_votes(client, login, db, make_user):
    voter = make_user()
    process = make_process(db, title="Voted without joining")
    first, second = Statement(process_id=process.id, text="One"), Statement(process_id=process.id, text="Two")
    db.add_all([first, second])
    db.flush()
    _vote(db, first, voter)
    db.commit()
    login(voter)
    assert "Vote on 1 statement" in client.get("/me").get_data(as_text=True)


def test_blocked_people_are_not_asked_to_vote(client, login, db, make_user):
    person = make_user()
    process = make_process(db, title="Blocked here")
    group = make_group(db, process, members=[person])
    db.add(Statement(process_id=process.id, text="A statement"))
    membership = db.scalar(sa.select(Membership).where(Membership.group_id == group.id))
    membership.blocked_until = utcnow() + timedelta(days=3)
    db.commit()
    login(person)
    assert "Vote on" not in client.get("/me").get_data(as_text=True)


def test_start_page_query_count_does_not_grow(client, login, db, app, make_user, query_counter):
    few = build(db, app, make_user, many=1)
    login(few.participant)
    participant_few = count_queries_of(client, query_counter, "/me")
    login(few.facilitator)
    facilitator_few = count_queries_of(client, query_counter, "/me")

    many = build(db, app, make_user, many=8)
    login(many.participant)
    page = client.get("/me").get_data(as_text=True)
    assert "Strand 7" in page and "Workshop 7" in page and "Vote on 8 statements" in page
    assert count_queries_of(client, query_counter, "/me") == participant_few
    login(many.facilitator)
    assert count_queries_of(client, query_counter, "/me") == facilitator_few


def test_the_header_links_to_the_start_page_when_signed_in(client, login, make_user):
    assert 'href="/me"' not in client.get("/processes/").get_data(as_text=True)
    login(make_user())
    page = client.get("/me").get_data(as_text=True)
    assert re.search(r'href="/me" aria-current="page">\s*(<strong[^>]*>)?Your consult', page)
