"""Search results load each hit's group, thread and process with the hits, however many hits there are."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult.db import utcnow
from consult.discussions.models import Comment
from consult.meetings.models import Meeting
from tests import factories
from tests.factories import count_queries_of


@pytest.mark.parametrize("doc_type", ["group", "thread", "comment", "meeting"])
def test_results_query_count_does_not_grow_with_hits_in_many_processes(client, db, make_user, query_counter, doc_type):
    """Each hit is in a process of its own, so nothing a hit shows is already loaded by another."""

    def add_hits(n: int) -> None:
        process = factories.make_process(db, title=f"Process {n}")
        group = factories.make_group(db, process, name=f"Zebrafinch group {n}")
        thread = factories.make_thread(db, group, make_user(), title=f"Zebrafinch thread {n}")
        starts = utcnow() + timedelta(days=20)
        db.add(Comment(thread_id=thread.id, author_id=thread.author_id, body=f"Zebrafinch comment {n}", depth=1))
        db.add(
            Meeting(
                process_id=process.id,
                title=f"Zebrafinch meeting {n}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
            )
        )
        db.commit()

    add_hits(0)
    url = f"/search?q=zebrafinch&type={doc_type}"
    few = count_queries_of(client, query_counter, url)
    for n in range(1, 20):
        add_hits(n)
    many = count_queries_of(client, query_counter, url)
    assert many == few
    assert "Process 19" in client.get(url).get_data(as_text=True)
