"""The Whoosh schema: stemmed English text (titles also keep their words for spelling), plus filter fields."""

from __future__ import annotations

import re

from whoosh import fields
from whoosh.analysis import StemmingAnalyzer

from consult.search import whoosh_fixes  # noqa: F401 - faster index writing

# One analyzer for indexing and querying, so "consulting" finds "consultation"'s stem "consult".
TEXT_ANALYZER = StemmingAnalyzer(minsize=1, stoplist=None, cachesize=50000)

SCHEMA = fields.Schema(
    # "comment:12": the one key a queue entry, an update and a delete agree on.
    key=fields.ID(stored=True, unique=True),
    doc_type=fields.ID(stored=True),
    doc_id=fields.STORED(),
    process_id=fields.ID(stored=True),
    # Who may see it: "public", "role:facilitator", "dept:3", "meeting:7" (see consult/search/visibility.py).
    visibility=fields.KEYWORD(stored=True, lowercase=False, scorable=False),
    # Parent documents ("thread:5 group:2"): deleting a parent removes its children from the index too.
    parents=fields.KEYWORD(stored=False, lowercase=False, scorable=False),
    title=fields.TEXT(analyzer=TEXT_ANALYZER, stored=True, field_boost=2.0, spelling=True),
    # No spelling words for bodies: they doubled the indexing work; "did you mean" draws on titles' words
    # (consult/search/querying.py).
    body=fields.TEXT(analyzer=TEXT_ANALYZER, stored=True),
    date=fields.DATETIME(stored=True, sortable=True),
)

SEARCH_FIELDS = ("title", "body")

_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`#>|~]+|<[^>]{0,200}>")
_SPACE = re.compile(r"\s+")


def plain_text(markdown_text: str | None) -> str:
    """Markdown reduced to its words, so snippets read as prose and link targets do not match queries."""
    if not markdown_text:
        return ""
    return _SPACE.sub(" ", _MARKUP.sub(lambda m: m.group(1) or " ", markdown_text)).strip()
