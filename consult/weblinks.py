"""Links people give us to other websites: only absolute http(s) addresses, checked wherever one is stored.

Pure (no Flask, no session): services call check_web_url before storing a link, forms call it through
consult.forms.WebUrl for an early message, and templates test stored links with is_web_url before
writing an href, for links stored before these checks existed.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from urllib.parse import urlsplit

WEB_SCHEMES = ("https", "http")
MAX_LENGTH = 500  # the size of every link column
EXAMPLE = "https://www.gov.uk/government/publications/example"
# A host name: dot-separated labels of letters (any script), digits and inner hyphens, with at least one dot.
_HOST = re.compile(r"(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W_](?:[\w-]*[^\W_])?\.?")


class BadWebUrl(ValueError):
    """The link is not a plain web address; the message says what to change."""


def check_web_url(value: str | None, *, schemes: tuple[str, ...] = WEB_SCHEMES, max_length: int = MAX_LENGTH) -> str:
    """The link without surrounding spaces if it is an absolute web address on a named host; BadWebUrl if not.

    Browsers run javascript: and data: links, follow //host links to any site, and drop tabs and line
    breaks inside a link (java<tab>script: is javascript:), hence the strictness.
    """
    url = (value or "").strip()
    starts = " or ".join(f"{scheme}://" for scheme in schemes)
    if len(url) > max_length:
        raise BadWebUrl(f"The link must be {max_length:,} characters or fewer")
    if any(ch.isspace() or ch == "\\" or unicodedata.category(ch).startswith("C") for ch in url):
        raise BadWebUrl("The link must not contain spaces, backslashes or hidden characters")
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        raise BadWebUrl(f"The link must start with {starts} and a website's name, like {EXAMPLE}") from None
    if parts.scheme.lower() not in schemes or not parts.netloc:
        raise BadWebUrl(f"The link must start with {starts} and a website's name, like {EXAMPLE}")
    if "@" in parts.netloc:
        raise BadWebUrl("The link must not contain a user name or password")
    if not (_HOST.fullmatch(host) or host == "localhost" or _is_ip(host)):
        raise BadWebUrl(f"The link must start with {starts} and a website's name, like {EXAMPLE}")
    return url


def is_web_url(value: str | None, *, schemes: tuple[str, ...] = WEB_SCHEMES) -> bool:
    """Whether a stored link is safe to write into an href (links stored before the checks may not be)."""
    try:
        check_web_url(value, schemes=schemes)
    except BadWebUrl:
        return False
    return True


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
