"""Turning what someone typed into a safe Whoosh query, and running it with filters, paging and suggestions.

Pure of Flask: takes a Whoosh searcher, a SearchRequest and the searcher's visibility tokens.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import numpy as np
from markupsafe import Markup, escape
from whoosh import qparser, query
from whoosh.highlight import ContextFragmenter, Formatter, get_text, highlight
from whoosh.searching import Searcher

from consult.search import fallback, ranking, spelling
from consult.search.schema import SCHEMA, SEARCH_FIELDS, TEXT_ANALYZER

MAX_QUERY_CHARS = 200
MAX_TERMS = 24
MIN_PREFIX = 2
PAGE_SIZE = 10
MAX_PAGE = 100  # deep pages cost the same scoring for results nobody reads
SUGGEST_BELOW = 3  # offer "did you mean" when fewer results than this
PRIVATE = "private"  # added to every document that is not public, so the hidden ones are quick to find
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


@dataclass(frozen=True)
class SearchRequest:
    """A validated search: the words, the filters and the page."""

    text: str = ""
    types: tuple[str, ...] = ()
    process_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1


@dataclass
class Hit:
    doc_type: str
    doc_id: int
    snippet: Markup
    date: datetime | None
    score: float


@dataclass
class Outcome:
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 0
    suggestion: str | None = None
    messages: list[str] = field(default_factory=list)


def clean_text(raw: str | None) -> tuple[str, list[str]]:
    """Control characters out, whitespace collapsed, length capped; say so when something was cut."""
    messages = []
    text = unicodedata.normalize("NFC", raw or "")
    text = _CONTROL.sub(" ", text)
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0] if " " in text[:MAX_QUERY_CHARS] else text[:MAX_QUERY_CHARS]
        messages.append(f"Your search was long, so only its first {MAX_QUERY_CHARS} characters were used.")
    return text, messages


def parser() -> qparser.QueryParser:
    """Words (all required), "phrases", prefix*, AND/OR/NOT and brackets; no field, range or wildcard syntax."""
    p = qparser.MultifieldParser(list(SEARCH_FIELDS), SCHEMA, group=qparser.AndGroup)
    for plugin in (
        qparser.FieldsPlugin,
        qparser.WildcardPlugin,
        qparser.RangePlugin,
        qparser.BoostPlugin,
        qparser.EveryPlugin,
        qparser.SingleQuotePlugin,
    ):
        p.remove_plugin_class(plugin)
    p.add_plugin(qparser.PrefixPlugin())
    return p


_PARSER = parser()


def _tidy(q: query.Query) -> query.Query:
    """Short prefixes would expand to most of the vocabulary: treat "a*" as no query at all."""
    if isinstance(q, query.Prefix) and len(q.text) < MIN_PREFIX:
        return query.NullQuery
    return q


def parse(text: str) -> tuple[query.Query | None, list[str]]:
    """Parse the cleaned text; broken syntax falls back to plain words, never to an error."""
    messages: list[str] = []
    try:
        q = _PARSER.parse(text)
    except Exception:  # Whoosh raises many kinds on odd input; plain words always parse
        q = None
    if q is None or text.count('"') % 2:
        words = re.sub(r'["()*]', " ", text)
        q = _PARSER.parse(words)
        if text.count('"') % 2:
            messages.append("A quotation mark was not closed, so your words were searched for separately.")
    q = q.accept(_tidy).normalize()
    terms = [leaf for leaf in q.leaves() if leaf is not query.NullQuery] if q is not query.NullQuery else []
    if len(terms) > MAX_TERMS:
        return None, [*messages, f"Your search has too many words: use up to {MAX_TERMS}."]
    if q is query.NullQuery or not terms:
        return None, [*messages, "Enter some words to search for (at least two letters before a *)."]
    return q, messages


class MarkFormatter(Formatter):
    """Matched words in <mark>, everything escaped: the snippet is safe to put in a page as it is."""

    between = " … "

    def _text(self, text: str) -> str:
        return str(escape(text))

    def format_token(self, text: str, token, replace: bool = False) -> str:
        return f"<mark>{escape(get_text(text, token, replace))}</mark>"


def snippet_of(text: str, limit: int = 240) -> Markup:
    if len(text) <= limit:
        return escape(text)
    return escape(text[:limit].rsplit(" ", 1)[0] + " …")


def narrowing(request: SearchRequest) -> query.Query | None:
    """The filters someone chose (type, process, dates): they narrow results without changing ranks."""
    parts: list[query.Query] = []
    if request.types:
        parts.append(query.Or([query.Term("doc_type", t) for t in request.types]))
    if request.process_id is not None:
        parts.append(query.Term("process_id", str(request.process_id)))
    if request.date_from or request.date_to:
        start = datetime.combine(request.date_from, time.min) if request.date_from else None
        # The day after 9999-12-31 does not exist: a search up to the last date has no end.
        end = (
            datetime.combine(request.date_to + timedelta(days=1), time.min)
            if request.date_to and request.date_to < date.max
            else None
        )
        parts.append(query.DateRange("date", start, end, endexcl=True))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else query.And(parts)


_hidden_cache: dict[tuple[int, frozenset[str]], frozenset[int]] = {}


def hidden_documents(searcher: Searcher, tokens: frozenset[str]) -> frozenset[int]:
    """Documents this person may not see, as a mask: the few non-public ones minus those their tokens open.

    Masking keeps the main query free to skip blocks by score (a filter on "public" would mean building a set
    of nearly every document per query). Cached per index generation and set of tokens.
    """
    key = (id(searcher.reader()), tokens)
    found = _hidden_cache.get(key)
    if found is None:
        private = set(searcher.docs_for_query(query.Term("visibility", PRIVATE)))
        opened = [query.Term("visibility", t) for t in sorted(tokens) if t != PRIVATE]
        if private and opened:
            private -= set(searcher.docs_for_query(query.Or(opened)))
        if len(_hidden_cache) > 256:
            _hidden_cache.clear()
        found = _hidden_cache[key] = frozenset(private)
    return found


def search(searcher: Searcher, request: SearchRequest, tokens: frozenset[str]) -> Outcome:
    """Run one search as someone holding these visibility tokens (ranked in NumPy: see ranking.py)."""
    text, messages = clean_text(request.text)
    outcome = Outcome(messages=messages)
    if not text:
        return outcome
    q, parse_messages = parse(text)
    outcome.messages.extend(parse_messages)
    if q is None:
        return outcome
    narrowed = narrowing(request)
    hidden = hidden_documents(searcher, tokens)
    masked = np.fromiter(hidden, dtype=np.int64, count=len(hidden))
    wanted = min(max(request.page, 1), MAX_PAGE) * PAGE_SIZE
    postings: spelling.Postings
    try:
        postings = ranking.Ranker(searcher)
        outcome.total, best, scores = _rank(postings, q, narrowed, masked, wanted)
    except fallback.BROKEN as error:
        fallback.warn_once(error)
        postings = fallback.WhooshPostings(searcher)
        outcome.total, best, scores = fallback.rank(searcher, q, narrowed, hidden, wanted)
    outcome.pages = min(math.ceil(outcome.total / PAGE_SIZE), MAX_PAGE)
    outcome.page = max(1, min(request.page, outcome.pages or 1))
    start = (outcome.page - 1) * PAGE_SIZE
    words = highlight_words(searcher, q)
    page_ids, page_scores = best[start : start + PAGE_SIZE], scores[start : start + PAGE_SIZE]
    for docnum, score in zip(page_ids.tolist(), page_scores.tolist(), strict=True):
        stored = searcher.stored_fields(docnum)
        body = stored.get("body") or ""
        outcome.hits.append(
            Hit(
                doc_type=stored["doc_type"],
                doc_id=stored["doc_id"],
                snippet=snippet(body, words),
                date=stored.get("date"),
                score=score,
            )
        )
    if outcome.total < SUGGEST_BELOW:
        outcome.suggestion = _suggest(postings, q, text, masked)
    return outcome


def _rank(
    ranker: ranking.Ranker, q: query.Query, narrowed: query.Query | None, masked: np.ndarray, wanted: int
) -> tuple[int, np.ndarray, np.ndarray]:
    """How many documents match and the best `wanted` with their scores, narrowed and masked, by the fast ranker."""
    found = ranker.evaluate(q)
    if narrowed is not None:
        found = ranking.restrict(found, ranker.documents(narrowed))
    if len(masked):
        found = ranking.exclude(found, masked)
    return (len(found.ids), *ranking.top(found, wanted))


def _suggest(postings: spelling.Postings, q: query.Query, text: str, masked: np.ndarray) -> str | None:
    """"Did you mean"; through Whoosh's public API if the ranker cannot read the postings. Never fails a search."""
    for source in (postings, fallback.WhooshPostings(postings.searcher)):
        try:
            return spelling.suggest(source, q, text, masked)
        except fallback.BROKEN as error:
            fallback.warn_once(error)
        except Exception:  # a suggestion is a nicety, as spelling.suggest has always treated it
            return None
    return None


