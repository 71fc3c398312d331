"""Run Alembic from code, so make, the CLI and the tests all migrate the same way."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext

from consult.db import make_engine

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def current_revisions(url: str) -> tuple[str, ...]:
    """The revisions the database is at; empty for a database never migrated (so `migrate` can say what it did)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return tuple(sorted(MigrationContext.configure(connection).get_current_heads()))
    finally:
        engine.dispose()


def describe_upgrade(before: tuple[str, ...], after: tuple[str, ...]) -> str:
    """What `migrate` did, in words: created the schema, brought it up to date, or found nothing to do."""
    now = ", ".join(after) or "no revision"
    if not before:
        return f"database: created the schema on a new database (now at {now})"
    if before == after:
        return f"database: schema was already up to date (at {now}); nothing to do"
    return f"database: upgraded the schema from {', '.join(before)} to {now}"


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)
