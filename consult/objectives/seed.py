"""Load the reference data (Schedule 4 entries and the objectives in force) from content/, idempotently."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
import yaml
from sqlalchemy.orm import Session

from consult.objectives.models import ObjectiveInForce, SpecifiedPerson

PERSON_KEYS = {"paragraph", "name", "nation", "verified", "notes", "is_hmrc"}
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


def _load(path: Path, key: str) -> list[dict]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ReferenceError(f"{path}: {error}") from error
    entries = data.get(key) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ReferenceError(f"{path}: expected a list under '{key}'")
    return entries


def _upsert(db: Session, model, key: str, entries: list[dict], allowed: set[str], path: Path) -> int:
    existing = {getattr(row, key): row for row in db.scalars(sa.select(model))}
    for number, entry in enumerate(entries, start=1):
        unknown = set(entry) - allowed
        if unknown or key not in entry:
            raise ReferenceError(
                f"{path}: entry {number} has unknown or missing keys ({', '.join(sorted(unknown)) or key})"
            )
        values = {name: (str(value) if name == "paragraph" else value) for name, value in entry.items()}
        row = existing.get(values[key])
        if row is None:
            db.add(model(**values))
        else:
            for name, value in values.items():
                setattr(row, name, value)
    db.flush()
    return len(entries)


def load_reference(db: Session, content_dir: Path) -> dict[str, int]:
    persons_path = content_dir / "specified-persons.yaml"
    objectives_path = content_dir / "objectives.yaml"
    return {
        "specified persons": _upsert(
            db, SpecifiedPerson, "paragraph", _load(persons_path, "persons"), PERSON_KEYS, persons_path
        ),
        "objectives in force": _upsert(
            db, ObjectiveInForce, "slug", _load(objectives_path, "objectives"), OBJECTIVE_KEYS, objectives_path
        ),
    }
