"""A published paper as an OpenDocument text file, generated with odfpy from the same blocks as the web page.

OpenDocument is the UK government's open standard for sharing documents; odfpy writes it without any system
library, so the download works wherever consult runs. Headings are real outline headings, so screen readers
and the navigator in LibreOffice or Word list the sections.
"""

from __future__ import annotations

import io
from datetime import date
from html.parser import HTMLParser
from typing import Any

from odf.dc import Title
from odf.opendocument import OpenDocumentText
from odf.style import ParagraphProperties, Style, TextProperties
from odf.text import A, H, List, ListItem, P, Span

BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "td", "th"}


def _styles(doc: OpenDocumentText) -> dict[str, Style]:
    styles: dict[str, Style] = {}

    def add(name: str, family: str, parent: str | None = None, **text: str) -> Style:
        style = Style(name=name, family=family, **({"parentstylename": parent} if parent else {}))
        if text:
            style.addElement(TextProperties(**text))
        doc.styles.addElement(style)
        styles[name] = style
        return style

    add("Standard", "paragraph", fontsize="11pt", fontfamily="Arial")
    for level, size in ((1, "20pt"), (2, "16pt"), (3, "13pt")):
        style = add(f"Heading_20_{level}", "paragraph", "Standard", fontsize=size, fontweight="bold")
        style.setAttribute("displayname", f"Heading {level}")
        style.addElement(ParagraphProperties(margintop="0.4cm", marginbottom="0.2cm", keepwithnext="always"))
    add("Finding", "paragraph", "Standard", fontweight="bold")
    quiet = add("Figures", "paragraph", "Standard", fontsize="10pt")
    quiet.addElement(ParagraphProperties(marginleft="0.5cm"))
    strong = Style(name="Strong", family="text")
    strong.addElement(TextProperties(fontweight="bold"))
    emphasis = Style(name="Emphasis", family="text")
    emphasis.addElement(TextProperties(fontstyle="italic"))
    doc.styles.addElement(strong)
    doc.styles.addElement(emphasis)
    styles["Strong"], styles["Emphasis"] = strong, emphasis
    return styles


class _HtmlToOdf(HTMLParser):
    """Turns the sanitised HTML of a text block into ODF paragraphs, lists and inline emphasis."""

    def __init__(self, parent: Any, styles: dict[str, Style]) -> None:
        super().__init__(convert_charrefs=True)
        self.styles = styles
        self.containers = [parent]
        self.paragraph: Any = None
        self.inline: list[Any] = []

    def _open_paragraph(self, style: str = "Standard") -> Any:
        if self.paragraph is None:
            self.paragraph = P(stylename=self.styles[style])
            self.containers[-1].addElement(self.paragraph)
            self.inline = [self.paragraph]
        return self.paragraph

    def _close_paragraph(self) -> None:
        self.paragraph = None
        self.inline = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"ul", "ol"}:
            self._close_paragraph()
            element = List()
            self.containers[-1].addElement(element)
            self.containers.append(element)
        elif tag == "li":
            self._close_paragraph()
            item = ListItem()
            self.containers[-1].addElement(item)
            self.containers.append(item)
        elif tag in BLOCK_TAGS:
            self._close_paragraph()
            self._open_paragraph()
        elif tag in {"strong", "b", "em", "i", "a"}:
            self._open_paragraph()
            if tag == "a":
                element = A(type="simple", href=dict(attrs).get("href") or "")
            else:
                element = Span(stylename=self.styles["Strong" if tag in {"strong", "b"} else "Emphasis"])
            self.inline[-1].addElement(element)
            self.inline.append(element)
        elif tag == "br":
            self._close_paragraph()

    def handle_endtag(self, tag: str) -> None:
        if tag in {"ul", "ol", "li"}:
            self._close_paragraph()
            if len(self.containers) > 1:
                self.containers.pop()
        elif tag in BLOCK_TAGS:
            self._close_paragraph()
        elif tag in {"strong", "b", "em", "i", "a"} and len(self.inline) > 1:
            self.inline.pop()

    def handle_data(self, data: str) -> None:
        if not data.strip() and self.paragraph is None:
            return
        self._open_paragraph()
        self.inline[-1].addText(data)


def _figures_line(figures: dict[str, Any]) -> str:
    """The overall line as the pages show it (consult.agreement.figures), smoothed figures labelled."""
    extras = [text for text in (figures.get("consensus_text"), figures.get("bridging_text")) if text]
    return "Votes: " + " · ".join([figures["text"], *extras]) + "."


