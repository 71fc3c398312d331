""""Did you mean" offers only words from documents the searcher may see (issue #12, finding 4)."""

from __future__ import annotations

import re

import pytest

from consult.objectives.models import Proposal
from consult.papers import services as paper_services
from tests import factories

SUGGESTION = re.compile(r'id="did-you-mean">Did you mean <a class="govuk-link" href="[^"]*">([^<]*)</a>')


@pytest.fixture
def suggestion_for(client, login):
    """The "did you mean" text the search page offers someone (None for a visitor), or None."""

    def run(user, q: str) -> str | None:
        if user is not None:
            login(user)
        response = client.get("/search", query_string={"q": q})
        assert response.status_code == 200
        if user is not None:
            token = factories.csrf_from(client.get("/account/").get_data(as_text=True))
            client.post("/account/sign-out", data={"csrf_token": token})
        found = SUGGESTION.search(response.get_data(as_text=True))
        return found.group(1) if found else None

    return run


@pytest.mark.parametrize("role", [None, "participant", "member", "other_officer", "facilitator", "admin"])
def test_a_private_draft_title_word_is_never_suggested_outside_its_department(world, suggestion_for, role):
    user = getattr(world.people, role) if role else None
    suggestion = suggestion_for(user, "draftproposalwor")
    assert "draftproposalword" not in (suggestion or "").lower()


def test_the_drafting_department_is_offered_its_own_title_word(world, suggestion_for):
    assert suggestion_for(world.people.officer, "draftproposalwor") == "draftproposalword"


def test_an_unpublished_paper_title_word_is_suggested_only_to_facilitators(world, db, app, suggestion_for):
    with app.app_context():
        paper_services.create_paper(db, world.process, actor=world.people.facilitator, title="Quokkaword conclusions")
        db.commit()
    for user in (None, world.people.participant, world.people.officer):
        assert "quokkaword" not in (suggestion_for(user, "quokkawrd") or "").lower()
    assert suggestion_for(world.people.facilitator, "quokkawrd") == "quokkaword"


def test_a_public_title_word_is_still_suggested_to_everyone(world, suggestion_for):
    for user in (None, world.people.participant, world.people.officer):
        assert suggestion_for(user, "manchestr workshp") == "manchester workshop"


@pytest.fixture
def waders(db, world):
    """Two private drafts whose title word "wader" is commoner in the index than the public "water"."""
    for title in ("Wader survey", "Wader count"):
        db.add(Proposal(department_id=world.department.id, answers={"title": title}))
    db.commit()
    return world


def test_a_commoner_private_word_gives_way_to_a_visible_one(waders, suggestion_for):
    assert suggestion_for(None, "wadter") == "water"
    assert suggestion_for(waders.people.other_officer, "wadter") == "water"
    assert suggestion_for(waders.people.officer, "wadter") == "wader", "the department sees both, and wader twice"


def test_a_private_word_is_not_offered_when_the_rest_of_the_query_finds_something(waders, suggestion_for):
    """Checking the corrected query for results would not do: "poverty" alone finds the public process."""
    suggestion = suggestion_for(None, "wadter OR poverty")
    assert suggestion is not None and "wader" not in suggestion.lower()


def test_a_word_only_in_private_documents_counts_as_unknown_to_a_visitor(world, db, suggestion_for):
    """Typing a private word exactly is treated like any other word the visitor's documents lack."""
    factories.make_group(db, world.process, name="Draftproposalwards reading group", remit="Reading.")
    db.commit()
    assert suggestion_for(None, "draftproposalword") == "draftproposalwards"
    assert suggestion_for(world.people.officer, "draftproposalword") is None, "the department's own word is known"

