"""Meeting forms."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
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
    TextAreaField,
    TimeField,
)
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional

from consult.forms import BaseForm, DateInput, WebUrl
from consult.meetings.models import ActionStatus, AttendanceMode, NoteStatus
from consult.meetings.services import JOINING_SCHEMES


class MeetingForm(BaseForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[InputRequired("Enter a title"), Length(max=200, message="Title must be 200 characters or fewer")],
    )
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
    venue = StringField(
        "Venue (optional if remote)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=300, message="Venue must be 300 characters or fewer")],
    )
    city = StringField(
        "Town or city",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=100, message="Town or city must be 100 characters or fewer")],
    )
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
    agenda = TextAreaField(
        "Agenda",
        description="Markdown.",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=20000, message="Agenda must be 20,000 characters or fewer")],
    )
    papers = TextAreaField(
        "Papers (optional)",
        description="One per line: the title, a | and the link. For example: Draft remit | https://example.org/remit.pdf",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=5000, message="Papers must be 5,000 characters or fewer")],
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
        choices=[(mode.value, mode.label) for mode in AttendanceMode],
        widget=GovRadioInput(),
        validators=[InputRequired("Select how you will attend")],
    )
    submit = SubmitField("Reply", widget=GovSubmitInput())


class CancelRsvpForm(BaseForm):
    """The "Cancel my reply" button: posted through a form so it is parsed and CSRF-checked like the others."""

    action = HiddenField(validators=[AnyOf(["cancel"])])


class NotesForm(BaseForm):
    body = TextAreaField(
        "Notes",
        description="Non-attributed: record what was said, not who said it. Markdown.",
        widget=GovTextArea(),
        validators=[
            InputRequired("Enter the notes"),
            Length(max=50000, message="Notes must be 50,000 characters or fewer"),
        ],
    )
    base_version = HiddenField()
    submit = SubmitField("Save notes", widget=GovSubmitInput())


class NoteStatusForm(BaseForm):
    status = RadioField(
        "Move the notes to",
        choices=[(s.value, s.label) for s in NoteStatus],
        widget=GovRadioInput(),
        validators=[InputRequired("Select a stage")],
    )
    submit = SubmitField("Change stage", widget=GovSubmitInput())


class NoteCommentForm(BaseForm):
    body = TextAreaField(
        "Your comment on the notes",
        widget=GovTextArea(),
        validators=[
            InputRequired("Enter your comment"),
            Length(max=5000, message="Comment must be 5,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Send comment", widget=GovSubmitInput())


class ActionForm(BaseForm):
    description = StringField(
        "Action",
        widget=GovTextInput(),
        validators=[
            InputRequired("Describe the action"),
            Length(max=500, message="Action must be 500 characters or fewer"),
        ],
    )
    owner = StringField(
        "Owner",
        description="A role or organisation, for example: the facilitators",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter who owns the action"),
            Length(max=200, message="Owner must be 200 characters or fewer"),
        ],
    )
    due_on = DateField("Due date (optional)", widget=DateInput(), format="%d %m %Y", validators=[Optional()])
    submit = SubmitField("Add action", widget=GovSubmitInput())


class ActionStatusForm(BaseForm):
    status = RadioField(
        "Status",
        choices=[(s.value, s.label) for s in ActionStatus],
        widget=GovRadioInput(),
        validators=[InputRequired("Select a status")],
    )
