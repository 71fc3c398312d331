"""Test fixtures: the schema is migrated once per run; each test runs in a transaction rolled back at the end."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sqlalchemy import event
from sqlalchemy.orm import Session

from consult import create_app
from consult.db import make_engine
from consult.migrations import upgrade
from tests import factories

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")


def reset_postgres(url: str) -> None:
    """Drop everything in the test database so the run starts from an empty schema."""
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def worker_database(url: str, suffix: str) -> str:
    """A PostgreSQL database of its own beside the given one (test -> test_gw0), created if it is missing."""
    if not suffix:
        return url
    base = sa.make_url(url)
    name = f"{base.database}_{suffix}"
    engine = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
        if not exists:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def empty_database(tmp_path_factory: pytest.TempPathFactory, worker_id: str, purpose: str = "") -> str:
    """An empty database for this xdist worker (and purpose): a SQLite file, or TEST_DATABASE_URL's sibling."""
    if TEST_DATABASE_URL:
        parts = [part for part in (worker_id if worker_id != "master" else "", purpose) if part]
        url = worker_database(TEST_DATABASE_URL, "_".join(parts))
        reset_postgres(url)
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp(purpose or "db") / "test.sqlite3")


@contextmanager
def migrated_engine(url: str) -> Iterator[sa.Engine]:
    """The database brought to the newest migration (the schema under test is the migrations', not create_all's)."""
    upgrade(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> str:
    return empty_database(tmp_path_factory, worker_id)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[sa.Engine]:
    with migrated_engine(database_url) as engine:
        yield engine


@pytest.fixture
def db(engine: sa.Engine) -> Iterator[Session]:
    """A session inside an outer transaction; the app's commits only release savepoints."""
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    yield session
    session.close()
    outer.rollback()
    connection.close()


@pytest.fixture
def app_config(tmp_path: Path, database_url: str) -> dict:
    return {
        "ENV": "testing",
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "MAIL_OUTBOX": str(tmp_path / "outbox"),
        "SEARCH_INDEX": str(tmp_path / "search-index"),
        "RATELIMIT_ENABLED": False,
        # Cheap hashing keeps the suite fast; test_security checks the production parameters.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 8,
        "ARGON2_PARALLELISM": 1,
    }


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept for the whole run, keyed by name and source checksum, so each test app reuses them."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = MemoryBytecodeCache()


@pytest.fixture
def app(app_config: dict, db: Session) -> Flask:
    app_config["SESSION_FACTORY"] = lambda write: db
    app = create_app(app_config)
    app.jinja_env.bytecode_cache = TEMPLATE_CACHE
    return app


class CheckedClient(FlaskClient):
    """A test client that fails the test on any 500: no request in the suite may produce one."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        assert response.status_code < 500, f"server error {response.status_code} for {args} {kwargs}"
        return response


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = CheckedClient
    return app.test_client()


@pytest.fixture
def make_user(db: Session, app: Flask):
    def make(**overrides):
        with app.app_context():
            return factories.make_user(db, **overrides)

    return make


@pytest.fixture
def login(client: FlaskClient, app: Flask):
    """Sign a user in through the real form, so sessions behave as they do for people."""

    def sign_in(user, password: str = factories.PASSWORD, remember: bool = False):
        page = client.get("/account/sign-in")
        token = factories.csrf_from(page.get_data(as_text=True))
        data = {"csrf_token": token, "email": user.email, "password": password}
        if remember:
            data["remember"] = "y"
        response = client.post("/account/sign-in", data=data)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return response

    return sign_in


@pytest.fixture
def outbox(app: Flask):
    """Read the messages the app wrote to its outbox (newest first)."""
    from consult import mail_delivery

    def read():
        with app.app_context():
            return mail_delivery.outbox_messages()

    return read


@contextmanager
def count_queries(engine_or_connection) -> Iterator[list[str]]:
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN")):
            statements.append(statement)

    event.listen(engine_or_connection, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine_or_connection, "before_cursor_execute", before)


@pytest.fixture
def query_counter(engine: sa.Engine):
    return lambda: count_queries(engine)
