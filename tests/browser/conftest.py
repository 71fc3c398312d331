"""Browser tests: a live consult server in a thread, Debian's Chromium driven by Playwright, axe-core on every page."""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from consult import create_app
from consult.db import get_session, make_engine
from consult.demo.accounts import seed
from consult.migrations import upgrade
from consult.objectives.seed import load_reference
from consult.pages.content_import import load_pages
from tests.conftest import TEST_DATABASE_URL, reset_postgres, worker_database

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# The same WCAG 2.2 A and AA rules public sector sites must meet, plus axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# WCAG 2.2 reflow (1.4.10): at 320 CSS pixels wide nothing may need scrolling sideways.
REFLOW_WIDTH, REFLOW_HEIGHT = 320, 640
# The page's width, and the widest element that sticks out of the viewport without a scrolling box around it.
WIDEST_JS = """width => {
  const clipped = element => {  // inside a box that scrolls or clips, and that box itself fits
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible" && up.getBoundingClientRect().right <= width + 0.5) {
        return true;
      }
    }
    return false;
  };
  let widest = null, widestClipped = null;  // the second: placed out of its scrolling box (position: absolute)
  for (const element of document.body.querySelectorAll("*")) {
    const right = element.getBoundingClientRect().right;
    if (right <= width + 0.5) continue;
    const chain = [];  // the boxes around it, to see which one grew wide
    for (let up = element.parentElement; up && up !== document.body && chain.length < 6; up = up.parentElement) {
      chain.push(`${up.tagName.toLowerCase()}.${up.className}:${Math.round(up.getBoundingClientRect().width)}px`);
    }
    const found = {right: Math.round(right), html: element.outerHTML.slice(0, 300), inside: chain.join(" < ")};
    if (clipped(element)) {
      if (!widestClipped || right > widestClipped.right) widestClipped = found;
    } else if (!widest || right > widest.right) {
      widest = found;
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, widest: widest || widestClipped};
}"""


def pytest_collection_modifyitems(config, items):
    """Without Chromium the browser tests skip locally; in CI they must run, so they fail instead."""
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"CI needs Debian's chromium at {CHROMIUM}; .ci/run installs it with apt")
    skip = pytest.mark.skip(reason="Debian's chromium is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def live_database(tmp: Path, worker_id: str, purpose: str = "live") -> str:
    """The live server's own empty database: a SQLite file, or with TEST_DATABASE_URL a fresh PostgreSQL database
    beside it (test -> test_gw0_live), so `TEST_DATABASE_URL=... make test` runs the journeys on PostgreSQL too."""
    if not TEST_DATABASE_URL:
        return "sqlite:///" + str(tmp / "browser.sqlite3")
    suffix = "_".join(part for part in (worker_id if worker_id != "master" else "", purpose) if part)
    url = worker_database(TEST_DATABASE_URL, suffix)
    reset_postgres(url)
    return url


def drop_database(url: str) -> None:
    """Remove a live server's PostgreSQL database once its server has stopped (SQLite files go with tmp)."""
    if not url.startswith("postgresql"):
        return
    name = sa.make_url(url).database
    engine = make_engine(TEST_DATABASE_URL).execution_options(isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    engine.dispose()


class LiveServer:
    """consult served over HTTP on a free port, on its own migrated database."""

    def __init__(self, tmp: Path, database_url: str) -> None:
        self.database_url = database_url
        upgrade(database_url)
        self.outbox = tmp / "outbox"
        self.app = create_app(
            {
                "ENV": "testing",
                "DATABASE_URL": database_url,
                "SECRET_KEY": "browser-test-secret-key-0123456789abcdef",
                "MAIL_OUTBOX": str(self.outbox),
                "SEARCH_INDEX": str(tmp / "search-index"),
                "RATELIMIT_ENABLED": False,
                "ARGON2_TIME_COST": 1,
                "ARGON2_MEMORY_COST": 8,
                "ARGON2_PARALLELISM": 1,
            }
        )
        self.password_file = tmp / "demo-password.txt"
        with self.app.app_context():
            db = get_session(write=True)
            load_pages(db, Path(self.app.config["CONTENT_DIR"]) / "pages")
            load_reference(db, Path(self.app.config["CONTENT_DIR"]))
            seed(db, password_path=self.password_file, echo=lambda _message: None)
            db.commit()
        self.demo_password = self.password_file.read_text().strip()
        self.server = make_server("localhost", 0, self.app, threaded=True)
        self.url = f"http://localhost:{self.server.server_port}"
        self.app.config["SITE_URL"] = self.url  # emailed links point here, as they would on a real site
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)
        engine = self.app.extensions.get("consult.engine")
        if engine is not None:
            engine.dispose()


@contextmanager
def serving(tmp: Path, worker_id: str, purpose: str = "live") -> Iterator[LiveServer]:
    """A live server on a database of its own (named for `purpose`), stopped and its database dropped after."""
    server = LiveServer(tmp, live_database(tmp, worker_id, purpose))
    try:
        yield server
    finally:
        server.stop()
        drop_database(server.database_url)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[LiveServer]:
    with serving(tmp_path_factory.mktemp("live"), worker_id) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class Page:
    """A Playwright page that runs axe-core on every page it visits and watches for CSP violations."""

    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.visited: list[str] = []
        self.console_errors: list[str] = []
        page.on("console", self._on_console)

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        own_status = message.text.startswith("Failed to load resource") and message.location.get("url") == self.page.url
        if not own_status:  # an error page's own 404 status is expected; anything else is a fault
            self.console_errors.append(message.text)

    def goto(self, path: str):
        response = self.page.goto(path if path.startswith("http") else self.base_url + path)
        self.check()
        return response

    def check(self) -> None:
        """Fail on any axe violation or any error in the browser console (CSP, scripts)."""
        self.page.wait_for_load_state("load")
        url = self.page.url
        results = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        self.visited.append(url)
        violations = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["html"][:200] for n in v["nodes"][:5]],
            }
            for v in results["violations"]
        ]
        assert not violations, f"axe violations on {url}:\n{json.dumps(violations, indent=2)}"
        assert not self.console_errors, f"browser console errors on {url}: {self.console_errors}"
        self.check_reflow()

    def check_reflow(self) -> None:
        """Fail if the page scrolls sideways at 320 CSS px, naming the widest element; then restore the size."""
        size = self.page.viewport_size
        self.page.set_viewport_size({"width": REFLOW_WIDTH, "height": REFLOW_HEIGHT})
        try:
            found = self.page.evaluate(WIDEST_JS, REFLOW_WIDTH)
        finally:
            if size:
                self.page.set_viewport_size(size)
        assert found["scrollWidth"] <= REFLOW_WIDTH, (
            f"{self.page.url} scrolls sideways at {REFLOW_WIDTH}px: {found['scrollWidth']}px wide; "
            f"widest element: {found['widest']}"
        )

    def __getattr__(self, name):
        return getattr(self.page, name)


@pytest.fixture
def page(browser, live_server, request) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url)
    context.add_init_script(path=str(AXE))
    wrapped = Page(context.new_page(), live_server.url)
    yield wrapped
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / f"{request.node.name}.png"
        wrapped.page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot of the failure: {shot}")
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
