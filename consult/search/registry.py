"""Every searchable content type, in one list: what the index holds, the queue watches and the search page offers.

To make a new type searchable, write its Adapter (consult/search/adapters.py, or the feature's own search.py)
and add it to ADAPTERS; tests/search/test_registry.py checks that every model is either watched or deliberately
left out of search.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from consult.papers.search import PAPER
from consult.search.adapters import (
    COMMENT,
    GROUP,
    MEETING,
    NOTES,
    PAGE,
    PROCESS,
    PROPOSAL,
    PROPOSAL_VERSION,
    STATEMENT,
    THREAD,
)
from consult.search.contract import Adapter

# In the order the search page offers them as filters.
ADAPTERS: tuple[Adapter, ...] = (
    PROCESS,
    GROUP,
    THREAD,
    COMMENT,
    MEETING,
    NOTES,
    PROPOSAL,
    PROPOSAL_VERSION,
    STATEMENT,
    PAGE,
    PAPER,
)

IdOf = Callable[[Any], int | None]


def _documents_by_model(adapters: Iterable[Adapter]) -> dict[type, list[tuple[str, IdOf]]]:
    """Each watched model class with the documents a change to one of its rows affects."""
    found: dict[type, list[tuple[str, IdOf]]] = defaultdict(list)
    for adapter in adapters:
        for model, id_of in adapter.models.items():
            found[model].append((adapter.doc_type, id_of))
    return dict(found)


_BY_TYPE = {adapter.doc_type: adapter for adapter in ADAPTERS}
_BY_MODEL = _documents_by_model(ADAPTERS)


def get(doc_type: str) -> Adapter | None:
    return _BY_TYPE.get(doc_type)


def adapters() -> tuple[Adapter, ...]:
    return ADAPTERS


def watched(cls: type | None) -> bool:
    """Whether changes to rows of this model change some document."""
    return cls in _BY_MODEL


def keys_for(obj: object) -> Iterator[tuple[str, int]]:
    """The documents a changed row affects, as (doc_type, doc_id) pairs."""
    for doc_type, id_of in _BY_MODEL.get(type(obj), ()):
        doc_id = id_of(obj)
        if doc_id is not None:
            yield doc_type, doc_id


def key(doc_type: str, doc_id: int) -> str:
    return f"{doc_type}:{doc_id}"
