"""Text hygiene: characters that no person types, that PostgreSQL refuses (NUL) or that XML 1.0 forbids.

Input is cleaned once when it arrives (consult.forms), so stored text is clean; XML and iCalendar output
clean again, because older rows, imports and the CLI did not come through a form.
"""

from __future__ import annotations

import re

# C0 controls except tab and line feed, DEL, lone surrogates and the two non-characters XML 1.0 forbids.
_UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"\r\n?")
_WHITESPACE_CONTROLS = re.compile(r"[\t\n]+")


def clean_text(text: str) -> str:
    """Multi-line text as people write it: tabs and newlines kept, CR LF and lone CR made LF, other controls gone."""
    return _UNWANTED.sub("", _LINE_BREAKS.sub("\n", text))


def clean_line(text: str) -> str:
    """Single-line text: as clean_text, and tabs and line breaks become a space, so words stay apart."""
    return _WHITESPACE_CONTROLS.sub(" ", clean_text(text))


def xml_text(text: str | None) -> str:
    """Text that XML 1.0 (Atom, OpenDocument) and iCalendar accept, for data stored before input was cleaned."""
    return clean_text(text or "")
