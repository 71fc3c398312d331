"""Proposal forms: every field optional while drafting; the statutory checklist decides readiness."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import InputRequired, NumberRange, Optional

from consult.forms import BaseForm, DateInput, VersionedForm, WebUrl, text_field
from consult.objectives.fields import FIELDS
from consult.objectives.models import Consultee, Criterion, GroupView, Recommendation

LONG_MAX = 20000


def _build_fields() -> dict:
    built = {}
    for field in FIELDS:
        if field.kind == "text":
            built[field.key] = text_field(field.label, max_length=200 if field.key == "title" else 500)
        elif field.kind == "long":
            built[field.key] = text_field(field.label, textarea=True, max_length=LONG_MAX)
        elif field.kind == "choice":
            built[field.key] = RadioField(
                field.label, choices=list(field.choices.items()), widget=GovRadioInput(), validators=[Optional()]
            )
        elif field.kind == "choices":
            built[field.key] = SelectMultipleField(
                field.label, choices=list(field.choices.items()), widget=GovCheckboxesInput(), validators=[Optional()]
            )
        else:  # persons: choices are the Schedule 4 reference list, set by the view
            built[field.key] = SelectMultipleField(
                field.label, choices=[], widget=GovCheckboxesInput(), validators=[Optional()]
            )
    return built


ProposalFormBase = type("ProposalFormBase", (VersionedForm,), _build_fields())


class ProposalForm(ProposalFormBase):  # type: ignore[misc, valid-type]
    change_note = text_field(
        "What changed in this version?",
        noun="Change note",
        hint="Published with the new version.",
        textarea=True,
        max_length=1000,
    )
    submit = SubmitField("Save", widget=GovSubmitInput())
    non_data_fields = VersionedForm.non_data_fields | {"change_note"}


class NewProposalForm(BaseForm):
    title = text_field("Title of the proposed objective", noun="Title", required="Enter a title", max_length=200)
    submit = SubmitField("Start a draft", widget=GovSubmitInput())


class TransitionForm(BaseForm):
    """One lifecycle move: which (a hidden value from the move's button), why, and what that move must record."""

    target = HiddenField()
    reason = text_field(
        "Reason", hint="Published in the audit log.", textarea=True, required="Give a reason", max_length=2000
    )
    response_url = StringField(
        "Link to the published government response",
        description="For example https://www.gov.uk/government/consultations/…",
        widget=GovTextInput(),
        validators=[Optional(), WebUrl()],
    )
    si_number = text_field("SI number", hint="For example 2027/123", max_length=40)
    in_force_on = DateField("Date in force", widget=DateInput(), format="%d %m %Y", validators=[Optional()])
    #: "yes" once the person has seen the "are you sure?" page of a move that needs it (lifecycle.NEEDS_CONFIRMATION).
    confirmed = HiddenField()
    submit = SubmitField("Change status", widget=GovSubmitInput())
    non_data_fields = BaseForm.non_data_fields | {"confirmed"}

    def offer_response_link(self, allowed: bool) -> None:
        """Only the link's owners get the field (objectives.permissions.can_set_response_link); others' is dropped."""
        if not allowed:
            del self.response_url


class LinkProcessForm(BaseForm):
    process_slug = text_field(
        "Web address of the process",
        noun="Web address",
        hint="For example water-poverty-data-sharing",
        required="Enter the process's web address",
        max_length=80,
    )
    submit = SubmitField("Link process", widget=GovSubmitInput())


class AssessmentForm(BaseForm):
    criterion = RadioField(
        "Condition",
        choices=Criterion.choices(),
        widget=GovRadioInput(),
        validators=[InputRequired("Select a condition")],
    )
    view = RadioField(
        "The working group's view",
        choices=GroupView.choices(),
        widget=GovRadioInput(),
        validators=[InputRequired("Select the group's view")],
    )
    evidence_thread_id = IntegerField(
        "Thread number with the evidence (optional)",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=1, message="Enter a thread number")],
    )
    note = text_field("Note", textarea=True, required="Summarise the group's view", max_length=5000)
    submit = SubmitField("Record view", widget=GovSubmitInput())


class RecommendationForm(BaseForm):
    recommendation = RadioField(
        "Recommendation",
        choices=Recommendation.choices(),
        widget=GovRadioInput(),
        validators=[InputRequired("Select a recommendation")],
    )
    reasons = text_field("Reasons", textarea=True, required="Give your reasons", max_length=5000)
    submit = SubmitField("Record recommendation", widget=GovSubmitInput())


class ConsulteeForm(BaseForm):
    consultee = RadioField(
        "Consultee",
        choices=Consultee.choices(),
        widget=GovRadioInput(),
        validators=[InputRequired("Select the consultee")],
    )
    consulted_on = DateField(
        "Date consulted",
        widget=DateInput(),
        format="%d %m %Y",
        validators=[InputRequired("Enter the date consulted")],
    )
    reply = text_field("Their reply (optional)", noun="Reply", textarea=True, max_length=20000)
    replied_on = DateField("Date of reply (optional)", widget=DateInput(), format="%d %m %Y", validators=[Optional()])
    submit = SubmitField("Record", widget=GovSubmitInput())
