"""Caching keyed by data version, and conditional GET: a change to the data changes the key, so nothing stale shows.

Pages and fragments are stored under a key that includes the version of the data they show (a thread's last
change, the analysis cache's version), read from the database on every request. A new vote, comment, hide or edit
therefore changes the key at once, in every worker, whatever the storage: Flask-Caching on Redis when REDIS_URL is
set, in-process ("SimpleCache") otherwise. Entries also expire (CACHE_DEFAULT_TIMEOUT) so that what a version does
not cover (an author's new display name, a renamed group) shows within minutes.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import Flask, Response, current_app, make_response, request, session
from flask_caching import Cache
from flask_login import current_user

cache = Cache()

PUBLIC = "public, no-cache"  # a proxy may keep it but must revalidate: the ETag answers 304 until the data changes
PRIVATE = "private, no-store"  # signed-in pages: never kept by a proxy or on disk


def init_app(app: Flask) -> None:
    """Redis when REDIS_URL is set (shared by workers), in-process otherwise; plus conditional GET for every page."""
    app.config.setdefault("CACHE_TYPE", "RedisCache" if app.config["REDIS_URL"] else "SimpleCache")
    app.config.setdefault("CACHE_REDIS_URL", app.config["REDIS_URL"])
    app.config.setdefault("CACHE_KEY_PREFIX", "consult:")
    app.config.setdefault("CACHE_DEFAULT_TIMEOUT", 300)
    app.config.setdefault("CACHE_THRESHOLD", 2000)  # SimpleCache entries per worker
    cache.init_app(app)
    app.extensions["consult.memo"] = Memo(size=8)
    app.after_request(conditional)


class Memo:
    """A tiny per-process LRU for decoded objects too big to unpickle on each request (the analysis report)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        if key in self.items:
            self.items.move_to_end(key)
            return self.items[key]
        value = build()
        self.items[key] = value
        while len(self.items) > self.size:
            self.items.popitem(last=False)
        return value


def memo(key: Hashable, build: Callable[[], Any]) -> Any:
    """The object built for `key` in this process (the key must include the data's version)."""
    return current_app.extensions["consult.memo"].get(key, build)


def versioned(name: str, version: Hashable, build: Callable[[], Any], timeout: int | None = None) -> Any:
    """A value from the shared cache under (name, version), built and stored when missing."""
    key = f"{name}:{tag(version)}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=timeout)
    return value


def tag(*parts: Hashable) -> str:
    """A short stable digest of a data version, for cache keys, ETags and URLs."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


def shareable() -> bool:
    """A page is the same for every reader who is signed out and has no message waiting."""
    return request.method in {"GET", "HEAD"} and not current_user.is_authenticated and not session.get("_flashes")


def page(name: str, version: Hashable, render: Callable[[], Any]) -> Response:
    """A page for signed-out readers, rendered once per data version: 304 when the reader has it, cached otherwise.

    `version` must change whenever anything the page shows to a signed-out reader changes.
    """
    if not shareable():
        return make_response(render())
    etag = tag(name, request.full_path, version)
    if etag in request.if_none_match:
        response = Response(status=304)
    else:
        key = f"page:{etag}"
        body = cache.get(key)
        if body is None:
            response = make_response(render())
            if response.status_code != 200 or session.modified:  # a new session's token is that browser's alone
                return response
            cache.set(key, response.get_data())
        else:
            response = Response(body, mimetype="text/html")
    response.set_etag(etag)
    response.headers["Cache-Control"] = PUBLIC
    response.vary.add("Cookie")
    return response


def conditional(response: Response) -> Response:
    """Cache-Control for every response: private for signed-in people; ETag and 304 for the rest."""
    if request.endpoint == "static":
        return response
    if current_user and current_user.is_authenticated:
        if not response.cache_control.public:  # only what is the same for everyone (the opinion map) stays public
            response.headers["Cache-Control"] = PRIVATE
        return response
    # A response that sets a cookie (a new session's CSRF token) belongs to that browser alone, even a cached page.
    personal = session.modified or "Set-Cookie" in response.headers  # the session cookie is set after this hook
    if personal and response.cache_control.public:
        response.headers["Cache-Control"] = "private, no-cache"
    if (
        request.method not in {"GET", "HEAD"}
        or response.status_code != 200
        or "Cache-Control" in response.headers
        or response.direct_passthrough
        or response.is_streamed
    ):
        return response
    response.headers["Cache-Control"] = "private, no-cache" if personal else PUBLIC
    if not response.get_etag()[0]:
        response.add_etag()
    return response.make_conditional(request)
