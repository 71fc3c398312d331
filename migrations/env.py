"""Alembic environment: consult's metadata, its URL, batch mode on SQLite."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection

from consult import models
from consult.db import make_engine

config = context.config
target_metadata = models.Base.metadata


def database_url() -> str:
    url = config.attributes.get("database_url") or os.environ.get("DATABASE_URL")
    if not url:
        from consult import create_app

        url = create_app({"ENV": os.environ.get("CONSULT_ENV", "development")}).config["DATABASE_URL"]
    return url


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    engine = make_engine(database_url())
    with engine.connect() as connection:
        run_with(connection)
    engine.dispose()


if context.is_offline_mode():
    context.configure(url=database_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
