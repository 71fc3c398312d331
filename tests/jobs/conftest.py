"""Jobs go to a real huey queue (a SQLite file) in these tests, instead of running at once as elsewhere."""

from __future__ import annotations

import pytest

from consult.jobs import queue as jobs


@pytest.fixture
def app_config(app_config, tmp_path):
    return app_config | {"JOBS_IMMEDIATE": False, "JOBS_URL": f"sqlite:///{tmp_path}/jobs.sqlite3"}


@pytest.fixture
def huey(app):
    """The queue the app uses (made by the app fixture); immediate mode again afterwards."""
    yield jobs.huey
    jobs.huey.immediate = True
