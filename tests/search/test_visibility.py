"""Results never include what the searcher may not see: checked per role for every private kind of content."""

from __future__ import annotations

import pytest

from tests.factories import reload

PRIVATE_WORDS = {
    "hiddenword": set(),  # hidden comments: nobody finds them
    "deletedword": set(),  # deleted comments: nobody
    "draftnotesword": {"facilitator", "admin"},  # draft notes: facilitators
    "sharednotesword": {"facilitator", "admin", "member"},  # shared notes: attendees and facilitators
    "draftproposalword": {"officer"},  # a draft objective: its own department only
    "draftversionword": {"officer"},  # and its versions
    "proposedstatementword": {"facilitator", "admin"},  # statements waiting for moderation
    "rejectedstatementword": {"facilitator", "admin"},
}
PUBLIC_WORDS = ["publishednotesword", "publicproposalword", "acceptedstatementword", "aquifers", "automatic"]
ROLES = [None, "participant", "member", "officer", "other_officer", "facilitator", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_finds_exactly_what_it_may_see(world, search_as, role):
    user = getattr(world.people, role) if role else None
    for word, allowed in PRIVATE_WORDS.items():
        found = search_as(user, word)
        if role in allowed:
            assert found, f"{role} should find {word}"
        else:
            assert found == [], f"{role or 'a visitor'} must not find {word}: {found}"
    for word in PUBLIC_WORDS:
        assert search_as(user, word), f"{role or 'a visitor'} should find public {word}"


def test_submitting_a_draft_makes_it_and_its_versions_public(world, db, search_as):
    from consult.db import utcnow

    assert search_as(None, "draftversionword") == []
    reload(db, world.draft).submitted_at = utcnow()
    db.commit()
    assert search_as(None, "draftproposalword")
    assert search_as(None, "draftversionword"), "versions follow their proposal's visibility"


def test_hiding_a_comment_removes_it_and_restoring_brings_it_back(world, db, search_as):
    from consult.db import utcnow

    assert search_as(None, "automatic")
    reload(db, world.visible).hidden_at = utcnow()
    db.commit()
    assert search_as(None, "automatic") == []
    reload(db, world.visible).hidden_at = None
    db.commit()
    assert search_as(None, "automatic")


def test_a_stale_index_is_rechecked_on_the_page(world, db, app, search_as):
    """Even if a change has not reached the index yet, the page re-checks each result with the feature's rules."""
    from consult.search.models import SearchQueueEntry

    assert search_as(None, "publicproposalword")
    reload(db, world.public).submitted_at = None  # back to a private draft, and the queue entry is lost on purpose
    db.commit()
    db.query(SearchQueueEntry).delete()
    db.commit()
    assert search_as(None, "publicproposalword") == []
    assert search_as(world.people.officer, "publicproposalword")
