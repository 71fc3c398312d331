"""Position paper pages: drafting, editing, review comments, publishing, reading and provenance."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, redirect, render_template, url_for
from flask_login import current_user

from consult.db import get_session
from consult.diffing import word_diff
from consult.forms import CompareForm
from consult.markdown import render_markdown
from consult.papers import comment_tree, document, permissions, queries, rendering
from consult.papers.blueprint import bp
from consult.papers.loading import blocked_in, evidence_for, load_paper, public_proposal
from consult.papers.models import CommentStatus, Paper, PaperVersion
from consult.processes import queries as process_queries


@bp.get("/processes/<slug>/papers")
def index(slug: str):
    db = get_session()
    process = process_queries.get_process_or_404(db, slug)
    member = queries.is_process_member(db, process.id, current_user)
    can_see_drafts = permissions.can_read_working_text(current_user, member)
    papers = [row for row in queries.list_for_process(db, process.id) if row["published"] or can_see_drafts]
    return render_template(
        "papers/index.html",
        process=process,
        papers=papers,
        can_see_drafts=can_see_drafts,
        can_create=permissions.can_manage_papers(current_user),
    )


@bp.get("/papers")
def all_published():
    """Published papers across the site: where the papers feed points."""
    return render_template("papers/all.html", papers=queries.latest_published_papers(get_session()))


@bp.get("/papers/<int:paper_id>")
def show(paper_id: int):
    """The paper's permanent address: its newest published version, or the draft for those who may read it."""
    db, paper, member = load_paper(paper_id)
    version = queries.latest_published(db, paper.id)
    if version is None:
        if permissions.can_read_working_text(current_user, member):
            return redirect(url_for("papers.draft", paper_id=paper.id))
        abort(404)
    return _render_version(db, paper, version, member, newest=version)


@bp.get("/papers/<int:paper_id>/versions/<int:number>")
def version(paper_id: int, number: int):
    db, paper, member = load_paper(paper_id)
    version = queries.get_version_or_404(db, paper.id, number)
    if not permissions.can_read_version(current_user, version, member):
        abort(404)
    return _render_version(db, paper, version, member)


def _render_version(db: Any, paper: Paper, version: PaperVersion, member: bool, newest: PaperVersion | None = None):
    """A version's page; `newest` is the newest published version when the caller already has it."""
    items = rendering.items(version.body, evidence_for(db, paper, version))
    newer = newest or queries.latest_published(db, paper.id)
    return render_template(
        "papers/version.html",
        paper=paper,
        process=paper.process,
        version=version,
        items=items,
        contents=rendering.contents(items),
        summary=render_markdown(version.summary),
        newest_published=newer,
        proposal=public_proposal(db, paper),
        can_read_working=permissions.can_read_working_text(current_user, member),
    )


@bp.get("/papers/<int:paper_id>/versions/<int:number>/paper.odt")
def download(paper_id: int, number: int):
    """The version as an OpenDocument text file, generated from the same record as the page."""
    db, paper, member = load_paper(paper_id)
    version = queries.get_version_or_404(db, paper.id, number)
    if not permissions.can_read_version(current_user, version, member):
        abort(404)
    items = rendering.items(version.body, evidence_for(db, paper, version))
    if version.is_published:
        line = f"Published {version.published_at:%-d %B %Y}. Version {version.number}. {paper.process.title}."
    else:
        line = f"Working draft, version {version.number}, not published. {paper.process.title}."
    data = document.build(
        version.title,
        str(render_markdown(version.summary)),
        items,
        {"line": line, "organisations": version.named_organisations or []},
    )
    response = Response(data, mimetype="application/vnd.oasis.opendocument.text")
    response.headers["Content-Disposition"] = f'attachment; filename="paper-{paper.id}-v{version.number}.odt"'
    return response


