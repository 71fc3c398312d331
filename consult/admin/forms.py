"""Admin forms."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import HiddenField, RadioField, StringField, SubmitField
from wtforms.validators import AnyOf, InputRequired

from consult.accounts.models import Role
from consult.forms import BaseForm, PageForm

ASSIGNABLE_ROLES = [(value, label) for value, label in Role.choices() if value != Role.PARTICIPANT]


class RoleForm(BaseForm):
    role = RadioField(
        "Role", choices=ASSIGNABLE_ROLES, widget=GovRadioInput(), validators=[InputRequired("Select a role")]
    )
    action = HiddenField(validators=[AnyOf(["grant", "revoke"])])
    submit = SubmitField("Save", widget=GovSubmitInput())


class UserSearchForm(PageForm):
    """?q=&page= on the users list; the search text is cut to 200 characters rather than refused."""

    q = StringField(filters=[lambda text: (text or "")[:200]])


class DecisionForm(BaseForm):
    decision = HiddenField(validators=[AnyOf(["approve", "reject"])])
    submit = SubmitField("Save", widget=GovSubmitInput())


class DisableForm(BaseForm):
    disabled = HiddenField(validators=[AnyOf(["yes", "no"])])
    submit = SubmitField("Save", widget=GovSubmitInput())


class RetryJobForm(BaseForm):
    """Queue a failed job again (a button: the job is named in the URL)."""

    submit = SubmitField("Queue again", widget=GovSubmitInput())
