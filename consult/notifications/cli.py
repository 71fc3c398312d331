"""`flask --app consult notifications ...`: the scheduled sending of daily digests."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from consult import clock
from consult.db import get_session


@click.group("notifications")
def notifications() -> None:
    """Notifications: send the daily digests that are due."""


@notifications.command("send-digests")
@with_appcontext
def send_digests() -> None:
    """Email each person whose daily digest is due; run it every hour or so (safe to run again, or twice at once:
    nobody gets more than one digest a day)."""
    from consult.notifications.notification_emails import send_due_digests

    db = get_session(write=True)
    with click.progressbar(length=0, label="digests: sending", show_pos=True) as bar:
        sent = send_due_digests(db, clock.now(), progress=bar.update)
    db.commit()
    click.echo(f"digests: {sent} sent")