def _basis_lines(basis: dict[str, Any] | None) -> list[str]:
    """The other evidence an outcome cites, as the web page's basis block says it (agreement/_basis.html)."""
    if not basis:
        return []
    lead = "Other evidence cited."
    if basis.get("recorded_with"):
        lead += f" When this outcome was recorded, the statement had {basis['recorded_with']}."
    cited = {"meeting": "Meeting notes: ", "thread": "Thread: "}.get(basis.get("kind") or "", "")
    day = date.fromisoformat(basis["date"]) if basis.get("date") else None
    when = f", {day.day} {day:%B %Y}" if day else ""
    lines = [lead, f"{cited}{basis['title']}{when}"]
    if basis.get("reason"):
        lines.append(f"Why it supports the outcome: {basis['reason']}")
    return lines


def build(title: str, summary_html: str, items: list[dict[str, Any]], meta: dict[str, Any]) -> bytes:
    """The document's bytes: title, publication line, summary, then every block of the paper in order."""
    doc = OpenDocumentText()
    styles = _styles(doc)
    doc.meta.addElement(Title(text=title))
    doc.text.addElement(H(outlinelevel=1, stylename=styles["Heading_20_1"], text=title))
    doc.text.addElement(P(stylename=styles["Figures"], text=meta.get("line", "")))
    if summary_html:
        _HtmlToOdf(doc.text, styles).feed(summary_html)
    for item in items:
        if item["kind"] == "heading":
            doc.text.addElement(
                H(outlinelevel=item["level"], stylename=styles[f"Heading_20_{item['level']}"], text=item["text"])
            )
        elif item["kind"] == "text":
            _HtmlToOdf(doc.text, styles).feed(str(item["html"]))
        else:
            _reference(doc, styles, item)
    if meta.get("organisations"):
        doc.text.addElement(H(outlinelevel=2, stylename=styles["Heading_20_2"], text="Organisations named"))
        doc.text.addElement(
            P(
                stylename=styles["Standard"],
                text="These organisations took part and agreed to be named: " + ", ".join(meta["organisations"]) + ".",
            )
        )
    buffer = io.BytesIO()
    doc.write(buffer)
    return buffer.getvalue()


def _reference(doc: OpenDocumentText, styles: dict[str, Style], item: dict[str, Any]) -> None:
    ref = item.get("ref")
    if ref is None:
        doc.text.addElement(P(stylename=styles["Standard"], text="(A reference that is no longer in the record.)"))
        return
    if item["ref_kind"] == "issue":
        doc.text.addElement(P(stylename=styles["Finding"], text=f"You said: {ref['title']} (raised {ref['raised']})"))
        response = ref["response"] or "No response has been recorded yet."
        doc.text.addElement(P(stylename=styles["Standard"], text=f"We did: {response} Status: {ref['status']}."))
        return
    outcome = ref.get("outcome")
    lead = "You said" if item["ref_kind"] == "said" else "Finding"
    doc.text.addElement(P(stylename=styles["Finding"], text=f"{lead}: {ref['text']}"))
    if outcome:
        doc.text.addElement(P(stylename=styles["Standard"], text=f"{outcome['label']}. {outcome['summary']}"))
        if outcome["caveats"]:
            doc.text.addElement(P(stylename=styles["Standard"], text=f"Caveats: {outcome['caveats']}"))
        for option in outcome["options"]:
            doc.text.addElement(P(stylename=styles["Standard"], text=f"Option: {option}"))
        if outcome["reasons_for"]:
            doc.text.addElement(P(stylename=styles["Standard"], text=f"Reasons for: {outcome['reasons_for']}"))
        if outcome["reasons_against"]:
            doc.text.addElement(P(stylename=styles["Standard"], text=f"Reasons against: {outcome['reasons_against']}"))
        for line in _basis_lines(outcome.get("basis")):
            doc.text.addElement(P(stylename=styles["Standard"], text=line))
    support = ref.get("support")
    if support and item["ref_kind"] == "finding":
        thin = f"Thin evidence. {support['text']} {support['thin_text']}" if support["thin"] else support["text"]
        doc.text.addElement(P(stylename=styles["Figures"], text=thin))
    figures = ref["figures"]
    doc.text.addElement(P(stylename=styles["Figures"], text=_figures_line(figures)))
    for row in figures["sectors"] + figures["groups"]:
        doc.text.addElement(
            P(
                stylename=styles["Figures"],
                text=f"{row['name']}: {row['text']}.",
            )
        )
