"""The one request flow: saving() commits or rolls back and tells the form; a PermissionDenied anywhere is a 403."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError
from wtforms import StringField

from consult.accounts.models import Organisation, Sector
from consult.errors import PermissionDenied, StaleEdit, ValidationError
from consult.flow import CONCURRENT_SAVE, saving
from consult.forms import BaseForm, VersionedForm


class NameForm(BaseForm):
    name = StringField()


def count(db, name: str) -> int:
    return db.scalar(sa.select(sa.func.count()).select_from(Organisation).where(Organisation.name == name))


def test_saving_commits_what_the_block_changed(app, db):
    with app.test_request_context():
        form = NameForm(meta={"csrf": False})
        with saving(db, form) as saved:
            db.add(Organisation(name="Kept", sector=Sector.CIVIL_SOCIETY))
        assert saved and saved.conflict is None and not form.form_errors
    db.expire_all()
    assert count(db, "Kept") == 1


def test_a_broken_rule_rolls_back_and_is_shown_next_to_its_field(app, db):
    with app.test_request_context():
        form = NameForm(meta={"csrf": False})
        with saving(db, form) as saved:
            db.add(Organisation(name="Dropped", sector=Sector.CIVIL_SOCIETY))
            db.flush()
            raise ValidationError("name", "Enter a different name")
        assert not saved
        assert form.name.errors == ["Enter a different name"]
    assert count(db, "Dropped") == 0


@pytest.mark.parametrize("raised", [StaleEdit(None, "Someone saved a newer version"), StaleDataError("stale")])
def test_a_concurrent_save_is_a_conflict_not_an_error(app, db, raised):
    with app.test_request_context():
        form = NameForm(meta={"csrf": False})
        with saving(db, form) as saved:
            db.add(Organisation(name="Conflicted", sector=Sector.CIVIL_SOCIETY))
            db.flush()
            raise raised
        assert not saved and isinstance(saved.conflict, StaleEdit)
        expected = CONCURRENT_SAVE if isinstance(raised, StaleDataError) else "Someone saved a newer version"
        assert form.form_errors == [expected]
    assert count(db, "Conflicted") == 0


@pytest.mark.parametrize(("raw", "version"), [("3", 3), ("", -1), ("x", -1), ("²", -1), ("9" * 30, -1)])
def test_a_versioned_form_reads_its_base_version_strictly(app, raw, version):
    with app.test_request_context(method="POST", data={"base_version": raw}):
        form = VersionedForm(meta={"csrf": False})
        assert form.started_from() == version
        assert "base_version" not in form.service_data()


def test_permission_denied_raised_anywhere_is_a_403_page(app, client):
    @app.get("/test-only/refuse")
    def refuse():
        raise PermissionDenied

    response = client.get("/test-only/refuse")
    assert response.status_code == 403
    assert "You do not have permission to do that" in response.get_data(as_text=True)
