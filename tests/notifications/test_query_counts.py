"""The process feed loads each thread's group in its own query, however many threads there are."""

from __future__ import annotations

from tests.factories import count_queries_of, make_group, make_process, make_thread


def test_process_feed_query_count_does_not_grow_with_threads_in_many_groups(client, db, make_user, query_counter):
    process = make_process(db)

    def start(n: int) -> None:
        make_thread(db, make_group(db, process, name=f"Strand {n}"), make_user(), title=f"Thread {n}")

    start(0)
    url = f"/processes/{process.slug}/feed.atom"
    few = count_queries_of(client, query_counter, url)
    for n in range(1, 20):
        start(n)
    many = count_queries_of(client, query_counter, url)
    assert many == few
    assert "In Strand 19" in client.get(url).get_data(as_text=True)
