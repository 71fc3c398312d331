"""Absolute links for emails, built from the configured SITE_URL and never from the request's Host header."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values: Any) -> str:
    """Link to a route on the canonical site, so a forged Host cannot send someone's token elsewhere."""
    site = urlsplit(current_app.config["SITE_URL"])
    adapter = current_app.url_map.bind(site.netloc, script_name=site.path or "/", url_scheme=site.scheme)
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)


def site_url(path: str) -> str:
    """Link to a path on the canonical site (the path as the app routes it, starting with '/')."""
    return current_app.config["SITE_URL"].rstrip("/") + path
