"""iCalendar feeds (RFC 5545) generated with the icalendar package, for a process and for a person.

RFC 5545 text has no control characters but tab (newlines are escaped), so every text goes through xml_text.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from icalendar import Calendar, Event, vText

from consult.db import utcnow
from consult.meetings.models import Meeting
from consult.text import xml_text
from consult.weblinks import is_web_url


def build(meetings: Iterable[Meeting], *, name: str, base_url: str, joining_links: Collection[int]) -> bytes:
    """One VEVENT per meeting; a joining link goes only into events whose meeting id is in `joining_links`."""
    calendar = Calendar()
    calendar.add("prodid", "-//consult//open policy meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", xml_text(name))
    stamp = utcnow()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.id}@consult")
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("summary", xml_text(meeting.title))
        place = xml_text(", ".join(part for part in (meeting.venue, meeting.city) if part))
        if place:
            event.add("location", vText(place))
        url = f"{base_url}/meetings/{meeting.id}"
        event.add("url", url)
        description = [meeting.agenda.strip(), f"Details: {url}"]
        if meeting.id in joining_links and is_web_url(meeting.remote_url):
            description.append(f"Join remotely: {meeting.remote_url}")
        event.add("description", xml_text("\n\n".join(part for part in description if part)))
        calendar.add_component(event)
    return calendar.to_ical()
