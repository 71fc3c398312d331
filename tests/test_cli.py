"""The CLI commands are thin and safe to repeat."""

from __future__ import annotations

import sqlalchemy as sa

from consult.accounts.models import Role, User
from consult.pages.models import ContentPage


def test_create_admin_makes_a_verified_admin_and_refuses_duplicates(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-admin", "--email", "Boss@Example.org", "--name", "Boss", "--password", "a long admin passphrase"]
    )
    assert result.exit_code == 0, result.output
    admin = db.scalar(sa.select(User).where(User.email == "boss@example.org"))
    assert admin.has_role(Role.ADMIN) and admin.is_verified
    again = runner.invoke(
        args=["create-admin", "--email", "boss@example.org", "--name", "Boss", "--password", "a long admin passphrase"]
    )
    assert again.exit_code != 0
    assert "already exists" in again.output


def test_create_admin_applies_the_password_policy(app):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "--email", "a@example.org", "--name", "A", "--password", "short"]
    )
    assert result.exit_code != 0
    assert "12 characters or more" in result.output


def test_load_content_reports_and_is_idempotent(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["load-content"])
    assert first.exit_code == 0, first.output
    count = db.scalar(sa.select(sa.func.count()).select_from(ContentPage))
    assert count >= 12
    second = runner.invoke(args=["load-content"])
    assert f"0 added, 0 updated, {count} unchanged, 0 removed" in second.output


def test_seed_demo_creates_one_account_per_role_once(app, db, tmp_path):
    runner = app.test_cli_runner()
    password_file = tmp_path / "demo-password.txt"
    first = runner.invoke(args=["seed-demo", "--password-file", str(password_file)])
    assert first.exit_code == 0, first.output
    users = db.scalars(sa.select(User)).all()
    roles = set().union(*(user.roles for user in users))
    assert roles == set(Role)
    assert all(user.is_verified for user in users)
    assert "demo process created" in first.output
    second = runner.invoke(args=["seed-demo", "--password-file", str(password_file)])
    assert "0 demo accounts created" in second.output
    assert "demo process already there" in second.output
    assert db.scalar(sa.select(sa.func.count()).select_from(User)) == len(users)
    assert len(password_file.read_text().strip()) >= 16


def test_seed_demo_is_refused_in_production(app):
    app.config["ENV"] = "production"
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "only runs with CONSULT_ENV=development" in result.output


def test_migrate_says_what_it_did_on_a_new_an_older_and_a_current_database(app, tmp_path):
    from consult.migrations import downgrade

    app.config["DATABASE_URL"] = "sqlite:///" + str(tmp_path / "fresh.sqlite3")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["migrate"])
    assert first.exit_code == 0 and "created the schema on a new database" in first.output
    assert "up to date" not in first.output
    downgrade(app.config["DATABASE_URL"], "-1")
    older = runner.invoke(args=["migrate"])
    assert older.exit_code == 0 and "upgraded the schema from" in older.output
    again = runner.invoke(args=["migrate"])
    assert again.exit_code == 0 and "already up to date" in again.output


def test_the_readme_names_every_demo_account_in_full():
    from pathlib import Path

    from consult.demo.accounts import USERS

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    missing = [(email, name) for email, name, *_ in USERS if f"`{email}`" not in readme or name not in readme]
    assert USERS and missing == []


def test_pyproject_uses_a_spdx_licence_with_a_setuptools_that_reads_it():
    import tomllib
    from pathlib import Path

    from packaging.requirements import Requirement

    pyproject = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert isinstance(pyproject["project"]["license"], str), "a SPDX expression, not the deprecated table"
    setuptools = next(Requirement(r) for r in pyproject["build-system"]["requires"] if r.startswith("setuptools"))
    assert not setuptools.specifier.contains("76.9"), "SPDX licence strings need setuptools 77 or newer"
