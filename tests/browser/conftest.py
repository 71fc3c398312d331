"""Browser tests: a live consult server in a thread, Debian's Chromium driven by Playwright, axe-core on every page."""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from consult import create_app
from consult.db import get_session
from consult.demo.accounts import seed
from consult.migrations import upgrade
from consult.objectives.seed import load_reference
from consult.pages.content_import import load_pages

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# The same WCAG 2.2 A and AA rules public sector sites must meet, plus axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


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


class LiveServer:
    """consult served over HTTP on a free port, on its own migrated database."""

    def __init__(self, tmp: Path) -> None:
        database_url = "sqlite:///" + str(tmp / "browser.sqlite3")
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


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path_factory.mktemp("live"))
    yield server
    server.stop()


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
