"""Running queued jobs in the test process, as a worker would."""

from __future__ import annotations

from datetime import timedelta


def run_next(app, huey, *, at=None):
    """Take the next job off the queue and run it as a worker would (at its ETA, or `at`)."""
    task = huey.dequeue()
    assert task is not None, "a job was queued"
    with app.app_context():
        huey.execute(task, timestamp=at or task.eta)
    return task


def run_scheduled(app, huey):
    """Take every scheduled job (retries waiting out their delay) and run it as if the wait were over."""
    tasks = huey.read_schedule(huey._get_timestamp() + timedelta(days=30))
    for task in tasks:
        with app.app_context():
            huey.execute(task, timestamp=task.eta)
    return tasks
