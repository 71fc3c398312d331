"""A shared Polis conversation's vote history through consult.agreement.replay (the import's replay), for tests."""

from __future__ import annotations

from consult.agreement import polis
from consult.agreement.replay import POLL_MS, Replay
from consult.agreement.replay import replay as replay_events
from tests.agreement.polisdata import DATA

__all__ = ["POLL_MS", "Replay", "replay"]


def replay(name: str, window_ms: int | None = None, *, max_updates: int | None = None) -> Replay:
    """Replay votes.csv in windows of window_ms (or at most max_updates windows); groups keyed by Polis voter-id."""
    folder = DATA / name
    events = [(v.timestamp, v.comment_id, v.voter_id, v.vote) for v in polis.read_votes(folder)]
    moderated_out = [c.comment_id for c in polis.read_comments(folder) if c.moderated == -1]
    return replay_events(events, moderated_out, window_ms=window_ms, max_updates=max_updates)
