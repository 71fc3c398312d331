"""The hostile corpus (tests/data/hostile_payloads.json) and the checks both corpus tests apply to what pages show.

What counts as a word, and so what "lost words" means, is decided here once:

- Text is compared after Unicode NFC normalisation, with control characters (category Cc; tab, CR and LF
  count as spacing) and format characters (category Cf: zero-width joiners, bidi controls, BOM) removed,
  so an app that strips them at input and one that keeps them compare the same. Control characters that
  reach a page are reported by their own check (`control_characters`), not as lost words.
- A word is a run of Unicode letters and digits (`[^\\W_]+`), case-folded: punctuation and markup characters
  never count.
- Plain-text fields must show exactly the words typed, in order.
- Markdown fields must show every visible word typed, in order (extra words are allowed: entities inside
  code stay literal, and that adds words). Not visible, so not expected: link and image destinations and
  link titles, reference definitions and labels, a fence's info string, ordered-list numbers, the marks * _ `
  (whether or not they became emphasis or code), and the tags (with their attributes)
  of the elements the sanitiser keeps (consult.markdown.ALLOWED_TAGS). Entities are decoded once, as
  Markdown does. Everything else a person typed is visible words, including an image's alt text, the
  text of an HTML comment and any tag outside the allowed set, which must be shown as literal text.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from consult.markdown import ALLOWED_TAGS

CORPUS = Path(__file__).parent / "data" / "hostile_payloads.json"
START, END = "zqa", "zqb"  # marker prefixes: words no payload, page or stemmer produces


@dataclass(frozen=True)
class Payload:
    number: int
    family: str
    text: str

    @property
    def long(self) -> bool:
        return self.family == "long-strings"

    def __str__(self) -> str:
        shown = self.text if len(self.text) <= 80 else f"{self.text[:60]}… ({len(self.text):,} characters)"
        return f"#{self.number} [{self.family}] {shown!r}"


def load_corpus() -> list[Payload]:
    """Every payload, numbered in file order; repeated ones expanded to their length."""
    families = json.loads(CORPUS.read_text(encoding="utf-8"))["families"]
    payloads = []
    for family in families:
        for item in family["payloads"]:
            if isinstance(item, dict):
                text = item["repeat"] * (item["length"] // len(item["repeat"]) + 1)
                item = text[: item["length"]]
            payloads.append(Payload(len(payloads), family["name"], item))
    return payloads


def normalise(text: str) -> str:
    """NFC, with control and format characters and Markdown's inline marks dropped (tab, CR and LF become spaces).

    Markdown turns "7*7*7" into 7<em>7</em>7, which reads "777": dropping * _ and ` on both sides compares
    the words the same whether or not a mark became emphasis or code.
    """
    text = unicodedata.normalize("NFC", text)
    return "".join(
        " " if ch in "\t\r\n" else ch
        for ch in text
        if ch not in "*_`" and (unicodedata.category(ch) not in ("Cc", "Cf") or ch in "\t\r\n")
    )


WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """Case-folded, so a tag shown back as <script> for <SCRIPT> keeps its words."""
    return WORD.findall(normalise(text).casefold())


INLINE = frozenset({"a", "abbr", "b", "code", "del", "em", "i", "ins", "kbd", "mark", "q", "s", "small", "span"})
INLINE |= frozenset({"strong", "sub", "sup", "time", "u", "var"})


