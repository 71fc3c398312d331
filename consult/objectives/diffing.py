"""Readable side-by-side differences between two versions of a proposal, field by field (words: consult.diffing)."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from consult.diffing import word_diff
from consult.objectives.fields import FIELDS, display


@dataclass(frozen=True)
class FieldDiff:
    label: str
    old: Markup
    new: Markup
    changed: bool


def compare(old: dict, new: dict, persons: dict[str, str] | None = None) -> list[FieldDiff]:
    """One entry per field, in form order, saying whether and how it changed."""
    result = []
    for field in FIELDS:
        before = display(field, old.get(field.key), persons)
        after = display(field, new.get(field.key), persons)
        if before == after:
            result.append(FieldDiff(field.label, escape(before), escape(after), False))
        else:
            left, right = word_diff(before, after)
            result.append(FieldDiff(field.label, left, right, True))
    return result
