"""/papers, where the site-wide papers feed points, lists every published paper at its newest published version."""

from __future__ import annotations

from datetime import timedelta

from consult.db import utcnow
from consult.papers.models import Paper, PaperVersion
from tests.factories import make_process


def _paper(db, process, versions: list[tuple[str, int | None]]) -> Paper:
    """versions: (title, days ago published, or None for an unpublished version)."""
    paper = Paper(process_id=process.id, current_version=len(versions))
    db.add(paper)
    db.flush()
    for number, (title, days_ago) in enumerate(versions, start=1):
        published = utcnow() - timedelta(days=days_ago) if days_ago is not None else None
        db.add(PaperVersion(paper_id=paper.id, number=number, title=title, body="Text", published_at=published))
    db.flush()
    return paper


def test_papers_lists_published_papers_of_every_process_at_their_newest_published_version(client, db):
    health, tax = make_process(db, title="Health data sharing"), make_process(db, title="Tax debt sharing")
    _paper(db, health, [("Health findings v1", 10), ("Health findings v2", 2), ("Health draft v3", None)])
    _paper(db, tax, [("Tax findings", 5)])
    _paper(db, tax, [("Unpublished tax draft", None)])
    db.commit()
    response = client.get("/papers")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.index("Health findings v2") < page.index("Tax findings"), "newest published first"
    assert "Health findings v1" not in page and "Health draft v3" not in page
    assert "Unpublished tax draft" not in page
    assert "Health data sharing" in page and "Tax debt sharing" in page


def test_the_papers_list_query_count_does_not_grow_with_papers(client, db, query_counter):
    process = make_process(db)

    def count() -> int:
        client.get("/papers")
        with query_counter() as statements:
            assert client.get("/papers").status_code == 200
        return len(statements)

    _paper(db, process, [("Paper 0", 1)])
    db.commit()
    few = count()
    for n in range(1, 15):
        _paper(db, make_process(db), [(f"Paper {n}", n + 1)])
    db.commit()
    assert count() == few
