"""The migrations produce exactly the models' schema, and can be undone and redone."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from consult.db import make_engine
from consult.migrations import downgrade, upgrade
from consult.models import Base


def schema_differences(engine: sa.Engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_upgrade_head_matches_models(engine):
    assert schema_differences(engine) == []


def test_downgrade_to_base_and_upgrade_again(tmp_path):
    url = "sqlite:///" + str(tmp_path / "roundtrip.sqlite3")
    upgrade(url)
    downgrade(url, "base")
    engine = make_engine(url)
    with engine.connect() as connection:
        assert sa.inspect(connection).get_table_names() == ["alembic_version"]
    upgrade(url)
    assert schema_differences(engine) == []
    engine.dispose()


def test_every_constraint_is_named(engine):
    with engine.connect() as connection:
        inspector = sa.inspect(connection)
        for table in inspector.get_table_names():
            for fk in inspector.get_foreign_keys(table):
                assert fk["name"], f"unnamed foreign key on {table}"
            for unique in inspector.get_unique_constraints(table):
                assert unique["name"], f"unnamed unique constraint on {table}"
