"""Replay a shared Polis conversation's history the way Polis's math worker saw it, for comparing with Polis's groups.

Polis's group-id is not a function of the final votes: each update warm-starts from the last one's clusters and a
new number of groups is published only after it has won four updates in a row (POLIS-MATH.md §3). Polis's poller
reads the votes cast since the last poll every second (poller.clj) and runs one update per batch, so this replay
takes votes.csv in time order, cuts it into windows of `window_ms`, and after each window runs one update as
Polis does: the rating matrix so far (rows and columns in the order they first appear, the poller reading each batch
ordered by statement, participant, time), the sticky in-conversation set, PCA, then clustering.update_groups from
the previous update's state.

What it cannot know: when statements were moderated out (the export gives only the final status, applied
throughout), how often Polis actually updated (updates that take longer than a poll merge several polls), and
restarts of the math worker, which drop the per-k clusterings and the k-smoother. It runs thousands of updates, so it
is a test-side comparison, not something the app does on each refresh.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import numpy as np

from consult.agreement import clustering, polis
from consult.agreement.votematrix import Votes
from tests.agreement.polisdata import DATA

MINIMUM_VOTES = 7
GREEDY = 15


@dataclass
class Replay:
    groups: dict[int, int]  # participant -> group, for the participants Polis would have grouped
    updates: int
    published_k: int  # the k-smoother's published k after the last update
    winning_k: int  # the k with the best silhouette in the last update


def replay(name: str, window_ms: int) -> Replay:
    folder = DATA / name
    with (folder / "votes.csv").open(newline="", encoding="utf-8") as handle:
        events = sorted(
            (int(r["timestamp"]), int(r["comment-id"]), int(r["voter-id"]), int(r["vote"]))
            for r in csv.DictReader(handle)
        )
    moderated_out = {c.comment_id for c in polis.read_comments(folder) if c.moderated == -1}
    people = sorted({e[2] for e in events})
    statements = sorted({e[1] for e in events})
    row, col = {p: i for i, p in enumerate(people)}, {s: j for j, s in enumerate(statements)}
    matrix = np.full((len(people), len(statements)), np.nan)
    rows: list[int] = []  # rows and columns in the order they entered Polis's matrix
    cols: list[int] = []
    entered_row = np.zeros(len(people), dtype=bool)
    entered_col = np.zeros(len(statements), dtype=bool)
    in_conv = np.zeros(len(people), dtype=bool)
    state: clustering.GroupingState | None = None
    windows: dict[int, list[tuple[int, int, int, int]]] = {}
    for event in events:
        windows.setdefault(event[0] // window_ms, []).append(event)
    updates = 0
    for window in sorted(windows):
        for _, statement, participant, vote in sorted(windows[window], key=lambda e: (e[1], e[2], e[0])):
            i, j = row[participant], col[statement]
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
            np.array([statements[j] in moderated_out for j in ordered_cols]),
        )
        projection = clustering.pca(votes)[2]
        clustered = in_conv[ordered_rows]
        names = [people[i] for i in ordered_rows[clustered]]
        labels, _, state = clustering.update_groups(names, projection[clustered], state)
        updates += 1
    assert state is not None
    return Replay(
        groups=dict(zip(names, (int(g) for g in labels), strict=True)),
        updates=updates,
        published_k=int(state.smoothed_k or 0),
        winning_k=int(state.last_k or 0),
    )
