"""The search page's GET parameters, read leniently: a bad filter is explained and ignored, never an error."""

from __future__ import annotations

from datetime import date

from werkzeug.datastructures import MultiDict

from consult.search.querying import MAX_PAGE, SearchRequest


def _date(value: str, label: str, errors: dict[str, str]) -> date | None:
    value = (value or "").strip()
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
        if raw_process.isdigit() and int(raw_process) in process_ids:
            process_id = int(raw_process)
        else:
            errors["process"] = "Choose a process from the list"
    date_from = _date(args.get("from", ""), "from", errors)
    date_to = _date(args.get("to", ""), "to", errors)
    if date_from and date_to and date_from > date_to:
        errors["to"] = "The ‘to’ date must be the same as or after the ‘from’ date"
        date_to = None
    raw_page = args.get("page", "1")
    page = int(raw_page) if raw_page.isdigit() and len(raw_page) < 6 else 1
    request = SearchRequest(
        text=args.get("q", ""),
        types=types,
        process_id=process_id,
        date_from=date_from,
        date_to=date_to,
        page=max(1, min(page, MAX_PAGE)),
    )
    return request, errors
