"""Text hygiene: characters that no person types, that PostgreSQL refuses (NUL) or that XML 1.0 forbids.

Input is cleaned once when it arrives (consult.forms), so stored text is clean; XML and iCalendar output
clean again, because older rows, imports and the CLI did not come through a form.
"""

from __future__ import annotations

import re

# C0 controls except tab and line feed, DEL, the C1 controls (U+0080-U+009F: invisible, never typed on purpose,
# and U+009B is a terminal's escape), lone surrogates and the two non-characters XML 1.0 forbids.
_UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# CR LF, a lone CR, and NEL (U+0085, the line break of EBCDIC text and of Unicode's own definition): each one
# ends a line, so each becomes LF; removing NEL instead would join the words either side of it.
_LINE_BREAKS = re.compile("\r\n?|\x85")
_WHITESPACE_CONTROLS = re.compile(r"[\t\n]+")


def clean_text(text: str) -> str:
    """Multi-line text as people write it: tabs and newlines kept, CR LF, lone CR and NEL made LF, no other controls."""
    return _UNWANTED.sub("", _LINE_BREAKS.sub("\n", text))


def clean_line(text: str) -> str:
    """Single-line text: as clean_text, and tabs and line breaks (NEL included) become a space, so words stay apart."""
    return _WHITESPACE_CONTROLS.sub(" ", clean_text(text))


def xml_text(text: str | None) -> str:
    """Text that XML 1.0 (Atom, OpenDocument) and iCalendar accept, for data stored before input was cleaned."""
    return clean_text(text or "")
