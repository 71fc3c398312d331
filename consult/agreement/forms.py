"""Statement and vote forms."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import HiddenField, RadioField, StringField, SubmitField
from wtforms.validators import AnyOf, InputRequired, Optional

from consult.agreement.models import MediationResult, OutcomeKind
from consult.forms import BaseForm, WebUrl, text_field
from consult.posting.forms import SubmissionTokenField


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
    submit = SubmitField("Record outcome", widget=GovSubmitInput())


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
