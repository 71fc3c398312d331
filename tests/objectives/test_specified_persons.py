"""The Schedule 4 reference list: loaded whole and once, grouped in the picker, sources and doubts shown."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from consult.objectives.models import SpecifiedPerson
from consult.objectives.seed import ReferenceError, load_reference
from tests.factories import reload
from tests.objectives.answers import COMPLETE
from tests.objectives.test_proposals import save, start_draft

CONTENT = Path(__file__).resolve().parents[2] / "content"
ENACTED = "https://www.legislation.gov.uk/ukpga/2017/30/schedule/4/enacted"


def schedule_entries() -> list[dict]:
    return yaml.safe_load((CONTENT / "specified-persons.yaml").read_text(encoding="utf-8"))["persons"]


def test_every_schedule_entry_is_loaded_once_and_reloading_changes_nothing(app, db):
    entries = schedule_entries()
    with app.app_context():
        load_reference(db, CONTENT)
        load_reference(db, CONTENT)
    rows = db.scalars(sa.select(SpecifiedPerson)).all()
    assert sorted(row.paragraph for row in rows) == sorted(str(entry["paragraph"]) for entry in entries)
    enacted = {str(n) for n in range(1, 29)}
    assert enacted <= {row.paragraph for row in rows}
    for row in rows:
        assert row.source.startswith("https://www.legislation.gov.uk/ukpga/2017/30/schedule/4"), row.paragraph
        assert row.category, row.paragraph
        if not row.verified:
            assert row.notes, f"unverified paragraph {row.paragraph} says nothing about why"
    county = db.scalar(sa.select(SpecifiedPerson).where(SpecifiedPerson.paragraph == "11"))
    assert county.name == "A county council in England." and county.verified and county.source == ENACTED


def test_an_edited_file_updates_rows_in_place_and_clears_removed_keys(app, db, tmp_path):
    shutil.copy(CONTENT / "objectives.yaml", tmp_path / "objectives.yaml")
    text = (CONTENT / "specified-persons.yaml").read_text(encoding="utf-8")
    (tmp_path / "specified-persons.yaml").write_text(text, encoding="utf-8")
    with app.app_context():
        load_reference(db, tmp_path)
    data = yaml.safe_load(text)
    first = data["persons"][0]
    first["name"] = "A renamed entry"
    first.pop("notes", None)
    (tmp_path / "specified-persons.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with app.app_context():
        load_reference(db, tmp_path)
    rows = db.scalars(sa.select(SpecifiedPerson).where(SpecifiedPerson.paragraph == str(first["paragraph"]))).all()
    assert [(row.name, row.notes) for row in rows] == [("A renamed entry", "")]
    assert db.scalar(sa.select(sa.func.count()).select_from(SpecifiedPerson)) == len(data["persons"])


def test_a_repeated_paragraph_is_refused_with_the_file_and_entry(app, db, tmp_path):
    (tmp_path / "specified-persons.yaml").write_text(
        "persons:\n  - {paragraph: '11', name: A, nation: E}\n  - {paragraph: 11, name: B, nation: E}\n"
    )
    (tmp_path / "objectives.yaml").write_text("objectives: []\n")
    with app.app_context(), pytest.raises(ReferenceError, match=r"specified-persons\.yaml: entry 2 repeats"):
        load_reference(db, tmp_path)


def test_an_english_local_authority_can_be_chosen_on_a_proposal(client, login, cast, db):
    proposal = start_draft(client, login, cast, db)
    form = client.get(f"/objectives/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert "Local government in England" in form
    assert "Paragraph 11: A county council in England." in form
    response = save(client, proposal, COMPLETE | {"disclosers": ["11", "7"], "recipients": ["13"]})
    assert response.status_code == 302, response.get_data(as_text=True)
    saved = reload(db, proposal)
    assert sorted(saved.answers["disclosers"]) == ["11", "7"] and saved.answers["recipients"] == ["13"]
    page = client.get(f"/objectives/proposals/{proposal.id}").get_data(as_text=True)
    assert "paragraph 11: A county council in England." in page
    assert "paragraph 13: A London borough council." in page


def test_the_picker_marks_unverified_entries(client, login, cast, db):
    proposal = start_draft(client, login, cast, db)
    form = client.get(f"/objectives/proposals/{proposal.id}/edit").get_data(as_text=True)
    unverified = db.scalars(sa.select(SpecifiedPerson).where(SpecifiedPerson.verified.is_(False))).all()
    assert unverified
    # Two pickers (disclosers and recipients), each hinting every unverified entry once.
    assert form.count("Unverified: not confirmed from the legislation") == 2 * len(unverified)


def row_of(page: str, paragraph: str) -> str:
    match = re.search(rf'<tr class="govuk-table__row" id="paragraph-{paragraph}">(.*?)</tr>', page, re.S)
    assert match, paragraph
    return match.group(1)


def test_the_public_list_flags_unverified_entries_and_gives_sources(client, cast, db):
    page = client.get("/objectives/specified-persons").get_data(as_text=True)
    rows = db.scalars(sa.select(SpecifiedPerson)).all()
    for row in rows:
        cells = row_of(page, row.paragraph)
        assert ("Unverified" in cells) is not row.verified, row.paragraph
        assert row.source in cells
    assert ENACTED in row_of(page, "11") and "Verified" in row_of(page, "11")
    assert "Local government in England" in page
    assert f"{len(rows)} entries, {sum(not row.verified for row in rows)} of them unverified" in page


def test_the_grouped_pickers_give_every_checkbox_its_own_id(client, login, cast, db):
    proposal = start_draft(client, login, cast, db)
    form = client.get(f"/objectives/proposals/{proposal.id}/edit").get_data(as_text=True)
    ids = re.findall(r'<input[^>]* id="((?:disclosers|recipients)[^"]*)"', form)
    assert len(ids) == 2 * db.scalar(sa.select(sa.func.count()).select_from(SpecifiedPerson))
    assert len(ids) == len(set(ids))
    assert 'id="disclosers"' in form  # the error summary links here


def objective_lists() -> dict[str, set[int]]:
    """Each objective in force and the Schedule 4 paragraphs its list (as made) names, read from objectives.yaml."""
    data = yaml.safe_load((CONTENT / "objectives.yaml").read_text(encoding="utf-8"))["objectives"]
    lists = {}
    for objective in data:
        numbers: set[int] = set()
        for part in re.findall(r"\d+(?:-\d+)?", str(objective["persons"]).split("and persons")[0]):
            low, _, high = part.partition("-")
            numbers |= set(range(int(low), int(high or low) + 1))
        lists[objective["name"].lower()] = numbers
    return lists


def test_only_the_enacted_paragraphs_are_verified_and_each_other_says_which_objectives_name_it():
    entries = schedule_entries()
    assert {int(e["paragraph"]) for e in entries if e.get("verified")} == set(range(1, 29))
    lists = objective_lists()
    as_made = {name: numbers for name, numbers in lists.items() if "scottish" not in name}
    for entry in entries:
        if entry.get("verified"):
            continue
        number, notes = int(entry["paragraph"]), entry["notes"]
        assert any(number in numbers for numbers in lists.values()), f"paragraph {number} is named by no objective"
        named = notes.split("as made include paragraph")[1].split(".")[0]
        for name, numbers in as_made.items():
            assert (name in named) is (number in numbers), (number, name)
        assert ("early learning" in notes) is (number in lists["scottish early learning and childcare"]), number


def test_every_english_local_authority_entry_is_offered_in_the_picker(client, login, cast, db):
    proposal = start_draft(client, login, cast, db)
    form = client.get(f"/objectives/proposals/{proposal.id}/edit").get_data(as_text=True)
    english = db.scalars(sa.select(SpecifiedPerson).where(SpecifiedPerson.category == "Local government in England"))
    paragraphs = sorted(int(person.paragraph) for person in english)
    assert paragraphs == list(range(11, 18))
    for number in paragraphs:
        assert f'value="{number}"' in form
