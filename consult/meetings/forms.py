"""Meeting forms."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TimeField,
)
from wtforms.validators import AnyOf, InputRequired, NumberRange, Optional

from consult.forms import BaseForm, DateInput, VersionedForm, WebUrl, text_field
from consult.meetings.models import ActionStatus, AttendanceMode, NoteStatus
from consult.meetings.services import JOINING_SCHEMES


class MeetingForm(BaseForm):
    title = text_field("Title", required="Enter a title", max_length=200)
    group = SelectField("Working group", choices=[], widget=GovSelect(), validators=[Optional()])
    day = DateField(
        "Date",
        description="For example, 14 5 2027",
        widget=DateInput(),
        format="%d %m %Y",
        validators=[InputRequired("Enter the date of the meeting")],
    )
    start_time = TimeField(
        "Start time (UK time)",
        description="24-hour clock, for example 10:00",
        widget=GovTextInput(),
        validators=[InputRequired("Enter a start time, like 10:00")],
    )
    end_time = TimeField(
        "End time (UK time)",
        description="For example 12:30",
        widget=GovTextInput(),
        validators=[InputRequired("Enter an end time, like 12:30")],
    )
    venue = text_field("Venue (optional if remote)", noun="Venue", max_length=300)
    city = text_field("Town or city", max_length=100)
    remote_url = StringField(
        "Remote joining link (optional)",
        description="Shown only to signed-in members. Starts with https://",
        widget=GovTextInput(),
        validators=[Optional(), WebUrl(JOINING_SCHEMES)],
    )
    capacity = IntegerField(
        "In-person places (optional)",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=1, max=10000, message="Enter a number of places between 1 and 10,000")],
    )
    agenda = text_field("Agenda", hint="Markdown.", textarea=True, max_length=20000)
    papers = text_field(
        "Papers (optional)",
        noun="Papers",
        hint="One per line: the title, a | and the link. For example: Draft remit | https://example.org/remit.pdf",
        textarea=True,
        max_length=5000,
    )
    submit = SubmitField("Schedule meeting", widget=GovSubmitInput())

    def service_data(self):
        data = super().service_data()
        data.pop("group")
        return data


class AttendanceForm(BaseForm):
    """The ticked people of the attendance list (meetings/notes.html renders the checkboxes)."""

    attended = SelectMultipleField(coerce=int, validate_choice=False)


class RsvpForm(BaseForm):
    mode = RadioField(
        "How will you attend?",
        choices=AttendanceMode.choices(),
        widget=GovRadioInput(),
        validators=[InputRequired("Select how you will attend")],
    )
    submit = SubmitField("Reply", widget=GovSubmitInput())


class CancelRsvpForm(BaseForm):
    """The "Cancel my reply" button: posted through a form so it is parsed and CSRF-checked like the others."""

    action = HiddenField(validators=[AnyOf(["cancel"])])


class NotesForm(VersionedForm):
    body = text_field(
        "Notes",
        hint="Non-attributed: record what was said, not who said it. Markdown.",
        textarea=True,
        required="Enter the notes",
        max_length=50000,
    )
    submit = SubmitField("Save notes", widget=GovSubmitInput())


class NoteStatusForm(BaseForm):
    status = RadioField(
        "Move the notes to",
        choices=NoteStatus.choices(),
        widget=GovRadioInput(),
        validators=[InputRequired("Select a stage")],
    )
    submit = SubmitField("Change stage", widget=GovSubmitInput())


class NoteCommentForm(BaseForm):
    body = text_field(
        "Your comment on the notes", noun="Comment", textarea=True, required="Enter your comment", max_length=5000
    )
    submit = SubmitField("Send comment", widget=GovSubmitInput())


class ActionForm(BaseForm):
    description = text_field("Action", required="Describe the action", max_length=500)
    owner = text_field(
        "Owner",
        hint="A role or organisation, for example: the facilitators",
        required="Enter who owns the action",
        max_length=200,
    )
    due_on = DateField("Due date (optional)", widget=DateInput(), format="%d %m %Y", validators=[Optional()])
    submit = SubmitField("Add action", widget=GovSubmitInput())


class ActionStatusForm(BaseForm):
    status = RadioField(
        "Status",
        choices=ActionStatus.choices(),
        widget=GovRadioInput(),
        validators=[InputRequired("Select a status")],
    )
