"""The search page: results ranked by Whoosh, filtered to what this person may see."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from consult.db import get_session
from consult.processes import queries as process_queries
from consult.search import queue, registry, services
from consult.search.forms import link_args, read_args
from consult.search.visibility import viewer_for

bp = Blueprint("search", __name__, template_folder="templates")


@bp.get("/search")
def search():
    """GET only, no CSRF: it changes nothing. Applies waiting index entries first, so results are current."""
    db = get_session()
    processes = process_queries.list_processes(db)
    types = [(a.doc_type, a.label) for a in registry.adapters()]
    search_request, errors = read_args(request.args, {t for t, _ in types}, {p.id for p in processes})
    if search_request.text.strip() and queue.has_pending(db):
        services.drain_now(timeout=0)
    viewer = viewer_for(db, current_user)
    outcome = services.run_search(db, viewer, search_request)
    items = services.describe(db, viewer, outcome)

    def page_url(page: int) -> str:
        return url_for("search.search", **link_args(search_request, page=page))

    return render_template(
        "search/search.html",
        search=search_request,
        errors=errors,
        outcome=outcome,
        items=items,
        types=types,
        processes=processes,
        page_url=page_url,
        suggestion_url=url_for("search.search", **link_args(search_request, q=outcome.suggestion or "", page=None)),
    )
