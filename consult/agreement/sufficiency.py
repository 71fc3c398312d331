"""Whether a finding's votes are enough for it to rest on them alone (pure: no Flask, no database).

A process sets the minimums (processes.models: outcome_min_votes, outcome_min_sectors). Agreed, agreed with caveats
and disagreement noted below them need other evidence cited (agreement.ledger.record_outcome); papers say what
every finding rests on and mark the thin ones in words, never by colour alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from consult.agreement import figures as agreement_figures

THIN_LABEL = "Thin evidence"


def counted(number: int, noun: str) -> str:
    """'1 vote', '0 votes', '3 sectors'."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def minimum_text(min_votes: int, min_sectors: int) -> str:
    """'at least 10 votes from 3 sectors'."""
    return f"at least {counted(min_votes, 'vote')} from {counted(min_sectors, 'sector')}"


@dataclass(frozen=True)
class Support:
    """The votes and sectors behind a statement beside the minimums its process asks of a finding."""

    votes: int
    sectors: int
    min_votes: int
    min_sectors: int

    @classmethod
    def of(cls, figures: Mapping[str, Any], min_votes: int, min_sectors: int) -> Support:
        """From a statement's figures (agreement.figures.statement_figures), so the counts match those shown."""
        votes, sectors = agreement_figures.support_counts(figures)
        return cls(votes, sectors, min_votes, min_sectors)

    @property
    def enough(self) -> bool:
        return self.votes >= self.min_votes and self.sectors >= self.min_sectors

    @property
    def counts_text(self) -> str:
        """'7 votes from 5 sectors'."""
        return f"{counted(self.votes, 'vote')} from {counted(self.sectors, 'sector')}"

    @property
    def text(self) -> str:
        """What a paper says under each finding."""
        return f"Based on {self.counts_text}."

    @property
    def minimum_text(self) -> str:
        return minimum_text(self.min_votes, self.min_sectors)

    @property
    def thin_text(self) -> str:
        """Why a finding is marked as thin, in words."""
        return f"Fewer votes or sectors than this process asks of a finding ({self.minimum_text})."

    def shortfall(self, kind_label: str) -> str:
        """The reason shown next to the outcome choice when the votes are not enough for it."""
        return (
            f"“{kind_label}” needs {self.minimum_text} in this process, and this statement has {self.counts_text}. "
            "Choose another outcome, or cite a meeting's notes or a thread below and say why they support it."
        )

    def to_json(self) -> dict[str, Any]:
        """As papers keep it in their evidence snapshot (plain JSON), with the sentences they print."""
        return {
            "votes": self.votes,
            "sectors": self.sectors,
            "min_votes": self.min_votes,
            "min_sectors": self.min_sectors,
            "thin": not self.enough,
            "text": self.text,
            "thin_text": self.thin_text,
        }
