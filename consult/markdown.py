"""The one Markdown renderer: Python-Markdown, then nh3, used for content and for everything users write.

Raw HTML tags on the allow-list are passed on for nh3 to clean; any other tag is text, so "vector<int>",
"<insert department name>" or "the <script> tag" show as typed instead of vanishing with the words after them.
HTML comments are text too ("comments start with <!-- and end with -->" keeps "and end"), and so is an image:
img is not allowed, and nh3 would drop it with its alt text, the only words the writer typed for it.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import markdown as md
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from consult.weblinks import is_web_url

# No raw-text tags, no svg or math (the Ammonia mutation-XSS advisories need them), no style,
# class or target attributes (SECURITY.md §3).
ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "em",
        "b",
        "i",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "h2",
        "h3",
        "h4",
        "hr",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "del",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
HEADING_ATTRIBUTES = {"h2": {"id"}, "h3": {"id"}, "h4": {"id"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer ugc"


_TAG_NAME = re.compile(r"</?([a-zA-Z][^\s/>]*)")
# A raw block tag such as <table> now sits inside the paragraph Markdown made; nh3 closes that paragraph early.
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>")


class _AllowedHtmlInline(HtmlInlineProcessor):
    """Python-Markdown's raw inline HTML, kept only for allowed tags (comments and other tags stay text)."""

    def handleMatch(self, m: re.Match[str], data: str) -> Any:
        name = _TAG_NAME.match(m.group(1))
        if name and name.group(1).lower() in ALLOWED_TAGS:
            return super().handleMatch(m, data)
        return None, None, None  # not raw HTML: the serializer escapes it as text


class _ImagesAsText(Treeprocessor):
    """An image becomes its alt text: a link to the picture when its address is a web address, else plain text.

    Pages never load pictures from addresses people type (that would tell another site who reads the page,
    and the CSP allows no other site's images), but the reader can still follow a web address to see it;
    javascript:, data: and relative addresses give no link, as nh3 would drop such an href anyway.
    """

    def run(self, root: Any) -> None:
        for parent in list(root.iter()):
            for index, child in reversed(list(enumerate(parent))):
                if child.tag == "img":
                    _replace_image(parent, index, child)


def _replace_image(parent: Any, index: int, image: Any) -> None:
    """Swap an img element for a link, or for its alt text joined to the text around it."""
    alt, src, title = image.get("alt") or "", image.get("src") or "", image.get("title")
    if is_web_url(src):
        image.tag, image.text = "a", alt or src  # a link always has words to read
        image.attrib = {"href": src} | ({"title": title} if title else {})
        return
    text = alt + (image.tail or "")
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        before = parent[index - 1]
        before.tail = (before.tail or "") + text
    parent.remove(image)


class _UnknownTagsAsText(Extension):
    """Python-Markdown's documented raw-HTML escaping (no html_block, no html pattern), narrowed to unknown tags."""

    def extendMarkdown(self, converter: md.Markdown) -> None:
        # Without html_block a line starting with <script> is a paragraph of text, not a block nh3 drops whole.
        converter.preprocessors.deregister("html_block")
        converter.inlinePatterns.register(_AllowedHtmlInline(HTML_RE, converter), "html", 90)
        # After "inline" (20), which makes the images, and before "prettify" (10).
        converter.treeprocessors.register(_ImagesAsText(converter), "images_as_text", 15)


@dataclass(frozen=True)
class Heading:
    """A heading of a rendered page, for its contents list."""

    level: int
    anchor: str
    text: str


def _clean(html: str, *, heading_ids: bool) -> str:
    attributes = dict(ALLOWED_ATTRIBUTES)
    tags = set(ALLOWED_TAGS)
    if heading_ids:
        attributes.update(HEADING_ATTRIBUTES)
    cleaned = nh3.clean(
        html,
        tags=tags,
        # "*": nothing, or nh3 keeps its default lang and title on every tag.
        attributes={"*": set()} | {tag: set(attrs) for tag, attrs in attributes.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,  # none reach it: comments typed are text
    )
    return _EMPTY_PARAGRAPH.sub("", cleaned)


def _demote_h1(src: str) -> str:
    """User text may use '#' headings; the page owns its h1, so those become h2 (code blocks are left alone)."""
    lines = []
    in_fence = False
    for line in src.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        lines.append("#" + line if line.startswith("# ") and not in_fence else line)
    return "\n".join(lines)


def render_markdown(src: str | None) -> Markup:
    """Render untrusted Markdown to safe HTML (no heading ids, so user text cannot clobber the page)."""
    if not src:
        return Markup("")
    return Markup(_render_cached(src))  # noqa: S704 - sanitised by nh3 in _render_cached


@lru_cache(maxsize=16384)
def _render_cached(src: str) -> str:
    """Rendering is a pure function of the text, so long threads reuse earlier work (keyed by the text itself)."""
    html = md.markdown(_demote_h1(src), extensions=["fenced_code", "tables", "sane_lists", _UnknownTagsAsText()])
    return _clean(html, heading_ids=False)


def render_document(src: str) -> tuple[Markup, list[Heading]]:
    """Render a content page with anchored headings, and return its contents list."""
    converter = md.Markdown(
        extensions=["fenced_code", "tables", "sane_lists", "toc", _UnknownTagsAsText()],
        extension_configs={"toc": {"toc_depth": "2-3", "permalink": False}},
    )
    html = converter.convert(_demote_h1(src))
    headings: list[Heading] = []

    def walk(tokens: list[dict]) -> None:
        for token in tokens:
            # The toc extension gives names already HTML-escaped; templates escape again, so unescape here.
            headings.append(Heading(token["level"], token["id"], html_lib.unescape(token["name"])))
            walk(token.get("children", []))

    walk(getattr(converter, "toc_tokens", []))
    return Markup(_clean(html, heading_ids=True)), headings  # noqa: S704 - sanitised by nh3
