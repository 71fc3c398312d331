"""Pickers that link a statement to its sources (never a typed id), and the propose-from-a-comment form."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput
from wtforms import IntegerField, Label, RadioField, SelectField, SubmitField
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import HiddenInput

from consult.agreement.forms import StatementForm
from consult.db import MAX_ID
from consult.forms import BaseForm, QueryForm


def to_id(value: Any) -> int | None:
    """A picked id as a number; anything else is None, which the service refuses beside the picker."""
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isascii() and text.isdigit() and 0 < len(text) < 11 and int(text) <= MAX_ID else None


LABELS = {"thread": "Thread", "issue": "Issue raised", "comment": "Comment", "meeting": "Meeting"}


class SourceForm(BaseForm):
    """One picker of `kind` (a thread, issue, comment or meeting); the view fills the choices from the process.

    Several pickers share the statement page, so each takes ids of its own (for labels and the error summary).
    """

    target = SelectField("", choices=[], coerce=to_id, validate_choice=False, widget=GovSelect())
    submit = SubmitField("Link", widget=GovSubmitInput())

    def __init__(self, kind: str = "thread", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kind = kind
        self.target.id = f"{kind}-target"
        self.target.label = Label(self.target.id, LABELS[kind])
        self.submit.id = f"{kind}-submit"

    def validate_target(self, field: SelectField) -> None:
        if field.data is None:
            field.errors.append(f"Choose {'an' if self.kind == 'issue' else 'a'} {LABELS[self.kind].lower()}")


class CommentSourceForm(SourceForm):
    """The comment picker lists a chosen thread's newest comments as radios."""

    target = RadioField("", choices=[], coerce=to_id, validate_choice=False, widget=GovRadioInput())


class CommentThreadForm(QueryForm):
    """Step one of picking a comment: whose thread's comments to list (a GET, so it works without JavaScript)."""

    thread = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)])


class CommentQueryForm(QueryForm):
    """The comment a "Propose as a statement" link starts from (?comment=<id>)."""

    comment = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)])


class RemoveSourceForm(BaseForm):
    submit = SubmitField("Remove", widget=GovSubmitInput())


class ProposeFromCommentForm(StatementForm):
    """The propose form, carrying the comment the statement comes from; the service checks it again."""

    comment_id = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=1, max=MAX_ID)])
    submit = SubmitField("Propose statement", widget=GovSubmitInput())
