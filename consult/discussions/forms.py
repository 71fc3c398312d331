"""Forms for threads, replies, edits, issue statuses and summaries."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import IntegerField, RadioField, StringField, SubmitField
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import HiddenInput

from consult.discussions.models import IssueStatus, Stance, ThreadKind
from consult.forms import BaseForm, VersionedForm, text_field
from consult.posting.forms import SubmissionTokenField

STANCE_CHOICES = [("", "No stance"), *Stance.choices()]
BODY_MAX = 20000


def body_field(label: str) -> StringField:
    return text_field(
        label,
        noun="Comment",
        hint="You can use Markdown: *emphasis*, **bold**, lists and links.",
        textarea=True,
        required="Enter your comment",
        max_length=BODY_MAX,
    )


def stance_field() -> RadioField:
    return RadioField(
        "Your stance (optional)", choices=STANCE_CHOICES, default="", widget=GovRadioInput(), validators=[Optional()]
    )


class ThreadForm(BaseForm):
    kind = RadioField(
        "What kind of thread is this?",
        choices=ThreadKind.choices(),
        default="discussion",
        widget=GovRadioInput(),
        validators=[InputRequired("Select a kind of thread")],
    )
    title = text_field("Title", required="Enter a title", max_length=200)
    body = body_field("What do you want to say?")
    stance = stance_field()
    submission_token = SubmissionTokenField()
    submit = SubmitField("Start thread", widget=GovSubmitInput())


class ThreadTitleForm(BaseForm):
    title = text_field("Title", required="Enter a title", max_length=200)
    reason = text_field(
        "Public reason",
        noun="Reason",
        hint="You are changing someone else's title: say why. Shown in the public moderation log.",
        textarea=True,
        max_length=1000,
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
        choices=IssueStatus.choices(),
        widget=GovRadioInput(),
        validators=[InputRequired("Select a status")],
    )
    note = text_field(
        "Note",
        hint="Why the status changed. Shown publicly.",
        textarea=True,
        required="Enter a note explaining the change",
        max_length=2000,
    )
    submit = SubmitField("Change status", widget=GovSubmitInput())


class SummaryForm(VersionedForm):
    body = text_field(
        "Summary so far",
        noun="Summary",
        hint="Markdown. Every version is kept.",
        textarea=True,
        required="Enter a summary",
        max_length=BODY_MAX,
    )
    submit = SubmitField("Save summary", widget=GovSubmitInput())
