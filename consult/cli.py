"""Command-line tasks (flask --app consult ...): thin wrappers that call services and commit."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from consult.db import get_session
from consult.errors import ValidationError


def register_commands(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(load_content)
    app.cli.add_command(seed_demo)
    app.cli.add_command(migrate)
    app.cli.add_command(send_digests)


@click.command("migrate")
@with_appcontext
def migrate() -> None:
    """Bring the database schema up to date (alembic upgrade head)."""
    from consult.migrations import current_revisions, describe_upgrade, upgrade

    url = current_app.config["DATABASE_URL"]
    before = current_revisions(url)
    upgrade(url)
    click.echo(describe_upgrade(before, current_revisions(url)))


@click.command("create-admin")
@with_appcontext
@click.option("--email", prompt=True)
@click.option("--name", "display_name", prompt="Display name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_admin(email: str, display_name: str, password: str) -> None:
    """Create a verified administrator account (there is no default one)."""
    from consult.accounts import services

    db = get_session(write=True)
    try:
        user = services.create_admin(db, email=email, display_name=display_name, password=password)
    except ValidationError as error:
        raise click.ClickException(error.message) from error
    db.commit()
    click.echo(f"Created administrator {user.email}")


@click.command("load-content")
@with_appcontext
def load_content() -> None:
    """Load Markdown pages from content/pages into the database (safe to run again)."""
    from consult.pages.content_import import ContentError, load_pages

    root = Path(current_app.config["CONTENT_DIR"]) / "pages"
    db = get_session(write=True)
    with click.progressbar(length=len(list(root.rglob("*.md"))), label="content: loading pages") as bar:
        try:
            counts = load_pages(db, root, progress=lambda _slug: bar.update(1))
        except ContentError as error:
            raise click.ClickException(str(error)) from error
    from consult.objectives.seed import ReferenceError, load_reference

    try:
        reference = load_reference(db, Path(current_app.config["CONTENT_DIR"]))
    except ReferenceError as error:
        raise click.ClickException(str(error)) from error
    db.commit()
    click.echo("content: " + ", ".join(f"{count} {name}" for name, count in counts.items()))
    click.echo("reference data: " + ", ".join(f"{count} {name}" for name, count in reference.items()))


@click.command("seed-demo")
@with_appcontext
@click.option(
    "--password-file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Where the demo accounts' password is kept (default: instance/demo-password.txt).",
)
def seed_demo(password_file: str | None) -> None:
    """Create demo organisations and one user per role (safe to run again; refused in production)."""
    from consult.demo.accounts import seed

    if current_app.config["ENV"] not in {"development", "testing"}:
        raise click.ClickException("seed-demo only runs with CONSULT_ENV=development: it creates known accounts.")
    path = Path(password_file or Path(current_app.instance_path) / "demo-password.txt")
    db = get_session(write=True)
    report = seed(db, password_path=path, echo=click.echo)
    db.commit()
    click.echo(f"demo: {report}")


@click.command("send-digests")
@with_appcontext
def send_digests() -> None:
    """Email each person whose daily digest is due (the same as `notifications send-digests`)."""
    from consult.notifications.cli import send_digests as send

    click.get_current_context().invoke(send)
