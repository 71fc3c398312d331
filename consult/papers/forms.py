"""Paper forms: shape only (the rules are in services)."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange
from wtforms.widgets import HiddenInput

from consult.forms import BaseForm, VersionedForm, text_field
from consult.papers.models import PaperStatus
from consult.posting.forms import SubmissionTokenField


class NewPaperForm(BaseForm):
    title = text_field("Title", required="Enter a title", max_length=200)
    summary = text_field(
        "Summary (optional)",
        noun="Summary",
        hint="A few sentences for the top of the paper. You can change it later.",
        textarea=True,
        max_length=5000,
    )
    proposal_id = SelectField(
        "What is the paper about?",
        description="A paper can cover the whole process or one proposed objective it discussed.",
        widget=GovSelect(),
        choices=[],
        coerce=lambda value: int(value) if value else None,
        validate_choice=True,
    )
    submit = SubmitField("Generate a draft from the ledger", widget=GovSubmitInput())


class EditPaperForm(VersionedForm):
    title = text_field("Title", required="Enter a title", max_length=200)
    summary = text_field("Summary", textarea=True, max_length=5000)
    body = TextAreaField(
        "Text",
        description="Markdown. Start a section with ## and a heading. A line such as [[finding:12]] shows that "
        "finding with its figures and evidence; keep it to keep the link.",
        widget=GovTextArea(),
        validators=[InputRequired("Enter the text of the paper")],
    )
    change_note = text_field(
        "What did you change?",
        noun="Change note",
        hint="Shown in the list of versions.",
        required="Say what you changed",
        max_length=500,
    )
    submit = SubmitField("Save a new version", widget=GovSubmitInput())


class StatusForm(BaseForm):
    target = RadioField(
        "Move the paper to",
        widget=GovRadioInput(),
        choices=[],
        validators=[InputRequired("Choose where to move the paper")],
    )
    note = text_field("Note (public)", noun="Note", max_length=1000)
    submit = SubmitField("Change status", widget=GovSubmitInput())

    def set_targets(self, targets: list[PaperStatus]) -> None:
        self.target.choices = [
            (t.value, "Start a new version" if t == PaperStatus.DRAFTING else t.label) for t in targets
        ]


class PublishForm(BaseForm):
    confirm = BooleanField(
        "Publish even though some review comments are still open",
        widget=GovCheckboxInput(),
    )
    note = text_field("Note (public)", noun="Note", max_length=1000)
    submit = SubmitField("Publish this version", widget=GovSubmitInput())


class CommentForm(BaseForm):
    paragraph = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=0)])
    body = text_field(
        "Your comment on this paragraph",
        noun="Comment",
        textarea=True,
        required="Enter your comment",
        max_length=5000,
    )
    submission_token = SubmissionTokenField()
    submit = SubmitField("Add comment", widget=GovSubmitInput())


class ReplyForm(BaseForm):
    body = text_field("Your reply", noun="Reply", textarea=True, required="Enter your reply", max_length=5000)
    submission_token = SubmissionTokenField()
    submit = SubmitField("Reply", widget=GovSubmitInput())


class ResolveForm(BaseForm):
    note = text_field(
        "What was done about it? (public)",
        noun="Note",
        required="Say what was done about the comment",
        max_length=500,
    )
    submit = SubmitField("Resolve", widget=GovSubmitInput())


class NamingForm(BaseForm):
    """The "Name my organisation" / "Do not name" button: consent is "yes" or anything else (no)."""

    consent = HiddenField()

    @property
    def agrees(self) -> bool:
        return self.consent.data == "yes"
