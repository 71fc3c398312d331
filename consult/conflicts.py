"""The one picture of a refused stale edit: who saved the newer version, when, why, and how the person's text differs.

Every versioned document (proposal answers, papers, thread summaries, meeting notes) builds one of these after
`saving()` reports a conflict, and the page shows it with the `conflict_panel` macro (components/conflict.html).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

from consult.diffing import word_diff


@dataclass(frozen=True)
class ConflictPart:
    """One part of the document (a field) that differs: the saved text with removals marked, the person's with
    additions marked."""

    label: str
    saved: Markup
    yours: Markup


@dataclass(frozen=True)
class Conflict:
    """A save refused because someone else saved first; nothing of the person's was saved, and their text is kept."""

    parts: tuple[ConflictPart, ...]
    version: int | None = None
    saved_by: str | None = None
    saved_at: datetime | None = None
    change_note: str = ""


def conflict_between(
    texts: Iterable[tuple[str, str, str]],
    *,
    version: int | None = None,
    saved_by: str | None = None,
    saved_at: datetime | None = None,
    change_note: str = "",
) -> Conflict:
    """From (label, newer saved text, the person's text) triples; parts that are the same are left out."""
    parts = tuple(
        ConflictPart(label, *word_diff(saved or "", yours or "")) for label, saved, yours in texts if saved != yours
    )
    return Conflict(parts, version, saved_by, saved_at, (change_note or "").strip())
