"""URL converters: an id in a path is what the database can hold, or the page does not exist."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from consult.db import MAX_ID


class IdConverter(IntegerConverter):
    """`<int:...>` limited to ASCII digits and to what an id column holds, so a huge id is a 404, not a 500."""

    regex = r"[0-9]+"

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Replace Flask's `int` converter before any route is added, so every `<int:...>` route is covered."""
    app.url_map.converters["int"] = IdConverter
