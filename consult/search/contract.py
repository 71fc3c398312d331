"""What a searchable content type provides (Adapter) and what search hands it (Document, Viewer).

Kept apart from registry.py, which imports every adapter, so that adapters can import these without a cycle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Document:
    """What the index holds for one row; `visibility` tokens decide who may find it."""

    title: str
    body: str
    date: datetime | None
    visibility: tuple[str, ...]
    process_id: int | None = None
    parents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Viewer:
    """The searcher as the visibility rules need them: the user object and their visibility tokens."""

    user: Any
    tokens: frozenset[str]
    attended_meeting_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Adapter:
    """How one content type reaches the index.

    - ``models`` maps each model class whose changes affect this type to a function giving the document id.
    - ``load(db, ids)`` returns {id: row} for the rows that still exist (bulk, eager enough for ``document``).
    - ``all_ids(db)`` yields every id, for a full rebuild, in ascending order.
    - ``document(row)`` returns the Document, or None when the row must not be in the index (deleted, hidden).
    - ``can_see(viewer, row)`` re-checks a result on the page with the feature's own permission predicates.
    - ``url(row)`` and ``label(row)`` describe the result on the page (read from the database, never stale).
    - ``dependents(db, ids)`` lists other documents whose visibility follows these, refreshed with them.
    """

    doc_type: str
    label: str
    models: dict[type, Callable[[Any], int | None]]
    load: Callable[[Session, Sequence[int]], dict[int, Any]]
    all_ids: Callable[[Session], Iterable[int]]
    document: Callable[[Any], Document | None]
    can_see: Callable[[Viewer, Any], bool]
    url: Callable[[Any], str]
    title: Callable[[Any], str]
    process: Callable[[Any], Any] = lambda row: None
    dependents: Callable[[Session, Sequence[int]], list[tuple[str, int]]] = lambda db, ids: []
