"""Proposal forms: every field optional while drafting; the statutory checklist decides readiness."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from consult.forms import BaseForm, DateInput, VersionedForm, WebUrl
from consult.objectives.fields import FIELDS
from consult.objectives.lifecycle import Status
from consult.objectives.models import Consultee, Criterion, GroupView, Recommendation

LONG_MAX = 20000


def _length(label: str, limit: int) -> Length:
    return Length(max=limit, message=f"{label} must be {limit:,} characters or fewer")


def _build_fields() -> dict:
    built = {}
    for field in FIELDS:
        if field.kind == "text":
            limit = 200 if field.key == "title" else 500
            built[field.key] = StringField(
                field.label, widget=GovTextInput(), validators=[Optional(), _length(field.label, limit)]
            )
        elif field.kind == "long":
            built[field.key] = TextAreaField(
                field.label, widget=GovTextArea(), validators=[Optional(), _length(field.label, LONG_MAX)]
            )
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
    change_note = TextAreaField(
        "What changed in this version?",
        description="Published with the new version.",
        widget=GovTextArea(),
        validators=[Optional(), _length("Change note", 1000)],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())
    non_data_fields = VersionedForm.non_data_fields | {"change_note"}


class NewProposalForm(BaseForm):
    title = StringField(
        "Title of the proposed objective",
        widget=GovTextInput(),
        validators=[InputRequired("Enter a title"), _length("Title", 200)],
    )
    submit = SubmitField("Start a draft", widget=GovSubmitInput())


class TransitionForm(BaseForm):
    target = SelectField(
        "Move to", choices=[], widget=GovSelect(), validators=[InputRequired("Choose where to move it")]
    )
    reason = TextAreaField(
        "Reason",
        description="Published in the audit log.",
        widget=GovTextArea(),
        validators=[InputRequired("Give a reason"), _length("Reason", 2000)],
    )
    response_url = StringField(
        "Link to the published government response (when publishing it)",
        description="For example https://www.gov.uk/government/consultations/…",
        widget=GovTextInput(),
        validators=[Optional(), WebUrl()],
    )
    si_number = StringField(
        "SI number (when in force)",
        description="For example 2027/123",
        widget=GovTextInput(),
        validators=[Optional(), _length("SI number", 40)],
    )
    in_force_on = DateField("Date in force", widget=DateInput(), format="%d %m %Y", validators=[Optional()])
    submit = SubmitField("Change status", widget=GovSubmitInput())

    def set_targets(self, targets: list[Status]) -> None:
        self.target.choices = [(status.value, status.label) for status in targets]

    def offer_response_link(self, allowed: bool) -> None:
        """Only the link's owners get the field (objectives.permissions.can_set_response_link); others' is dropped."""
        if not allowed:
            del self.response_url


class LinkProcessForm(BaseForm):
    process_slug = StringField(
        "Web address of the process",
        description="For example water-poverty-data-sharing",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the process's web address"), _length("Web address", 80)],
    )
    submit = SubmitField("Link process", widget=GovSubmitInput())


class AssessmentForm(BaseForm):
    criterion = RadioField(
        "Condition",
        choices=[(c.value, c.label) for c in Criterion],
        widget=GovRadioInput(),
        validators=[InputRequired("Select a condition")],
    )
    view = RadioField(
        "The working group's view",
        choices=[(v.value, v.label) for v in GroupView],
        widget=GovRadioInput(),
        validators=[InputRequired("Select the group's view")],
    )
    evidence_thread_id = IntegerField(
        "Thread number with the evidence (optional)",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=1, message="Enter a thread number")],
    )
    note = TextAreaField(
        "Note", widget=GovTextArea(), validators=[InputRequired("Summarise the group's view"), _length("Note", 5000)]
    )
    submit = SubmitField("Record view", widget=GovSubmitInput())


class RecommendationForm(BaseForm):
    recommendation = RadioField(
        "Recommendation",
        choices=[(r.value, r.value.capitalize()) for r in Recommendation],
        widget=GovRadioInput(),
        validators=[InputRequired("Select a recommendation")],
    )
    reasons = TextAreaField(
        "Reasons", widget=GovTextArea(), validators=[InputRequired("Give your reasons"), _length("Reasons", 5000)]
    )
    submit = SubmitField("Record recommendation", widget=GovSubmitInput())


class ConsulteeForm(BaseForm):
    consultee = RadioField(
        "Consultee",
        choices=[(c.value, c.label) for c in Consultee],
        widget=GovRadioInput(),
        validators=[InputRequired("Select the consultee")],
    )
    consulted_on = DateField(
        "Date consulted",
        widget=DateInput(),
        format="%d %m %Y",
        validators=[InputRequired("Enter the date consulted")],
    )
    reply = TextAreaField(
        "Their reply (optional)", widget=GovTextArea(), validators=[Optional(), _length("Reply", 20000)]
    )
    replied_on = DateField("Date of reply (optional)", widget=DateInput(), format="%d %m %Y", validators=[Optional()])
    submit = SubmitField("Record", widget=GovSubmitInput())
