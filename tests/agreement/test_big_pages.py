"""Pages of a process holding the largest shared conversation render from the cache in as many queries as a tiny one."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consult.agreement import analysis, services
from consult.agreement.models import Statement, StatementStatus, Voter
from consult.processes.models import Process
from tests.agreement.polisdata import LARGEST, require_data
from tests.agreement.polisdb import database_url, engine  # noqa: F401 - the imported conversations' database
from tests.factories import make_process

require_data()
pytestmark = pytest.mark.xdist_group("polis")  # reads the conversations imported once (conftest.py)

PAGES = ["", "/agreement", "/statements", "/vote", "/ledger", "/statements/{statement}"]


def page_queries(client, query_counter, slug: str, statement: int) -> dict[str, int]:
    client.get(f"/processes/{slug}")  # the first request after a commit also drains the search queue
    counts = {}
    for path in PAGES:
        url = f"/processes/{slug}{path.format(statement=statement)}"
        with query_counter() as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[path] = len(queries)
    return counts


def test_pages_of_the_largest_conversation_take_as_many_queries_as_a_tiny_process(
    app, client, db, query_counter, monkeypatch, imported
):
    slug = imported[LARGEST]  # imported once per run through `flask agreement import-polis`
    tiny = make_process(db, slug="tiny")
    statements = [Statement(process_id=tiny.id, text=f"Tiny statement {n}") for n in range(3)]
    voters = [Voter(process_id=tiny.id, external_id=str(n)) for n in range(4)]
    db.add_all(statements + voters)
    db.flush()
    for n, voter in enumerate(voters):
        for statement in statements:
            services.record_vote(db, statement, voter, "agree" if n % 2 else "disagree")
    services.refresh_analysis(db, tiny.id)
    db.commit()
    big = db.scalar(sa.select(Process).where(Process.slug == slug))
    assert db.scalar(sa.select(sa.func.count()).select_from(Statement).where(Statement.process_id == big.id)) == 522

    def refuse(*_args, **_kwargs):
        raise AssertionError("pages render from the cache")

    monkeypatch.setattr(analysis, "analyse", refuse)
    first = {
        p.slug: db.scalar(
            sa.select(Statement.id).where(Statement.process_id == p.id, Statement.status == StatementStatus.ACCEPTED)
        )
        for p in (big, tiny)
    }
    large = page_queries(client, query_counter, slug, first[slug])
    small = page_queries(client, query_counter, "tiny", first["tiny"])
    assert large == small
    page = client.get(f"/processes/{slug}/agreement").get_data(as_text=True)
    assert "Figures as of" in page and "1116 participants" in page
    assert "Figures as of" in client.get("/processes/tiny/agreement").get_data(as_text=True)
