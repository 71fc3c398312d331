"""The draft page's comment tree is built by a pure function (issue #13 item 3), tested here without a database."""

from __future__ import annotations

from types import SimpleNamespace

from consult.papers.comment_tree import arrange
from consult.papers.models import CommentStatus


def comment(id, *, parent=None, paragraph=0, version=2, unplaced=None, status=CommentStatus.OPEN, visible=True):
    return SimpleNamespace(
        id=id,
        parent_id=parent,
        paragraph=paragraph,
        version_number=version,
        unplaced_since=unplaced,
        status=status,
        is_visible=visible,
    )


def test_comments_are_placed_on_their_paragraph_of_the_version_shown():
    first, second, other = comment(1, paragraph=0), comment(2, paragraph=0), comment(3, paragraph=4)
    tree = arrange([first, second, other], version_number=2)
    assert tree.on_paragraph == {0: [first, second], 4: [other]}
    assert tree.earlier == []


def test_comments_on_an_earlier_version_or_no_longer_placed_are_listed_apart():
    old = comment(1, version=1)
    lost = comment(2, unplaced=2)
    nowhere = comment(3, paragraph=None)
    tree = arrange([old, lost, nowhere], version_number=2)
    assert tree.earlier == [old, lost, nowhere] and tree.on_paragraph == {}


def test_replies_hang_under_their_parent_in_order_and_are_not_threads():
    root = comment(1)
    reply, later_reply, nested = comment(2, parent=1), comment(3, parent=1), comment(4, parent=2)
    tree = arrange([root, reply, later_reply, nested], version_number=2)
    assert tree.children == {1: [reply, later_reply], 2: [nested]}
    assert tree.on_paragraph == {0: [root]} and tree.open_count == 1


def test_only_open_visible_threads_count_as_open():
    comments = [
        comment(1),
        comment(2, status=CommentStatus.RESOLVED),
        comment(3, visible=False),
        comment(4, version=1),
        comment(5, parent=1),
    ]
    assert arrange(comments, version_number=2).open_count == 2
