"""Statement and vote forms."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import HiddenField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import AnyOf, InputRequired, Optional
from wtforms.validators import ValidationError as FieldError

from consult.agreement.models import MediationResult, OutcomeKind
from consult.clock import LONDON
from consult.forms import BaseForm, WebUrl, text_field
from consult.posting.forms import SubmissionTokenField


def _day(moment: datetime) -> str:
    """A meeting's day as pages show it (21 November 2026), in UK time."""
    local = moment.astimezone(LONDON)
    return f"{local.day} {local:%B %Y}"


class CitedField(SelectField):
    """A pick from the listed evidence; anything else (a tampered value) is refused beside the field."""

    def pre_validate(self, form: Any) -> None:
        if self.data not in {value for value, _label in self.choices}:
            raise FieldError("Choose meeting notes or a thread from the list")


class StatementForm(BaseForm):
    text = text_field(
        "Statement",
        hint="One short proposition people can agree or disagree with. 400 characters at most.",
        textarea=True,
        required="Enter the statement",
        max_length=400,
    )
    submission_token = SubmissionTokenField()
    submit = SubmitField("Add statement", widget=GovSubmitInput())


class VoteForm(BaseForm):
    reason = text_field("Why? (optional)", noun="Reason", max_length=280)
    #: Set by the pressed button and the page the vote was cast on (agreement/_vote.html), not rendered from here.
    value = HiddenField()
    next = HiddenField()


class DecisionForm(BaseForm):
    """A facilitator's Accept or Reject button on a proposed statement (the button's value is `decision`)."""

    decision = HiddenField(validators=[AnyOf(["accept", "reject"])])
    reason = text_field("Reason (published; needed to reject)", noun="Reason", max_length=500)


class OutcomeForm(BaseForm):
    kind = RadioField(
        "Outcome",
        choices=OutcomeKind.choices(),
        widget=GovRadioInput(),
        validators=[InputRequired("Select the outcome")],
    )
    summary = text_field(
        "Summary note", noun="Summary", textarea=True, required="Write a summary note", max_length=5000
    )
    caveats = text_field("Caveats (for agreed with caveats)", noun="Caveats", textarea=True, max_length=5000)
    options = text_field("Options, one per line (for options)", noun="Options", textarea=True, max_length=5000)
    reasons_for = text_field(
        "Reasons of those who agree (for disagreement noted)", noun="Reasons", textarea=True, max_length=5000
    )
    reasons_against = text_field("Reasons of those who disagree", noun="Reasons", textarea=True, max_length=5000)
    # Other evidence, needed below the process's minimum votes and sectors: the choices (one meeting's published
    # notes or one thread of the process, never a typed id) are set by the view (basis_choices).
    basis = CitedField(
        "Meeting notes or thread cited",
        choices=[("", "None")],
        default="",
        widget=GovSelect(),
    )
    basis_reason = text_field(
        "Why this evidence supports the outcome (published)",
        noun="Reason",
        textarea=True,
        max_length=2000,
    )
    submit = SubmitField("Record outcome", widget=GovSubmitInput())

    def set_basis_choices(self, meetings: list[Any], threads: list[Any]) -> None:
        """What may be cited: published meeting notes and visible threads of the process (agreement.queries)."""
        self.basis.choices = [
            ("", "None"),
            *((f"meeting-{m.id}", f"Meeting notes: {m.title} ({_day(m.starts_at)})") for m in meetings),
            *((f"thread-{t.id}", f"Thread: {t.public_title}") for t in threads),
        ]

    def service_data(self) -> dict[str, Any]:
        """The cited choice as the service takes it: a meeting id or a thread id."""
        data = super().service_data()
        kind, _, number = (data.pop("basis") or "").partition("-")
        data["basis_meeting_id"] = int(number) if kind == "meeting" else None
        data["basis_thread_id"] = int(number) if kind == "thread" else None
        return data


class FlagForm(BaseForm):
    reason = text_field("Why does this statement need mediation?", noun="Reason", required="Say why", max_length=500)
    submit = SubmitField("Ask for mediation", widget=GovSubmitInput())


class MediationForm(BaseForm):
    parties = text_field(
        "Who is taking part (organisations or sides, not published with names)",
        noun="Parties",
        textarea=True,
        required="Describe the parties",
        max_length=1000,
    )
    meeting_url = StringField(
        "Meeting link (optional)",
        widget=GovTextInput(),
        validators=[Optional(), WebUrl()],
    )
    notes = text_field("Notes", textarea=True, max_length=20000)
    submit = SubmitField("Open mediation", widget=GovSubmitInput())


class CloseMediationForm(BaseForm):
    result = RadioField(
        "Result",
        choices=[(r.value, r.label) for r in MediationResult if r != MediationResult.OPEN],
        widget=GovRadioInput(),
        validators=[InputRequired("Choose how the mediation ended")],
    )
    notes = text_field(
        "Notes (published without attribution)",
        noun="Notes",
        textarea=True,
        required="Write the notes",
        max_length=20000,
    )
    new_statement = text_field("The reframed statement (if reframed)", noun="Statement", textarea=True, max_length=400)
    submit = SubmitField("Record result", widget=GovSubmitInput())