@bp.get("/papers/<int:paper_id>/versions/<int:number>/evidence/<kind>/<int:ref_id>")
def provenance(paper_id: int, number: int, kind: str, ref_id: int):
    """One finding's evidence: as it was at publication for a published version, as it is now for a draft."""
    db, paper, member = load_paper(paper_id)
    version = queries.get_version_or_404(db, paper.id, number)
    if not permissions.can_read_version(current_user, version, member) or kind not in {"finding", "said", "issue"}:
        abort(404)
    found = evidence_for(db, paper, version)
    ref = found.get("issues" if kind == "issue" else "statements", {}).get(str(ref_id))
    if ref is None:
        abort(404)
    return render_template(
        "papers/provenance.html",
        paper=paper,
        process=paper.process,
        version=version,
        kind=kind,
        ref=ref,
        figures_as_of=found.get("figures_as_of"),
    )


@bp.get("/papers/<int:paper_id>/draft")
def draft(paper_id: int):
    """The working text with its review comments beside each paragraph."""
    db, paper, member = load_paper(paper_id)
    if not permissions.can_read_working_text(current_user, member):
        abort(404)
    version = queries.current(db, paper)
    items = rendering.items(version.body, evidence_for(db, paper, version))
    tree = comment_tree.arrange(queries.comments(db, paper.id), version.number)
    organisation_id = getattr(current_user, "organisation_id", None)
    blocked = blocked_in(db, paper)
    return render_template(
        "papers/draft.html",
        paper=paper,
        process=paper.process,
        version=version,
        items=items,
        contents=rendering.contents(items),
        summary=render_markdown(version.summary),
        on_paragraph=tree.on_paragraph,
        earlier=tree.earlier,
        children=tree.children,
        open_count=tree.open_count,
        proposal=public_proposal(db, paper),
        can_comment=permissions.can_comment(current_user, paper, member, blocked=blocked),
        blocked=blocked,
        can_edit=permissions.can_edit(current_user, paper),
        can_manage=permissions.can_manage_papers(current_user),
        can_publish=permissions.can_publish(current_user, paper),
        can_consent=permissions.can_consent_to_naming(current_user, paper, member),
        consented=queries.has_consented(db, paper.id, organisation_id),
        organisations=queries.consenting_organisations(db, paper.id),
        permissions=permissions,
        member=member,
        CommentStatus=CommentStatus,
    )


@bp.get("/papers/<int:paper_id>/versions")
def history(paper_id: int):
    """Every version with its change note and the public record of status changes."""
    db, paper, member = load_paper(paper_id)
    can_read_working = permissions.can_read_working_text(current_user, member)
    versions = [v for v in queries.versions(db, paper.id) if can_read_working or v.is_published]
    if not versions:
        abort(404)
    return render_template(
        "papers/history.html",
        paper=paper,
        process=paper.process,
        versions=versions,
        title=versions[-1].title,
        events=queries.events(db, paper.id),
        can_read_working=can_read_working,
    )


@bp.get("/papers/<int:paper_id>/compare")
def compare(paper_id: int):
    db, paper, member = load_paper(paper_id)
    can_read_working = permissions.can_read_working_text(current_user, member)
    readable = {v.number: v for v in queries.versions(db, paper.id) if can_read_working or v.is_published}
    numbers = sorted(readable)
    if len(numbers) < 2:
        abort(404)
    asked = CompareForm().values()
    before = readable.get(asked["old"] or numbers[-2])
    after = readable.get(asked["new"] or numbers[-1])
    if before is None or after is None:
        abort(404)
    rows = []
    for label, old, new in (
        ("Title", before.title, after.title),
        ("Summary", before.summary, after.summary),
        ("Text", before.body, after.body),
    ):
        left, right = word_diff(old, new)
        rows.append({"label": label, "old": left, "new": right, "changed": old != new})
    return render_template(
        "papers/compare.html", paper=paper, before=before, after=after, rows=rows, numbers=numbers, title=after.title
    )
