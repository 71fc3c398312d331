"""The home page and content pages at readable URLs (/about, /objectives-in-force/water-poverty)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from consult.clock import london_today
from consult.dashboard import queries as dashboard_queries
from consult.db import get_session
from consult.markdown import render_document
from consult.pages import queries

bp = Blueprint("pages", __name__, template_folder="templates")


@bp.get("/")
def home():
    """The front door: live processes and the newest published papers, then the guidance pages."""
    db = get_session()
    return render_template(
        "pages/home.html",
        pages=queries.list_top_level(db),
        live=dashboard_queries.live_processes(db, london_today()),
        papers=dashboard_queries.recent_papers(db),
    )


@bp.get("/<path:slug>")
def show(slug: str):
    """Any URL not claimed by another blueprint may be a content page; unknown ones are 404."""
    if slug != slug.lower() or len(slug) > 200:
        abort(404)
    db = get_session()
    page = queries.get_page(db, slug.strip("/"))
    if page is None:
        abort(404)
    html, headings = render_document(page.body)
    children = queries.list_children(db, page.slug)
    return render_template("pages/page.html", page=page, html=html, headings=headings, children=children)
