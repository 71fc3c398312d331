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
    app.cli.add_command(agreement)


@click.command("migrate")
@with_appcontext
def migrate() -> None:
    """Bring the database schema up to date (alembic upgrade head)."""
    from consult.migrations import upgrade

    upgrade(current_app.config["DATABASE_URL"])
    click.echo("database: schema is up to date")


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
    from consult.pages.loader import ContentError, load_pages

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
    from consult.demo import seed

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
    """Email each person who chose a daily digest everything new since the last one (run daily from cron)."""
    from consult.notifications.mailer import send_digests as send

    db = get_session(write=True)
    with click.progressbar(length=0, label="digests: sending", show_pos=True) as bar:
        sent = send(db, progress=bar.update)
    db.commit()
    click.echo(f"digests: {sent} sent")


@click.group("agreement")
def agreement() -> None:
    """Agreement data: import and export Polis conversations, and print the analysis."""


@agreement.command("import-polis")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--process", "slug", required=True, help="Web address (slug) of the new process.")
@with_appcontext
def import_polis(folder: Path, slug: str) -> None:
    """Import a Polis openData export folder (comments.csv, votes.csv) into a new process."""
    from consult.agreement.interchange import import_polis as run
    from consult.agreement.polis import PolisFormatError
    from consult.agreement.services import refresh_analysis

    db = get_session(write=True)
    lines = 0
    if (folder / "votes.csv").exists():
        with (folder / "votes.csv").open(encoding="utf-8") as handle:
            lines = sum(1 for _ in handle) - 1
    try:
        with click.progressbar(length=max(lines, 1), label="import: reading vote events") as bar:
            process = run(db, folder, slug, progress=bar.update)
        refresh_analysis(db, process.id)
    except (PolisFormatError, ValidationError) as error:
        db.rollback()
        raise click.ClickException(f"{error}. Nothing was imported.") from error
    db.commit()
    click.echo(f"import: created process {slug}")


@agreement.command("report")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print the whole analysis as JSON.")
@with_appcontext
def report(slug: str, as_json: bool) -> None:
    """Print the analysis the process's pages show (participants' groups, statements, consensus).

    It is the cached one, brought up to date first if votes changed: the groups have history (each refresh
    warm-starts from the last), so a fresh batch run could differ from what the pages and export-polis show.
    """
    import json

    import sqlalchemy as sa

    from consult.agreement.services import refresh_analysis
    from consult.processes.models import Process

    db = get_session(write=True)
    process_id = db.scalar(sa.select(Process.id).where(Process.slug == slug))
    if process_id is None:
        raise click.ClickException(f"No process called {slug}")
    result = refresh_analysis(db, process_id).report
    db.commit()
    if as_json:
        click.echo(json.dumps(result, indent=1, ensure_ascii=False))
        return
    click.echo(
        f"{len(result['participants'])} participants, {len(result['groups'])} opinion groups, "
        f"{len(result['statements'])} statements"
    )
    for group in result["groups"]:
        click.echo(f"group {group['id']}: {group['members']} members")


@agreement.command("export-polis")
@click.argument("slug")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def export_polis(slug: str, folder: Path) -> None:
    """Write a process's statements and votes as a Polis openData export."""
    from consult.agreement.interchange import export_polis as run

    try:
        db = get_session(write=True)
        counts = run(db, slug, folder)
        db.commit()  # the export brought the cached analysis up to date; keep it
    except ValidationError as error:
        raise click.ClickException(error.message) from error
    click.echo("export: " + ", ".join(f"{n} {name}" for name, n in counts.items()))


@agreement.command("refresh")
@click.argument("slug", required=False)
@click.option("--force", is_flag=True, help="Recompute even if no vote has changed (e.g. after an upgrade).")
@with_appcontext
def refresh(slug: str | None, force: bool) -> None:
    """Recompute cached analyses whose votes have changed (every process, or SLUG); safe to run from cron."""
    import sqlalchemy as sa

    from consult.agreement.services import refresh_analysis, stale_processes
    from consult.processes.models import Process

    db = get_session(write=True)
    if slug:
        process_id = db.scalar(sa.select(Process.id).where(Process.slug == slug))
        if process_id is None:
            raise click.ClickException(f"No process called {slug}")
        targets = [process_id] if force or process_id in stale_processes(db) else []
    else:
        targets = db.scalars(sa.select(Process.id).order_by(Process.id)).all() if force else stale_processes(db)
    slugs = dict(db.execute(sa.select(Process.id, Process.slug).where(Process.id.in_(targets))).all())
    for process_id in targets:
        cache = refresh_analysis(db, process_id, force=force)
        db.commit()  # one process at a time, so a long run keeps what it has done
        click.echo(f"refresh: {slugs[process_id]} from {cache.vote_events} votes")
    if not targets:
        click.echo("refresh: every analysis is up to date")
