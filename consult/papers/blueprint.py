"""The papers blueprint, on its own so that the reading and the changing routes can both register on it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint(
    "papers", __name__, template_folder="templates", static_folder="static", static_url_path="/papers/static"
)
