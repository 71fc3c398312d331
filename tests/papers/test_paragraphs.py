"""Splitting a paper into blocks, finding references, and placing a comment's paragraph in a new version."""

from __future__ import annotations

from consult.papers import drafting, paragraphs

BODY = """## Introduction

First paragraph of the introduction.

Second paragraph,
over two lines.

[[finding:12]]

### Detail
Text straight after a heading.

```
code with

a blank line
```

[[issue:3]]

[[finding:12]]
"""


def test_split_numbers_headings_text_and_references():
    blocks = paragraphs.split(BODY)
    kinds = [(b.kind, b.level) for b in blocks]
    assert kinds == [
        ("heading", 2),
        ("text", 0),
        ("text", 0),
        ("reference", 0),
        ("heading", 3),
        ("text", 0),
        ("text", 0),
        ("reference", 0),
        ("reference", 0),
    ]
    assert [b.index for b in blocks] == list(range(len(blocks)))
    assert blocks[0].heading_text == "Introduction"
    assert blocks[2].text == "Second paragraph,\nover two lines."
    assert blocks[3].ref_kind == "finding" and blocks[3].ref_id == 12
    assert "a blank line" in blocks[6].text and blocks[6].text.startswith("```")


def test_references_are_listed_once_in_order():
    assert paragraphs.references(BODY) == {"finding": [12], "said": [], "issue": [3]}
    # A reference inside running text is prose, not a finding.
    assert paragraphs.references("See [[finding:4]] here.") == {"finding": [], "said": [], "issue": []}


def test_level_one_headings_in_the_body_become_sections():
    (block,) = paragraphs.split("# Big heading")
    assert block.kind == "heading" and block.level == 2


def test_place_follows_a_paragraph_that_moved_down():
    old = paragraphs.split("## A\n\nAlpha text here.\n\nBeta text here.")
    new = paragraphs.split("## A\n\nA new opening paragraph.\n\nAlpha text here.\n\nBeta text here.")
    assert paragraphs.place(old[2].text, old[2].index, new) == 3


def test_place_matches_a_lightly_edited_paragraph():
    anchor = "Public bodies should share only a yes/no eligibility flag, not benefit details."
    new = paragraphs.split(
        "Unrelated text about meetings.\n\n"
        "Public bodies should share only a yes or no eligibility flag, never benefit details."
    )
    assert paragraphs.place(anchor, 0, new) == 1


def test_place_gives_up_when_the_paragraph_was_rewritten():
    anchor = "Public bodies should share only a yes/no eligibility flag, not benefit details."
    new = paragraphs.split("Meetings will be held in Leeds and online.\n\nThe audit happens every year.")
    assert paragraphs.place(anchor, 0, new) is None
    assert paragraphs.place("", 0, new) is None


def test_place_prefers_the_nearest_of_identical_paragraphs():
    new = paragraphs.split("Same.\n\nOther.\n\nSame.\n\nMore.\n\nSame.")
    assert paragraphs.place("Same.", 3, new) == 2
    assert paragraphs.place("Same.", 5, new) == 4
    assert paragraphs.place("  same.  ", 0, new) == 0  # whitespace and case do not matter


def test_draft_body_builds_sections_from_the_ledger():
    entries = [
        drafting.LedgerEntry(5, "disagreement_noted", False),
        drafting.LedgerEntry(1, "agreed", True),
        drafting.LedgerEntry(2, "agreed", False),
    ]
    body = drafting.draft_body("Water", entries, issue_ids=[9])
    headings = [b.heading_text for b in paragraphs.split(body) if b.kind == "heading"]
    assert headings == [
        "Introduction",
        "Areas of agreement",
        "Areas of disagreement",
        "You said, we did",
        "How this paper was made",
    ]
    assert paragraphs.references(body) == {"finding": [1, 2, 5], "said": [1], "issue": [9]}
    assert "Options" not in headings  # no empty sections


def test_draft_body_without_issues_or_participant_statements_has_no_you_said_section():
    body = drafting.draft_body("Water", [drafting.LedgerEntry(1, "parked", False)], issue_ids=[])
    assert "You said" not in body and "[[finding:1]]" in body and "## Parked" in body
