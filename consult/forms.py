"""The base form: CSRF from Flask-WTF, service errors attached to fields, no browser-side truncation."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms.validators import ValidationError as FieldError

from consult.errors import ValidationError
from consult.weblinks import WEB_SCHEMES, BadWebUrl, check_web_url

TEXT_FIELDS = frozenset({"StringField", "TextAreaField", "EmailField", "PasswordField", "RadioField", "HiddenField"})
CSRF_MESSAGE = (
    "This form had expired, so nothing was saved. Your answers are below: check them and send the form again."
)


class BaseForm(FlaskForm):
    """Forms declare shape only; rules that need the database live in services."""

    #: Fields left out of service_data() (buttons and the CSRF token).
    non_data_fields: frozenset[str] = frozenset({"csrf_token", "submit"})

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
