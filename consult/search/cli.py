"""`flask --app consult search ...`: apply queued changes (cron), rebuild the index, show its state."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from consult.db import get_session
from consult.search import queue, services
from consult.search.store import IndexBusy


@click.group("search")
def search() -> None:
    """The search index: drain the queue of changes, rebuild from the database, or show its state."""


@search.command("drain")
@click.option("--wait", default=30.0, show_default=True, help="Seconds to wait for another writer to finish.")
@with_appcontext
def drain(wait: float) -> None:
    """Apply every queued change to the index (safe to run from cron while the site is up)."""
    db = get_session(write=True)
    result = queue.drain(db, services.store(), timeout=wait)
    if result.busy:
        raise click.ClickException("search: another process is writing the index; entries stay queued, try again")
    click.echo(f"search: {result.applied} documents applied, {queue.pending(db)} waiting")


@search.command("reindex")
@click.option("--wait", default=120.0, show_default=True, help="Seconds to wait for another writer to finish.")
@with_appcontext
def reindex(wait: float) -> None:
    """Rebuild the index from the database into a new folder and swap it in; search answers throughout."""
    db = get_session(write=True)
    total = sum(queue.count_documents(db).values())
    db.commit()
    with click.progressbar(length=total, label="search: indexing", show_pos=True) as bar:
        try:
            indexed = queue.rebuild(db, services.store(), progress=bar.update, lock_timeout=wait)
        except IndexBusy as error:
            raise click.ClickException("search: another process is writing the index; try again") from error
    click.echo(f"search: {indexed} documents indexed into {services.index_folder(current_app)}")


@search.command("status")
@with_appcontext
def status() -> None:
    """Print where the index is, how many documents it holds and how many changes wait in the queue."""
    db = get_session()
    store = services.store()
    click.echo(f"index: {store.base}")
    if store.exists():
        from whoosh import index as whoosh_index

        with whoosh_index.open_dir(store.current_path).searcher() as s:
            click.echo(f"documents: {s.doc_count()}")
    else:
        click.echo("documents: none (run `flask --app consult search reindex`)")
    click.echo(f"queued changes: {queue.pending(db)}")
