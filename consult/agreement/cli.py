"""`flask --app consult agreement ...`: import, report, export and refresh agreement analyses."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from consult.db import get_session
from consult.errors import ValidationError


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

    import sqlalchemy as sa

    from consult.agreement.figures import displayed
    from consult.agreement.services import refresh_analysis
    from consult.processes.models import Process

    db = get_session(write=True)
    process_id = db.scalar(sa.select(Process.id).where(Process.slug == slug))
    if process_id is None:
        raise click.ClickException(f"No process called {slug}")
    result = displayed(refresh_analysis(db, process_id).report)
    db.commit()
    if as_json:
        click.echo(json.dumps(result, indent=1, ensure_ascii=False))
        return
    click.echo(
        f"{len(result['participants'])} participants, {len(result['groups'])} opinion groups, "
        f"{len(result['statements'])} statements"
    )
    for group in result["groups"]:
        click.echo(f"{group['name']} (id {group['id']}): {group['members']} members")


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

    from consult.agreement import refresher
    from consult.agreement.services import stale_processes
    from consult.processes.models import Process

    db = get_session()
    if slug:
        process_id = db.scalar(sa.select(Process.id).where(Process.slug == slug))
        if process_id is None:
            raise click.ClickException(f"No process called {slug}")
        targets = [process_id] if force or process_id in stale_processes(db) else []
    else:
        targets = db.scalars(sa.select(Process.id).order_by(Process.id)).all() if force else stale_processes(db)
    slugs = dict(db.execute(sa.select(Process.id, Process.slug).where(Process.id.in_(targets))).all())
    db.commit()  # ends the read; each refresh below opens its own transactions
    for process_id in targets:
        # As the worker's job does: one writer per process (refresher.py), committed one process at a time.
        cache = refresher.refresh(process_id, force=force)
        if cache is not None:
            click.echo(f"refresh: {slugs[process_id]} from {cache.vote_events} votes")
    if not targets:
        click.echo("refresh: every analysis is up to date")
