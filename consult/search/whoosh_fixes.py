"""Two small fixes to Whoosh's index writing, applied once on import (whoosh-reloaded 2.7.x).

- A segment's per-document reader looks up each field's length column on every posting it writes; for fields
  without one (IDs, keywords) the "not there" answer was never cached, so writing an index made a `stat()`
  call per posting (a fifth of a rebuild's time). Segments never change once written, so caching the answer
  is safe.
- The posting pool spilled to temporary files (pickling every posting out and back) after a fixed million
  postings, whatever `limitmb` said; now `limitmb` alone decides, as its documentation says.
"""

from __future__ import annotations

from whoosh import writing
from whoosh.codec import whoosh3

_MISSING = object()


def _cached_reader(self, fieldname, column):
    reader = self._readers.get(fieldname, _MISSING)
    if reader is _MISSING:
        reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        self._readers[fieldname] = reader
    return reader


_pool_init = writing.PostingPool.__init__


def _pool_init_by_size(self, tempstore, segment, limitmb=128, **kwargs):
    _pool_init(self, tempstore, segment, limitmb=limitmb, **kwargs)
    self.maxsize = 2**62  # the size estimate against limitmb decides when to spill


if not getattr(whoosh3.W3PerDocReader, "_consult_fixed", False):
    whoosh3.W3PerDocReader._cached_reader = _cached_reader
    writing.PostingPool.__init__ = _pool_init_by_size
    whoosh3.W3PerDocReader._consult_fixed = True
