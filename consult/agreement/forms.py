"""Statement and vote forms."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from consult.forms import BaseForm


class StatementForm(BaseForm):
    text = TextAreaField(
        "Statement",
        description="One short proposition people can agree or disagree with. 400 characters at most.",
        widget=GovTextArea(),
        validators=[
            InputRequired("Enter the statement"),
            Length(max=400, message="Statement must be 400 characters or fewer"),
        ],
    )
    submit = SubmitField("Add statement", widget=GovSubmitInput())


class VoteForm(BaseForm):
    reason = StringField(
        "Why? (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=280, message="Reason must be 280 characters or fewer")],
    )


class DecisionForm(BaseForm):
    reason = StringField(
        "Reason (published; needed to reject)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=500, message="Reason must be 500 characters or fewer")],
    )
