"""A process page leads with what the reader can do now; every page of a process shares one navigation."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from consult.accounts.models import Role
from consult.agreement.models import Statement, StatementStatus
from consult.clock import london_today
from consult.db import utcnow
from consult.meetings import services as meetings
from consult.papers.models import Paper, PaperComment, PaperStatus, PaperVersion
from consult.processes.models import JoinPolicy, Membership
from tests.factories import make_group, make_process, make_thread, post

PARTS = {
    "Overview": "/processes/{slug}",
    "Working groups": "/processes/{slug}/groups",
    "Statements": "/processes/{slug}/statements",
    "Results": "/processes/{slug}/agreement",
    "Ledger": "/processes/{slug}/ledger",
    "Papers": "/processes/{slug}/papers",
    "Meetings": "/processes/{slug}/meetings",
    "Issues": "/processes/{slug}/issues",
    "Mediation": "/processes/{slug}/mediation",
    "Moderation": "/processes/{slug}/moderation",
}


def _nav(page: str) -> str:
    match = re.search(r'<nav class="consult-process-nav".*?</nav>', page, re.S)
    assert match, "the process navigation is on the page"
    return match.group(0)


def _current(nav: str) -> list[tuple[str, str]]:
    """(aria-current value, link text) for the links marked current."""
    return re.findall(r'aria-current="(\w+)">([^<]+)</a>', nav)


@pytest.mark.parametrize("label", list(PARTS))
def test_every_part_of_a_process_carries_the_navigation_with_itself_current(client, db, label):
    process = make_process(db, title="Water poverty")
    page = client.get(PARTS[label].format(slug=process.slug)).get_data(as_text=True)
    nav = _nav(page)
    for other, path in PARTS.items():
        assert f'href="{path.format(slug=process.slug)}"' in nav, f"{other} is linked from the {label} page"
    assert _current(nav) == [("page", label)]


def test_deeper_pages_mark_their_part_and_other_processes_pages_carry_none(client, db, make_user):
    process = make_process(db)
    author = make_user()
    group = make_group(db, process, members=[author])
    thread = make_thread(db, group, author, title="A thread")
    statement = Statement(process_id=process.id, text="A statement")
    db.add(statement)
    db.commit()
    for path, part in [
        (f"/processes/{process.slug}/groups/{group.slug}", "Working groups"),
        (f"/threads/{thread.id}", "Working groups"),
        (f"/processes/{process.slug}/statements/{statement.id}", "Statements"),
        (f"/processes/{process.slug}/vote", "Statements"),
    ]:
        assert _current(_nav(client.get(path).get_data(as_text=True))) == [("true", part)], path
    for path in ("/", "/processes/", "/papers", "/about"):
        assert "consult-process-nav" not in client.get(path).get_data(as_text=True), path


def test_the_process_page_has_no_list_of_links_at_the_bottom(client, db):
    process = make_process(db)
    page = client.get(f"/processes/{process.slug}").get_data(as_text=True)
    assert "Statements: say where you agree and disagree" not in page
    assert page.count(f'href="/processes/{process.slug}/moderation"') == 1, "only the navigation links the log"


def _world(db, app, make_user):
    participant = make_user()
    process = make_process(db, title="Water poverty")
    joined = make_group(db, process, members=[participant], name="Joined group")
    make_group(db, process, name="Open group")
    make_group(db, process, join_policy=JoinPolicy.REQUEST, name="Asking group")
    db.add_all(
        [
            Statement(process_id=process.id, text="First"),
            Statement(process_id=process.id, text="Second"),
            Statement(process_id=process.id, text="Proposed", status=StatementStatus.PROPOSED),
        ]
    )
    db.commit()
    facilitator = make_user(roles=(Role.FACILITATOR,))
    with app.app_context():
        meetings.schedule(
            db,
            process,
            actor=facilitator,
            group=None,
            title="Cardiff workshop",
            day=london_today() + timedelta(days=7),
            start_time=time(10, 0),
            end_time=time(12, 0),
            remote_url="https://meet.example.org/room",
        )
        db.commit()
    return process, participant, joined, facilitator


def _panel(page: str) -> str:
    match = re.search(r'<section class="consult-now".*?</section>', page, re.S)
    assert match, "the process page leads with what you can do now"
    return match.group(0)


def test_what_a_participant_can_do_now(client, login, db, app, make_user):
    process, participant, _, _ = _world(db, app, make_user)
    login(participant)
    page = client.get(f"/processes/{process.slug}").get_data(as_text=True)
    panel = _panel(page)
    assert page.index("consult-now") < page.index("Timeline"), "the panel comes first"
    assert "Stage now: <strong>Working groups</strong>" in panel
    assert f'href="/processes/{process.slug}/vote">Vote on 2 statements waiting for you' in panel
    assert ">Join Open group</a>" in panel and ">Ask to join Asking group</a>" in panel
    assert "Joined group" not in panel, "already a member"
    assert "Propose a statement" in panel
    assert "Cardiff workshop" in panel
    assert "Moderation queue" not in panel and "Reports to moderate" not in panel


def test_after_voting_on_everything_the_panel_says_so(client, login, db, app, make_user):
    process, participant, _, _ = _world(db, app, make_user)
    login(participant)
    for statement in db.scalars(sa.select(Statement).where(Statement.status == StatementStatus.ACCEPTED)):
        post(client, f"/processes/{process.slug}/statements/{statement.id}/vote", value="agree")
    panel = _panel(client.get(f"/processes/{process.slug}").get_data(as_text=True))
    assert "You have voted on every statement" in panel and "Vote on" not in panel


def test_visitors_unverified_and_blocked_people_are_offered_nothing_they_cannot_do(client, login, db, app, make_user):
    process, participant, joined, _ = _world(db, app, make_user)
    panel = _panel(client.get(f"/processes/{process.slug}").get_data(as_text=True))
    assert "Vote on" not in panel and "Join" not in panel and "Propose" not in panel
    assert "Sign in</a> to join a group and vote" in panel
    assert "Cardiff workshop" in panel, "anyone may read about the next meeting"

    login(make_user(verified=False))
    panel = _panel(client.get(f"/processes/{process.slug}").get_data(as_text=True))
    assert "Vote on" not in panel and "Join" not in panel and "Propose" not in panel

    membership = db.scalar(sa.select(Membership).where(Membership.group_id == joined.id))
    membership.blocked_until = utcnow() + timedelta(days=2)
    db.commit()
    login(participant)
    panel = _panel(client.get(f"/processes/{process.slug}").get_data(as_text=True))
    assert "Vote on" not in panel and "Propose" not in panel


def test_a_closed_process_offers_no_votes_or_joining(client, login, db, make_user):
    participant = make_user()
    process = make_process(db, state="closed")
    make_group(db, process, name="Some group")
    db.add(Statement(process_id=process.id, text="Too late"))
    db.commit()
    login(participant)
    panel = _panel(client.get(f"/processes/{process.slug}").get_data(as_text=True))
    assert "Vote on" not in panel and "Join" not in panel and "Propose" not in panel
    assert "Stage now" in panel


def test_facilitators_see_their_queues_on_the_process_page(client, login, db, app, make_user):
    process, participant, joined, facilitator = _world(db, app, make_user)
    login(facilitator)
    panel = _panel(client.get(f"/processes/{process.slug}").get_data(as_text=True))
    assert f'href="/processes/{process.slug}/statements">Proposed statements to decide</a>: <strong>1</strong>' in panel
    assert f'href="/processes/{process.slug}/moderation/queue">Moderation queue</a>' in panel


def test_process_page_query_count_does_not_grow_with_groups(client, login, db, app, make_user, query_counter):
    from tests.factories import count_queries_of

    process, participant, _, _ = _world(db, app, make_user)
    login(participant)
    url = f"/processes/{process.slug}"
    few = count_queries_of(client, query_counter, url)
    for n in range(10):
        make_group(db, process, name=f"More {n}")
        db.add(Statement(process_id=process.id, text=f"More statement {n}"))
    db.commit()
    assert count_queries_of(client, query_counter, url) == few
    assert "Vote on 12 statements" in client.get(url).get_data(as_text=True)


def test_home_page_lists_live_processes_and_published_papers_only(client, db, make_user):
    author = make_user()
    live = make_process(db, title="Live process")
    make_process(db, state="forthcoming", title="Coming process")
    make_process(db, state="closed", title="Finished process")
    published = Paper(process_id=live.id, status=PaperStatus.PUBLISHED)
    draft = Paper(process_id=live.id, status=PaperStatus.IN_REVIEW)
    db.add_all([published, draft])
    db.flush()
    db.add_all(
        [
            PaperVersion(paper_id=published.id, number=1, title="Published findings", author_id=author.id),
            PaperVersion(paper_id=published.id, number=2, title="Unpublished rewrite", author_id=author.id),
            PaperVersion(paper_id=draft.id, number=1, title="Draft findings", author_id=author.id),
        ]
    )
    db.flush()
    db.scalar(sa.select(PaperVersion).where(PaperVersion.title == "Published findings")).published_at = utcnow()
    db.commit()
    page = client.get("/").get_data(as_text=True)
    assert f'href="/processes/{live.slug}">Live process</a>' in page
    assert "Coming process" not in page and "Finished process" not in page
    assert f'href="/papers/{published.id}">Published findings</a>' in page
    assert "Draft findings" not in page and "Unpublished rewrite" not in page
    assert 'href="/papers"' in page
    listing = client.get("/papers").get_data(as_text=True)
    assert "Published findings" in listing and "Draft findings" not in listing


def test_after_a_vote_the_next_statement_heading_takes_focus_and_the_confirmation_is_announced(
    client, login, db, make_user
):
    participant = make_user()
    process = make_process(db)
    db.add_all([Statement(process_id=process.id, text=f"Statement {n}") for n in range(2)])
    db.commit()
    login(participant)
    flow = f"/processes/{process.slug}/vote"
    page = client.get(flow).get_data(as_text=True)
    assert re.search(r'<h1 class="[^"]*" id="statement" tabindex="-1"', page), "a focusable heading"
    assert f'name="next" value="{flow}#statement"' in page
    statement_id = re.search(r"/statements/(\d+)/vote", page).group(1)
    response = post(
        client, f"/processes/{process.slug}/statements/{statement_id}/vote", value="agree", next=flow + "#statement"
    )
    assert response.headers["Location"] == flow + "#statement"
    after = client.get(flow).get_data(as_text=True)
    banner = re.search(r'<div class="govuk-notification-banner[^>]*>', after).group(0)
    assert 'role="alert"' in banner and 'data-disable-auto-focus="true"' in banner
    assert "You voted agree" in after


def test_comment_on_this_paragraph_sits_under_its_paragraph(client, login, db, make_user):
    process = make_process(db)
    reviewer = make_user()
    make_group(db, process, members=[reviewer])
    paper = Paper(process_id=process.id, status=PaperStatus.IN_REVIEW, current_version=1)
    db.add(paper)
    db.flush()
    body = "First paragraph of the paper.\n\nSecond paragraph of the paper."
    db.add(PaperVersion(paper_id=paper.id, number=1, title="Findings", body=body, author_id=reviewer.id))
    db.add(PaperComment(paper_id=paper.id, author_id=reviewer.id, body="Earlier remark", paragraph=0))
    db.commit()
    login(reviewer)
    page = client.get(f"/papers/{paper.id}/draft").get_data(as_text=True)
    first = page.index("First paragraph of the paper.")
    link = page.index("Comment on this paragraph", first)
    assert link < page.index("Earlier remark"), "the link comes before the comments already on the paragraph"
    assert link < page.index("Second paragraph of the paper.")