def _tag_pattern(names: frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join(sorted(names, key=len, reverse=True))
    return re.compile(rf"</?(?:{alternatives})(?=[\s/>])(?:[^<>\"']|\"[^\"]*\"|'[^']*')*>", re.IGNORECASE)


# The sanitiser keeps these tags as markup: inline ones join the words either side, block ones part them.
_ALLOWED_INLINE_TAG = _tag_pattern(ALLOWED_TAGS & INLINE)
_ALLOWED_BLOCK_TAG = _tag_pattern(ALLOWED_TAGS - INLINE)
_LINK_DESTINATION = re.compile(r"\]\((?:[^()]|\([^()]*\))*\)")
_REFERENCE_USE = re.compile(r"\]\s?\[[^\]]*\]")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:.*$", re.MULTILINE)
_FENCE_INFO = re.compile(r"^(\s*(?:`{3,}|~{3,}))[^\n]*", re.MULTILINE)
_LIST_NUMBER = re.compile(r"^ {0,3}\d{1,9}[.)](?=\s)", re.MULTILINE)


def expected_words(text: str, *, markdown: bool) -> list[str]:
    """The words a reader must see for this typed text (see the module docstring)."""
    if not markdown:
        return words(text)
    text = _LIST_NUMBER.sub("", _FENCE_INFO.sub(r"\1", text))
    text = _REFERENCE_DEFINITION.sub("", text)
    text = _LINK_DESTINATION.sub("]", text)
    text = _REFERENCE_USE.sub("]", text)
    text = _ALLOWED_BLOCK_TAG.sub(" ", _ALLOWED_INLINE_TAG.sub("", text))
    return words(html.unescape(text))


def is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    remaining = iter(haystack)
    return all(word in remaining for word in needle)


def mark(text: str, marker: str, *, markdown: bool) -> str:
    """The payload between its two marker words; in Markdown each on its own block, so blocks start cleanly."""
    if markdown:
        return f"{START}{marker}\n\n{text}\n\n{END}{marker}"
    return f"{START}{marker} {text} {END}{marker}"


_MARKER = re.compile(rf"\b({START}|{END})(\d+x\d+)\b")


def marker_segments(page_text: str) -> dict[str, list[str]]:
    """For each marker, the text between each of its start words and the end word that follows it.

    A copy cut short (its end word missing before the marker starts again) is skipped.
    """
    found: dict[str, list[str]] = {}
    open_at: dict[str, int] = {}
    for match in _MARKER.finditer(page_text):
        kind, marker = match.groups()
        if kind == START:
            open_at[marker] = match.end()
        elif marker in open_at:
            found.setdefault(marker, []).append(page_text[open_at.pop(marker) : match.start()])
    return found


def control_characters(text: str) -> list[str]:
    """Control characters other than tab, CR and LF: they should never reach a page."""
    return sorted({f"U+{ord(ch):04X}" for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n"})


URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "srcdoc", "data", "poster", "background", "values"}
) | frozenset({"to", "from", "by", "cite", "longdesc", "ping", "lowsrc", "dynsrc", "codebase", "srcset", "icon"})
FORBIDDEN_ELEMENTS = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "base", "xmp", "noembed"})
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data):")


class PageReader(HTMLParser):
    """Text as a reader sees it (block boundaries become spaces), form values by name, and dangerous markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.values: dict[str, list[str]] = {}
        self.problems: list[str] = []
        self._skip = 0
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)
        attributes = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "textarea":
            self._textarea = attributes.get("name") or ""
            self.values.setdefault(self._textarea, []).append("")
        if tag == "input" and attributes.get("name") and attributes.get("type") not in ("checkbox", "radio"):
            self.values.setdefault(attributes["name"], []).append(attributes.get("value") or "")
        if tag not in INLINE:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        if tag == "textarea":
            self._textarea = None
        if tag not in INLINE:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.parts.append(data)
        if self._textarea is not None:
            self.values[self._textarea][-1] += data

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            self.problems.append(f"dangerous markup: a <script> element that is not the app's own: {attrs}")
        if tag in FORBIDDEN_ELEMENTS or (tag == "meta" and "http-equiv" in attributes):
            self.problems.append(f"dangerous markup: a <{tag}> element: {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"dangerous markup: an event-handler attribute {name}= on <{tag}>")
            # As a browser reads a URL: tabs and newlines anywhere are dropped, controls and spaces at the ends.
            cleaned = re.sub(r"[\t\n\r]", "", value or "").strip(_C0_AND_SPACE).lower()
            if name in URL_ATTRIBUTES and BAD_SCHEME.match(cleaned):
                self.problems.append(f"dangerous markup: a {cleaned.split(':')[0]}: URL in {name}= on <{tag}>")

    @property
    def text(self) -> str:
        return "".join(self.parts)


def read_page(body: str) -> PageReader:
    reader = PageReader()
    reader.feed(body)
    reader.close()
    return reader


def read_feed(body: bytes) -> tuple[str, list[str]]:
    """An Atom feed's entry titles and HTML contents as reader text, and any dangerous markup in the contents."""
    atom = "{http://www.w3.org/2005/Atom}"
    parts, problems = [], []
    for entry in ET.fromstring(body).iter(f"{atom}entry"):
        parts.append(entry.findtext(f"{atom}title") or "")
        for content in entry.iter(f"{atom}content"):
            reader = read_page(content.text or "")
            parts.append(reader.text)
            problems += reader.problems
    return " ".join(parts), problems
