"""Forms for processes, stages, working groups and joining."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import DateField, HiddenField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from consult.forms import BaseForm, DateInput
from consult.processes.models import STAGE_LABELS

SLUG_HINT = "Lower-case letters, numbers and hyphens, for example water-poverty-2027. It cannot be changed later."


class ProcessForm(BaseForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[InputRequired("Enter a title"), Length(max=200, message="Title must be 200 characters or fewer")],
    )
    slug = StringField(
        "Web address",
        description=SLUG_HINT,
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter a web address"),
            Length(max=80, message="Web address must be 80 characters or fewer"),
        ],
    )
    summary = TextAreaField(
        "Summary",
        description="What the process is for and who should take part. You can use Markdown.",
        widget=GovTextArea(),
        validators=[
            InputRequired("Enter a summary"),
            Length(max=20000, message="Summary must be 20,000 characters or fewer"),
        ],
    )
    principles = TextAreaField(
        "Principles it runs under",
        description="For example transparency, accessibility, collaboration and independence. Markdown.",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=20000, message="Principles must be 20,000 characters or fewer")],
    )
    objectives_concerned = TextAreaField(
        "Objectives it concerns",
        description="The proposed or existing objectives this process considers.",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=5000, message="Objectives must be 5,000 characters or fewer")],
    )
    submit = SubmitField("Save process", widget=GovSubmitInput())


class EditProcessForm(ProcessForm):
    slug = None  # type: ignore[assignment]


class StageForm(BaseForm):
    kind = RadioField(
        "Stage",
        choices=[(kind.value, label) for kind, label in STAGE_LABELS.items()],
        widget=GovRadioInput(),
        validators=[InputRequired("Select a stage")],
    )
    starts_on = DateField(
        "Start date",
        description="For example, 27 3 2027",
        widget=DateInput(),
        format="%d %m %Y",
        validators=[InputRequired("Enter a start date")],
    )
    ends_on = DateField(
        "End date",
        description="For example, 30 6 2027",
        widget=DateInput(),
        format="%d %m %Y",
        validators=[InputRequired("Enter an end date")],
    )
    description = StringField(
        "What happens in this stage (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=500, message="Description must be 500 characters or fewer")],
    )
    submit = SubmitField("Add stage", widget=GovSubmitInput())


class GroupForm(BaseForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[InputRequired("Enter a name"), Length(max=200, message="Name must be 200 characters or fewer")],
    )
    slug = StringField(
        "Web address",
        description=SLUG_HINT,
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter a web address"),
            Length(max=80, message="Web address must be 80 characters or fewer"),
        ],
    )
    remit = TextAreaField(
        "Remit",
        description="What the group will work on. Markdown.",
        widget=GovTextArea(),
        validators=[
            InputRequired("Enter a remit"),
            Length(max=20000, message="Remit must be 20,000 characters or fewer"),
        ],
    )
    join_policy = RadioField(
        "Who can join",
        choices=[("open", "Anyone with a confirmed account"), ("request", "People who ask, once a facilitator agrees")],
        widget=GovRadioInput(),
        default="open",
        validators=[InputRequired("Select who can join")],
    )
    submit = SubmitField("Create group", widget=GovSubmitInput())


class JoinForm(BaseForm):
    declared_interests = TextAreaField(
        "Interests to declare (optional)",
        description="For example, funding or roles that others should know about when reading what you write.",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=1000, message="Interests must be 1,000 characters or fewer")],
    )
    submit = SubmitField("Join group", widget=GovSubmitInput())


class MembershipDecisionForm(BaseForm):
    """A facilitator's "Let in" or "Turn down" button: the choice is parsed, and CSRF checked, like any form."""

    decision = HiddenField(validators=[AnyOf(["approve", "reject"])])

    @property
    def approves(self) -> bool:
        return self.decision.data == "approve"
