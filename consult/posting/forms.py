"""The hidden one-time token every create form carries, so sending it twice stores one thing."""

from __future__ import annotations

import uuid

from wtforms import HiddenField

from consult.posting.tokens import is_well_formed


class SubmissionTokenField(HiddenField):
    """A new random token on each fresh form; a re-shown form keeps the one it was sent with, if well formed."""

    def process_formdata(self, valuelist: list[str]) -> None:
        # A submission without the field is "" (refused as out of date), never None (a caller with no form).
        self.data = valuelist[0] if valuelist else ""

    def _value(self) -> str:
        if not is_well_formed(self.data):
            self.data = uuid.uuid4().hex
        return self.data
