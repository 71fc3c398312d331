"""Facilitators link statements to their sources with pickers; everyone else is refused; bad picks are refused."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consult.provenance.models import StatementSource
from tests.factories import post


def links(db) -> list[tuple]:
    db.expire_all()
    return db.execute(
        sa.select(StatementSource.thread_id, StatementSource.comment_id, StatementSource.meeting_id).order_by(
            StatementSource.id
        )
    ).all()


def add_url(world, kind: str) -> str:
    return f"/processes/prov/statements/{world['statement'].id}/sources/{kind}"


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_participants_cannot_add_or_remove_links(client, login, world, db, who):
    login(world[who])
    assert post(client, add_url(world, "thread"), target=world["thread"].id).status_code == 403
    assert links(db) == []
    db.add(StatementSource(statement_id=world["statement"].id, thread_id=world["thread"].id))
    db.commit()
    source_id = db.scalar(sa.select(StatementSource.id))
    remove = f"/processes/prov/statements/{world['statement'].id}/sources/{source_id}/remove"
    assert post(client, remove).status_code == 403
    assert len(links(db)) == 1
    page = client.get(f"/processes/prov/statements/{world['statement'].id}").get_data(as_text=True)
    assert "Remove link" not in page and "Link a source" not in page


def test_a_facilitator_links_each_kind_with_pickers_and_removes_a_link(client, login, world, db):
    login(world["facilitator"])
    statement_page = f"/processes/prov/statements/{world['statement'].id}"
    page = client.get(statement_page).get_data(as_text=True)
    # Pickers list the process's own records, never another process's, and ask for no typed id.
    assert "Telling households first" in page and "Leeds workshop" in page and "Consent is not meaningful" in page
    assert "Another process" not in page and "Elsewhere meeting" not in page
    comments_page = client.get(f"{statement_page}?thread={world['thread'].id}").get_data(as_text=True)
    assert f'value="{world["quoted"].id}"' in comments_page and f'value="{world["hidden"].id}"' not in comments_page
    for kind, target in (
        ("thread", world["thread"].id),
        ("issue", world["issue"].id),
        ("comment", world["quoted"].id),
        ("meeting", world["published_meeting"].id),
    ):
        response = post(client, add_url(world, kind), target=target)
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert links(db) == [
        (world["thread"].id, None, None),
        (world["issue"].id, None, None),
        (None, world["quoted"].id, None),
        (None, None, world["published_meeting"].id),
    ]
    added_by = db.scalars(sa.select(StatementSource.added_by_id)).all()
    assert set(added_by) == {world["facilitator"].id}
    page = client.get(statement_page).get_data(as_text=True)
    assert "Tell <strong>every</strong> household before sharing." in page and "Supports" in page
    first = db.scalar(sa.select(StatementSource.id).order_by(StatementSource.id))
    assert post(client, f"{statement_page}/sources/{first}/remove").status_code == 302
    assert [row[0] for row in links(db)] == [world["issue"].id, None, None]


@pytest.mark.parametrize(
    ("kind", "key", "message"),
    [
        ("thread", "other_thread", "Choose a thread of this process"),
        ("comment", "other_comment", "Choose a comment from a thread of this process"),
        ("meeting", "other_meeting", "Choose a meeting of this process"),
        ("issue", "thread", "Choose an issue of this process"),  # a discussion is not an issue
        ("comment", "hidden", "That comment was deleted or hidden"),
    ],
)
def test_picks_from_another_process_or_hidden_are_refused_beside_the_picker(
    client, login, world, db, kind, key, message
):
    login(world["facilitator"])
    response = post(client, add_url(world, kind), target=world[key].id)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and f'href="#{kind}-target"' in page
    assert links(db) == []


@pytest.mark.parametrize("target", ["", "abc", "-3", "99999999999"])
def test_an_empty_or_malformed_pick_is_refused_without_an_error_page(client, login, world, db, target):
    login(world["facilitator"])
    response = post(client, add_url(world, "meeting"), target=target)
    assert response.status_code == 400 and "Choose a meeting" in response.get_data(as_text=True)
    assert links(db) == []
    assert post(client, add_url(world, "statement"), target="1").status_code == 404


def test_the_same_source_twice_is_refused(client, login, world, db):
    login(world["facilitator"])
    assert post(client, add_url(world, "comment"), target=world["quoted"].id).status_code == 302
    again = post(client, add_url(world, "comment"), target=world["quoted"].id)
    assert again.status_code == 400 and "already linked to that comment" in again.get_data(as_text=True)
    assert len(links(db)) == 1


def test_removing_a_link_of_another_statement_is_not_found(client, login, world, db):
    from consult.agreement.models import Statement

    other = Statement(process_id=world["process"].id, text="Another statement")
    db.add(other)
    db.commit()
    db.add(StatementSource(statement_id=other.id, thread_id=world["thread"].id))
    db.commit()
    source_id = db.scalar(sa.select(StatementSource.id))
    login(world["facilitator"])
    remove = f"/processes/prov/statements/{world['statement'].id}/sources/{source_id}/remove"
    assert post(client, remove).status_code == 404
    assert len(links(db)) == 1


def test_a_link_to_a_comment_hidden_later_shows_only_to_facilitators(client, login, world, db):
    from consult.db import utcnow

    db.add(StatementSource(statement_id=world["statement"].id, comment_id=world["quoted"].id))
    db.commit()
    statement_page = f"/processes/prov/statements/{world['statement'].id}"
    assert "household before sharing" in client.get(statement_page).get_data(as_text=True)
    comment = db.get(type(world["quoted"]), world["quoted"].id)
    comment.hidden_at, comment.hidden_reason = utcnow(), "Off topic"
    db.commit()
    public = client.get(statement_page).get_data(as_text=True)
    assert "household before sharing" not in public and "No thread, comment, meeting or issue" in public
    login(world["facilitator"])
    assert "Not public" in client.get(statement_page).get_data(as_text=True)
