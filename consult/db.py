"""Database: declarative base, engine set-up per dialect, and one session per request."""

from __future__ import annotations

import enum
import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, cast

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, mapped_column, sessionmaker

# Indico's naming convention: named constraints make Alembic diffs and SQLite batch mode reliable.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def utcnow() -> datetime:
    """Return an aware UTC timestamp; every stored time is UTC."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """Store aware datetimes as UTC and read them back aware, on SQLite as on PostgreSQL."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use consult.db.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


intpk = Annotated[int, mapped_column(primary_key=True)]
#: The largest id a row can have: ids are INTEGER columns, 32-bit signed on PostgreSQL.
MAX_ID = 2**31 - 1
created_at = Annotated[datetime, mapped_column(UTCDateTime(), default=utcnow, nullable=False)]


class Base(DeclarativeBase):
    """Base for every model: named constraints, enums stored by value, aware datetimes."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


def enum_column(enum_cls: type[enum.Enum], name: str, **kwargs: Any) -> Any:
    """A VARCHAR column holding an enum's value, checked by a named CHECK constraint."""
    length = max(len(member.value) for member in enum_cls)
    return mapped_column(
        sa.Enum(
            enum_cls,
            name=name,
            native_enum=False,
            length=length,
            create_constraint=True,
            values_callable=lambda cls: [member.value for member in cls],
            validate_strings=True,
        ),
        **kwargs,
    )


def rows_matched(result: sa.Result[Any]) -> int:
    """How many rows an UPDATE or DELETE matched (a compare-and-set saved exactly when this is 1)."""
    return cast("sa.CursorResult[Any]", result).rowcount


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; on SQLite turn on WAL, foreign keys and a busy timeout, and own BEGIN."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        database = sa.engine.make_url(url).database
        if database and database != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(database)), exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 15}, **kwargs)
        _configure_sqlite(engine)
    else:
        engine = sa.create_engine(url, pool_pre_ping=True, **kwargs)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    """Apply SQLAlchemy's pysqlite recipe so we emit BEGIN ourselves (IMMEDIATE for writes)."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.isolation_level = None  # let the "begin" hook below issue BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: sa.Connection) -> None:
        # A deferred transaction that reads then writes fails at once with "database is locked"
        # when another writer got in first (SECURITY.md §5); IMMEDIATE takes the write lock up front.
        if connection.get_execution_options().get("consult_write", False):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


def init_app(app: Flask) -> None:
    """Create the engine and session factory for this app; roll back and close at teardown."""
    factory: Callable[[bool], Session] | None = app.config.get("SESSION_FACTORY")
    if factory is None:
        engine = make_engine(app.config["DATABASE_URL"])
        readers = sessionmaker(bind=engine, expire_on_commit=False)
        writers = sessionmaker(bind=engine.execution_options(consult_write=True), expire_on_commit=False)

        def factory(write: bool) -> Session:
            return writers() if write else readers()

        app.extensions["consult.engine"] = engine
    app.extensions["consult.session_factory"] = factory

    @app.teardown_appcontext
    def close_session(exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            session.close()


def get_session(write: bool | None = None) -> Session:
    """Return this request's session; requests that change data begin IMMEDIATE on SQLite."""
    if "db_session" not in g:
        if write is None:
            write = has_request_context() and request.method in WRITE_METHODS
        g.db_session = current_app.extensions["consult.session_factory"](write)
    return g.db_session
