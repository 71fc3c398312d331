"""The base form: CSRF from Flask-WTF, input cleaned of control characters, service errors attached to fields."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import g, request
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovTextArea, GovTextInput
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, IntegerField, PasswordField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, StopValidation
from wtforms.validators import ValidationError as FieldError

from consult.db import MAX_ID
from consult.errors import ValidationError
from consult.text import clean_line, clean_text
from consult.weblinks import WEB_SCHEMES, BadWebUrl, check_web_url

TEXT_FIELDS = frozenset({"StringField", "TextAreaField", "EmailField", "PasswordField", "RadioField", "HiddenField"})
CSRF_MESSAGE = (
    "This form had expired, so nothing was saved. Your answers are below: check them and send the form again."
)


class BaseForm(FlaskForm):
    """Forms declare shape only; rules that need the database live in services."""

    #: Fields left out of service_data() (buttons and the CSRF token).
    non_data_fields: frozenset[str] = frozenset({"csrf_token", "submit"})

    class Meta:
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            """Every submitted text value is cleaned of control characters before any field sees it."""
            return clean_formdata(form, super().wrap_formdata(form, formdata))

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators=extra_validators)
        if "csrf_token" in self.errors or g.get("csrf_failed"):
            # Replace WTForms' terse CSRF messages with one that says nothing was lost.
            if hasattr(self, "csrf_token"):
                self.csrf_token.errors = [CSRF_MESSAGE]
            return False
        return valid

    def service_data(self) -> dict[str, Any]:
        """The submitted values a service takes, keyed by field name."""
        data = {}
        for name, field in self._fields.items():
            if name in self.non_data_fields:
                continue
            # A text field left out of the submission is empty text, not None.
            data[name] = "" if field.data is None and field.type in TEXT_FIELDS else field.data
        return data

    def attach(self, error: ValidationError) -> None:
        """Show a service's ValidationError next to its field (or at the top of the form)."""
        field = self._fields.get(error.field) if error.field else None
        if field is None:
            self.form_errors.append(error.message)
        else:
            field.errors = [*field.errors, error.message]

    @property
    def error_list(self) -> list[dict[str, str]]:
        """Items for the GOV.UK error summary, each linking to its field."""
        items: list[dict[str, str]] = []
        if hasattr(self, "csrf_token") and self.csrf_token.errors:
            items.append({"text": self.csrf_token.errors[0], "href": "#main-content"})
        items.extend({"text": message, "href": "#main-content"} for message in self.form_errors)
        for name, field in self._fields.items():
            if name == "csrf_token" or not field.errors:
                continue
            items.append({"text": str(field.errors[0]), "href": f"#{field.id}"})
        return items


class VersionedForm(BaseForm):
    """A form for a document several people edit: it carries the version the person started from, so a save on
    top of someone else's newer one is refused (services raise StaleEdit) instead of silently overwriting it."""

    base_version = HiddenField()
    non_data_fields = BaseForm.non_data_fields | {"base_version"}

    def started_from(self) -> int:
        """The version the form was opened at; a missing or tampered value is -1, which no document has."""
        raw = (self.base_version.data or "").strip()
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else -1

    def restart_from(self, version: int) -> None:
        """After a conflict the next save goes on top of the newer version (the person's text is kept)."""
        self.base_version.data = str(version)


def clean_formdata(form: Any, formdata: Any) -> MultiDict | None:
    """A copy of the submission with control characters removed: newlines and tabs stay only in text areas.

    Passwords are left exactly as typed: they are only hashed, never stored or shown, and changing them would
    lock out anyone whose password has such a character.
    """
    if formdata is None:
        return None
    fields = {field.name: field for field in form}
    cleaned: MultiDict = MultiDict()
    for key in formdata:
        field = fields.get(key)
        for value in formdata.getlist(key):
            if not isinstance(value, str) or isinstance(field, PasswordField):
                cleaned.add(key, value)
            else:
                cleaned.add(key, clean_text(value) if isinstance(field, TextAreaField) else clean_line(value))
    return cleaned


