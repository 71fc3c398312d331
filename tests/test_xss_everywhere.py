"""Every user-controlled text field of processes, groups, threads, meetings and people renders inert."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from consult.accounts.models import Organisation, Role, Sector
from consult.clock import london_today
from consult.discussions.models import Comment
from consult.meetings import services as meetings
from consult.moderation import services as moderation
from consult.processes.models import Membership
from tests.factories import make_group, make_process, make_thread

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "[x](javascript:alert(1))",
    "<iframe src=//evil.example>",
    "'-alert(1)-'",
    '<a href="javascript:alert(1)">x</a>',
    "{{ 7*7 }}{% raw %}",
]

ATOM = "{http://www.w3.org/2005/Atom}"
DANGEROUS = re.compile(
    r"<script>alert|<img[^>]*onerror|<svg[^>]*onload|<iframe|href=\"javascript:|href='javascript:", re.IGNORECASE
)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_every_field_is_escaped_on_every_page(app, client, login, db, make_user, payload):
    organisation = Organisation(name=f"Org {payload}", sector=Sector.CIVIL_SOCIETY, approved=True)
    db.add(organisation)
    db.commit()
    author = make_user(display_name=f"Name {payload}"[:80], organisation=organisation)
    facilitator = make_user(roles=(Role.FACILITATOR,))
    process = make_process(
        db, title=f"Title {payload}", summary=payload, principles=payload, objectives_concerned=payload
    )
    group = make_group(db, process, members=[author], name=f"Group {payload}", remit=payload)
    db.execute(sa.update(Membership).values(declared_interests=payload))
    thread = make_thread(db, group, author, title=f"Thread {payload}", replies=2, kind="issue")
    reply = db.scalar(sa.select(Comment).where(Comment.thread_id == thread.id, Comment.parent_id.is_not(None)))
    reply.body = payload
    db.commit()
    with app.app_context():
        meeting = meetings.schedule(
            db,
            process,
            actor=facilitator,
            group=group,
            title=f"Meeting {payload}"[:200],
            day=london_today() + timedelta(days=20),
            start_time=time(10),
            end_time=time(11),
            venue=payload,
            city=payload[:100],
            remote_url="",
            agenda=payload,
        ).meeting
        moderation.hide(db, reply, group, actor=facilitator, membership=None, reason=f"Reason {payload}")
    db.commit()
    login(facilitator)
    pages = [
        "/processes/",
        f"/processes/{process.slug}",
        f"/processes/{process.slug}/groups/{group.slug}",
        f"/threads/{thread.id}",
        f"/processes/{process.slug}/issues",
        f"/processes/{process.slug}/moderation",
        f"/meetings/{meeting.id}",
        "/notifications",
    ]
    for path in pages:
        body = client.get(path).get_data(as_text=True)
        assert not DANGEROUS.search(body), f"unescaped payload on {path}"
        assert "Title 49" not in body, f"template injection evaluated on {path}"
    # Feed readers render type="html" content as HTML, so it must be sanitised; titles are plain text.
    for path in (f"/processes/{process.slug}/feed.atom", f"/processes/{process.slug}/groups/{group.slug}/feed.atom"):
        root = ET.fromstring(client.get(path).data)
        for content in root.iter(f"{ATOM}content"):
            assert content.get("type") == "html"
            assert not DANGEROUS.search(content.text or ""), f"unsafe HTML content in {path}"
        for title in root.iter(f"{ATOM}title"):
            assert title.get("type") in (None, "text"), "titles are plain text"
    # The calendar is plain text (RFC 5545), so it carries the text as typed; it must never be read as HTML.
    calendar = client.get(f"/processes/{process.slug}/meetings.ics")
    assert calendar.mimetype == "text/calendar"
    assert calendar.headers["Content-Disposition"].startswith("attachment")
    assert calendar.headers["X-Content-Type-Options"] == "nosniff"
