"""Where a process is in its timeline: pure functions over stage dates, no database."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import date
from typing import Protocol, TypeVar


class Dated(Protocol):
    starts_on: date
    ends_on: date


class ProcessState(enum.StrEnum):
    FORTHCOMING = "forthcoming"
    OPEN = "open"
    CLOSED = "closed"


S = TypeVar("S", bound=Dated)


def current_stage(stages: Sequence[S], today: date) -> S | None:
    """The stage whose dates include today; between stages, the one that ended last; None before the first."""
    ordered = sorted(stages, key=lambda stage: stage.starts_on)
    current = None
    for stage in ordered:
        if stage.starts_on <= today:
            current = stage
    return current


def state(stages: Sequence[Dated], today: date, *, closed_kind_active: bool = False) -> ProcessState:
    """Forthcoming before the first stage, closed after the last one ends or in a 'closed' stage."""
    if not stages:
        return ProcessState.FORTHCOMING
    first = min(stage.starts_on for stage in stages)
    last = max(stage.ends_on for stage in stages)
    if today < first:
        return ProcessState.FORTHCOMING
    if today > last or closed_kind_active:
        return ProcessState.CLOSED
    return ProcessState.OPEN


def overlap_problem(new_start: date, new_end: date, others: Sequence[Dated]) -> str | None:
    """Why a stage with these dates cannot be added, or None when it fits."""
    if new_end < new_start:
        return "The end date must be the same as or after the start date"
    for other in others:
        if new_start <= other.ends_on and other.starts_on <= new_end:
            return "These dates overlap another stage of this process"
    return None
