"""Periodic jobs: the daily digest, and a catch-up that redoes from the database whatever a lost job missed.

The database is the record of what is still to do (stale analyses, the search queue, notifications not yet
emailed), so a job lost with a killed worker or an unreachable queue is redone by the next catch-up.
"""

from __future__ import annotations

import logging

from flask import current_app
from huey import crontab

from consult.agreement import refresher
from consult.agreement import services as agreement
from consult.db import get_session, utcnow
from consult.jobs.queue import huey, job
from consult.notifications import notification_emails
from consult.search import queue as search_queue
from consult.search import services as search

log = logging.getLogger(__name__)


@huey.periodic_task(crontab(minute="0"), name="daily_digests")
def daily_digests() -> None:
    """Hourly: queue the job that sends the digests due (each person gets at most one per London day)."""
    run_digests()


@job(retries=3, retry_delay=300)
def run_digests() -> int:
    """Send the digests that are due (safe to run again: each notification is emailed once)."""
    with huey.lock_task("digests"):  # a second worker's run waits its turn and finds nothing left to send
        db = get_session(write=True)
        sent = notification_emails.send_due_digests(db, utcnow())
        db.commit()
        return int(sent or 0)


@huey.periodic_task(crontab(minute="*"), name="catch_up")
def catch_up() -> None:
    """Every minute: queue the catch-up job."""
    run_catch_up()


@job()
def run_catch_up() -> dict[str, int]:
    """Refresh stale analyses and apply the search queue, whatever triggered (or lost) them."""
    with huey.lock_task("catch-up"):  # one catch-up at a time; another finding it locked is skipped
        db = get_session()
        stale = agreement.stale_processes(db) if refresher.mode(current_app) != "off" else []
        pending = search_queue.has_pending(db)
        db.commit()  # ends the read; refreshes and the drain open their own transactions
        for process_id in stale:
            try:
                refresher.refresh(process_id)
            except Exception:
                log.exception("catch-up: refreshing process %s failed", process_id)
            huey.delete(refresher.marker(process_id))
        if pending:
            search.drain_now(timeout=5.0)
            huey.delete(search.DRAIN_QUEUED)  # in case the queued drain was lost with a killed worker
        return {"refreshed": len(stale), "search": int(pending)}
