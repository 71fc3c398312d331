"""Forms for processes, stages, working groups and joining."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import DateField, HiddenField, RadioField, StringField, SubmitField
from wtforms.validators import AnyOf, InputRequired, NumberRange

from consult.accounts.models import Sector
from consult.forms import BaseForm, DateInput, WholeNumberField, text_field
from consult.processes.models import DEFAULT_OUTCOME_MIN_SECTORS, DEFAULT_OUTCOME_MIN_VOTES, StageKind

MAX_MIN_VOTES = 100_000

SLUG_HINT = "Lower-case letters, numbers and hyphens, for example water-poverty-2027. It cannot be changed later."


def slug_field() -> StringField:
    """The web address of a process or group, fixed once chosen."""
    return text_field("Web address", hint=SLUG_HINT, required="Enter a web address", max_length=80)


class ProcessForm(BaseForm):
    title = text_field("Title", required="Enter a title", max_length=200)
    slug = slug_field()
    summary = text_field(
        "Summary",
        hint="What the process is for and who should take part. You can use Markdown.",
        textarea=True,
        required="Enter a summary",
        max_length=20000,
    )
    principles = text_field(
        "Principles it runs under",
        noun="Principles",
        hint="For example transparency, accessibility, collaboration and independence. Markdown.",
        textarea=True,
        max_length=20000,
    )
    objectives_concerned = text_field(
        "Objectives it concerns",
        noun="Objectives",
        hint="The proposed or existing objectives this process considers.",
        textarea=True,
        max_length=5000,
    )
    # The evidence a finding needs before it can rest on the votes alone (processes.models explains the defaults).
    outcome_min_votes = WholeNumberField(
        "Votes a finding needs",
        description="“Agreed”, “agreed with caveats” and “disagreement noted” need at least this many votes (passes "
        "count) before they can rest on the votes alone. Below it, the facilitator cites a meeting's notes or a "
        f"thread and says why. Suggested: {DEFAULT_OUTCOME_MIN_VOTES}.",
        widget=GovTextInput(),
        default=DEFAULT_OUTCOME_MIN_VOTES,
        required="Enter the number of votes a finding needs",
        invalid="Votes a finding needs must be a whole number, like 10",
        validators=[
            NumberRange(
                min=1, max=MAX_MIN_VOTES, message=f"Votes a finding needs must be between 1 and {MAX_MIN_VOTES:,}"
            ),
        ],
    )
    outcome_min_sectors = WholeNumberField(
        "Sectors a finding needs",
        description=f"How many of the {len(Sector)} declared sectors those votes must come from. Use 0 only where "
        f"voters declared no sector (for example a conversation imported from Polis). Suggested: "
        f"{DEFAULT_OUTCOME_MIN_SECTORS}.",
        widget=GovTextInput(),
        default=DEFAULT_OUTCOME_MIN_SECTORS,
        required="Enter the number of sectors a finding needs",
        invalid="Sectors a finding needs must be a whole number, like 3",
        validators=[
            NumberRange(min=0, max=len(Sector), message=f"Sectors a finding needs must be between 0 and {len(Sector)}"),
        ],
    )
    submit = SubmitField("Save process", widget=GovSubmitInput())


class EditProcessForm(ProcessForm):
    slug = None  # type: ignore[assignment]


class StageForm(BaseForm):
    kind = RadioField(
        "Stage",
        choices=StageKind.choices(),
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
    description = text_field("What happens in this stage (optional)", noun="Description", max_length=500)
    submit = SubmitField("Add stage", widget=GovSubmitInput())


class GroupForm(BaseForm):
    name = text_field("Name", required="Enter a name", max_length=200)
    slug = slug_field()
    remit = text_field(
        "Remit",
        hint="What the group will work on. Markdown.",
        textarea=True,
        required="Enter a remit",
        max_length=20000,
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
    declared_interests = text_field(
        "Interests to declare (optional)",
        noun="Interests",
        hint="For example, funding or roles that others should know about when reading what you write.",
        textarea=True,
        max_length=1000,
    )
    submit = SubmitField("Join group", widget=GovSubmitInput())


class MembershipDecisionForm(BaseForm):
    """A facilitator's "Let in" or "Turn down" button: the choice is parsed, and CSRF checked, like any form."""

    decision = HiddenField(validators=[AnyOf(["approve", "reject"])])

    @property
    def approves(self) -> bool:
        return self.decision.data == "approve"
