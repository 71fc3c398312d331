"""The shared Polis conversations imported once per test run, into a database of their own.

Importing a conversation (reading 50,000 votes and replaying their history) takes seconds, and several modules read
the same imported conversation. A module that wants them imports the `database_url` and `engine` overrides from
tests.agreement.polisdb and asks for `imported`: each conversation is imported through the real CLI, once,
and committed before any test transaction opens; every test then still runs in its own rolled-back transaction,
so the imported rows stay as the import left them. Such tests are marked `xdist_group("polis")` to share one
xdist worker (make test runs with --dist loadgroup), so each conversation is imported once per run, not per worker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from consult import create_app
from consult.processes.models import Process
from tests.agreement.polisdata import CONVERSATIONS, DATA
from tests.conftest import empty_database, migrated_engine

# Each conversation's process slug in the polis database.
SLUGS = {name: f"polis-{n}" for n, name in enumerate(CONVERSATIONS)}


@pytest.fixture(scope="session")
def polis_database_url(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> str:
    return empty_database(tmp_path_factory, worker_id, "polis")


@pytest.fixture(scope="session")
def polis_engine(polis_database_url: str) -> Iterator[sa.Engine]:
    with migrated_engine(polis_database_url) as engine:
        yield engine


@pytest.fixture(scope="session")
def polis_imports(polis_database_url: str, polis_engine: sa.Engine, tmp_path_factory) -> Callable[[str], str]:
    """import_once(name) -> the process slug; the import is committed the first time and reused afterwards."""
    done: dict[str, str] = {}
    folder: Path = tmp_path_factory.mktemp("polis-app")
    app = create_app(
        {
            "ENV": "testing",
            "TESTING": True,
            "DATABASE_URL": polis_database_url,
            "SECRET_KEY": "polis-import-secret-key-0123456789abcdef",
            "MAIL_OUTBOX": str(folder / "outbox"),
            "SEARCH_INDEX": str(folder / "search-index"),
            "RATELIMIT_ENABLED": False,
            "AGREEMENT_REFRESH": "off",
        }
    )

    def import_once(name: str) -> str:
        if name not in done:
            slug = SLUGS[name]
            runner = app.test_cli_runner()
            result = runner.invoke(args=["agreement", "import-polis", str(DATA / name), "--process", slug])
            assert result.exit_code == 0, result.output
            # Index the new rows now, so no test's first request spends its time draining them.
            drained = runner.invoke(args=["search", "drain"])
            assert drained.exit_code == 0, drained.output
            with polis_engine.connect() as connection:
                assert connection.scalar(sa.select(Process.id).where(Process.slug == slug)) is not None
            done[name] = slug
        return done[name]

    yield import_once
    app.extensions["consult.engine"].dispose()


@pytest.fixture(scope="session")
def imported(polis_imports: Callable[[str], str]) -> dict[str, str]:
    """Every shared conversation imported (session scope, so before any test's transaction): name -> slug."""
    return {name: polis_imports(name) for name in CONVERSATIONS}


@pytest.fixture(scope="session")
def imported_brexit(polis_imports: Callable[[str], str]) -> str:
    """brexit-consensus alone (the smallest), for tests that need one real imported conversation: its slug."""
    return polis_imports("brexit-consensus")

