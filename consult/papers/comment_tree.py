"""Review comments arranged for the draft page: each paragraph's threads, the earlier ones, and replies by parent."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from consult.papers.models import CommentStatus


@dataclass
class CommentTree:
    """Top-level comments placed on a paragraph of the current version, the rest (made on an earlier version or no
    longer placed), and the replies under each comment."""

    on_paragraph: dict[int, list[Any]] = field(default_factory=dict)
    earlier: list[Any] = field(default_factory=list)
    children: dict[int, list[Any]] = field(default_factory=dict)
    open_count: int = 0


def arrange(comments: Iterable[Any], version_number: int) -> CommentTree:
    """Comments in reading order (oldest first) arranged against the version shown; open visible threads counted."""
    tree = CommentTree()
    for comment in comments:
        if comment.parent_id is not None:
            tree.children.setdefault(comment.parent_id, []).append(comment)
            continue
        placed = comment.unplaced_since is None and comment.paragraph is not None
        if placed and comment.version_number == version_number:
            tree.on_paragraph.setdefault(comment.paragraph, []).append(comment)
        else:
            tree.earlier.append(comment)
        if comment.status == CommentStatus.OPEN and comment.is_visible:
            tree.open_count += 1
    return tree
