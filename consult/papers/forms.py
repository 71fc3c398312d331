"""Paper forms: shape only (the rules are in services)."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from consult.forms import BaseForm
from consult.papers.models import PaperStatus
from consult.posting.forms import SubmissionTokenField


class NewPaperForm(BaseForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[InputRequired("Enter a title"), Length(max=200, message="Title must be 200 characters or fewer")],
    )
    summary = TextAreaField(
        "Summary (optional)",
        description="A few sentences for the top of the paper. You can change it later.",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=5000, message="Summary must be 5,000 characters or fewer")],
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


class EditPaperForm(BaseForm):
    non_data_fields = frozenset({"csrf_token", "submit", "base_version"})

    base_version = HiddenField()
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[InputRequired("Enter a title"), Length(max=200, message="Title must be 200 characters or fewer")],
    )
    summary = TextAreaField(
        "Summary",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=5000, message="Summary must be 5,000 characters or fewer")],
    )
    body = TextAreaField(
        "Text",
        description="Markdown. Start a section with ## and a heading. A line such as [[finding:12]] shows that "
        "finding with its figures and evidence; keep it to keep the link.",
        widget=GovTextArea(),
        validators=[InputRequired("Enter the text of the paper")],
    )
    change_note = StringField(
        "What did you change?",
        description="Shown in the list of versions.",
        widget=GovTextInput(),
        validators=[
            InputRequired("Say what you changed"),
            Length(max=500, message="Change note must be 500 characters or fewer"),
        ],
    )
    submit = SubmitField("Save a new version", widget=GovSubmitInput())


class StatusForm(BaseForm):
    target = RadioField(
        "Move the paper to",
        widget=GovRadioInput(),
        choices=[],
        validators=[InputRequired("Choose where to move the paper")],
    )
    note = StringField(
        "Note (public)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=1000, message="Note must be 1,000 characters or fewer")],
    )
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
    note = StringField(
        "Note (public)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=1000, message="Note must be 1,000 characters or fewer")],
    )
    submit = SubmitField("Publish this version", widget=GovSubmitInput())


class CommentForm(BaseForm):
    paragraph = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=0)])
    body = TextAreaField(
        "Your comment on this paragraph",
        widget=GovTextArea(),
        validators=[
            InputRequired("Enter your comment"),
            Length(max=5000, message="Comment must be 5,000 characters or fewer"),
        ],
    )
    submission_token = SubmissionTokenField()
    submit = SubmitField("Add comment", widget=GovSubmitInput())


class ReplyForm(BaseForm):
    body = TextAreaField(
        "Your reply",
        widget=GovTextArea(),
        validators=[
            InputRequired("Enter your reply"),
            Length(max=5000, message="Reply must be 5,000 characters or fewer"),
        ],
    )
    submission_token = SubmissionTokenField()
    submit = SubmitField("Reply", widget=GovSubmitInput())


class ResolveForm(BaseForm):
    note = StringField(
        "What was done about it? (public)",
        widget=GovTextInput(),
        validators=[
            InputRequired("Say what was done about the comment"),
            Length(max=500, message="Note must be 500 characters or fewer"),
        ],
    )
    submit = SubmitField("Resolve", widget=GovSubmitInput())


class NamingForm(BaseForm):
    """The "Name my organisation" / "Do not name" button: consent is "yes" or anything else (no)."""

    consent = HiddenField()

    @property
    def agrees(self) -> bool:
        return self.consent.data == "yes"
