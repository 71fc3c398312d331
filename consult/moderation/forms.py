"""Moderation forms: a reason is always required, because every action is published."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import HiddenField, IntegerField, StringField, SubmitField
from wtforms.validators import NumberRange, Optional

from consult.discussions.models import HIDDEN_REASON_MAX
from consult.forms import BaseForm, text_field


def reason_field(label: str, hint: str, *, max_length: int = 1000) -> StringField:
    return text_field(label, noun="Reason", hint=hint, textarea=True, required="Enter a reason", max_length=max_length)


class ReportForm(BaseForm):
    reason = reason_field(
        "Why are you reporting this comment?",
        "Say which part of the code of conduct it breaks. Only facilitators see your report.",
    )
    submit = SubmitField("Send report", widget=GovSubmitInput())


class ModerateForm(BaseForm):
    # The button pressed (hide, restore, dismiss); the view answers 400 to any other.
    action = HiddenField()
    # The reason is kept with the hidden comment or thread (HIDDEN_REASON_MAX characters).
    reason = reason_field(
        "Public reason",
        "Shown in place of what is hidden and in the public moderation log.",
        max_length=HIDDEN_REASON_MAX,
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class BlockForm(BaseForm):
    # The button pressed: "unblock" lifts the block; anything else blocks.
    action = HiddenField()
    days = IntegerField(
        "For how many days?",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=1, max=365, message="Enter a number of days between 1 and 365")],
    )
    reason = reason_field("Public reason", "Shown in the public moderation log.")
    submit = SubmitField("Block from this group", widget=GovSubmitInput())
