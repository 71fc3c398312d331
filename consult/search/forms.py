"""The search page's GET parameters, read leniently: a bad filter is explained and ignored, never an error."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from werkzeug.datastructures import MultiDict

from consult.search.querying import MAX_PAGE, SearchRequest
from consult.text import clean_line

#: ASCII digits only (int() also takes "٣" or "1_0", and str.isdigit() says yes to "²"), short enough for int().
_NUMBER = re.compile(r"[0-9]{1,18}")
#: The parameters the page reads; links to other pages of results carry these and nothing else.
PARAMETERS = ("q", "type", "process", "from", "to", "page")


def _number(value: str) -> int | None:
    value = value.strip()
    return int(value) if _NUMBER.fullmatch(value) else None


def _date(value: str, label: str, errors: dict[str, str]) -> date | None:
    value = clean_line(value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        errors[label] = f"Enter the {label.replace('_', ' ')} date as a real date, like 2026-03-27"
        return None


def read_args(args: MultiDict, known_types: set[str], process_ids: set[int]) -> tuple[SearchRequest, dict[str, str]]:
    """SearchRequest from ?q=&type=&process=&from=&to=&page=, with messages for what was ignored."""
    errors: dict[str, str] = {}
    types = tuple(sorted({t for t in args.getlist("type") if t in known_types}))
    process_id = None
    raw_process = args.get("process", "")
    if raw_process:
        process_id = _number(raw_process)
        if process_id not in process_ids:
            process_id = None
            errors["process"] = "Choose a process from the list"
    date_from = _date(args.get("from", ""), "from", errors)
    date_to = _date(args.get("to", ""), "to", errors)
    if date_from and date_to and date_from > date_to:
        errors["to"] = "The ‘to’ date must be the same as or after the ‘from’ date"
        date_to = None
    request = SearchRequest(
        text=clean_line(args.get("q", "")),
        types=types,
        process_id=process_id,
        date_from=date_from,
        date_to=date_to,
        page=max(1, min(_number(args.get("page", "")) or 1, MAX_PAGE)),
    )
    return request, errors


def link_args(search: SearchRequest, **changes: Any) -> dict[str, Any]:
    """url_for() arguments for this search with some changed: only parsed values, never what was in the URL."""
    values = {
        "q": search.text or None,
        "type": list(search.types) or None,
        "process": search.process_id,
        "from": search.date_from.isoformat() if search.date_from else None,
        "to": search.date_to.isoformat() if search.date_to else None,
        "page": search.page if search.page > 1 else None,
    } | changes
    return {name: values[name] for name in PARAMETERS if values[name] is not None}
