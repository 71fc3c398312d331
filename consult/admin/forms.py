"""Admin forms."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import HiddenField, RadioField, SubmitField
from wtforms.validators import AnyOf, InputRequired

from consult.accounts.models import ROLE_LABELS, Role
from consult.forms import BaseForm

ASSIGNABLE_ROLES = [(role.value, label) for role, label in ROLE_LABELS.items() if role != Role.PARTICIPANT]


class RoleForm(BaseForm):
    role = RadioField(
        "Role", choices=ASSIGNABLE_ROLES, widget=GovRadioInput(), validators=[InputRequired("Select a role")]
    )
    action = HiddenField(validators=[AnyOf(["grant", "revoke"])])
    submit = SubmitField("Save", widget=GovSubmitInput())


class DecisionForm(BaseForm):
    decision = HiddenField(validators=[AnyOf(["approve", "reject"])])
    submit = SubmitField("Save", widget=GovSubmitInput())


class DisableForm(BaseForm):
    disabled = HiddenField(validators=[AnyOf(["yes", "no"])])
    submit = SubmitField("Save", widget=GovSubmitInput())
