""""Did you mean": Whoosh's query correction, drawing only on words in documents the searcher may see.

Whoosh's own corrector offers any word of the index, so a visitor's typo could be answered with a word
found only in another department's private draft. Here a word counts, as known or as a candidate, only
through documents the searcher may see, and candidates are ranked by those documents alone, so neither
the offer nor its order reveals anything hidden.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from whoosh import query
from whoosh.spelling import Corrector, SimpleQueryCorrector

from consult.search.fallback import WhooshPostings
from consult.search.ranking import Ranker
from consult.search.schema import SEARCH_FIELDS

Postings = Ranker | WhooshPostings  # a word's documents: the fast ranker's, or Whoosh's own (fallback.py)

MIN_SUGGEST = 3  # words shorter than this are not corrected ("AND" is not a misspelt "a")
MAX_DISTANCE = 2
WORDS_FIELD = "title_words"  # titles' words as written, with their documents (schema.py)


def visible_count(ranker: Postings, hidden: np.ndarray, fieldname: str, word: str) -> int:
    """How many documents, neither deleted nor hidden from this searcher, hold the word in the field."""
    ids = ranker.postings(fieldname, word)[0]
    if not len(hidden):
        return len(ids)
    return int(np.count_nonzero(~np.isin(ids, hidden)))


class VisibleCorrector(Corrector):
    """Whoosh's ReaderCorrector (words within the distance, commonest first) counting visible documents only."""

    def __init__(self, ranker: Postings, hidden: np.ndarray) -> None:
        self.ranker = ranker
        self.hidden = hidden

    def suggest(self, text: str, limit: int = 5, maxdist: int = MAX_DISTANCE, prefix: int = 0) -> list[str]:
        """Up to `limit` words in the most visible documents (ties alphabetical); none that only hidden ones hold.

        A word's document frequency bounds its visible count, so postings are read only while a candidate could
        still beat the ones already found.
        """
        reader = self.ranker.searcher.reader()
        words = (w for w in reader.terms_within(WORDS_FIELD, text, maxdist, prefix=prefix) if w != text)
        candidates = sorted(((reader.doc_frequency(WORDS_FIELD, w), w) for w in words), key=lambda c: -c[0])
        best: list[tuple[int, str]] = []
        for bound, word in candidates:
            if len(best) >= limit and bound < best[-1][0]:
                break
            count = visible_count(self.ranker, self.hidden, WORDS_FIELD, word)
            if count:
                best = sorted([*best, (count, word)], key=lambda found: (-found[0], found[1]))[:limit]
        return [word for _, word in best]

    def _suggestions(self, text: str, maxdist: int, prefix: int):
        raise NotImplementedError("suggest() ranks the candidates itself")


class AnsweredCorrector(Corrector):
    """Suggestions worked out beforehand, so Whoosh's query rewriting reads no postings itself."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers

    def suggest(self, text: str, limit: int = 5, maxdist: int = MAX_DISTANCE, prefix: int = 0) -> list[str]:
        return self.answers.get(text, [])[:limit]

    def _suggestions(self, text: str, maxdist: int, prefix: int):
        raise NotImplementedError("suggest() answers from the dictionary")


def unknown_terms(ranker: Postings, q: query.Query, hidden: np.ndarray) -> list[tuple[str, str]]:
    """The query's words (in every field searched) that no document visible to this searcher holds."""
    by_word: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for fieldname, word in q.iter_all_terms():
        if fieldname in SEARCH_FIELDS and len(word) >= MIN_SUGGEST:
            by_word[word].append((fieldname, word))
    return [
        term
        for terms in by_word.values()
        if not any(visible_count(ranker, hidden, fieldname, word) for fieldname, word in terms)
        for term in terms
    ]


def suggest(ranker: Postings, q: query.Query, text: str, hidden: np.ndarray) -> str | None:
    """The query with its unknown words corrected from visible titles' words, if that changes it."""
    unknown = unknown_terms(ranker, q, hidden)
    if not unknown:
        return None
    # Every searched field draws on titles' words (bodies keep no spelling words: see schema.py). The candidates are
    # counted here, outside the `try` below, so a failure to read postings reaches the caller (querying._suggest).
    corrector = VisibleCorrector(ranker, hidden)
    words = dict.fromkeys(word for _, word in unknown)
    answers = {word: corrector.suggest(word, prefix=1, maxdist=MAX_DISTANCE) for word in words}
    try:
        correction = SimpleQueryCorrector(
            {WORDS_FIELD: AnsweredCorrector(answers)},
            unknown,
            aliases=dict.fromkeys(SEARCH_FIELDS, WORDS_FIELD),
            prefix=1,
            maxdist=MAX_DISTANCE,
        ).correct_query(q, text)
    except Exception:  # a suggestion is a nicety; never fail a search over it
        return None
    corrected = (correction.string or "").strip()
    if corrected and corrected.lower() != text.lower():
        return corrected
    return None
