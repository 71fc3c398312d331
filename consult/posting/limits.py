"""Per-person posting limits, counted in Flask-Limiter's storage (Redis when REDIS_URL is set, so every worker
shares the counts) and keyed by the account, not the address.

A view counts a post after the service created it and before committing; over the limit it rolls back and
shows the form again, with what was typed, a 429 status and when to try again (as Discourse's per-user
rate_limit_create_post and max_topics_per_day do). Settings: *_RATE_LIMIT in consult.config.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import RateLimiter

from consult.clock import LONDON
from consult.errors import ValidationError
from consult.extensions import limiter

log = logging.getLogger(__name__)

# kind -> (setting, what the person posted, in the plural)
KINDS = {
    "comment": ("COMMENT_RATE_LIMIT", "replies"),
    "thread": ("THREAD_RATE_LIMIT", "threads or issues"),
    "statement": ("STATEMENT_RATE_LIMIT", "statements"),
    "paper_comment": ("PAPER_COMMENT_RATE_LIMIT", "comments on papers"),
}


class PostingLimitReached(ValidationError):
    """Too many posts of one kind in a period; nothing was saved and the form keeps the text."""

    status = 429

    def __init__(self, message: str) -> None:
        super().__init__(None, message)


def _message(item: RateLimitItem, noun: str, reset_at: float) -> str:
    period = item.GRANULARITY.name
    per = f"per {period}" if item.multiples == 1 else f"every {item.multiples} {period}s"
    when = datetime.fromtimestamp(reset_at, UTC).astimezone(LONDON)
    at = when.strftime("%H:%M") if period in {"second", "minute", "hour"} else when.strftime("%H:%M on %-d %B")
    return (
        f"You can post up to {item.amount} {noun} {per}. Nothing was sent: your text is below. "
        f"Please send it again after {at} (UK time)."
    )


def count_post(kind: str, user: Any) -> None:
    """Count one new post of `kind` by this person, or raise PostingLimitReached when over a limit."""
    config = current_app.config
    if not config.get("RATELIMIT_ENABLED", True):
        return
    setting, noun = KINDS[kind]
    prefix = config.get("RATELIMIT_KEY_PREFIX", "")
    keys = [*([prefix] if prefix else []), f"user:{user.id}", f"posting:{kind}"]
    items = parse_many(config[setting])
    try:
        _count(limiter.limiter, items, keys, noun)
    except PostingLimitReached:
        raise
    except Exception:  # the shared storage (Redis) is down: count in this process until it is back
        log.warning("posting limits: the rate-limit storage is unreachable; counting in this process", exc_info=True)
        _count(_fallback(type(limiter.limiter)), items, keys, noun)


_fallbacks: dict[type, RateLimiter] = {}


def _fallback(strategy: type[RateLimiter]) -> RateLimiter:
    """A per-process limiter of the same kind, in memory: limits still hold (per process) while Redis is down."""
    if strategy not in _fallbacks:
        _fallbacks[strategy] = strategy(MemoryStorage())  # type: ignore[call-arg]
    return _fallbacks[strategy]


def _count(strategy: RateLimiter, items: list[RateLimitItem], keys: list[str], noun: str) -> None:
    for item in items:
        if not strategy.test(item, *keys):
            raise PostingLimitReached(_message(item, noun, strategy.get_window_stats(item, *keys).reset_time))
    for item in items:
        if not strategy.hit(item, *keys):  # another request got in between the test and this hit
            raise PostingLimitReached(_message(item, noun, strategy.get_window_stats(item, *keys).reset_time))
