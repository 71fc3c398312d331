"""Where the index lives: a base folder holding generations of the index, a `current` link and the writer lock.

Layout of the folder (CONSULT_SEARCH_INDEX, default instance/search-index):
    current -> gen-20261121T203000-1a2b   the index searches read (a symlink swapped atomically by reindex)
    gen-.../                               Whoosh's files
    writer.lock                            held by the one process that writes (drain or reindex)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

from whoosh import index as whoosh_index
from whoosh.index import Index
from whoosh.searching import Searcher
from whoosh.util.filelock import FileLock

from consult.search.schema import SCHEMA

CURRENT = "current"
LOCK = "writer.lock"
KEEP_GENERATIONS = 2  # the current one and the one before, which a searcher elsewhere may still be reading


class IndexBusy(Exception):
    """Another process holds the writer lock; the queue keeps the work for later."""


class IndexStore:
    """One index folder; cheap to create, so callers make one per use from the app's config."""

    def __init__(self, base: str) -> None:
        self.base = os.path.abspath(base)

    @property
    def current_path(self) -> str:
        return os.path.join(self.base, CURRENT)

    def exists(self) -> bool:
        return os.path.isdir(self.current_path) and whoosh_index.exists_in(self.current_path)

    @contextlib.contextmanager
    def writer_lock(self, timeout: float) -> Iterator[None]:
        """Hold the one writer lock (an flock, released by the kernel if the process dies), or raise IndexBusy."""
        os.makedirs(self.base, exist_ok=True)
        lock = FileLock(os.path.join(self.base, LOCK))
        deadline = time.monotonic() + timeout
        while not lock.acquire(blocking=False):
            if time.monotonic() >= deadline:
                raise IndexBusy(self.base)
            time.sleep(0.02)
        try:
            yield
        finally:
            lock.release()

    def new_generation(self) -> tuple[str, Index]:
        """An empty index in a fresh folder beside the current one (not yet visible to searches)."""
        os.makedirs(self.base, exist_ok=True)
        name = "gen-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
        path = os.path.join(self.base, name)
        os.makedirs(path)
        return path, whoosh_index.create_in(path, SCHEMA)

    def swap_to(self, path: str) -> None:
        """Point `current` at a finished generation in one rename, then drop generations nobody needs."""
        link = os.path.join(self.base, f".current-{uuid.uuid4().hex[:8]}")
        os.symlink(os.path.basename(path), link)
        os.replace(link, self.current_path)
        self._prune(keep=os.path.basename(path))

    def _prune(self, keep: str) -> None:
        generations = sorted(
            (e for e in os.scandir(self.base) if e.name.startswith("gen-") and e.is_dir(follow_symlinks=False)),
            key=lambda e: e.stat().st_mtime,
            reverse=True,
        )
        old = [e for e in generations if e.name != keep][KEEP_GENERATIONS - 1 :]
        for entry in old:
            shutil.rmtree(entry.path, ignore_errors=True)

    def open_for_writing(self) -> Index:
        """The current index, created empty on first use; call only while holding the writer lock."""
        if not self.exists():
            path, _ = self.new_generation()
            self.swap_to(path)
        return whoosh_index.open_dir(self.current_path, schema=SCHEMA)


_local = threading.local()


def searcher(store: IndexStore) -> Searcher | None:
    """A searcher on the current index, reused per thread and refreshed when a writer or a swap changed it."""
    if not store.exists():
        return None
    real = os.path.realpath(store.current_path)
    cached: tuple[str, Searcher] | None = getattr(_local, "cached", None)
    # refresh() reuses the unchanged segments' readers and closes the rest itself; but Whoosh 2.7.5 cannot refresh a
    # searcher opened on an index with no segments (its EmptyReader's segments() is None: a TypeError), so one
    # opened before the first document is reopened instead.
    if cached is not None and cached[0] == real and cached[1].reader().segments() is not None:
        fresh = cached[1].refresh()
        _local.cached = (real, fresh)
        return fresh
    if cached is not None:
        cached[1].close()
        _local.cached = None
    found = whoosh_index.open_dir(real, schema=SCHEMA).searcher()
    _local.cached = (real, found)
    return found


def forget_searchers() -> None:
    """Close this thread's cached searcher (tests, and after a swap in the same process)."""
    cached = getattr(_local, "cached", None)
    if cached is not None:
        cached[1].close()
        _local.cached = None
