"""The hostile corpus stored where people read it, opened in Chromium: nothing runs, and the text is there to read.

A detector is installed before any page script: alert, confirm, prompt and print, writes to window.__xss
and to document.title are recorded, and so is any dialog. The page wrapper (conftest.py) also fails on any
console error (a CSP violation is one) and on any axe violation. The DOM the browser built is searched for
scripts, event-handler attributes and javascript:, data: or vbscript: URLs, which catches markup that only
turns dangerous when a browser parses it (mutation XSS). A few families are checked for lost words through
inner_text, by the rules in tests/hostile.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time, timedelta
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from consult.accounts.models import Role, Sector
from consult.agreement.models import Statement
from consult.clock import london_today
from consult.db import get_session, utcnow
from consult.discussions.models import Comment
from consult.meetings import services as meetings
from consult.objectives.lifecycle import Status
from consult.objectives.models import Proposal
from consult.papers import queries as paper_queries
from consult.papers import services as papers
from consult.papers.models import PaperStatus
from tests import factories, hostile
from tests.browser.conftest import LiveServer, serving

pytestmark = pytest.mark.browser

CORPUS = [p for p in hostile.load_corpus() if not p.long]
READ_FAMILIES = {"angle-brackets-prose", "template-injection", "unicode"}
DETECTOR = """
(() => {
  const hits = [];
  Object.defineProperty(window, "__xssHits", {value: hits});
  const hit = (how) => hits.push(String(how).slice(0, 80));
  for (const name of ["alert", "confirm", "prompt", "print"]) window[name] = () => hit(name);
  Object.defineProperty(window, "__xss", {get() { return undefined; }, set() { hit("window.__xss"); }});
  const title = Object.getOwnPropertyDescriptor(Document.prototype, "title");
  Object.defineProperty(Document.prototype, "title", {
    get() { return title.get.call(this); },
    set(value) { hit("document.title = " + value); title.set.call(this, value); },
  });
})();
"""
# What the browser built, searched after parsing (and after any mutation): the checks hostile.PageReader makes.
DOM_PROBLEMS = """
() => {
  const found = [];
  const bad = /^(javascript|vbscript|data):/i;
  const url = ["href", "src", "action", "formaction", "xlink:href", "srcdoc", "data", "poster", "values", "to"];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const value = attr.value.replace(/[\\t\\n\\r]/g, "").replace(/^[\\x00-\\x20]+/, "");
      if (attr.name.startsWith("on")) found.push(`${el.tagName} ${attr.name}`);
      if (url.includes(attr.name) && bad.test(value)) found.push(`${el.tagName} ${attr.name}=${value.slice(0, 40)}`);
    }
    const src = el.getAttribute("src") || "";
    if (el.tagName === "SCRIPT" && !src.startsWith("/static/")) found.push(`SCRIPT ${src || "inline"}`);
    if (["IFRAME", "OBJECT", "EMBED", "BASE", "FRAME"].includes(el.tagName)) found.push(el.tagName);
  }
  return found;
}
"""


def corpus_text(
    markdown: bool, limit: int | None = None, prefix: str = "0x", payloads: list[hostile.Payload] = CORPUS
) -> Iterator[str]:
    """The corpus, each payload between its marker words, in pieces of at most `limit` characters."""
    separator = "\n\n" if markdown else " "
    piece: list[str] = []
    for payload in payloads:
        # NUL never reaches storage (forms strip control characters) and PostgreSQL text cannot hold it.
        item = hostile.mark(payload.text.replace("\x00", ""), f"{prefix}{payload.number}", markdown=markdown)
        if limit and piece and len(separator.join([*piece, item])) > limit:
            yield separator.join(piece)
            piece = []
        piece.append(item)
    yield separator.join(piece)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[LiveServer]:
    """A server of this module's own, so the corpus stays out of the other journeys' pages."""
    with serving(tmp_path_factory.mktemp("hostile-live"), worker_id, "hostile_live") as server:
        yield server


@pytest.fixture(scope="module")
def stored(live_server: LiveServer) -> dict[str, str]:
    """The corpus stored in a thread with replies, a process, a proposal, statements, a paper, a meeting, a profile."""
    with live_server.app.app_context():
        db = get_session(write=True)
        md_all = next(corpus_text(markdown=True))
        plain_all = next(corpus_text(markdown=False))
        titles = [f"Corpus {text}" for text in corpus_text(markdown=False, limit=190, prefix="9x")]
        facilitator = factories.make_user(db, roles=(Role.FACILITATOR,))
        reader = factories.make_user(db, display_name=titles[0][:80], password=factories.PASSWORD)
        process = factories.make_process(db, slug="hostile", title=titles[1], summary=md_all, principles=md_all)
        group = factories.make_group(db, process, members=[reader], name=titles[2], remit=md_all)
        thread = factories.make_thread(db, group, reader, replies=3, title=titles[3])
        comments = db.scalars(sa.select(Comment).where(Comment.thread_id == thread.id).order_by(Comment.id))
        for comment, body in zip(comments, [md_all, *corpus_text(True, 2000, "1x")], strict=False):
            comment.body = body
        db.add_all(Statement(process_id=process.id, text=text) for text in corpus_text(False, 400, "8x"))
        department = factories.make_organisation(db, sector=Sector.GOVERNMENT_DEPARTMENT)
        answers = {"title": titles[4], "problem": plain_all}
        proposal = Proposal(department_id=department.id, answers=answers, status=Status.SUBMITTED)
        proposal.submitted_at = utcnow()
        db.add(proposal)
        meeting = meetings.schedule(
            db,
            process,
            actor=facilitator,
            group=group,
            title=titles[5],
            day=london_today() + timedelta(days=20),
            start_time=time(10),
            end_time=time(11),
            venue=titles[6][:300],
            city="Leeds",
            agenda=md_all,
        ).meeting
        paper = papers.create_paper(db, process, actor=facilitator, title=titles[7], summary=md_all)
        version = paper_queries.current(db, paper)
        version.body = "\n\n".join(f"## Part {n}\n\n{text}" for n, text in enumerate(corpus_text(True, 3000)))
        paper.status = PaperStatus.APPROVED
        papers.publish(db, paper, actor=facilitator, confirm_open_comments=True)
        db.commit()
        ids = {"thread": thread.id, "proposal": proposal.id, "meeting": meeting.id, "paper": paper.id}
        reader_email = reader.email
    # The box holds 1,000 characters: the prose families first, so the readable checks reach it.
    first = sorted(CORPUS, key=lambda p: p.family not in READ_FAMILIES)
    query = next(corpus_text(markdown=False, limit=1000, prefix="7x", payloads=first))
    return {
        "thread": f"/threads/{ids['thread']}",
        "process": "/processes/hostile",
        "objective": f"/objectives/proposals/{ids['proposal']}",
        "statements": "/processes/hostile/statements",
        "paper": f"/papers/{ids['paper']}",
        "meeting": f"/meetings/{ids['meeting']}",
        "search": f"/search?{urlencode({'q': query})}",
        "query": query,
        "results": "/search?q=corpus",
        "reader": reader_email,
    }


# Each page, the marker prefix of the copy of the whole corpus it shows, and whether that copy is Markdown.
# The search page shows its query in the search box; the results page shows stored titles, not all of them.
PAGES = {
    "thread": ("0x", True),
    "process": ("0x", True),
    "objective": ("0x", False),
    "statements": ("8x", False),
    "paper": ("0x", True),
    "meeting": ("0x", True),
    "search": ("7x", False),
    "results": (None, False),
}


def assert_inert(page, hits: list[str]) -> None:
    ran = page.evaluate("window.__xssHits") + hits
    assert not ran, f"a payload ran on {page.url}: {ran}"
    dom = page.evaluate(DOM_PROBLEMS)
    assert not dom, f"dangerous markup in the DOM of {page.url}: {dom}"


def lost_words(url: str, shown: str, prefix: str, markdown: bool, sent: str | None = None) -> list[str]:
    """The READ_FAMILIES payloads of this copy of the corpus (all, or those `sent`) that cannot be read whole."""
    segments = hostile.marker_segments(shown)
    problems = []
    for payload in CORPUS:
        if payload.family in READ_FAMILIES and (sent is None or f"{hostile.START}{prefix}{payload.number} " in sent):
            want = hostile.expected_words(payload.text, markdown=markdown)
            found = segments.get(f"{prefix}{payload.number}", [])
            if not any(hostile.is_subsequence(want, hostile.words(text)) for text in found):
                problems.append(f"{url}: {payload} is not readable; shown {[t.strip()[:80] for t in found]}")
    return problems


def test_stored_corpus_never_runs_and_stays_readable(page, stored):
    hits: list[str] = []
    page.on("dialog", lambda dialog: (hits.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.context.add_init_script(DETECTOR)
    problems = []
    for name, (prefix, markdown) in PAGES.items():
        page.goto(stored[name])
        assert_inert(page, hits)
        if prefix:
            shown = page.input_value("#search-q") if name == "search" else page.inner_text("main")
            problems += lost_words(name, shown, prefix, markdown, stored["query"] if name == "search" else None)
    page.goto("/account/sign-in")
    page.get_by_label("Email address").fill(stored["reader"])
    page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.check()
    assert page.url.endswith("/me"), page.url
    assert_inert(page, hits)
    assert not problems, "\n".join(problems)


def test_every_page_really_holds_the_corpus(stored, live_server):
    """Guard for the test above: a 404 or a page without the stored text would pass it without testing anything."""
    client = live_server.app.test_client()
    for name, (prefix, _) in PAGES.items():
        response = client.get(stored[name])
        assert response.status_code == 200, name
        reader = hostile.read_page(response.get_data(as_text=True))
        shown = hostile.marker_segments(" ".join(reader.values.get("q", [])) if name == "search" else reader.text)
        if prefix:
            assert sum(key.startswith(prefix) for key in shown) >= 15, f"{name} shows little of the corpus"
        else:
            assert len(shown) >= 3, f"{name} shows no stored titles"


def test_the_detector_sees_a_script_run(page, stored):
    """Guard for the detector: a script that does what the payloads do is recorded, so silence above means something."""
    hits: list[str] = []
    page.on("dialog", lambda dialog: (hits.append("dialog"), dialog.dismiss()))
    page.context.add_init_script(DETECTOR)
    page.goto(stored["statements"])
    page.evaluate("() => { alert(1); window.__xss = 1; document.title = 'XSS'; }")
    assert page.evaluate("window.__xssHits") == ["alert", "window.__xss", "document.title = XSS"]
    assert page.evaluate(DOM_PROBLEMS) == []
    page.evaluate("() => document.body.insertAdjacentHTML('beforeend', '<a href=javascript:alert(1)>x</a>')")
    assert page.evaluate(DOM_PROBLEMS) == ["A href=javascript:alert(1)"]
