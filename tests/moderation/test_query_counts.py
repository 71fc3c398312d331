"""The public moderation log loads who acted in its own query, however long the log."""

from __future__ import annotations

from consult.accounts.models import Role
from consult.moderation.models import ActionKind, ModerationAction
from tests.factories import count_queries_of, make_group, make_process


def test_moderation_log_query_count_does_not_grow_with_actions_by_many_facilitators(
    client, db, make_user, query_counter
):
    process = make_process(db)
    group = make_group(db, process)

    def act(n: int) -> None:
        facilitator = make_user(roles=(Role.FACILITATOR,), display_name=f"Facilitator {n}")
        db.add(
            ModerationAction(
                process_id=process.id,
                group_id=group.id,
                actor_id=facilitator.id,
                kind=ActionKind.BLOCK,
                target_user_id=make_user().id,
                reason=f"Reason {n}",
            )
        )
        db.commit()

    act(0)
    url = f"/processes/{process.slug}/moderation"
    few = count_queries_of(client, query_counter, url)
    for n in range(1, 20):
        act(n)
    many = count_queries_of(client, query_counter, url)
    assert many == few
    assert "Facilitator 19" in client.get(url).get_data(as_text=True)
