"""Search in a real browser: the header box, results with highlights, a filter, paging links and "did you mean"."""

from __future__ import annotations

import pytest

from consult.db import get_session
from consult.search import queue, services

pytestmark = pytest.mark.browser


@pytest.fixture
def fresh_index(live_server, tmp_path):
    """The live server's index in a folder of this test's own, rebuilt from the seeded demo."""
    app = live_server.app
    previous = app.config["SEARCH_INDEX"]
    app.config["SEARCH_INDEX"] = str(tmp_path / "search-index")
    with app.app_context():
        queue.rebuild(get_session(write=True), services.store())
    yield
    app.config["SEARCH_INDEX"] = previous


def test_search_from_the_header_filter_and_suggestion(page, fresh_index):
    page.goto("/processes/")
    page.get_by_label("Search consult").fill("water poverty")
    page.get_by_role("button", name="Search", exact=True).first.click()
    page.check()
    assert "/search?q=water+poverty" in page.url
    heading = page.locator("#results-heading")
    assert "result" in heading.inner_text()
    first = page.locator(".consult-search-result").first
    assert first.locator("a").first.is_visible()
    assert page.locator(".consult-search-result mark").count() > 0, "matched words are highlighted"

    page.get_by_text("Filter results").click()
    page.locator("#filter-process").select_option(index=1)
    page.get_by_label("Working group").check()
    page.get_by_role("button", name="Apply filters").click()
    page.check()
    assert "type=group" in page.url
    for tag in page.locator(".consult-search-result .govuk-tag").all_inner_texts():
        assert tag == "Working group"

    page.goto("/search?q=watr+povrty")
    suggestion = page.locator("#did-you-mean a")
    assert suggestion.is_visible()
    suggestion.click()
    page.check()
    assert page.locator(".consult-search-result").count() > 0


def test_bad_queries_give_a_message(page, fresh_index):
    for q in ['"unclosed', "AND OR", "x" * 3000]:
        page.goto("/search?q=" + q)
        assert page.locator(".govuk-inset-text").count() >= 1 or page.locator("#results-heading").count() == 1
