"""Long threads: a page loads only what it shows, and a comment's permalink lands on the page that shows it."""

from __future__ import annotations

import re

import pytest

from consult.discussions import tree
from consult.discussions.models import Comment, Thread, ThreadKind
from consult.discussions.views import PER_PAGE
from tests.factories import count_queries_of, make_group, make_process, post


def long_thread(db, group, author, *, top_level: int, chain: int = 0) -> tuple[Thread, list[int], list[int]]:
    """A thread with `top_level` replies to its opening post, and a chain of `chain` replies under the first one.

    Returns the thread, the top-level reply ids (oldest first) and the chain's ids (shallowest first)."""
    thread = Thread(group_id=group.id, kind=ThreadKind.DISCUSSION, title="A long thread", author_id=author.id)
    db.add(thread)
    db.flush()
    opening = Comment(thread_id=thread.id, author_id=author.id, body="Opening post")
    db.add(opening)
    db.flush()
    replies = [
        Comment(thread_id=thread.id, parent_id=opening.id, author_id=author.id, body=f"Top-level reply {n}", depth=1)
        for n in range(top_level)
    ]
    db.add_all(replies)
    db.flush()
    chained: list[Comment] = []
    parent = replies[0]
    for n in range(chain):
        comment = Comment(thread_id=thread.id, parent_id=parent.id, author_id=author.id, body=f"Chain reply {n}")
        db.add(comment)
        db.flush()
        chained.append(comment)
        parent = comment
    db.commit()
    return thread, [r.id for r in replies], [c.id for c in chained]


@pytest.fixture
def big_thread(db, make_user):
    author = make_user(display_name="Tess Talker")
    group = make_group(db, make_process(db), members=[author])
    return long_thread(db, group, author, top_level=PER_PAGE * 7 - 10, chain=12), author


def test_permalink_to_a_comment_on_page_7_lands_on_it(client, big_thread):
    (thread, replies, _), _ = big_thread
    target = replies[PER_PAGE * 6 + 5]  # the 306th top-level reply: page 7
    response = client.get(f"/comments/{target}/in-thread")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/threads/{thread.id}?page=7#comment-{target}")
    page = client.get(f"/threads/{thread.id}?page=7").get_data(as_text=True)
    assert f'id="comment-{target}"' in page and "Page 7 of 7" in page
    assert f'id="comment-{replies[0]}"' not in page, "earlier pages' replies are not loaded"


def test_permalink_to_a_deep_reply_lands_on_its_continue_this_thread_page(client, big_thread):
    (thread, replies, chain), _ = big_thread
    deep = chain[-1]  # 13 levels below the opening post: past two "continue this thread" cuts
    location = client.get(f"/comments/{deep}/in-thread").headers["Location"]
    root = re.search(r"/comments/(\d+)#comment-(\d+)$", location)
    assert root and int(root.group(2)) == deep
    page = client.get(location.split("#")[0]).get_data(as_text=True)
    assert f'id="comment-{deep}"' in page
    assert (
        client.get(f"/comments/{replies[3]}/in-thread")
        .headers["Location"]
        .endswith(f"/threads/{thread.id}#comment-{replies[3]}")
    )


def test_every_reply_can_be_read_page_by_page_without_javascript(client, big_thread):
    (thread, replies, chain), _ = big_thread
    seen: set[int] = set()
    for number in range(1, 8):
        page = client.get(f"/threads/{thread.id}?page={number}").get_data(as_text=True)
        seen |= {int(n) for n in re.findall(r'id="comment-(\d+)"', page)}
        if number < 7:
            assert f'href="/threads/{thread.id}?page={number + 1}"' in page and 'rel="next"' in page
    assert set(replies) <= seen
    assert chain[0] in seen and chain[-1] not in seen  # deep replies continue on their own page
    assert 'href="/comments/' in client.get(f"/threads/{thread.id}").get_data(as_text=True)


def test_a_thread_page_takes_as_many_queries_and_comments_whatever_the_threads_length(
    client, login, db, make_user, query_counter
):
    author = make_user()
    login(author)  # signed in: the page is rendered on every request, never served from the cache
    group = make_group(db, make_process(db), members=[author])
    short, _, _ = long_thread(db, group, author, top_level=PER_PAGE)
    long, _, _ = long_thread(db, group, author, top_level=PER_PAGE * 10)
    few = count_queries_of(client, query_counter, f"/threads/{short.id}")
    many = count_queries_of(client, query_counter, f"/threads/{long.id}")
    assert many == few
    shown = re.findall(r'id="comment-\d+"', client.get(f"/threads/{long.id}").get_data(as_text=True))
    assert len(shown) == PER_PAGE + 1  # the opening post and one page of replies


def test_after_replying_the_author_lands_on_the_page_showing_their_reply(client, login, big_thread):
    (thread, replies, _), author = big_thread
    login(author)
    response = post(client, f"/threads/{thread.id}/replies", parent_id=replies[-1], body="A late answer")
    location = response.headers["Location"]
    assert f"/threads/{thread.id}?page=7#comment-" in location
    comment_id = location.rsplit("comment-", 1)[1]
    assert f'id="comment-{comment_id}"' in client.get(location.split("#")[0]).get_data(as_text=True)


def test_locate_follows_the_layout_of_build_and_paginate():
    parents = {1: None, 2: 1, 3: 1, 4: 1, 5: 4, 6: 5, 7: 6}
    assert tree.locate(parents, 1, per_page=2) == (None, 1)
    assert tree.locate(parents, 3, per_page=2) == (None, 1)
    assert tree.locate(parents, 4, per_page=2) == (None, 2)
    assert tree.locate(parents, 6, per_page=2, max_depth=3) == (None, 2)
    assert tree.locate(parents, 7, per_page=2, max_depth=3) == (6, 1)  # shown on 6's "continue this thread" page
