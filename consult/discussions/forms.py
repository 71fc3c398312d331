"""Forms for threads, replies, edits, issue statuses and summaries."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import IntegerField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from consult.discussions.models import IssueStatus, Stance, ThreadKind
from consult.forms import BaseForm, VersionedForm
from consult.posting.forms import SubmissionTokenField

STANCE_CHOICES = [("", "No stance")] + [(stance.value, stance.label) for stance in Stance]
BODY_MAX = 20000


def body_field(label: str) -> TextAreaField:
    return TextAreaField(
        label,
        description="You can use Markdown: *emphasis*, **bold**, lists and links.",
        widget=GovTextArea(),
        validators=[
            InputRequired("Enter your comment"),
            Length(max=BODY_MAX, message="Comment must be 20,000 characters or fewer"),
        ],
    )


def stance_field() -> RadioField:
    return RadioField(
        "Your stance (optional)", choices=STANCE_CHOICES, default="", widget=GovRadioInput(), validators=[Optional()]
    )


class ThreadForm(BaseForm):
    kind = RadioField(
        "What kind of thread is this?",
        choices=[(kind.value, kind.label) for kind in ThreadKind],
        default="discussion",
        widget=GovRadioInput(),
        validators=[InputRequired("Select a kind of thread")],
    )
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[InputRequired("Enter a title"), Length(max=200, message="Title must be 200 characters or fewer")],
    )
    body = body_field("What do you want to say?")
    stance = stance_field()
    submission_token = SubmissionTokenField()
    submit = SubmitField("Start thread", widget=GovSubmitInput())


class ThreadTitleForm(BaseForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[InputRequired("Enter a title"), Length(max=200, message="Title must be 200 characters or fewer")],
    )
    reason = TextAreaField(
        "Public reason",
        description="You are changing someone else's title: say why. Shown in the public moderation log.",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=1000, message="Reason must be 1,000 characters or fewer")],
    )
    submit = SubmitField("Save title", widget=GovSubmitInput())


class ReplyForm(BaseForm):
    parent_id = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=1)])
    body = body_field("Your reply")
    stance = stance_field()
    submission_token = SubmissionTokenField()
    submit = SubmitField("Post reply", widget=GovSubmitInput())


class EditCommentForm(BaseForm):
    body = body_field("Comment")
    stance = stance_field()
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class IssueStatusForm(BaseForm):
    status = RadioField(
        "Status",
        choices=[(status.value, status.label) for status in IssueStatus],
        widget=GovRadioInput(),
        validators=[InputRequired("Select a status")],
    )
    note = TextAreaField(
        "Note",
        description="Why the status changed. Shown publicly.",
        widget=GovTextArea(),
        validators=[
            InputRequired("Enter a note explaining the change"),
            Length(max=2000, message="Note must be 2,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Change status", widget=GovSubmitInput())


class SummaryForm(VersionedForm):
    body = TextAreaField(
        "Summary so far",
        description="Markdown. Every version is kept.",
        widget=GovTextArea(),
        validators=[
            InputRequired("Enter a summary"),
            Length(max=BODY_MAX, message="Summary must be 20,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Save summary", widget=GovSubmitInput())
