"""Replay a conversation's vote history the way Polis's math worker saw it, so its groups get Polis's history.

Polis's group-id is not a function of the final votes: each update warm-starts from the last one's clusters and a
new number of groups is published only after it has won four updates in a row (POLIS-MATH.md §3). Polis's poller
reads the votes cast since the last poll every second (poller.clj) and runs one update per batch, so this replay
takes the vote events in time order, cuts them into windows of `window_ms`, and after each window runs one update
as Polis does: the rating matrix so far (rows and columns in the order they first appear, the poller reading each
batch ordered by statement, participant, time), the sticky in-conversation set, PCA, then clustering.update_groups
from the previous update's state.

What it cannot know: when statements were moderated out (an export gives only the final status, applied
throughout), how often Polis actually updated (updates that take longer than a poll merge several polls), and
restarts of the math worker, which drop the per-k clusterings and the k-smoother.

A long conversation has tens of thousands of one-second windows; `max_updates` caps the work by widening the window
to span / max_updates (interchange.import_polis uses REPLAY_UPDATES). Pure NumPy: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from consult.agreement import clustering
from consult.agreement.votematrix import Votes

MINIMUM_VOTES = 7
GREEDY = 15
# Polis's poller reads new votes every second (poller.clj :polling-interval 1000) and runs an update per batch.
POLL_MS = 1000


@dataclass
class Replay:
    groups: dict[Hashable, int]  # participant -> group, for the participants Polis would have grouped
    updates: int
    window_ms: int
    state: clustering.GroupingState  # for the next update (the app's next refresh)

    @property
    def published_k(self) -> int:
        """The k-smoother's published k after the last update."""
        return int(self.state.smoothed_k or 0)

    @property
    def winning_k(self) -> int:
        """The k with the best silhouette in the last update."""
        return int(self.state.last_k or 0)


def window_for(timestamps: Iterable[int], max_updates: int | None, poll_ms: int = POLL_MS) -> int:
    """Polis's one-second poll, or the narrowest wider window (whole seconds) that leaves at most max_updates
    windows with votes in them.

    Votes come in bursts with days of quiet between them, so the window is chosen by the number of windows that
    hold votes (each is one update), not by the span: span / max_updates would leave most of the updates unused.
    """
    stamps = np.unique(np.fromiter(timestamps, dtype=np.int64))
    if not max_updates or not len(stamps):
        return poll_ms

    def updates(window: int) -> int:
        return len(np.unique(stamps // window))

    if updates(poll_ms) <= max_updates:
        return poll_ms
    low, high = 1, -(-(int(stamps[-1]) + 1) // poll_ms)  # in polls; one window of the whole history fits
    while low < high:
        middle = (low + high) // 2
        if updates(middle * poll_ms) <= max_updates:
            high = middle
        else:
            low = middle + 1
    return low * poll_ms


def replay(
    events: Iterable[tuple[int, Any, Any, int]],  # statement and participant ids sort (ints or strings)
    moderated_out: Iterable[Hashable] = (),
    *,
    window_ms: int | None = None,
    max_updates: int | None = None,
    name: Callable[[Hashable], Hashable] = lambda participant: participant,
) -> Replay:
    """Run one update per window of vote events (timestamp in ms, statement, participant, vote).

    window_ms defaults to window_for(...): Polis's 1 s poll, widened so there are at most max_updates windows.
    Statements and participants are ids that sort as Polis's do (within a window the poller reads votes ordered by
    statement, participant, time); `name` gives the participant's name in the groups and the state (the app passes
    str, as analysis.analyse names voters by str(voter id)).
    """
    events = sorted(events)
    out = set(moderated_out)
    if window_ms is None:
        window_ms = window_for((e[0] for e in events), max_updates)
    people = sorted({e[2] for e in events})
    statements = sorted({e[1] for e in events})
    row, col = {p: i for i, p in enumerate(people)}, {s: j for j, s in enumerate(statements)}
    matrix = np.full((len(people), len(statements)), np.nan)
    rows: list[int] = []  # rows and columns in the order they entered Polis's matrix
    cols: list[int] = []
    entered_row = np.zeros(len(people), dtype=bool)
    entered_col = np.zeros(len(statements), dtype=bool)
    in_conv = np.zeros(len(people), dtype=bool)
    state = clustering.GroupingState()
    windows: dict[int, list[tuple[int, int, int, int]]] = {}
    for timestamp, statement, participant, vote in events:
        windows.setdefault(timestamp // window_ms, []).append((col[statement], row[participant], timestamp, vote))
    updates = 0
    names: list[Hashable] = []
    labels = np.zeros(0, dtype=int)
    for window in sorted(windows):
        for j, i, _, vote in sorted(windows[window]):
            if not entered_row[i]:
                entered_row[i] = True
                rows.append(i)
            if not entered_col[j]:
                entered_col[j] = True
                cols.append(j)
            matrix[i, j] = vote
        ordered_rows, ordered_cols = np.array(rows), np.array(cols)
        current = matrix[np.ix_(ordered_rows, ordered_cols)]
        n_votes = (~np.isnan(current)).sum(axis=1)
        # Once in, always in (conversation.clj :in-conv), then the most active up to 15.
        in_conv[ordered_rows[n_votes >= min(MINIMUM_VOTES, len(cols))]] = True
        if in_conv.sum() < GREEDY:
            waiting = [(-n, i) for i, n in zip(ordered_rows, n_votes, strict=True) if not in_conv[i]]
            for _, i in sorted(waiting)[: GREEDY - int(in_conv.sum())]:
                in_conv[i] = True
        if len(cols) < 2 or len(rows) < 2:
            continue
        votes = Votes(
            [people[i] for i in ordered_rows],
            [statements[j] for j in ordered_cols],
            current,
            np.array([statements[j] in out for j in ordered_cols]),
        )
        projection = clustering.pca(votes)[2]
        clustered = in_conv[ordered_rows]
        names = [name(people[i]) for i in ordered_rows[clustered]]
        labels, _, state = clustering.update_groups(names, projection[clustered], state)
        updates += 1
    return Replay(
        groups=dict(zip(names, (int(g) for g in labels), strict=True)),
        updates=updates,
        window_ms=window_ms,
        state=state,
    )
