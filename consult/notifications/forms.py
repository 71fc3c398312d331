"""Notification settings."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import HiddenField, RadioField, SubmitField
from wtforms.validators import AnyOf, InputRequired

from consult.forms import BaseForm, id_field
from consult.notifications.models import DecisionEmailMode, EmailMode, TargetType


class SettingsForm(BaseForm):
    decision_email = RadioField(
        "Decisions about your contributions",
        description="When a facilitator hides or restores your comment, accepts or rejects your statement, decides "
        "your request to join a group, answers your issue or resolves your review comment, and when your "
        "department's proposal moves on.",
        choices=DecisionEmailMode.choices(),
        widget=GovRadioInput(),
        validators=[InputRequired("Select how we should email you about decisions on your contributions")],
    )
    notification_email = RadioField(
        "Everything else",
        description="Replies, mentions, new threads and meetings in what you follow, published meeting notes, and "
        "for facilitators the reports, requests and proposals waiting in their queues.",
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
