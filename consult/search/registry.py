"""One adapter per content type: how to load rows in bulk, turn one into a document, and who may see it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
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


_ADAPTERS: dict[str, Adapter] = {}


def register(adapter: Adapter) -> Adapter:
    """Add a content type; registering the same type again replaces it (for tests and reloads)."""
    _ADAPTERS[adapter.doc_type] = adapter
    return adapter


def unregister(doc_type: str) -> None:
    _ADAPTERS.pop(doc_type, None)


def get(doc_type: str) -> Adapter | None:
    return _ADAPTERS.get(doc_type)


def adapters() -> list[Adapter]:
    return list(_ADAPTERS.values())


def watched(cls: type | None) -> bool:
    """Whether changes to rows of this model change some document."""
    return cls is not None and any(cls in adapter.models for adapter in _ADAPTERS.values())


def keys_for(obj: object) -> Iterator[tuple[str, int]]:
    """The documents a changed row affects, as (doc_type, doc_id) pairs."""
    cls = type(obj)
    for adapter in _ADAPTERS.values():
        id_of = adapter.models.get(cls)
        if id_of is not None:
            doc_id = id_of(obj)
            if doc_id is not None:
                yield adapter.doc_type, doc_id


def key(doc_type: str, doc_id: int) -> str:
    return f"{doc_type}:{doc_id}"
