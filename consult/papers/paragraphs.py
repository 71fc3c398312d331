"""A paper's text as numbered blocks, the references to findings in it, and finding a paragraph again after edits.

Pure: no Flask or database. A paper's body is Markdown; blocks are separated by blank lines, and a block that is
only a reference such as ``[[finding:12]]`` stands for a ledger finding rendered from the record, so the link
to the evidence survives whatever the facilitator writes around it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

REFERENCE = re.compile(r"^\[\[(finding|said|issue):(\d+)\]\]$")
HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*$")
FENCE = re.compile(r"^(```|~~~)")
# How alike two paragraphs must be (difflib's ratio) for a comment to move from one to the other.
SIMILAR = 0.6


@dataclass(frozen=True)
class Block:
    index: int
    text: str
    kind: str  # "heading", "reference" or "text"
    level: int = 0  # for headings: 2 for a section, 3 for a sub-section
    ref_kind: str = ""  # for references: finding, said or issue
    ref_id: int = 0

    @property
    def heading_text(self) -> str:
        match = HEADING.match(self.text)
        return match.group(2) if match else self.text


def _chunks(body: str) -> list[str]:
    """Split on blank lines, keeping fenced code and a heading's following line apart correctly."""
    chunks: list[str] = []
    current: list[str] = []
    fenced = False
    for line in body.replace("\r\n", "\n").split("\n"):
        if FENCE.match(line.strip()):
            fenced = not fenced
        if not fenced and not line.strip():
            if current:
                chunks.append("\n".join(current).strip("\n"))
                current = []
            continue
        if not fenced and HEADING.match(line.strip()) and current:
            chunks.append("\n".join(current).strip("\n"))
            current = []
        current.append(line)
        if not fenced and HEADING.match(line.strip()):
            chunks.append("\n".join(current).strip("\n"))
            current = []
    if current:
        chunks.append("\n".join(current).strip("\n"))
    return [chunk for chunk in chunks if chunk.strip()]


def split(body: str) -> list[Block]:
    """The numbered blocks of a paper body, in order."""
    blocks = []
    for index, chunk in enumerate(_chunks(body or "")):
        stripped = chunk.strip()
        reference = REFERENCE.match(stripped)
        heading = HEADING.match(stripped) if "\n" not in stripped else None
        if reference:
            blocks.append(
                Block(index, stripped, "reference", ref_kind=reference.group(1), ref_id=int(reference.group(2)))
            )
        elif heading:
            # Level-one headings are the paper's title; in the body they become sections.
            blocks.append(Block(index, stripped, "heading", level=max(2, len(heading.group(1)))))
        else:
            blocks.append(Block(index, chunk, "text"))
    return blocks


def references(body: str) -> dict[str, list[int]]:
    """The findings, statements and issues a body refers to, in order, each once."""
    found: dict[str, list[int]] = {"finding": [], "said": [], "issue": []}
    for block in split(body):
        if block.kind == "reference" and block.ref_id not in found[block.ref_kind]:
            found[block.ref_kind].append(block.ref_id)
    return found


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def place(anchor_text: str, old_index: int | None, blocks: list[Block]) -> int | None:
    """The block of a new version that an anchored comment belongs to, or None if no block is close enough.

    An identical block wins (the nearest to the old position if several); otherwise the most similar block
    at or above SIMILAR, ties going to the nearer one.
    """
    target = _normal(anchor_text)
    if not target:
        return None
    position = old_index or 0

    def distance(block: Block) -> int:
        return abs(block.index - position)

    identical = [block for block in blocks if _normal(block.text) == target]
    if identical:
        return min(identical, key=distance).index
    best: tuple[float, int, int] | None = None
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(target)
    for block in blocks:
        matcher.set_seq1(_normal(block.text))
        if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
            continue
        ratio = matcher.ratio()
        if ratio >= SIMILAR and (best is None or (ratio, -distance(block)) > (best[0], -best[1])):
            best = (ratio, distance(block), block.index)
    return best[2] if best else None
