"""The three shared Polis conversations (../shared/data/polis, or CONSULT_SHARED_DIR), for tests and benchmarks."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest

from consult.agreement import analysis, polis

SHARED = Path(os.environ.get("CONSULT_SHARED_DIR") or Path(__file__).resolve().parents[3] / "shared")
DATA = SHARED / "data" / "polis"
CONVERSATIONS = ["brexit-consensus", "scoop-hivemind.biodiversity", "austria-climate.5twd2jsnkf.2022-08-08"]
LARGEST = CONVERSATIONS[-1]


def require_data() -> None:
    """Skip the calling test module locally without the data; in CI its absence is an error, not a skip."""
    if not DATA.is_dir():
        if os.environ.get("CI"):
            raise RuntimeError(f"CI needs the shared Polis data at {DATA} (../shared beside the clone)")
        pytest.skip(f"the shared Polis data is not at {DATA}; set CONSULT_SHARED_DIR", allow_module_level=True)


@cache
def load(name: str) -> analysis.Votes:
    """The conversation's latest votes, with moderated-out statements flagged, read straight from the export."""
    folder = DATA / name
    comments = polis.read_comments(folder)
    events = [(v.voter_id, v.comment_id, v.vote, v.timestamp) for v in polis.read_votes(folder)]
    return analysis.Votes.from_events(
        events,
        statements=sorted(c.comment_id for c in comments),
        moderated_out=[c.comment_id for c in comments if c.moderated == -1],
    )
