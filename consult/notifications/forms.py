"""Notification settings."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import HiddenField, RadioField, SubmitField
from wtforms.validators import AnyOf, InputRequired

from consult.forms import BaseForm, id_field
from consult.notifications.models import EmailMode, TargetType


class SettingsForm(BaseForm):
    notification_email = RadioField(
        "How should we email you about notifications?",
        choices=EmailMode.choices(),
        widget=GovRadioInput(),
        validators=[InputRequired("Select how often we should email you")],
    )
    submit = SubmitField("Save settings", widget=GovSubmitInput())


class FollowForm(BaseForm):
    """The hidden fields of a follow button (notifications/_follow.html)."""

    target_type = HiddenField(validators=[AnyOf([t.value for t in TargetType])])
    target_id = id_field()
    action = HiddenField()
    next = HiddenField()
