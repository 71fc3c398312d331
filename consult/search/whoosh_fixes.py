"""A small fix to Whoosh's index writing, applied once on import (whoosh-reloaded 2.7.5, pinned in pyproject.toml).

A segment's per-document reader looks up each field's length column on every posting it writes; for fields
without one (IDs, keywords) the "not there" answer was never cached, so writing an index made a `stat()` call
per posting (a fifth of a rebuild's time). Segments never change once written, so caching the answer is safe.
The internals this relies on are checked in tests/search/test_whoosh_internals.py.

(An earlier second patch raised the posting pool's `maxsize`; whoosh-reloaded 2.7.5's PostingPool never reads it,
spilling by its size estimate against `limitmb` alone, so it was dropped: the same test file checks that.)
"""

from __future__ import annotations

from whoosh.codec import whoosh3

_MISSING = object()


def _cached_reader(self, fieldname, column):
    reader = self._readers.get(fieldname, _MISSING)
    if reader is _MISSING:
        reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        self._readers[fieldname] = reader
    return reader


_reader_class = getattr(whoosh3, "W3PerDocReader", None)  # gone after an upgrade: writing is slower, not broken
if _reader_class is not None and not getattr(_reader_class, "_consult_fixed", False):
    _reader_class._cached_reader = _cached_reader
    _reader_class._consult_fixed = True
