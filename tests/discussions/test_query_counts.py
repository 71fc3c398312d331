"""Discussion pages that list through a relationship load it in their own queries, however long the list."""

from __future__ import annotations

from consult.accounts.models import Role
from consult.discussions.models import SummaryRevision
from tests.factories import count_queries_of, make_group, make_process, make_thread


def test_issues_register_query_count_does_not_grow_with_issues_in_many_groups(client, db, make_user, query_counter):
    process = make_process(db)

    def raise_issue(n: int) -> None:
        group = make_group(db, process)
        make_thread(db, group, make_user(), kind="issue", title=f"Issue {n}")

    raise_issue(0)
    url = f"/processes/{process.slug}/issues"
    few = count_queries_of(client, query_counter, url)
    for n in range(1, 20):
        raise_issue(n)
    many = count_queries_of(client, query_counter, url)
    assert many == few
    assert "Issue 19" in client.get(url).get_data(as_text=True)


def test_summary_page_query_count_does_not_grow_with_revisions_by_many_facilitators(
    client, login, db, make_user, query_counter
):
    process = make_process(db)
    group = make_group(db, process)
    thread = make_thread(db, group, make_user())

    def revise(version: int) -> None:
        author = make_user(roles=(Role.FACILITATOR,), display_name=f"Facilitator {version}")
        db.add(SummaryRevision(thread_id=thread.id, version=version, body=f"Summary {version}", author_id=author.id))
        db.commit()

    login(make_user(roles=(Role.FACILITATOR,)))
    revise(1)
    url = f"/threads/{thread.id}/summary"
    few = count_queries_of(client, query_counter, url)
    for version in range(2, 21):
        revise(version)
    many = count_queries_of(client, query_counter, url)
    assert many == few
    assert "Facilitator 20" in client.get(url).get_data(as_text=True)
