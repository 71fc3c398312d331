"""The searchable content types are one explicit list (consult/search/registry.py), complete and without doubles."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import consult.models  # noqa: F401 - every feature's models, so the mapper registry is complete
from consult.db import Base
from consult.search import registry

# Models whose rows are deliberately not search documents, by reason. A new model must join an adapter's
# `models` (its changes then reach the index) or this list.
NOT_SEARCHED = {
    # People, accounts and their private records.
    "User", "UserSession", "SignInAttempt", "RoleGrant", "MailLog", "Organisation", "OrganisationClaim",
    "Follow", "Notification", "NotificationDigest", "NamingConsent",
    # Votes and the analysis derived from them: shown on the agreement pages, never searched.
    "Vote", "VoteEvent", "Voter", "AnalysisCache", "Outcome", "Mediation", "MediationFlag",
    # Links from a statement to where it came from: shown on the statement and evidence pages.
    "StatementSource",
    # History, moderation and workflow records kept beside the searchable things.
    "CommentRevision", "SummaryRevision", "IssueStatusChange", "ModerationAction", "Report", "Transition",
    "PaperEvent", "PaperComment", "NoteComment", "MeetingAction", "Rsvp", "Membership", "Stage",
    # Objectives' assessments and reference lists, shown on their objective's pages.
    "BoardRecommendation", "ConsulteeReply", "CriterionAssessment", "ObjectiveInForce", "SpecifiedPerson",
    # Search's own queue, the one-time tokens that stop a form being submitted twice, and failed background jobs.
    "SearchQueueEntry", "SubmissionToken", "FailedJob",
}  # fmt: skip


def test_every_doc_type_is_listed_exactly_once():
    counts = Counter(adapter.doc_type for adapter in registry.ADAPTERS)
    assert [t for t, n in counts.items() if n > 1] == []
    assert all(registry.get(adapter.doc_type) is adapter for adapter in registry.ADAPTERS)


def test_every_model_is_searched_through_an_adapter_or_deliberately_not():
    models = {mapper.class_.__name__: mapper.class_ for mapper in Base.registry.mappers}
    unaccounted = sorted(name for name, cls in models.items() if not registry.watched(cls) and name not in NOT_SEARCHED)
    assert unaccounted == [], "give each an Adapter in consult/search/registry.py, or add it to NOT_SEARCHED here"
    watched_anyway = sorted(name for name in NOT_SEARCHED if name in models and registry.watched(models[name]))
    assert watched_anyway == [], "searched after all: take it out of NOT_SEARCHED"
    assert sorted(NOT_SEARCHED - set(models)) == [], "no such model: take it out of NOT_SEARCHED"
    for adapter in registry.ADAPTERS:
        assert adapter.models and all(cls in models.values() for cls in adapter.models), adapter.doc_type


def test_importing_the_registry_alone_gives_every_content_type():
    """No adapter depends on some other module having been imported first (position papers once did)."""
    listing = subprocess.run(
        [sys.executable, "-c", "from consult.search import registry; print(*[a.doc_type for a in registry.ADAPTERS])"],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert listing == [adapter.doc_type for adapter in registry.ADAPTERS] and "paper" in listing
