"""Position paper pages: drafting, editing, review comments, publishing, reading and provenance."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("papers", __name__, template_folder="templates")
