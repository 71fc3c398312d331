"""Paper pages load the authors of versions and review comments in their own queries, however many there are."""

from __future__ import annotations

import pytest

from consult.accounts.models import Role
from consult.papers.models import Paper, PaperComment, PaperVersion
from tests.factories import count_queries_of, make_process


@pytest.fixture
def paper(db, make_user):
    paper = Paper(process_id=make_process(db).id, current_version=1)
    db.add(paper)
    db.flush()
    db.add(PaperVersion(paper_id=paper.id, number=1, title="Findings", body="A paragraph.", author_id=make_user().id))
    db.commit()
    return paper


def test_history_query_count_does_not_grow_with_versions_by_many_authors(
    client, login, db, make_user, paper, query_counter
):
    login(make_user(roles=(Role.FACILITATOR,)))
    url = f"/papers/{paper.id}/versions"
    few = count_queries_of(client, query_counter, url)
    for number in range(2, 21):
        author = make_user(display_name=f"Writer {number}")
        db.add(PaperVersion(paper_id=paper.id, number=number, title="Findings", body="Text", author_id=author.id))
    db.commit()
    many = count_queries_of(client, query_counter, url)
    assert many == few
    assert "Writer 20" in client.get(url).get_data(as_text=True)


def test_draft_query_count_does_not_grow_with_review_comments_by_many_authors(
    client, login, db, make_user, paper, query_counter
):
    def comment(n: int) -> None:
        author = make_user(display_name=f"Reviewer {n}")
        db.add(PaperComment(paper_id=paper.id, author_id=author.id, body=f"Comment {n}", paragraph=0))
        db.commit()

    login(make_user(roles=(Role.FACILITATOR,)))
    comment(0)
    url = f"/papers/{paper.id}/draft"
    few = count_queries_of(client, query_counter, url)
    for n in range(1, 20):
        comment(n)
    many = count_queries_of(client, query_counter, url)
    assert many == few
    assert "Reviewer 19" in client.get(url).get_data(as_text=True)
