"""Arrange a thread's comments as a tree, in memory, so a page needs one query however long the thread."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

MAX_DEPTH = 5  # deeper replies continue on their own page ("continue this thread")


@dataclass
class Node:
    comment: Any
    children: list[Node] = field(default_factory=list)
    depth: int = 0
    more_below: int = 0  # replies not shown because the display depth was reached

    @property
    def size(self) -> int:
        return 1 + sum(child.size for child in self.children) + self.more_below


def build(comments: Sequence[Any], root_id: int | None = None, max_depth: int = MAX_DEPTH) -> list[Node]:
    """Return the replies under `root_id` (or the top level) as nodes, oldest first, cut at max_depth."""
    children: dict[int | None, list[Any]] = defaultdict(list)
    for comment in sorted(comments, key=lambda c: c.id):
        children[comment.parent_id].append(comment)

    def count(comment_id: int) -> int:
        return sum(1 + count(child.id) for child in children.get(comment_id, []))

    def grow(parent_id: int | None, depth: int) -> list[Node]:
        nodes = []
        for comment in children.get(parent_id, []):
            node = Node(comment, depth=depth)
            if depth + 1 < max_depth:
                node.children = grow(comment.id, depth + 1)
            else:
                node.more_below = count(comment.id)
            nodes.append(node)
        return nodes

    return grow(root_id, 0)


def paginate(nodes: list[Node], page: int, per_page: int) -> tuple[list[Node], int, int]:
    """Split top-level replies into pages; each keeps its whole subtree, so no reply is cut off from its parent.

    Returns the nodes shown, the page actually shown (out-of-range requests are clamped) and the page count.
    """
    pages = max(1, -(-len(nodes) // per_page))
    page = min(max(page, 1), pages)
    return nodes[(page - 1) * per_page : page * per_page], page, pages


def walk(nodes: list[Node]) -> Iterator[Node]:
    """Every node shown, depth first, so a page can load just the comments it displays."""
    for node in nodes:
        yield node
        yield from walk(node.children)


def locate(
    parents: Mapping[int, int | None], comment_id: int, *, per_page: int, max_depth: int = MAX_DEPTH
) -> tuple[int | None, int]:
    """Where a comment is displayed: the "continue this thread" root it sits under (None: the thread page) and the page.

    `parents` maps every comment of the thread to its parent; the children of each comment are ordered by id, as
    `build` orders them, and pages split the top-level replies as `paginate` does.
    """
    chain = [comment_id]
    while parents.get(chain[-1]) is not None:
        chain.append(parents[chain[-1]])  # type: ignore[arg-type]
    chain.reverse()
    chain = chain[1:]  # the opening post is above every page
    if not chain:
        return None, 1
    root: int | None = None
    base = 0
    while len(chain) - base > max_depth:  # deeper than a page shows: it continues under an ancestor
        root = chain[base + max_depth - 1]
        base += max_depth
    top = chain[base]
    parent = parents[top]
    siblings = sorted(cid for cid, pid in parents.items() if pid == parent)
    return root, siblings.index(top) // per_page + 1
