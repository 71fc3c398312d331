"""Links to other websites: only absolute http(s) addresses on a named host, whatever the route that stores them."""

from __future__ import annotations

import pytest

from consult.weblinks import BadWebUrl, check_web_url, is_web_url

GOOD = [
    "https://www.gov.uk/government/consultations/data-sharing",
    "http://example.org",
    "HTTPS://Example.ORG/Path?q=1&r=2#part",
    "https://example.org:8443/x",
    "https://bücher.example/straße",
    "https://192.0.2.7/report.pdf",
    "https://[2001:db8::1]/report",
    "https://localhost/dev",
]
BAD = [
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "javascript://example.org/%0aalert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.org/file",
    "//evil.example/path",
    "/relative/path",
    "relative/path",
    "example.org",
    "https://",
    "https:example.org",
    "https:///path-only",
    "https://user:secret@example.org/",
    "https://example.org@evil.example/",
    "https://evil.example\\@example.org/",
    "https://exa mple.org/",
    "https://example.org/a b",
    "https://example.org\u202e/gpj.exe",
    "https://example.org:99999/",
    "https://-bad-.example/",
    "https://intranet/",
    "https://example.org/" + "a" * 500,
    "",
]


@pytest.mark.parametrize("url", GOOD)
def test_absolute_web_addresses_pass_unchanged(url):
    assert check_web_url(f"  {url} ") == url
    assert is_web_url(url)


@pytest.mark.parametrize("url", BAD)
def test_anything_else_is_refused_with_a_message(url):
    with pytest.raises(BadWebUrl) as refused:
        check_web_url(url)
    assert str(refused.value).startswith("The link must")
    assert not is_web_url(url)


def test_a_caller_may_require_https():
    assert check_web_url("https://meet.example.org/x", schemes=("https",)) == "https://meet.example.org/x"
    with pytest.raises(BadWebUrl, match="must start with https://"):
        check_web_url("http://meet.example.org/x", schemes=("https",))


def test_none_is_refused_not_crashed_on():
    assert not is_web_url(None)
