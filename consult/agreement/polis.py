"""Read and write Polis openData exports (comments.csv, votes.csv, participants-votes.csv) without a database."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class PolisFormatError(ValueError):
    """A malformed export; the message names the file and line."""


@dataclass(frozen=True)
class Comment:
    comment_id: int
    author_id: int | None
    moderated: int
    body: str
    timestamp: int


@dataclass(frozen=True)
class VoteEvent:
    comment_id: int
    voter_id: int
    vote: int
    timestamp: int


def _rows(path: Path, required: set[str]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        handle = path.open(newline="", encoding="utf-8")
    except OSError as error:
        raise PolisFormatError(f"{path.name}: cannot be read ({error.strerror})") from error
    with handle:
        reader = csv.DictReader(handle)
        missing = required - set(reader.fieldnames or [])
        if missing:
            raise PolisFormatError(f"{path.name} line 1: missing columns {', '.join(sorted(missing))}")
        for row in reader:
            yield reader.line_num, row


def _int(path: Path, line: int, row: dict[str, str], key: str, allowed: set[int] | None = None) -> int:
    try:
        value = int(row[key])
    except (TypeError, ValueError) as error:
        raise PolisFormatError(
            f"{path.name} line {line}: {key} must be a whole number, got {row.get(key)!r}"
        ) from error
    if allowed is not None and value not in allowed:
        raise PolisFormatError(f"{path.name} line {line}: {key} must be one of {sorted(allowed)}, got {value}")
    return value


def read_comments(folder: Path) -> list[Comment]:
    path = folder / "comments.csv"
    comments = []
    for line, row in _rows(path, {"timestamp", "comment-id", "author-id", "moderated", "comment-body"}):
        author = row.get("author-id") or ""
        comments.append(
            Comment(
                comment_id=_int(path, line, row, "comment-id"),
                author_id=int(author) if author.lstrip("-").isdigit() else None,
                moderated=_int(path, line, row, "moderated", {-1, 0, 1}),
                body=row["comment-body"] or "",
                timestamp=_int(path, line, row, "timestamp"),
            )
        )
    return comments


def read_votes(folder: Path) -> Iterator[VoteEvent]:
    """Every vote event, streamed; superseded votes included (the latest by timestamp counts)."""
    path = folder / "votes.csv"
    for line, row in _rows(path, {"timestamp", "comment-id", "voter-id", "vote"}):
        yield VoteEvent(
            comment_id=_int(path, line, row, "comment-id"),
            voter_id=_int(path, line, row, "voter-id"),
            vote=_int(path, line, row, "vote", {-1, 0, 1}),
            timestamp=_int(path, line, row, "timestamp"),
        )


def read_polis_groups(folder: Path) -> dict[int, int | None]:
    """Polis's own group per participant, from participants-votes.csv when present."""
    path = folder / "participants-votes.csv"
    if not path.exists():
        return {}
    groups: dict[int, int | None] = {}
    for line, row in _rows(path, {"participant", "group-id"}):
        value = row["group-id"]
        groups[_int(path, line, row, "participant")] = int(value) if value not in ("", None) else None
    return groups
