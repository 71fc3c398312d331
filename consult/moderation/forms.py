"""Moderation forms: a reason is always required, because every action is published."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import IntegerField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from consult.forms import BaseForm


def reason_field(label: str, hint: str) -> TextAreaField:
    return TextAreaField(
        label,
        description=hint,
        widget=GovTextArea(),
        validators=[
            InputRequired("Enter a reason"),
            Length(max=1000, message="Reason must be 1,000 characters or fewer"),
        ],
    )


class ReportForm(BaseForm):
    reason = reason_field(
        "Why are you reporting this comment?",
        "Say which part of the code of conduct it breaks. Only facilitators see your report.",
    )
    submit = SubmitField("Send report", widget=GovSubmitInput())


class ModerateForm(BaseForm):
    reason = reason_field("Public reason", "Shown in place of the comment and in the public moderation log.")
    submit = SubmitField("Save", widget=GovSubmitInput())


class BlockForm(BaseForm):
    days = IntegerField(
        "For how many days?",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=1, max=365, message="Enter a number of days between 1 and 365")],
    )
    reason = reason_field("Public reason", "Shown in the public moderation log.")
    submit = SubmitField("Block from this group", widget=GovSubmitInput())
