"""One base for enums that people read: each member carries its label, so no enum repeats a LABELS dict."""

from __future__ import annotations

import enum
from typing import Self


class LabelledEnum(enum.StrEnum):
    """A StrEnum written `NAME = "value", "Label"`: columns store the value, pages and forms show the label."""

    _value_: str
    label: str

    def __new__(cls, value: str, label: str | None = None) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        # A member written with its value alone reads as that value in words ("in_progress": "In progress").
        member.label = label if label is not None else value.replace("_", " ").capitalize()
        return member

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) pairs in the order the members are written, for a form's radios or select."""
        return [(member.value, member.label) for member in cls]
