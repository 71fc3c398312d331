"""A paper version as numbered items for the page and the document: headings, Markdown text and findings."""

from __future__ import annotations

from typing import Any

from consult.markdown import render_markdown
from consult.papers import paragraphs


def items(body: str, evidence: dict[str, Any]) -> list[dict[str, Any]]:
    """Each block with what the template needs; a finding carries its evidence (None if it left the record)."""
    result = []
    for block in paragraphs.split(body):
        item: dict[str, Any] = {"index": block.index, "kind": block.kind, "anchor": f"p-{block.index}"}
        if block.kind == "heading":
            item |= {"level": block.level, "text": block.heading_text}
        elif block.kind == "text":
            item["html"] = render_markdown(block.text)
        else:
            key = "issues" if block.ref_kind == "issue" else "statements"
            item |= {
                "ref_kind": block.ref_kind,
                "ref_id": block.ref_id,
                "ref": evidence.get(key, {}).get(str(block.ref_id)),
            }
        result.append(item)
    return result


def contents(rendered: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [item for item in rendered if item["kind"] == "heading"]
