"""Objectives fixtures: the reference data and one person in each role a proposal meets."""

from __future__ import annotations

from pathlib import Path

import pytest

from consult.accounts.models import Role, Sector
from consult.objectives.seed import load_reference
from tests.factories import make_organisation

CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture
def cast(db, make_user, app):
    with app.app_context():
        load_reference(db, CONTENT)
    db.commit()
    dwp = make_organisation(db, name="Department for Work and Pensions", sector=Sector.GOVERNMENT_DEPARTMENT)
    dfe = make_organisation(db, name="Department for Education", sector=Sector.GOVERNMENT_DEPARTMENT)
    officer = make_user(organisation=dwp, sector=Sector.GOVERNMENT_DEPARTMENT, roles=(Role.DEPARTMENT_OFFICER,))
    colleague = make_user(organisation=dwp, sector=Sector.GOVERNMENT_DEPARTMENT, roles=(Role.DEPARTMENT_OFFICER,))
    other = make_user(organisation=dfe, sector=Sector.GOVERNMENT_DEPARTMENT, roles=(Role.DEPARTMENT_OFFICER,))
    return {
        "officer": officer,
        "colleague": colleague,
        "other": other,
        "facilitator": make_user(roles=(Role.FACILITATOR,)),
        "board": make_user(roles=(Role.REVIEW_BOARD,)),
        "participant": make_user(),
        "admin": make_user(roles=(Role.ADMIN,)),
    }
