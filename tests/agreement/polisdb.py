"""Import these two fixtures into a test module to run its tests on the polis database (see conftest.py)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa


@pytest.fixture
def database_url(polis_database_url: str) -> str:
    """The polis database instead of the suite's, for the app and everything else in this module."""
    return polis_database_url


@pytest.fixture
def engine(polis_engine: sa.Engine) -> sa.Engine:
    """The polis database's engine, so `db` opens its rolled-back transaction there."""
    return polis_engine
