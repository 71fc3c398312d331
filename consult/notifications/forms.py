"""Notification settings."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired

from consult.forms import BaseForm
from consult.notifications.models import EmailMode


class SettingsForm(BaseForm):
    notification_email = RadioField(
        "How should we email you about notifications?",
        choices=[(mode.value, mode.label) for mode in EmailMode],
        widget=GovRadioInput(),
        validators=[InputRequired("Select how often we should email you")],
    )
    submit = SubmitField("Save settings", widget=GovSubmitInput())
