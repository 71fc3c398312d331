"""Content pages load from content/ idempotently and are served at readable URLs with a contents list."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from consult.pages.content_import import ContentError, load_pages
from consult.pages.models import ContentPage

CONTENT = Path(__file__).resolve().parents[2] / "content" / "pages"
REQUIRED_PAGES = [
    "about",
    "the-power",
    "part-5-chapters",
    "privacy",
    "accessibility",
    "code-of-conduct",
    "objectives-in-force",
    "objectives-in-force/multiple-disadvantages",
    "objectives-in-force/fuel-poverty",
    "objectives-in-force/water-poverty",
    "objectives-in-force/tv-retuning",
    "objectives-in-force/scottish-early-learning-and-childcare",
]


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


PAGE = (
    '---\ntitle: "A page"\nsummary: "What it is"\nupdated: "2026-11-21"\norder: 5\n---\n'
    "## First\n\nText.\n\n## Second\n"
)


@pytest.fixture
def loaded(app, db):
    with app.app_context():
        load_pages(db, CONTENT)
    db.commit()


def test_loading_twice_changes_nothing_and_edits_are_picked_up(app, db, tmp_path):
    write(tmp_path, "one.md", PAGE)
    write(tmp_path, "section/index.md", PAGE.replace("A page", "Section"))
    with app.app_context():
        assert load_pages(db, tmp_path) == {"added": 2, "updated": 0, "unchanged": 0, "removed": 0}
        assert load_pages(db, tmp_path) == {"added": 0, "updated": 0, "unchanged": 2, "removed": 0}
        write(tmp_path, "one.md", PAGE.replace("Text.", "New text."))
        (tmp_path / "section" / "index.md").unlink()
        assert load_pages(db, tmp_path) == {"added": 0, "updated": 1, "unchanged": 0, "removed": 1}
    assert db.scalar(sa.select(ContentPage.body).where(ContentPage.slug == "one")).count("New text.") == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no front matter at all", "missing title"),
        ('---\ntitle: "T"\nsummary: "S"\nupdated: "21/11/2026"\n---\nBody', "updated must be a date"),
        ('---\ntitle: "T"\nupdated: "2026-11-21"\n---\nBody', "missing summary"),
    ],
)
def test_malformed_content_is_refused_with_the_file_named(app, db, tmp_path, text, message):
    write(tmp_path, "bad.md", text)
    with app.app_context(), pytest.raises(ContentError, match=message) as error:
        load_pages(db, tmp_path)
    assert "bad.md" in str(error.value)


def test_file_names_must_be_url_safe(app, db, tmp_path):
    write(tmp_path, "Bad Name.md", PAGE)
    with app.app_context(), pytest.raises(ContentError, match="a-z, 0-9 and hyphens"):
        load_pages(db, tmp_path)


@pytest.mark.parametrize("slug", REQUIRED_PAGES)
def test_every_required_page_is_served_with_title_and_date(client, loaded, db, slug):
    page = db.scalar(sa.select(ContentPage).where(ContentPage.slug == slug))
    assert page is not None, f"content/pages/{slug}.md is missing"
    response = client.get(f"/{slug}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert f'<h1 class="govuk-heading-xl govuk-!-margin-bottom-4">{page.title}</h1>' in body
    assert "Last updated" in body


def test_long_page_has_a_contents_list_linking_to_its_headings(client, loaded):
    body = client.get("/the-power").get_data(as_text=True)
    assert 'aria-labelledby="contents-title"' in body
    assert '<h2 id="' in body
    assert 'href="#' in body


def test_multiple_disadvantages_page_lists_the_thirteen_factors(client, loaded):
    body = client.get("/objectives-in-force/multiple-disadvantages").get_data(as_text=True).lower()
    factors = [
        "anti-social behaviour",
        "care leaver",
        "child in need",
        "criminal offending",
        "domestic violence",
        "financial exclusion",
        "disability",
        "homelessness",
        "ill-health",
        "irregular attendance",
        "not being in education",
        "substance misuse",
        "unemployment",
    ]
    missing = [factor for factor in factors if factor not in body]
    assert not missing


def test_unverified_facts_are_marked(client, loaded):
    body = client.get("/objectives-in-force/scottish-early-learning-and-childcare").get_data(as_text=True)
    assert "unverified" in body


def test_section_index_lists_its_pages(client, loaded):
    body = client.get("/objectives-in-force").get_data(as_text=True)
    assert "In this section" in body
    assert "/objectives-in-force/water-poverty" in body


@pytest.mark.parametrize("path", ["/no-such-page", "/About", "/objectives-in-force/nope", "/" + "a" * 300])
def test_unknown_pages_are_404(client, loaded, path):
    assert client.get(path).status_code == 404


def test_home_lists_top_level_pages(client, loaded):
    body = client.get("/").get_data(as_text=True)
    assert 'href="/about"' in body
    assert 'href="/objectives-in-force/water-poverty"' not in body
