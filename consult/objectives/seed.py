"""Load the reference data (Schedule 4 entries and the objectives in force) from content/, idempotently."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
import yaml
from sqlalchemy.orm import Session

from consult.objectives.models import ObjectiveInForce, SpecifiedPerson

PERSON_KEYS = {
    "paragraph",
    "name",
    "nation",
    "verified",
    "notes",
    "is_hmrc",
    "part",
    "category",
    "source",
    "amended_by",
}
# What an entry that leaves an optional key out gets, so removing a key from the file clears it on reload.
PERSON_DEFAULTS = {"notes": "", "verified": False, "is_hmrc": False, "part": "", "category": "", "amended_by": ""}
OBJECTIVE_KEYS = {
    "slug",
    "name",
    "purpose",
    "statutory_source",
    "jurisdiction",
    "persons",
    "persons_verified",
    "persons_note",
    "definitions",
    "notes",
    "page",
}


class ReferenceError(ValueError):
    """A reference file is malformed; the message names the file and entry."""


def _read(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ReferenceError(f"{path}: {error}") from error


def _entries(data: object, path: Path, key: str) -> list[dict]:
    entries = data.get(key) if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise ReferenceError(f"{path}: expected a list of entries under '{key}'")
    return entries


def _load(path: Path, key: str) -> list[dict]:
    return _entries(_read(path), path, key)


def _persons(path: Path) -> list[dict]:
    """The Schedule 4 entries, each with the file's source unless it names its own."""
    data = _read(path)
    entries = _entries(data, path, "persons")
    default_source = str(data.get("source") or "") if isinstance(data, dict) else ""
    return [PERSON_DEFAULTS | {"source": default_source} | entry for entry in entries]


def _upsert(db: Session, model, key: str, entries: list[dict], allowed: set[str], path: Path) -> int:
    existing = {getattr(row, key): row for row in db.scalars(sa.select(model))}
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        if str(entry.get(key)) in seen:
            raise ReferenceError(f"{path}: entry {number} repeats {key} {entry.get(key)}")
        seen.add(str(entry.get(key)))
        unknown = set(entry) - allowed
        if unknown or key not in entry:
            raise ReferenceError(
                f"{path}: entry {number} has unknown or missing keys ({', '.join(sorted(unknown)) or key})"
            )
        values = {name: (str(value) if name == "paragraph" else value) for name, value in entry.items()}
        row = existing.get(values[key])
        if row is None:
            existing[values[key]] = row = model(**values)
            db.add(row)
        else:
            for name, value in values.items():
                setattr(row, name, value)
    db.flush()
    return len(entries)


def load_reference(db: Session, content_dir: Path) -> dict[str, int]:
    """Upsert the reference files by their keys, so loading twice changes nothing and edits update rows."""
    persons_path = content_dir / "specified-persons.yaml"
    objectives_path = content_dir / "objectives.yaml"
    return {
        "specified persons": _upsert(
            db, SpecifiedPerson, "paragraph", _persons(persons_path), PERSON_KEYS, persons_path
        ),
        "objectives in force": _upsert(
            db, ObjectiveInForce, "slug", _load(objectives_path, "objectives"), OBJECTIVE_KEYS, objectives_path
        ),
    }
