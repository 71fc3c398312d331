"""What the features announce (a thread started, a reply posted, a meeting scheduled…), so that notifications can
act on it without the features importing consult.notifications: notifications depends on the features, never the
other way round, and the two no longer import each other.

Features send these signals from their services with plain values (ids, titles, names), never ORM objects, and
with the request's Session as the sender, so a handler writes in the same transaction and is rolled back with it.
consult/notifications/subscriptions.py connects the handlers in the notifications init_app.

blinker, not a hand-written registry: Flask already depends on it for its own signals, and it gives named signals,
receivers that can filter by sender, `connected_to` for tests, and the receivers' answers from `send`, which
`is_following` uses.
"""

from __future__ import annotations

from typing import Any

from blinker import Namespace

signals = Namespace()

#: thread_id, title, kind ("discussion", "issue"…), group_id, group_name, process_id, actor_id, actor_name
thread_started = signals.signal("thread-started")
#: thread_id, thread_title, comment_id, body, parent_author_id, actor_id, actor_name
reply_posted = signals.signal("reply-posted")
#: thread_id, title, status_label, note, author_id, actor_id
issue_status_changed = signals.signal("issue-status-changed")
#: thread_id, old_title, new_title: the title before and after (None while the thread is hidden by a facilitator)
thread_renamed = signals.signal("thread-renamed")
#: meeting_id, title, process_id, group_id, actor_id
meeting_scheduled = signals.signal("meeting-scheduled")

# Decisions about people's contributions, and what lands in a facilitator's queue. Each is sent by the service
# after the change is made and checked, in its transaction: a rolled-back change leaves no notification and sends
# no mail (consult/notifications/notification_emails.py mails only after the commit).

#: comment_id, thread_id, thread_title (None while the thread is hidden), author_id, hidden (True) or restored
#: (False), reason, actor_id
comment_moderated = signals.signal("comment-moderated")
#: comment_id, thread_id, group_id, process_id, reason, actor_id
comment_reported = signals.signal("comment-reported")
#: statement_id, process_id, text, actor_id, actor_name: a participant proposed a statement
statement_proposed = signals.signal("statement-proposed")
#: statement_id, process_id, text, author_id, accepted, reason, actor_id
statement_decided = signals.signal("statement-decided")
#: statement_id, process_id, text, reason, actor_id, actor_name
mediation_requested = signals.signal("mediation-requested")
#: membership_id, group_id, group_name, process_id, actor_id, actor_name
join_requested = signals.signal("join-requested")
#: group_id, group_name, user_id, approved, actor_id
join_decided = signals.signal("join-decided")
#: paper_id, paper_title, process_id, comment_id, parent_author_id (None for a new review thread), actor_id,
#: actor_name
paper_comment_added = signals.signal("paper-comment-added")
#: paper_id, paper_title, process_id, comment_id, author_id, note, actor_id
paper_comment_resolved = signals.signal("paper-comment-resolved")
#: meeting_id, title, actor_id: the notes became public
meeting_notes_published = signals.signal("meeting-notes-published")
#: proposal_id, title, department_id, from_label, to_status, to_label, reason, actor_id
proposal_moved = signals.signal("proposal-moved")
#: proposal_id, title, department_id, actor_id: a review board member recorded (or changed) a recommendation
recommendation_recorded = signals.signal("recommendation-recorded")
#: user_id, target_type, target_id; a receiver answers True when that person follows it
follow_state_asked = signals.signal("follow-state-asked")


def is_following(db: Any, user: Any, target_type: str, target_id: int) -> bool:
    """Whether this person follows a process, group or thread, for its Follow button; answered by whoever keeps
    follows (notifications), so a page can ask without its feature importing notifications."""
    if not getattr(user, "is_authenticated", False):
        return False
    answers = follow_state_asked.send(db, user_id=user.id, target_type=target_type, target_id=target_id)
    return any(answer for _, answer in answers)
