"""Issue 12 (finding 3): control characters are removed from input, and XML and iCalendar output survive stored ones."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import sqlalchemy as sa
from icalendar import Calendar
from odf import teletype
from odf.opendocument import load
from odf.text import H
from werkzeug.datastructures import MultiDict
from wtforms import PasswordField, TextAreaField

from consult.accounts.models import Role
from consult.discussions.models import Comment, Thread
from consult.forms import BaseForm
from consult.meetings.models import Meeting
from consult.papers.models import PaperVersion
from consult.processes.models import Process, WorkingGroup
from consult.text import clean_line, clean_text, xml_text
from tests.factories import csrf_from, make_group, make_process, post
from tests.routes import seed_demo_world

ATOM = "{http://www.w3.org/2005/Atom}"
# Everything XML 1.0 refuses (tab, LF and CR are allowed).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CONTROLS = "".join(chr(code) for code in range(0x20) if chr(code) not in "\t\n\r") + "\x7f"
HOSTILE = "Start\x00 vertical\x0btab\x01 escape\x1b[31m del\x7f end\r\nsecond\rthird\tcolumn"


def test_clean_text_keeps_tabs_and_newlines_and_drops_other_controls():
    assert clean_text(HOSTILE) == "Start verticaltab escape[31m del end\nsecond\nthird\tcolumn"


def test_clean_line_also_turns_line_breaks_and_tabs_into_spaces():
    assert clean_line(HOSTILE) == "Start verticaltab escape[31m del end second third column"


def test_clean_text_drops_lone_surrogates_and_xml_non_characters():
    assert clean_text("a\ud800b\udfffc\ufffed\uffff") == "abcd"


# C1 controls (U+0080-U+009F): NEL (a line break), CSI (a terminal's escape) and the rest of the block.
C1_HOSTILE = "C1 next line\x85and CSI\x9b[31m red\x80 padding\x9f end"


def test_clean_text_drops_c1_controls_and_makes_nel_a_line_break():
    assert clean_text(C1_HOSTILE) == "C1 next line\nand CSI[31m red padding end"
    assert not re.search("[\x80-\x9f]", clean_text("".join(map(chr, range(0x80, 0xA0)))))


def test_clean_line_turns_nel_into_a_space_so_words_stay_apart():
    assert clean_line(C1_HOSTILE) == "C1 next line and CSI[31m red padding end"


def test_xml_text_drops_c1_controls_stored_before_input_was_cleaned():
    assert xml_text("Stored\x9b title\x85second line") == "Stored title\nsecond line"


def test_latin_1_letters_next_to_the_c1_block_are_kept():
    assert clean_line("\xa0non-breaking, \xa9 café, \xff") == "\xa0non-breaking, \xa9 café, \xff"


def test_a_submitted_comment_is_stored_without_c1_controls(client, login, db, make_user):
    author = make_user()
    process = make_process(db)
    group = make_group(db, process, members=[author])
    login(author)
    new_thread = f"/processes/{process.slug}/groups/{group.slug}/threads/new"
    response = post(client, new_thread, kind="discussion", title="Title\x85with\x9bC1", body=C1_HOSTILE)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    thread = db.scalar(sa.select(Thread).where(Thread.group_id == group.id))
    assert thread.title == "Title withC1"
    opening = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id))
    assert opening.body == "C1 next line\nand CSI[31m red padding end"


def test_xml_text_accepts_none_and_keeps_ordinary_unicode():
    assert xml_text(None) == ""
    assert xml_text("Café – “quoted” 😀") == "Café – “quoted” 😀"


def _all_forms() -> list[type[BaseForm]]:
    found, waiting = [], [BaseForm]
    while waiting:
        form_class = waiting.pop()
        found.append(form_class)
        waiting.extend(form_class.__subclasses__())
    return found


def test_every_form_cleans_every_text_field_it_receives(app):
    """Built over every BaseForm subclass, so a new form is covered without being listed here."""
    forms = _all_forms()
    assert len(forms) > 30, "the app's forms are imported by create_app"
    checked = 0
    for form_class in forms:
        with app.test_request_context("/", method="POST"):
            names = [field.name for field in form_class(formdata=None)]
            form = form_class(formdata=MultiDict((name, HOSTILE) for name in names))
            for field in form:
                if isinstance(field.data, str) and field.name != "csrf_token":
                    checked += 1
                    expected = (
                        HOSTILE
                        if isinstance(field, PasswordField)
                        else clean_text(HOSTILE)
                        if isinstance(field, TextAreaField)
                        else clean_line(HOSTILE)
                    )
                    assert field.data == expected, (form_class.__name__, field.name, field.data)
    assert checked > 50


def test_a_submitted_title_and_body_are_stored_without_control_characters(client, login, db, make_user):
    author = make_user()
    process = make_process(db)
    group = make_group(db, process, members=[author])
    login(author)
    new_thread = f"/processes/{process.slug}/groups/{group.slug}/threads/new"
    response = post(client, new_thread, kind="discussion", title="Broken\x0b feed\x00 title", body=HOSTILE)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    thread = db.scalar(sa.select(Thread).where(Thread.group_id == group.id))
    assert thread.title == "Broken feed title"
    opening = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id))
    assert opening.body == clean_text(HOSTILE)
    feed = client.get(f"/processes/{process.slug}/groups/{group.slug}/feed.atom")
    assert "Broken feed title" in feed.get_data(as_text=True)


def test_sign_in_keeps_the_password_exactly_as_typed(client, make_user):
    password = "tab\tand\x0bvertical tab in a long passphrase"
    user = make_user(password=password)
    token = csrf_from(client.get("/account/sign-in").get_data(as_text=True))
    response = client.post("/account/sign-in", data={"csrf_token": token, "email": user.email, "password": password})
    assert response.status_code == 302


@pytest.fixture
def stored_controls(app, db, tmp_path: Path):
    """The demo world with control characters written straight into the database, as rows from before the fix."""
    seed_demo_world(app, db, tmp_path)
    dirty = "\x0b vertical tab \x01 and \x1f unit separator \ufffe"
    thread = db.scalar(sa.select(Thread).order_by(Thread.id).limit(1))
    group = db.get(WorkingGroup, thread.group_id)
    process = db.get(Process, group.process_id)
    thread.title = f"Thread {dirty}"
    group.name = f"Group {dirty}"
    process.title = f"Process {dirty}"
    db.execute(sa.update(Comment).where(Comment.thread_id == thread.id).values(body=f"Comment {dirty}"))
    db.execute(
        sa.update(Meeting)
        .where(Meeting.process_id == process.id)
        .values(title=f"Meeting {dirty}", agenda=f"Agenda {dirty}", venue=f"Venue {dirty}")
    )
    version = db.scalar(sa.select(PaperVersion).where(PaperVersion.published_at.is_not(None)).limit(1))
    version.title = f"Paper {dirty}"
    version.summary = f"Summary {dirty}"
    db.commit()
    return process, group, version


def test_atom_feeds_are_valid_xml_with_control_characters_in_stored_titles(client, stored_controls):
    process, group, _ = stored_controls
    for path in (
        f"/processes/{process.slug}/feed.atom",
        f"/processes/{process.slug}/groups/{group.slug}/feed.atom",
        "/papers/feed.atom",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.get_data(as_text=True)
        assert not NOT_XML.search(text), path
        titles = [entry.findtext(f"{ATOM}title") for entry in ET.fromstring(response.data).iter(f"{ATOM}entry")]
        assert any("vertical tab" in title for title in titles), path


def test_icalendar_has_no_control_characters_from_stored_meetings(client, stored_controls):
    process, _, _ = stored_controls
    response = client.get(f"/processes/{process.slug}/meetings.ics")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", body)
    events = Calendar.from_ical(response.data).walk("VEVENT")
    assert any("vertical tab" in str(event["SUMMARY"]) for event in events)


def test_paper_download_opens_with_control_characters_in_the_stored_title(client, login, make_user, stored_controls):
    _, _, version = stored_controls
    login(make_user(roles=(Role.FACILITATOR,)))
    response = client.get(f"/papers/{version.paper_id}/versions/{version.number}/paper.odt")
    assert response.status_code == 200
    headings = [teletype.extractText(h) for h in load(io.BytesIO(response.data)).getElementsByType(H)]
    assert headings[0].startswith("Paper") and "vertical tab" in headings[0]
    assert not any(NOT_XML.search(heading) for heading in headings)
