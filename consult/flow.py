"""The one request flow for a form that changes something: the service runs, then commit, or roll back and say why.

STYLE.md §5.2: load → authorise → validate → change → commit → redirect. Views write

    if form.validate_on_submit():
        with saving(db, form) as saved:
            services.do_something(db, thing, actor=current_user, **form.service_data())
        if saved:
            flash("Done")
            return redirect(...)
    return render_template(..., form=form)

so every view rolls back before re-showing a form, shows a service's ValidationError next to its field, and treats
a concurrent save (a stale base version, or SQLAlchemy's version counter) as the same conflict. A PermissionDenied
passes through to the app's 403 handler.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from consult.errors import StaleEdit, ValidationError
from consult.forms import BaseForm

CONCURRENT_SAVE = "Someone else saved this at the same moment. Your text is below: check it and save again."


@dataclass
class Saved:
    """What came of the change: true when it was committed; `error` is the refusal (`conflict` when it was a stale
    edit), for views that flash it or answer with its status instead of only re-showing the form."""

    ok: bool = False
    conflict: StaleEdit | None = None
    error: ValidationError | None = None

    @property
    def status(self) -> int:
        """The status to re-show the refused form with: the refusal's own (429 over a posting limit), else 200."""
        return self.error.status if self.error else 200

    @property
    def reason(self) -> str:
        """The refusal's message, for a view that flashes it and redirects rather than re-showing a form."""
        return self.error.message if self.error else ""

    def __bool__(self) -> bool:
        return self.ok


@contextmanager
def saving(db: Session, form: BaseForm) -> Iterator[Saved]:
    """Commit what the block changed; on a rule broken (ValidationError) or a conflict, roll back and tell the form."""
    saved = Saved()
    try:
        yield saved
    except StaleDataError:
        db.rollback()
        saved.conflict = saved.error = StaleEdit(None, CONCURRENT_SAVE)
        form.attach(saved.conflict)
    except StaleEdit as conflict:
        db.rollback()
        saved.conflict = saved.error = conflict
        form.attach(conflict)
    except ValidationError as error:
        db.rollback()
        saved.error = error
        form.attach(error)
    else:
        db.commit()
        saved.ok = True
