"""The Whoosh schema: stemmed English text, titles' words as written (for "did you mean"), plus filter fields."""

from __future__ import annotations

import re

from whoosh import fields, formats
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemmingAnalyzer

from consult.search import whoosh_fixes  # noqa: F401 - faster index writing

# One analyzer for indexing and querying, so "consulting" finds "consultation"'s stem "consult".
TEXT_ANALYZER = StemmingAnalyzer(minsize=1, stoplist=None, cachesize=50000)
# The same words unstemmed: what "did you mean" offers is a word as people write it.
WORD_ANALYZER = RegexTokenizer() | LowercaseFilter()

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
    title=fields.TEXT(analyzer=TEXT_ANALYZER, stored=True, field_boost=2.0),
    # Titles' words as written, with the documents that hold them, for "did you mean" (consult/search/spelling.py):
    # it offers only words found in documents the searcher may see. (Whoosh's spelling=True words record no
    # documents, so a private draft's title words leaked to everyone. Bodies keep none: that doubled indexing.)
    title_words=fields.FieldType(formats.Existence(), WORD_ANALYZER),
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
