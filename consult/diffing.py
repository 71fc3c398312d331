"""Word-by-word differences between two texts, escaped for HTML: shared by version comparisons and edit conflicts."""

from __future__ import annotations

import difflib
import re

from markupsafe import Markup, escape

WORDS = re.compile(r"\s+|[^\s]+")


def _mark(tokens: list[str], tag: str) -> str:
    text = "".join(tokens)
    return f"<{tag}>{escape(text)}</{tag}>" if text.strip() else str(escape(text))


def word_diff(old: str, new: str) -> tuple[Markup, Markup]:
    """Old text with deletions in <del>, new text with insertions in <ins>; everything else escaped."""
    a, b = WORDS.findall(old), WORDS.findall(new)
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            left.append(str(escape("".join(a[i1:i2]))))
            right.append(str(escape("".join(b[j1:j2]))))
        else:
            if i2 > i1:
                left.append(_mark(a[i1:i2], "del"))
            if j2 > j1:
                right.append(_mark(b[j1:j2], "ins"))
    return Markup("".join(left)), Markup("".join(right))  # noqa: S704 - every piece escaped above