class QueryForm(BaseForm):
    """GET parameters read through a form, cleaned like any input; reading changes nothing, so no CSRF token."""

    class Meta:
        csrf = False

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("formdata", request.args)
        super().__init__(**kwargs)

    def values(self) -> dict[str, Any]:
        """Each parameter's value, or None where it was missing or malformed: ignored, never an error."""
        self.validate()
        return {name: None if field.errors else field.data for name, field in self._fields.items()}


class WholeNumberField(IntegerField):
    """An integer typed into a GOV.UK text input, with the field's own messages: `required` for a blank answer,
    `invalid` for anything that is not a whole number. A submission without the field keeps the default (or the
    object's value), so forms that do not show it are not refused for it."""

    def __init__(
        self, *args: Any, required: str = "Enter a number", invalid: str = "Enter a whole number", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.required, self.invalid = required, invalid

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return  # not in the submission: the default or the object's value stands
        raw = str(valuelist[0]).strip()
        self.data = None
        if raw and not (raw.isascii() and raw.isdigit() and len(raw) < 10):
            raise ValueError(self.invalid)
        if raw:
            self.data = int(raw)

    def pre_validate(self, form: Any) -> None:
        if self.data is None and not self.process_errors:
            raise StopValidation(self.required)


def id_field(name: str | None = None) -> IntegerField:
    """A number the database can hold (a page, an id or a version number) in a query string."""
    return IntegerField(name=name, validators=[Optional(), NumberRange(min=1, max=MAX_ID)])


def text_field(
    label: str,
    *,
    max_length: int,
    noun: str | None = None,
    required: str | None = None,
    hint: str = "",
    textarea: bool = False,
    too_long: str | None = None,
    validators: Sequence[Any] = (),
    field_class: type[StringField] | None = None,
    **kwargs: Any,
) -> StringField:
    """A GOV.UK text input or area whose limit reads "<noun> must be N characters or fewer" on every form alike."""
    # `required` is the message for an empty answer (None: optional); `noun` names the field when the label is a
    # question or carries a hint, and `too_long` replaces the worded message where a page needs another.
    if field_class is None:
        field_class = TextAreaField if textarea else StringField
    kwargs.setdefault("widget", GovTextArea() if textarea else GovTextInput())
    message = too_long or f"{noun or label} must be {max_length:,} characters or fewer"
    return field_class(
        label,
        description=hint,
        validators=[
            InputRequired(required) if required else Optional(),
            Length(max=max_length, message=message),
            *validators,
        ],
        **kwargs,
    )


class PageForm(QueryForm):
    page = id_field()

    @property
    def number(self) -> int:
        """The page asked for, or the first page when the parameter is missing or not a page number."""
        return self.values()["page"] or 1


class CompareForm(QueryForm):
    """?from=&to=: the two version numbers a comparison page shows."""

    old = id_field("from")
    new = id_field("to")


class DateInput(GovDateInput):
    """GOV.UK day/month/year inputs that also render when the submission had none, or the wrong number, of parts."""

    def map_gov_params(self, field, **kwargs):
        raw = field.raw_data
        if raw is not None and len(raw) != 3:
            field.raw_data = [*raw, "", "", ""][:3] if raw else None
        try:
            return super().map_gov_params(field, **kwargs)
        finally:
            field.raw_data = raw


class WebUrl:
    """The service's link check (consult.weblinks), run by the form too so the message shows beside the field."""

    def __init__(self, schemes: tuple[str, ...] = WEB_SCHEMES) -> None:
        self.schemes = schemes

    def __call__(self, form: Any, field: Any) -> None:
        if not (field.data or "").strip():
            return
        try:
            check_web_url(field.data, schemes=self.schemes)
        except BadWebUrl as error:
            raise FieldError(str(error)) from None
