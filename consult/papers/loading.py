"""What every paper route loads first, shared by the reading routes (views) and the changing ones (editing)."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from consult.agreement import figures as agreement_figures
from consult.db import get_session
from consult.objectives.models import Proposal
from consult.papers import evidence, queries
from consult.papers.models import Paper, PaperVersion
from consult.processes import queries as process_queries
from consult.provenance import evidence as provenance_evidence


def load_paper(paper_id: int) -> tuple[Any, Paper, bool]:
    """The session, the paper (or 404) and whether the current user is a member of its process."""
    db = get_session()
    paper = queries.get_paper_or_404(db, paper_id)
    return db, paper, queries.is_process_member(db, paper.process_id, current_user)


def blocked_in(db: Any, paper: Paper) -> bool:
    """Blocked in any group of the paper's process: review comments are process-wide (processes.permissions)."""
    return process_queries.process_standing(db, paper.process_id, current_user).blocked


def evidence_for(db: Any, paper: Paper, version: PaperVersion) -> dict[str, Any]:
    """A published version shows its snapshot; working text shows the record as it is now."""
    if version.is_published and version.evidence is not None:
        statements = {
            key: _restated(ref, paper) if ref.get("figures") else ref
            for key, ref in (version.evidence.get("statements") or {}).items()
        }
        # A comment hidden or deleted since publication is no longer quoted (consult.provenance.evidence).
        return version.evidence | {"statements": provenance_evidence.as_today(db, statements)}
    return evidence.gather(db, paper.process_id, version.body)


def _restated(ref: dict[str, Any], paper: Paper) -> dict[str, Any]:
    """A snapshot's figures by today's definition; one published before the evidence rule gets its support line
    from those same figures (against the process's minimums today)."""
    figures = agreement_figures.restate(ref["figures"])
    return ref | {"figures": figures, "support": ref.get("support") or evidence.support_of(figures, paper.process)}


def public_proposal(db: Any, paper: Paper) -> Proposal | None:
    """The proposed objective a paper is about, if it is about one and that proposal is public."""
    proposal = db.get(Proposal, paper.proposal_id) if paper.proposal_id else None
    return proposal if proposal is not None and proposal.is_public else None
