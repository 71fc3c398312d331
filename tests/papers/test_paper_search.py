"""Position papers in search: drafts for facilitators only, the published version for everyone."""

from __future__ import annotations

from consult.accounts.models import Role
from consult.papers import services
from consult.papers.models import PaperStatus
from tests.factories import csrf_from, make_process


def found(client, login, user, q):
    if user is not None:
        login(user)
    page = client.get("/search", query_string={"q": q})
    assert page.status_code == 200
    if user is not None:
        client.post("/account/sign-out", data={"csrf_token": csrf_from(client.get("/account/").get_data(as_text=True))})
    return page.get_data(as_text=True)


def test_papers_are_searchable_once_published_and_drafts_only_by_facilitators(client, login, db, app, make_user):
    facilitator = make_user(roles=(Role.FACILITATOR,))
    participant = make_user()
    process = make_process(db, slug="searchable-papers")
    with app.app_context():
        paper = services.create_paper(db, process, actor=facilitator, title="Quokkaword conclusions")
        db.commit()
    assert f"/papers/{paper.id}/draft" in found(client, login, facilitator, "quokkaword")
    assert f"/papers/{paper.id}" not in found(client, login, participant, "quokkaword")
    assert f"/papers/{paper.id}" not in found(client, login, None, "quokkaword")
    with app.app_context():
        services.save_version(
            db,
            paper,
            actor=facilitator,
            base_version=1,
            title="Quokkaword conclusions",
            summary="",
            body="## Findings\n\nThe groups agreed on a narrow flag, wombatword in plain terms.",
            change_note="Rewrote",
        )
        services.change_status(db, paper, actor=facilitator, target=PaperStatus.IN_REVIEW.value)
        services.change_status(db, paper, actor=facilitator, target=PaperStatus.APPROVED.value)
        services.publish(db, paper, actor=facilitator, confirm_open_comments=False)
        db.commit()
    public = found(client, login, None, "wombatword")
    assert f"/papers/{paper.id}/versions/2" in public and "Position paper" in public
    assert f"/papers/{paper.id}/versions/2" in found(client, login, participant, "quokkaword")
