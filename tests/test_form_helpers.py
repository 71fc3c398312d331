"""The shared form pieces: text_field words every limit the same way, LabelledEnum gives labels and choices."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict
from wtforms import EmailField, PasswordField
from wtforms.fields.core import UnboundField
from wtforms.validators import Email, InputRequired, Length, Optional

import consult
import consult.models  # every enum and table registered before the checks below
from consult.db import Base
from consult.enums import LabelledEnum
from consult.forms import BaseForm, text_field


class Colour(LabelledEnum):
    DARK_RED = "dark_red", "Deep red"
    SKY_BLUE = "sky_blue"


def test_a_member_keeps_its_value_and_carries_its_label() -> None:
    assert Colour.DARK_RED == "dark_red" and Colour.DARK_RED.value == "dark_red"
    assert str(Colour.DARK_RED) == "dark_red"
    assert Colour("dark_red") is Colour.DARK_RED
    assert Colour.DARK_RED.label == "Deep red"


def test_a_member_written_without_a_label_reads_its_value_in_words() -> None:
    assert Colour.SKY_BLUE.label == "Sky blue"


def test_choices_pair_each_value_with_its_label_in_the_written_order() -> None:
    assert Colour.choices() == [(member.value, member.label) for member in Colour]
    assert [value for value, _ in Colour.choices()] == ["dark_red", "sky_blue"]


def test_every_enum_column_stores_the_member_values() -> None:
    """Converting an enum to LabelledEnum must not change what its column accepts (no schema change)."""
    checked = 0
    for table in Base.metadata.tables.values():
        for column in table.columns:
            enum_class = getattr(column.type, "enum_class", None)
            if enum_class is not None and issubclass(enum_class, LabelledEnum):
                assert list(column.type.enums) == [member.value for member in enum_class]
                assert column.type.length == max(len(member.value) for member in enum_class)
                checked += 1
    assert checked > 0


class NoteForm(BaseForm):
    title = text_field("Title", required="Enter a title", max_length=10)
    note = text_field("Note (public)", noun="Note", hint="Shown to everyone.", textarea=True, max_length=1000)
    secret = text_field(
        "Password", field_class=PasswordField, required="Enter it", max_length=5, too_long="Password is too long"
    )


def submitted(app: Flask, **data: str) -> NoteForm:
    with app.test_request_context(method="POST"):
        app.config["WTF_CSRF_ENABLED"] = False
        form = NoteForm(formdata=MultiDict(data))
        form.validate()
        return form


def test_a_too_long_answer_is_refused_with_the_limit_in_words(app: Flask) -> None:
    form = submitted(app, title="t" * 11, note="n" * 1001, secret="s")
    assert form.title.errors == ["Title must be 10 characters or fewer"]
    assert form.note.errors == ["Note must be 1,000 characters or fewer"]


def test_an_answer_at_the_limit_is_accepted(app: Flask) -> None:
    form = submitted(app, title="t" * 10, note="n" * 1000, secret="s" * 5)
    assert form.errors == {}


def test_required_fields_say_what_to_enter_and_optional_ones_may_be_empty(app: Flask) -> None:
    form = submitted(app, title="", note="", secret="")
    assert form.title.errors == ["Enter a title"]
    assert form.secret.errors == ["Enter it"]
    assert form.note.errors == []


def test_a_bespoke_limit_message_replaces_the_worded_one(app: Flask) -> None:
    assert submitted(app, title="t", secret="s" * 6).secret.errors == ["Password is too long"]


def test_fields_render_as_gov_uk_inputs_with_their_hint(app: Flask) -> None:
    with app.test_request_context():
        form = NoteForm(formdata=None)
        title, note = str(form.title()), str(form.note())
    assert 'class="govuk-input' in title and "<textarea" not in title
    assert "<textarea" in note and "govuk-textarea" in note and "Shown to everyone." in note


def test_extra_validators_run_after_the_length_check() -> None:
    field = text_field(
        "Email address",
        field_class=EmailField,
        required="Enter it",
        max_length=254,
        validators=[Email("Enter an email address")],
    )
    assert field.field_class is EmailField
    kinds = [type(v) for v in field.kwargs["validators"]]
    assert kinds == [InputRequired, Length, Email]
    assert type(text_field("Any", max_length=3).kwargs["validators"][0]) is Optional


def _form_fields() -> list[tuple[str, UnboundField]]:
    """Every field declared on a form class in consult's forms modules."""
    found = []
    for module in pkgutil.walk_packages(consult.__path__, "consult."):
        if module.name.endswith(".forms"):
            for name, value in vars(importlib.import_module(module.name)).items():
                if isinstance(value, type) and issubclass(value, BaseForm):
                    for attr, field in vars(value).items():
                        if isinstance(field, UnboundField):
                            found.append((f"{module.name}.{name}.{attr}", field))
    return found


def test_every_length_message_states_the_limit_the_form_enforces() -> None:
    """A hand-written message could say 20,000 while the field allows 5,000; the factory words both from one number."""
    limits = [
        (where, validator)
        for where, field in _form_fields()
        for validator in field.kwargs.get("validators", [])
        if isinstance(validator, Length)
    ]
    assert len(limits) > 40
    for where, validator in limits:
        if validator.message == "Password is too long":
            continue
        assert re.fullmatch(rf".+ must be {validator.max:,} characters or fewer", validator.message), where


@pytest.mark.parametrize("enum_class", LabelledEnum.__subclasses__())
def test_every_app_enum_labels_each_member(enum_class: type[LabelledEnum]) -> None:
    labels = [member.label for member in enum_class]
    assert all(labels) and len(set(labels)) == len(labels)
