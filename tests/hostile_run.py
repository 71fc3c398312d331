"""Sends the hostile corpus through one form and checks every answer; problems are collected, then reported at once."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask

from tests import hostile
from tests.hostile_world import World, signed_in

TEXT, MARKDOWN, FORMAT, SECRET, CHOICE, HIDDEN = "text", "markdown", "format", "secret", "choice", "hidden"
REDIRECT = "the page the form redirects to"
CORPUS = hostile.load_corpus()
SHORT = [p for p in CORPUS if not p.long]
LONG = [p for p in CORPUS if p.long]
CHOICES_AT_ONCE = 10000  # characters of the corpus given to every choice field in one submission
SAMPLES = 4  # submissions for a format, secret or hidden field when the form's text fields carry every payload


@dataclass(frozen=True)
class Field:
    # TEXT and MARKDOWN are shown back; FORMAT (slugs, emails, links) and SECRET are refused with a message;
    # CHOICE (radios, selects) and HIDDEN (ids, version numbers) are never typed, so a 400 may refuse them.
    kind: str
    limit: int = 1000  # the form's maximum length (for an unlimited field, the chunk size used)


@dataclass
class Target:
    """Where one submission goes, valid values for the fields not under test, and where its text is shown."""

    path: str
    valid: dict[str, Any] = field(default_factory=dict)
    # (a URL, REDIRECT, or a function giving stored text no page shows; the fields shown there, None for all)
    pages: list[tuple[str | Callable[[], str], tuple[str, ...] | None]] = field(default_factory=list)
    # Pages listing what every submission added, checked once at the end for all that was accepted.
    lists: list[tuple[str, tuple[str, ...] | None]] = field(default_factory=list)


@dataclass(frozen=True)
class Form:
    actor: str | None  # the World person who submits (None: nobody signed in)
    fields: dict[str, Field]
    target: Callable[[World], Target]
    viewer: str | None = None  # who reads the pages, when not the actor
    accepted_flash: str | None = None  # forms that answer with a flashed message rather than the form again
    control: bool = True  # the valid values alone are accepted (False where they are meant to be refused)


def tally(problems: list[str]) -> str:
    """A first line that counts the problems by kind, so a long failure reads at a glance."""
    kinds = {
        "server errors": "server error",
        "lost words": "lost words [",
        "payloads not shown whole": "is not shown whole",
        "control characters shown": "shows control characters",
        "dangerous markup": "dangerous markup",
        "refused forms that lost the typed text": "lost what was typed",
        "refusals that lost the typed text": "so the typed text is lost",
        "valid values refused": "valid values alone were refused",
        "forms with no batch accepted": "no batch of payloads was accepted",
    }
    counts = {label: sum(text in problem for problem in problems) for label, text in kinds.items()}
    return f"{len(problems)} problems: " + ", ".join(f"{n} {label}" for label, n in counts.items() if n) + "\n"


def cause(error: BaseException) -> str:
    """The database's own words when a database error is behind it, else the error's first line."""
    found = re.search(r"\((psycopg[\w.]*|sqlite3[\w.]*)\) ([^\n]+)", str(error))
    return f"{found.group(1)}: {found.group(2)}" if found else f"{type(error).__name__}: {str(error)[:160]}"


class Recorder(logging.Handler):
    """Keeps the app's logged errors, so a 500 is reported with its cause."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class Runner:
    """One form's run: its valid values, the payloads through its text fields, then its other fields, then long text."""

    def __init__(self, app: Flask, world: World, endpoint: str, form: Form) -> None:
        self.world, self.endpoint, self.form = world, endpoint, form
        self.index = {name: n for n, name in enumerate(form.fields)}
        self.actor, self.token = signed_in(app, getattr(world, form.actor) if form.actor else None)
        self.viewer = signed_in(app, getattr(world, form.viewer))[0] if form.viewer else self.actor
        self.problems: list[str] = []
        self.errors = Recorder()
        logging.getLogger("consult.errors").addHandler(self.errors)
        self.outcomes = {"accepted": 0, "refused": 0}
        self.accepted: dict[str, list[hostile.Payload]] = {}
        self.lists: list[tuple[str, tuple[str, ...] | None]] = []

    def run(self) -> list[str]:
        try:
            return self._run()
        finally:
            logging.getLogger("consult.errors").removeHandler(self.errors)

    def _run(self) -> list[str]:
        if self.form.control:  # the valid values alone must be accepted, or every refusal below means nothing
            self.submit({})
            if not self.outcomes["accepted"]:
                return [*self.problems, f"{self.endpoint}: the valid values alone were refused: fix FORMS"]
        self.text_pass()
        self.field_pass()
        self.long_pass()
        self.check_lists()
        return self.problems

    def _text_fields(self) -> list[tuple[str, Field]]:
        fields = [(name, f) for name, f in self.form.fields.items() if f.kind in (TEXT, MARKDOWN)]
        return sorted(fields, key=lambda item: -item[1].limit)

    def _marked(self, name: str, payload: hostile.Payload) -> str:
        """Text fields get marker words round each payload; the others are refused whole, so they need none."""
        kind = self.form.fields[name].kind
        if kind not in (TEXT, MARKDOWN):
            return payload.text
        return hostile.mark(payload.text, f"{self.index[name]}x{payload.number}", markdown=kind == MARKDOWN)

    def _join(self, name: str, payloads: list[hostile.Payload]) -> str:
        separator = "\n\n" if self.form.fields[name].kind == MARKDOWN else " "
        return separator.join(self._marked(name, p) for p in payloads)

    def _take(self, name: str, start: int, stop: int, limit: int = 0) -> tuple[list[hostile.Payload], int]:
        """Payloads from `start` (counting round the corpus) that fit together in the field; and where to go on."""
        limit, taken, size = limit or self.form.fields[name].limit, [], 0
        for n in range(start, stop):
            payload = SHORT[n % len(SHORT)]
            extra = len(self._marked(name, payload)) + 2
            if size + extra > limit and taken:
                return taken, n
            if extra <= limit:  # a payload too long for the field on its own is left to the wider fields
                taken.append(payload)
                size += extra
        return taken, stop

    def text_pass(self) -> None:
        """The widest text field carries every payload; the others take what fits, in turn."""
        fields = self._text_fields()
        if not fields:
            return
        widest = fields[0][0]
        place = dict.fromkeys((name for name, _ in fields), 0)
        before = self.outcomes["accepted"]
        while place[widest] < len(SHORT):
            batch = {}
            for name, _ in fields:
                stop = len(SHORT) if name == widest else place[name] + len(SHORT)
                batch[name], place[name] = self._take(name, place[name], stop)
            self.submit(batch)
        if self.outcomes["accepted"] == before:
            self.problem("no batch of payloads was accepted, so no page was checked")

    def field_pass(self) -> None:
        """The choice fields get the corpus together; each format, secret and hidden field on its own."""
        choices = [name for name, f in self.form.fields.items() if f.kind == CHOICE]
        start = 0
        while choices and start < len(SHORT):
            payloads, start = self._take(choices[0], start, len(SHORT), CHOICES_AT_ONCE)
            self.submit({}, {name: self._join(name, payloads) for name in choices})
        sample = bool(self._text_fields())
        for name, f in self.form.fields.items():
            if f.kind not in (FORMAT, SECRET, HIDDEN):
                continue
            if sample:  # spread over the corpus, so every family reaches the field
                for start in range(0, len(SHORT), len(SHORT) // SAMPLES):
                    self.submit({}, {name: self._join(name, self._take(name, start, start + len(SHORT))[0])})
                continue
            start = 0
            while start < len(SHORT):
                payloads, start = self._take(name, start, len(SHORT))
                self.submit({}, {name: self._join(name, payloads)})

    def long_pass(self) -> None:
        """The longest strings that fit, all fields at once; then each long string in every field it overflows."""
        fields = self._text_fields()
        fits = {}
        for name, f in fields:
            fitting = [p for p in LONG if len(self._marked(name, p)) <= f.limit]
            if fitting:
                fits[name] = [fitting[-1]]
        if fits:
            self.submit(fits)
        for payload in LONG:
            over = {name: [payload] for name, f in fields if len(self._marked(name, payload)) > f.limit}
            if over:
                self.submit(over)

    def _logged_cause(self) -> str:
        logged = [record.exc_info[1] for record in self.errors.records if record.exc_info and record.exc_info[1]]
        self.errors.records.clear()
        return f" ({cause(logged[-1])})" if logged else ""

    def problem(self, message: str) -> None:
        self.problems.append(f"{self.endpoint}: {message}")

    def submit(self, texts: dict[str, list[hostile.Payload]], raw: dict[str, str] | None = None) -> None:
        target = self.form.target(self.world)
        values = {name: self._join(name, payloads) for name, payloads in texts.items()} | (raw or {})
        sent = ", ".join(f"{name} ({len(value):,} characters)" for name, value in values.items())
        self.lists = target.lists
        try:
            response = self.actor.post(target.path, data={**target.valid, **values, "csrf_token": self.token})
        except Exception as error:  # testing mode lets an error escape when the error page itself fails
            response = None
            self.problem(f"server error ({cause(error)}) for {sent}")
        if response is None or response.status_code >= 500:
            if response is not None:
                self.problem(f"server error {response.status_code}{self._logged_cause()} for {sent}")
            self.world.db.rollback()  # PostgreSQL refuses more statements in a failed transaction
            return
        status, body = response.status_code, response.get_data(as_text=True)
        location = response.headers.get("Location", "").split("#")[0]
        tampered_only = all(self.form.fields[name].kind in (CHOICE, HIDDEN) for name in values)
        if self.form.accepted_flash and 300 <= status < 400:
            with self.actor.session_transaction() as session:  # read (and clear) the message without a page
                flashed = " ".join(message for _, message in session.pop("_flashes", []))
            if self.form.accepted_flash in flashed:
                self.check_pages(target, location, texts)
            elif not tampered_only:
                self.problem(f"refused with a message on another page, so the typed text is lost: {sent}")
        elif 300 <= status < 400:
            self.check_pages(target, location, texts)
        elif status in (200, 400) and "govuk-error-summary" in body:
            self.outcomes["refused"] += 1
            self.check_kept(body, values)
        elif status == 400 and not tampered_only:
            self.problem(f"refused with a 400 error page, so the typed text is lost: {sent}")
        elif not (status == 400 and tampered_only):
            self.problem(f"unexpected {status} for {sent}")

    def check_kept(self, body: str, values: dict[str, str]) -> None:
        """A refused form is shown again with what was typed (secrets, choices and hidden fields are not)."""
        reader = hostile.read_page(body)
        for found in reader.problems:
            self.problem(f"refused form: {found}")
        for name, value in values.items():
            if self.form.fields[name].kind in (SECRET, CHOICE, HIDDEN):
                continue
            if not any(hostile.words(shown) == hostile.words(value) for shown in reader.values.get(name, [])):
                self.problem(f"refused, and {name} lost what was typed ({len(value):,} characters)")

    def check_pages(self, target: Target, location: str, texts: dict[str, list[hostile.Payload]]) -> None:
        self.outcomes["accepted"] += 1
        for name, payloads in texts.items():
            self.accepted.setdefault(name, []).extend(payloads)
        self._check(target.pages, location, texts)

    def check_lists(self) -> None:
        """List pages once, at the end: every accepted payload must be on them."""
        self._check(self.lists, "", self.accepted)

    def _check(self, pages: list, location: str, texts: dict[str, list[hostile.Payload]]) -> None:
        for source, shown_fields in pages:
            if callable(source):
                where, text = "stored text", source()
            else:
                where = location if source == REDIRECT else source
                response = self.viewer.get(where)
                if response.status_code != 200:
                    self.problem(f"{where} answered {response.status_code}{self._logged_cause()}")
                    continue
                if where.endswith(".atom"):
                    text, found = hostile.read_feed(response.data)
                else:
                    reader = hostile.read_page(response.get_data(as_text=True))
                    text, found = reader.text, reader.problems
                for problem in dict.fromkeys(found):
                    self.problem(f"{where}: {problem}")
            segments = hostile.marker_segments(text)
            for name, payloads in texts.items():
                if shown_fields is None or name in shown_fields:
                    for payload in payloads:
                        self.check_words(where, name, payload, segments.get(f"{self.index[name]}x{payload.number}"))

    def check_words(self, where: str, name: str, payload: hostile.Payload, segments: list[str] | None) -> None:
        if not segments:
            self.problem(f"{where}: {name}: {payload} is not shown whole (its marker words are missing)")
            return
        markdown = self.form.fields[name].kind == MARKDOWN
        want = hostile.expected_words(payload.text, markdown=markdown)
        for segment in segments:
            controls = hostile.control_characters(segment)
            if controls:
                self.problem(f"{where}: {name}: {payload} shows control characters {controls}")
            got = hostile.words(segment)
            if not (hostile.is_subsequence(want, got) if markdown else got == want):
                lost = [word for word in want if word not in got] or "(order or extra words)"
                self.problem(f"{where}: {name}: {payload} lost words {lost}; shown: {segment.strip()[:160]!r}")
                return
