"""Statement and vote forms."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import HiddenField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from consult.agreement.models import MediationResult, OutcomeKind
from consult.forms import BaseForm, WebUrl
from consult.posting.forms import SubmissionTokenField


class StatementForm(BaseForm):
    text = TextAreaField(
        "Statement",
        description="One short proposition people can agree or disagree with. 400 characters at most.",
        widget=GovTextArea(),
        validators=[
            InputRequired("Enter the statement"),
            Length(max=400, message="Statement must be 400 characters or fewer"),
        ],
    )
    submission_token = SubmissionTokenField()
    submit = SubmitField("Add statement", widget=GovSubmitInput())


class VoteForm(BaseForm):
    reason = StringField(
        "Why? (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=280, message="Reason must be 280 characters or fewer")],
    )
    #: Set by the pressed button and the page the vote was cast on (agreement/_vote.html), not rendered from here.
    value = HiddenField()
    next = HiddenField()


class DecisionForm(BaseForm):
    """A facilitator's Accept or Reject button on a proposed statement (the button's value is `decision`)."""

    decision = HiddenField(validators=[AnyOf(["accept", "reject"])])
    reason = StringField(
        "Reason (published; needed to reject)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=500, message="Reason must be 500 characters or fewer")],
    )


class OutcomeForm(BaseForm):
    kind = RadioField(
        "Outcome",
        choices=[(k.value, k.label) for k in OutcomeKind],
        widget=GovRadioInput(),
        validators=[InputRequired("Select the outcome")],
    )
    summary = TextAreaField(
        "Summary note",
        widget=GovTextArea(),
        validators=[
            InputRequired("Write a summary note"),
            Length(max=5000, message="Summary must be 5,000 characters or fewer"),
        ],
    )
    caveats = TextAreaField(
        "Caveats (for agreed with caveats)",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=5000, message="Caveats must be 5,000 characters or fewer")],
    )
    options = TextAreaField(
        "Options, one per line (for options)",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=5000, message="Options must be 5,000 characters or fewer")],
    )
    reasons_for = TextAreaField(
        "Reasons of those who agree (for disagreement noted)",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=5000, message="Reasons must be 5,000 characters or fewer")],
    )
    reasons_against = TextAreaField(
        "Reasons of those who disagree",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=5000, message="Reasons must be 5,000 characters or fewer")],
    )
    submit = SubmitField("Record outcome", widget=GovSubmitInput())


class FlagForm(BaseForm):
    reason = StringField(
        "Why does this statement need mediation?",
        widget=GovTextInput(),
        validators=[InputRequired("Say why"), Length(max=500, message="Reason must be 500 characters or fewer")],
    )
    submit = SubmitField("Ask for mediation", widget=GovSubmitInput())


class MediationForm(BaseForm):
    parties = TextAreaField(
        "Who is taking part (organisations or sides, not published with names)",
        widget=GovTextArea(),
        validators=[
            InputRequired("Describe the parties"),
            Length(max=1000, message="Parties must be 1,000 characters or fewer"),
        ],
    )
    meeting_url = StringField(
        "Meeting link (optional)",
        widget=GovTextInput(),
        validators=[Optional(), WebUrl()],
    )
    notes = TextAreaField(
        "Notes",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=20000, message="Notes must be 20,000 characters or fewer")],
    )
    submit = SubmitField("Open mediation", widget=GovSubmitInput())


class CloseMediationForm(BaseForm):
    result = RadioField(
        "Result",
        choices=[(r.value, r.label) for r in MediationResult if r != MediationResult.OPEN],
        widget=GovRadioInput(),
        validators=[InputRequired("Choose how the mediation ended")],
    )
    notes = TextAreaField(
        "Notes (published without attribution)",
        widget=GovTextArea(),
        validators=[
            InputRequired("Write the notes"),
            Length(max=20000, message="Notes must be 20,000 characters or fewer"),
        ],
    )
    new_statement = TextAreaField(
        "The reframed statement (if reframed)",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=400, message="Statement must be 400 characters or fewer")],
    )
    submit = SubmitField("Record result", widget=GovSubmitInput())
