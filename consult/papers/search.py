"""Position papers in search: the newest published version for everyone, the working draft for facilitators."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import Session

from consult.papers import paragraphs, permissions
from consult.papers.models import Paper, PaperVersion
from consult.processes.models import Process
from consult.search.adapters import as_datetime
from consult.search.contract import Adapter, Document, Viewer
from consult.search.schema import plain_text
from consult.search.visibility import FACILITATORS, PUBLIC


@dataclass(frozen=True)
class PaperRow:
    paper: Paper
    process: Process
    shown: PaperVersion  # the newest published version, or the working version if none is published

    @property
    def id(self) -> int:
        return self.paper.id

    @property
    def published(self) -> bool:
        return self.shown.is_published


def _load(db: Session, ids: Sequence[int]) -> dict[int, PaperRow]:
    """Papers with their process and the version search shows, in two queries."""
    papers = {
        p.id: (p, process)
        for p, process in db.execute(
            sa.select(Paper, Process).join(Process, Process.id == Paper.process_id).where(Paper.id.in_(list(ids)))
        )
    }
    chosen: dict[int, PaperVersion] = {}
    for version in db.scalars(
        sa.select(PaperVersion).where(PaperVersion.paper_id.in_(list(papers))).order_by(PaperVersion.number)
    ):
        paper = papers[version.paper_id][0]
        current = chosen.get(version.paper_id)
        working = version.number == paper.current_version and (current is None or not current.is_published)
        if version.is_published or working:
            chosen[version.paper_id] = version
    return {pid: PaperRow(p, process, chosen[pid]) for pid, (p, process) in papers.items() if pid in chosen}


def _text(body: str) -> str:
    """The paper's own words; finding references are links, not text."""
    return plain_text("\n\n".join(b.text for b in paragraphs.split(body) if b.kind != "reference"))


def _document(row: PaperRow) -> Document:
    version = row.shown
    return Document(
        title=version.title,
        body=" ".join(part for part in (plain_text(version.summary), _text(version.body)) if part),
        date=as_datetime(version.published_at or version.created_at),
        visibility=(PUBLIC,) if row.published else (FACILITATORS,),
        process_id=row.paper.process_id,
        parents=(f"process:{row.paper.process_id}",),
    )


def _can_see(viewer: Viewer, row: PaperRow) -> bool:
    return row.published or permissions.can_manage_papers(viewer.user)


def _url(row: PaperRow) -> str:
    if row.published:
        return url_for("papers.version", paper_id=row.paper.id, number=row.shown.number)
    return url_for("papers.draft", paper_id=row.paper.id)


# Listed with the other content types in consult/search/registry.py.
PAPER = Adapter(
    doc_type="paper",
    label="Position paper",
    models={Paper: lambda p: p.id, PaperVersion: lambda v: v.paper_id},
    load=_load,
    all_ids=lambda db: db.scalars(sa.select(Paper.id).order_by(Paper.id)),
    document=_document,
    can_see=_can_see,
    url=_url,
    title=lambda row: row.shown.title,
    process=lambda row: row.process,
)