def highlight_words(searcher: Searcher, q: query.Query) -> frozenset[str]:
    """The analysed words to mark in bodies: the query's own, prefixes expanded, negated ones left out.

    (Whoosh's Query.existing_terms skips every field after the first one it sees, so the leaves are walked here.)
    """
    reader = searcher.reader()
    negated = {term for sub in _negations(q) for term in sub.iter_all_terms(phrases=True)}
    words = set()
    for leaf in q.leaves():
        for fieldname, word in leaf.expanded_terms(reader, phrases=True):
            word = word.decode("utf-8") if isinstance(word, bytes) else word
            if fieldname == "body" and (fieldname, word) not in negated:
                words.add(word)
    return frozenset(words)


def _negations(q: query.Query) -> list[query.Query]:
    if isinstance(q, query.Not):
        return [q.query]
    if isinstance(q, query.AndNot):
        return [*_negations(q.a), q.b]
    return [n for sub in q.children() for n in _negations(sub)]


def snippet(body: str, words: frozenset[str]) -> Markup:
    """Up to two passages of the body around the matched words, marked; the start of it when none matched."""
    if not body:
        return Markup("")
    if words:
        marked = highlight(
            body, words, TEXT_ANALYZER, ContextFragmenter(maxchars=240, surround=60), MarkFormatter(), top=2
        )
        if marked:
            return Markup(marked)  # noqa: S704 - MarkFormatter escapes everything it writes
    return snippet_of(body)

