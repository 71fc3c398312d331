"""Meetings pages per process and per working group: upcoming, and past with their notes and actions."""

from __future__ import annotations

from flask import render_template

from consult.db import get_session
from consult.meetings import queries
from consult.meetings.models import NoteStatus
from consult.meetings.views import bp
from consult.processes import queries as process_queries


@bp.get("/processes/<slug>/meetings")
def process_meetings(slug: str):
    db = get_session()
    process = process_queries.get_process_or_404(db, slug)
    return render_template(
        "meetings/list.html",
        process=process,
        group=None,
        meetings=queries.meeting_list(db, process.id),
        published=NoteStatus.PUBLISHED,
    )


@bp.get("/processes/<slug>/groups/<group_slug>/meetings")
def group_meetings(slug: str, group_slug: str):
    db = get_session()
    group = process_queries.get_group_or_404(db, slug, group_slug)
    return render_template(
        "meetings/list.html",
        process=group.process,
        group=group,
        meetings=queries.meeting_list(db, group.process_id, group_id=group.id),
        published=NoteStatus.PUBLISHED,
    )
