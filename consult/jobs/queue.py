"""The one task queue (huey) and how the app uses it: storage from config, jobs enqueued only after commit.

- Storage: Redis when REDIS_URL (or JOBS_URL=redis://…) is set, so every app machine and worker share one queue;
  otherwise a SQLite file in the instance folder (the embedded default, like the database); JOBS_IMMEDIATE runs
  each job at once in the caller (tests). Huey keeps a job in its storage until a worker takes it.
- `defer(db, job, *args)` queues a job for after the session's transaction commits; a rollback drops it, so no
  job ever sees data that was never saved. Outside an app context (scripts, factories) nothing is deferred: the
  periodic catch-up job (consult.jobs.tasks) finds what the database says is still to do.
- Each job runs inside an app context (the worker's app, or the caller's in immediate mode) and carries the
  request id of the request that caused it into its logs.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from typing import Any

from flask import Flask, has_app_context
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey
from huey.api import TaskWrapper
from sqlalchemy import event
from sqlalchemy.orm import Session

from consult import logs

log = logging.getLogger(__name__)
DEFERRED = "jobs_deferred"  # session.info: (job, args, kwargs) to enqueue after the commit
REQUEST_ID = "request_id"  # a job's keyword argument carrying the request id; the wrapper takes it off

# Tasks register on this instance at import; init_app points it at the configured storage.
huey: Huey = MemoryHuey("consult", immediate=True)
_worker_app: Flask | None = None
JOBS: dict[str, TaskWrapper] = {}  # by name, to queue a failed job again


def storage_for(app: Flask) -> tuple[type[Huey], dict[str, Any]]:
    """The huey class and storage options the settings ask for."""
    url = app.config.get("JOBS_URL") or app.config.get("REDIS_URL") or ""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey, {"url": url}
    filename = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else ""
    return SqliteHuey, {"filename": filename or os.path.join(app.instance_path, "jobs.sqlite3")}


def configure(app: Flask) -> None:
    """Point the shared huey instance at this app's storage (immediate mode when JOBS_IMMEDIATE)."""
    if app.config.get("JOBS_IMMEDIATE"):
        huey.immediate = True  # in-memory storage: a job runs at once; a retry waits there, never run
        return
    cls, options = storage_for(app)
    if "filename" in options:
        os.makedirs(os.path.dirname(options["filename"]), exist_ok=True)
    huey.storage_class, huey.storage_kwargs = cls.storage_class, options
    if huey.immediate:
        huey.immediate = False  # makes the storage from the class and options above
    else:
        huey.storage = huey.create_storage()


def init_app(app: Flask) -> None:
    configure(app)
    if not event.contains(Session, "after_commit", _enqueue_deferred):
        event.listen(Session, "after_commit", _enqueue_deferred)
        event.listen(Session, "after_soft_rollback", _drop_deferred)


def job(**options: Any) -> Callable[[Callable[..., Any]], TaskWrapper]:
    """Declare a job (huey task options: retries, retry_delay, …); it runs inside an app context."""

    def decorate(fn: Callable[..., Any]) -> TaskWrapper:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            request_id = kwargs.pop(REQUEST_ID, None)
            with logs.request_id_scope(request_id):
                if has_app_context():
                    return fn(*args, **kwargs)
                if _worker_app is None:
                    raise RuntimeError("a job ran outside an app: start workers with `flask --app consult worker`")
                with _worker_app.app_context():
                    return fn(*args, **kwargs)

        wrapper: TaskWrapper = huey.task(name=fn.__name__, **options)(run)
        JOBS[fn.__name__] = wrapper
        return wrapper

    return decorate


def set_worker_app(app: Flask) -> None:
    global _worker_app
    _worker_app = app


def enqueue(task: TaskWrapper, *args: Any, **kwargs: Any) -> None:
    """Queue a job now (the caller has committed), with this request's id."""
    request_id = logs.current_request_id()
    if request_id:
        kwargs[REQUEST_ID] = request_id
    task(*args, **kwargs)


def enqueue_in(delay: float, task: TaskWrapper, *args: Any) -> None:
    """Queue a job to run `delay` seconds from now (the caller has committed), with this request's id."""
    request_id = logs.current_request_id()
    task.schedule(args=args, kwargs={REQUEST_ID: request_id} if request_id else None, delay=delay)


def defer(db: Session, task: TaskWrapper, *args: Any, **kwargs: Any) -> None:
    """Queue a job once `db`'s transaction commits; nothing is queued if it rolls back. Duplicates merge."""
    db.connection()  # inside a transaction, so its rollback (even with nothing else in it) drops the job
    pending: list[tuple[TaskWrapper, tuple[Any, ...], dict[str, Any]]] = db.info.setdefault(DEFERRED, [])
    entry = (task, args, kwargs)
    if entry not in pending:
        pending.append(entry)


def _enqueue_deferred(session: Session) -> None:
    pending = session.info.pop(DEFERRED, [])
    if not pending or not has_app_context():
        return
    for task, args, kwargs in pending:
        try:
            enqueue(task, *args, **kwargs)
        except Exception:  # the change is saved; the catch-up job finds the work from the database
            log.exception("jobs: could not queue %s; the periodic catch-up will pick it up", task.name)


def _drop_deferred(session: Session, previous: Any) -> None:
    if not previous.nested:
        session.info.pop(DEFERRED, None)


def reachable() -> bool:
    """Whether the queue's storage answers (for /readyz); raises nothing."""
    try:
        huey.pending_count()
    except Exception:
        log.warning("jobs: the queue's storage is not reachable", exc_info=True)
        return False
    return True


def depth() -> dict[str, int]:
    """Jobs waiting to run now, and scheduled ones (retries waiting out their delay)."""
    return {"queued": huey.pending_count(), "scheduled": huey.scheduled_count()}
