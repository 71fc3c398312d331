"""The 320px reflow check every browser test runs: it catches a page that scrolls sideways and names the culprit."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_the_check_fails_on_a_page_wider_than_320px_and_names_the_widest_element(page):
    page.goto("/")
    page.evaluate(
        """() => {
          const wide = document.createElement("div");
          wide.id = "too-wide-for-a-phone";
          wide.style.width = "600px";
          wide.textContent = "wide";
          document.querySelector("main").append(wide);
        }"""
    )
    size = page.viewport_size
    with pytest.raises(AssertionError, match=r"scrolls sideways at 320px: 6[0-9]{2}px wide.*too-wide-for-a-phone"):
        page.check_reflow()
    assert page.viewport_size == size, "the window is given back its size"


def test_a_wide_table_in_its_scrolling_region_passes(page):
    page.goto("/")
    page.evaluate(
        """() => {
          const region = document.createElement("div");
          region.className = "app-table-scroll";
          const table = document.createElement("table");
          table.style.width = "900px";
          table.innerHTML = "<tr><td>a</td><td><span class='govuk-visually-hidden'>hidden text</span></td></tr>";
          region.append(table);
          document.querySelector("main").append(region);
        }"""
    )
    page.check_reflow()
