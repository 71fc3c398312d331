"""Every payload of the hostile corpus goes through every form: no server error, nothing executable, no lost words.

FORMS lists each form that takes input, with its fields and the pages that show what it stores;
test_every_post_route_joins_the_corpus fails when a POST route is in neither FORMS nor EXCLUDED, so a new
form joins the corpus. How a form is driven (tests/hostile_run.py): first its valid values alone, which
must be accepted; then the payloads in batches, each between two marker words (zqa… and zqb…) so it is
still checked on its own: the widest text field carries every payload in chunks that fit its maximum
length, narrower ones take what fits in turn; then the choice fields together and each format, secret
and hidden field alone get the corpus; then the long strings. An accepted submission is checked on each
page that shows its text (and on list pages once, at the end); a refused one must show a GOV.UK error
summary with the typed text kept. tests/hostile.py says what counts as a word.
"""

from __future__ import annotations

import json
from datetime import timedelta
from itertools import count

import pytest
import sqlalchemy as sa

from consult.accounts import throttle
from consult.agreement.models import StatementStatus, Vote
from consult.clock import london_today
from consult.discussions.models import IssueStatus, Thread
from consult.meetings.models import Meeting, NoteStatus
from consult.objectives.fields import FIELDS as PROPOSAL_FIELDS
from consult.objectives.fields import LINK_KEYS
from consult.objectives.lifecycle import Status
from consult.objectives.models import BoardRecommendation, Proposal
from consult.papers.models import Paper, PaperStatus
from tests import hostile
from tests.factories import fresh_token
from tests.hostile_run import (
    CHOICE,
    CORPUS,
    FORMAT,
    HIDDEN,
    MARKDOWN,
    REDIRECT,
    SECRET,
    SHORT,
    TEXT,
    Field,
    Form,
    Runner,
    Target,
    tally,
)
from tests.hostile_world import World

_serial = count(1)


def day(offset: int) -> list[str]:
    when = london_today() + timedelta(days=offset)
    return [str(when.day), str(when.month), str(when.year)]


def T(limit: int) -> Field:
    return Field(TEXT, limit)


def M(limit: int) -> Field:
    return Field(MARKDOWN, limit)


def F(limit: int = 1000) -> Field:
    return Field(FORMAT, limit)


C, S, H = Field(CHOICE), Field(SECRET), Field(HIDDEN)
P = "/processes/hostile-corpus"
G = f"{P}/groups/corpus-group"


def _slug(prefix: str) -> str:
    return f"{prefix}-{next(_serial)}"


def _register(w: World) -> Target:
    email = f"hostile{next(_serial)}@example.org"
    valid = {"email": email, "display_name": "Name", "sector": "civil_society", "password": "plum ladder quietly"}
    pages = [(f"/admin/users?q={email}", ("display_name",))]
    return Target("/account/register", valid, pages, lists=[("/admin/claims", ("organisation",))])


def _sign_in(w: World) -> Target:
    """Failed sign-ins make the next attempt wait (a 429, tested in tests/accounts/test_sign_in_throttle.py);
    forgetting them before each submission, as a successful sign-in does, lets every batch reach the check."""
    email = "nobody@example.org"
    throttle.clear(w.db, email)
    w.db.commit()
    return Target("/account/sign-in", {"email": email, "password": "not the password"})


def _new_process(w: World) -> Target:
    slug = _slug("corpus")
    valid = {"slug": slug, "title": "Title", "summary": "Summary"}
    return Target("/processes/new", valid, [(f"/processes/{slug}", None)], lists=[("/processes/", ("title",))])


def _add_stage(w: World) -> Target:
    start = 400 + 3 * next(_serial)  # stages may not overlap
    valid = {"kind": "drafting", "starts_on": day(start), "ends_on": day(start + 1)}
    return Target(f"{P}/stages", valid, [(P, ("description",))])


def _new_group(w: World) -> Target:
    valid = {"slug": _slug("group"), "name": "Name", "remit": "Remit", "join_policy": "open"}
    return Target(f"{P}/groups/new", valid, [(REDIRECT, None)], lists=[(P, ("name",))])


def _new_thread(w: World) -> Target:
    w.member  # noqa: B018 - only members start threads
    valid = {"kind": "issue", "title": "Title", "body": "Body", "stance": "", "submission_token": fresh_token()}
    lists = [(G, ("title",)), (f"{P}/issues", ("title",)), (f"{G}/feed.atom", ("body",))]
    lists.append((f"/search?q={hostile.START}0x*", ("title",)))  # the titles' marker words, by prefix
    return Target(f"{G}/threads/new", valid, [(REDIRECT, None)], lists)


def _edit_comment(w: World) -> Target:
    path = f"/comments/{w.comment.id}"
    return Target(f"{path}/edit", {"body": "Edited"}, [(REDIRECT, None), (f"{path}/history", None)])


def _issue_status(w: World) -> Target:
    thread = w.db.get(Thread, w.thread.id, populate_existing=True)
    status = "answered" if thread.issue_status != IssueStatus.ANSWERED else "being_considered"
    return Target(f"/threads/{thread.id}/status", {"status": status, "note": "Note"}, [(REDIRECT, None)])


def _summary(w: World) -> Target:
    thread = w.db.get(Thread, w.thread.id, populate_existing=True)
    valid = {"base_version": str(thread.summary_version), "body": "Summary"}
    return Target(f"/threads/{thread.id}/summary", valid, [(REDIRECT, None), (f"/threads/{thread.id}/summary", None)])


def _thread_title(w: World) -> Target:
    """A facilitator corrects the member's title, so the reason is required and published in the log."""
    path = f"/threads/{w.thread.id}"
    return Target(
        f"{path}/title", {"title": "Title", "reason": "R"}, [(REDIRECT, ("title",))], [(f"{P}/moderation", ("reason",))]
    )


def _moderate_thread(w: World) -> Target:
    """Hide a fresh thread and restore a hidden one in turn: both reasons are published in the log."""
    lists = [(f"{P}/moderation", None)]
    if next(_serial) % 2:
        thread = w.fresh_thread()
        return Target(f"/threads/{thread.id}/moderate", {"action": "hide", "reason": "R"}, [(REDIRECT, None)], lists)
    thread = w.fresh_thread(hidden=True)
    return Target(f"/threads/{thread.id}/moderate", {"action": "restore", "reason": "R"}, lists=lists)


def _notes_status(w: World) -> Target:
    meeting = w.db.get(Meeting, w.meeting.id, populate_existing=True)
    status = NoteStatus.FINAL if meeting.notes_status == NoteStatus.SHARED else NoteStatus.SHARED
    return Target(f"/meetings/{meeting.id}/notes/status", {"status": status.value})


def _meeting_notes(w: World) -> Target:
    meeting = w.db.get(Meeting, w.meeting.id, populate_existing=True)
    valid = {"base_version": str(meeting.notes_version), "body": "Notes"}
    return Target(f"/meetings/{meeting.id}/notes", valid, [(REDIRECT, None), (f"/meetings/{meeting.id}", None)])


def _new_meeting(w: World) -> Target:
    valid = {"title": "T", "day": day(30), "start_time": "10:00", "end_time": "12:00", "venue": "Hall", "city": "Leeds"}
    lists = [(f"{P}/feed.atom", ("title", "agenda"))]
    return Target(f"{P}/meetings/new", valid | {"group": ""}, [(REDIRECT, None)], lists)


def _vote(w: World) -> Target:
    def stored() -> str:
        return w.db.scalar(sa.select(Vote.reason).order_by(Vote.id.desc()).limit(1)) or ""

    w.member  # noqa: B018 - voters are signed in
    return Target(f"{P}/statements/{w.statement.id}/vote", {"value": "agree"}, [(stored, None)])


def _decide(w: World) -> Target:
    statement = w.fresh_statement(StatementStatus.PROPOSED)
    path = f"{P}/statements/{statement.id}"
    return Target(f"{path}/decision", {"decision": "reject", "reason": "R"}, [(path, None)])


def _outcome(w: World) -> Target:
    path = f"{P}/statements/{w.statement.id}/outcome"
    # No votes yet: an agreement outcome needs other evidence cited, with a reason (agreement.ledger.record_outcome).
    cited = {"basis": f"thread-{w.thread.id}", "basis_reason": "R"}
    valid = {"kind": "agreed_with_caveats", "summary": "S", "caveats": "C"} | cited
    return Target(path, valid, [(f"{P}/ledger", None), (path, ("summary",))])


def _open_mediation(w: World) -> Target:
    pages = [(w.latest_mediation_parties, ("parties",))]
    path = f"{P}/statements/{w.fresh_statement().id}/mediation"
    return Target(path, {"parties": "Both sides"}, pages, lists=[(f"{P}/mediation", ("notes",))])


def _close_mediation(w: World) -> Target:
    valid = {"result": "reframed", "notes": "N", "new_statement": "Reframed"}
    lists = [(f"{P}/mediation", ("notes",)), (f"{P}/statements", ("new_statement",))]
    return Target(f"{P}/mediations/{w.fresh_mediation().id}", valid, lists=lists)


def _proposal_edit(w: World) -> Target:
    proposal = w.db.get(Proposal, w.public_proposal.id, populate_existing=True)
    valid = {"base_version": str(proposal.version), "change_note": "Changed", "title": "Title"}
    return Target(f"/objectives/proposals/{proposal.id}/edit", valid, [(f"/objectives/proposals/{proposal.id}", None)])


def _transition(w: World) -> Target:
    proposal = w.fresh_proposal()
    valid = {"target": "paused", "reason": "Reason", "confirmed": "yes"}
    return Target(f"/objectives/proposals/{proposal.id}/transition", valid, [(REDIRECT, ("reason",))])


def _assess(w: World) -> Target:
    proposal = w.fresh_proposal(Status.OPEN_POLICY_DISCUSSION)
    valid = {"criterion": "purpose", "view": "met", "note": "Note"}
    return Target(f"/objectives/proposals/{proposal.id}/assessments", valid, [(REDIRECT, None)])


def _recommend(w: World) -> Target:
    proposal = w.fresh_proposal(Status.REVIEW_BOARD)

    def stored() -> str:
        query = sa.select(BoardRecommendation.reasons).where(BoardRecommendation.proposal_id == proposal.id)
        return w.db.scalar(query) or ""

    valid = {"recommendation": "proceed", "reasons": "Reasons"}
    return Target(f"/objectives/proposals/{proposal.id}/recommendation", valid, [(stored, None)])


def _consultees(w: World) -> Target:
    proposal = w.fresh_proposal(Status.CONSULTATION)
    valid = {"consultee": "ico", "consulted_on": day(-5), "replied_on": day(-1)}
    return Target(f"/objectives/proposals/{proposal.id}/consultees", valid, [(REDIRECT, None)])


def _paper_edit(w: World) -> Target:
    paper = w.db.get(Paper, w.drafting_paper.id, populate_existing=True)
    valid = {"base_version": str(paper.current_version), "title": "Title", "body": "Body", "change_note": "Note"}
    pages = [(REDIRECT, ("title", "summary", "body")), (f"/papers/{paper.id}/versions", ("change_note",))]
    return Target(f"/papers/{paper.id}/edit", valid, pages)


def _paper_status(w: World) -> Target:
    paper = w.fresh_paper(PaperStatus.DRAFTING)
    return Target(f"/papers/{paper.id}/status", {"target": "in_review"}, [(f"/papers/{paper.id}/versions", None)])


def _publish(w: World) -> Target:
    paper = w.fresh_paper(PaperStatus.APPROVED)
    return Target(f"/papers/{paper.id}/publish", {"confirm": "y"}, [(f"/papers/{paper.id}/versions", None)])


def _proposal_fields() -> dict[str, Field]:
    built = {"change_note": T(1000), "base_version": H}
    for item in PROPOSAL_FIELDS:
        if item.key == "new_bodies":
            built[item.key] = F(20000)  # lines of "name | reason"
        elif item.key in LINK_KEYS:
            built[item.key] = F(500)  # a checked web address (consult.weblinks)
        elif item.kind == "text":
            built[item.key] = T(200 if item.key == "title" else 500)
        elif item.kind == "long":
            built[item.key] = T(20000)
        else:
            built[item.key] = C
    return built


FORMS: dict[str, Form] = {
    # Accounts: the names shown next to everything people write, and the credential forms.
    "accounts.register": Form(
        None,
        {"display_name": T(80), "organisation": T(200), "email": F(254), "sector": C, "password": S},
        _register,
        viewer="admin",
    ),
    "accounts.edit_profile": Form(
        "reader",
        {"display_name": T(80), "organisation": T(200), "sector": C},
        lambda w: Target("/account/edit", {"display_name": "Name", "sector": "civil_society"}, [("/account/", None)]),
    ),
    "accounts.sign_in": Form(
        None,
        {"email": F(254), "password": S},
        _sign_in,
        control=False,  # nobody has that address
    ),
    "accounts.request_reset": Form(
        None, {"email": F(254)}, lambda w: Target("/account/reset-password", {"email": "nobody@example.org"})
    ),
    "accounts.change_email": Form(
        "reader",
        {"email": F(254), "password": S},
        lambda w: Target("/account/email", {"email": "elsewhere@example.org", "password": "not the password"}),
        control=False,  # the wrong password, so no address changes
    ),
    "accounts.change_password": Form(
        "reader",
        {"current_password": S, "new_password": S},
        lambda w: Target("/account/password", {"current_password": "not it", "new_password": "a new long passphrase"}),
        control=False,  # the wrong current password, so the password stays
    ),
    # Processes and working groups.
    "processes.new": Form(
        "facilitator",
        {"title": T(200), "slug": F(80), "summary": M(20000), "principles": M(20000), "objectives_concerned": M(5000)}
        | {"outcome_min_votes": F(10), "outcome_min_sectors": F(10)},
        _new_process,
    ),
    "processes.edit": Form(
        "facilitator",
        {"title": T(200), "summary": M(20000), "principles": M(20000), "objectives_concerned": M(5000)}
        | {"outcome_min_votes": F(10), "outcome_min_sectors": F(10)},
        lambda w: Target(f"{P}/edit", {"title": "T", "summary": "S"}, [(P, None), ("/processes/", ("title",))]),
    ),
    "processes.add_stage": Form("facilitator", {"description": T(500), "kind": C}, _add_stage),
    "processes.new_group": Form(
        "facilitator", {"name": T(200), "slug": F(80), "remit": M(20000), "join_policy": C}, _new_group
    ),
    "processes.join": Form(
        "reader",
        {"declared_interests": T(1000)},
        lambda w: Target(f"{P}/groups/{w.fresh_group().slug}/join", {}, [(REDIRECT, None)]),
        viewer="facilitator",
    ),
    # Discussions and moderation.
    "discussions.new_thread": Form(
        "member", {"title": T(200), "body": M(20000), "kind": C, "stance": C, "submission_token": H}, _new_thread
    ),
    "discussions.reply": Form(
        "member",
        {"body": M(20000), "stance": C, "parent_id": H, "submission_token": H},
        lambda w: Target(
            f"/threads/{w.thread.id}/replies",
            {"parent_id": str(w.opening.id), "body": "Reply", "submission_token": fresh_token()},
            [(REDIRECT, None)],
            lists=[(f"{G}/feed.atom", ("body",))],
        ),
    ),
    "discussions.edit": Form("member", {"body": M(20000), "stance": C}, _edit_comment),
    "discussions.status": Form("facilitator", {"note": T(2000), "status": C}, _issue_status),
    "discussions.summary": Form("facilitator", {"body": M(20000), "base_version": H}, _summary),
    "discussions.title": Form("facilitator", {"title": T(200), "reason": T(1000)}, _thread_title),
    "moderation.report": Form(
        "reader",
        {"reason": T(1000)},
        lambda w: Target(
            f"/comments/{w.fresh_comment().id}/report", {"reason": "R"}, lists=[(f"{P}/moderation/queue", None)]
        ),
        viewer="facilitator",
    ),
    "moderation.moderate": Form(
        "facilitator",
        {"reason": T(1000), "action": C},
        lambda w: Target(
            f"/comments/{w.fresh_comment().id}/moderate",
            {"action": "hide", "reason": "R"},
            lists=[(f"{P}/moderation", None)],
        ),
    ),
    "moderation.moderate_thread": Form("facilitator", {"reason": T(500), "action": C}, _moderate_thread),
    "moderation.block": Form(
        "facilitator",
        {"reason": T(1000), "days": F()},
        lambda w: Target(
            f"{G}/members/{w.member_membership.id}/block",
            {"days": "7", "reason": "R"},
            lists=[(f"{P}/moderation", None)],
        ),
    ),
    # Meetings.
    "meetings.new": Form(
        "facilitator",
        {"title": T(200), "venue": T(300), "city": T(100), "agenda": M(20000)}
        | {"papers": F(5000), "remote_url": F(500), "capacity": F(), "start_time": F(), "group": C},
        _new_meeting,
    ),
    "meetings.notes": Form("facilitator", {"body": M(50000), "base_version": H}, _meeting_notes),
    "meetings.notes_status": Form("facilitator", {"status": C}, _notes_status),
    "meetings.note_comment": Form(
        "member",
        {"body": T(5000)},
        lambda w: Target(
            f"/meetings/{w.meeting.id}/note-comments", {"body": "B"}, [(f"/meetings/{w.meeting.id}", None)]
        ),
        viewer="facilitator",
        accepted_flash="the facilitators will consider your comment",
    ),
    "meetings.actions": Form(
        "facilitator",
        {"description": T(500), "owner": T(200)},
        lambda w: Target(f"/meetings/{w.meeting.id}/actions", {"description": "D", "owner": "O"}, [(REDIRECT, None)]),
    ),
    "meetings.rsvp": Form(
        "member",
        {"mode": C},
        lambda w: Target(f"/meetings/{w.meeting.id}/rsvp", {"mode": "in_person"}),
        accepted_flash="your reply is recorded",
    ),
    "meetings.action_status": Form(
        "facilitator",
        {"status": C},
        lambda w: Target(f"/meetings/{w.meeting.id}/actions/{w.meeting_action.id}", {"status": "done"}),
    ),
    # Agreement: statements, votes, the ledger and mediation.
    "agreement.propose": Form(
        "facilitator",
        {"text": T(400), "submission_token": H},
        lambda w: Target(
            f"{P}/statements",
            {"text": "Statement", "submission_token": fresh_token()},
            lists=[(f"{P}/statements", None)],
        ),
    ),
    "provenance.propose_from_comment": Form(
        "facilitator",
        {"text": T(400), "submission_token": H, "comment_id": H},
        lambda w: Target(
            f"{P}/statements/from-comment",
            {"text": "Statement", "submission_token": fresh_token(), "comment_id": str(w.comment.id)},
            lists=[(f"{P}/statements", None)],
        ),
    ),
    "agreement.vote": Form("member", {"reason": T(280), "value": C}, _vote, accepted_flash="You voted"),
    "agreement.decide": Form(
        "facilitator", {"reason": T(500), "decision": C}, _decide, accepted_flash="Statement rejected"
    ),
    "agreement.outcome": Form(
        "facilitator",
        {name: T(5000) for name in ("summary", "caveats", "options", "reasons_for", "reasons_against")}
        | {"kind": C, "basis": C, "basis_reason": T(2000)},
        _outcome,
    ),
    "agreement.flag": Form(
        "reader",
        {"reason": T(500)},
        lambda w: Target(
            f"{P}/statements/{w.fresh_statement().id}/flag", {"reason": "R"}, lists=[(f"{P}/mediation", None)]
        ),
        viewer="facilitator",
    ),
    "agreement.open_mediation": Form(
        "facilitator", {"parties": T(1000), "notes": T(20000), "meeting_url": F(500)}, _open_mediation
    ),
    "agreement.close_mediation": Form(
        "facilitator", {"notes": T(20000), "new_statement": T(400), "result": C}, _close_mediation
    ),
    # Objectives: drafting, the checklist answers, the lifecycle and the review records.
    "objectives.new": Form(
        "officer",
        {"title": T(200)},
        lambda w: Target("/objectives/proposals/new", {"title": "T"}, lists=[("/objectives/", None)]),
    ),
    "objectives.edit": Form("officer", _proposal_fields(), _proposal_edit),
    "objectives.transition": Form(
        "officer",
        {"reason": T(2000), "response_url": F(500), "si_number": F(40), "target": C, "confirmed": H},
        _transition,
    ),
    "objectives.link_process": Form(
        "facilitator",
        {"process_slug": F(80)},
        lambda w: Target(f"/objectives/proposals/{w.public_proposal.id}/process", {"process_slug": w.process.slug}),
    ),
    "objectives.assess": Form(
        "facilitator", {"note": T(5000), "criterion": C, "view": C, "evidence_thread_id": F()}, _assess
    ),
    "objectives.recommend": Form("board", {"reasons": T(5000), "recommendation": C}, _recommend),
    "objectives.consultees": Form("officer", {"reply": T(20000), "consultee": C}, _consultees),
    # Position papers.
    "papers.new": Form(
        "facilitator",
        {"title": T(200), "summary": M(5000), "proposal_id": C},
        lambda w: Target(f"{P}/papers/new", {"title": "T", "proposal_id": ""}, [(REDIRECT, None)]),
    ),
    # The body has no maximum; 5,000-character chunks keep one refused chunk from hiding the rest.
    "papers.edit": Form(
        "facilitator",
        {"title": T(200), "summary": M(5000), "body": M(5000), "change_note": T(500), "base_version": H},
        _paper_edit,
    ),
    "papers.status": Form("facilitator", {"note": T(1000), "target": C}, _paper_status),
    "papers.publish": Form("facilitator", {"note": T(1000)}, _publish),
    "papers.comment": Form(
        "member",
        {"body": M(5000), "paragraph": H, "submission_token": H},
        lambda w: Target(
            f"/papers/{w.paper.id}/paragraphs/0/comment",
            {"paragraph": "0", "body": "B", "submission_token": fresh_token()},
            [(REDIRECT, None)],
        ),
    ),
    "papers.reply": Form(
        "member",
        {"body": M(5000), "submission_token": H},
        lambda w: Target(
            f"/papers/{w.paper.id}/comments/{w.fresh_paper_comment().id}/reply",
            {"body": "B", "submission_token": fresh_token()},
            [(REDIRECT, None)],
        ),
    ),
    "papers.resolve": Form(
        "facilitator",
        {"note": T(500)},
        lambda w: Target(
            f"/papers/{w.paper.id}/comments/{w.fresh_paper_comment().id}/resolve", {"note": "N"}, [(REDIRECT, None)]
        ),
    ),
    # Forms of fixed choices only: a tampered value must be refused without a server error.
    "notifications.settings": Form(
        "member",
        {"decision_email": C, "notification_email": C},
        lambda w: Target("/notifications/settings", {"decision_email": "each", "notification_email": "daily"}),
    ),
    "admin.user": Form(
        "admin",
        {"role": C, "action": C},
        lambda w: Target(f"/admin/users/{w.reader.id}", {"role": "facilitator", "action": "grant"}),
    ),
}

# POST routes with no text a person types, each with the reason it is left out.
EXCLUDED = {
    "accounts.sign_out": "a button",
    "accounts.sign_out_everywhere": "a button",
    "accounts.resend_verification": "a button",
    "accounts.verify": "a Continue button on an emailed link",
    "accounts.confirm_email_change": "a Continue button on an emailed link",
    "accounts.reset_password": "an emailed link whose one field is new_password, as in change_password",
    "admin.decide": "approve or reject buttons",
    "admin.retry_job": "a Queue again button (the malformed-id walk covers ids)",
    "admin.disable": "a yes or no button",
    "discussions.delete": "a button",
    "meetings.attendance": "tick boxes of user ids (the malformed-id walk covers ids)",
    "notifications.follow": "a button with ids (the malformed-id walk covers ids)",
    "notifications.mark_read": "a button",
    "papers.hide": "a button",
    "papers.naming": "a yes or no button",
    "processes.decide": "approve or reject buttons",
    "processes.leave": "a button",
    "provenance.add": "a picker of ids offered by the page (the malformed-id walk covers ids)",
    "provenance.remove": "a button",
    "processes.remove_stage": "a button",
}


def test_every_post_route_joins_the_corpus(app):
    """A new form must join FORMS (or EXCLUDED, with a reason), so hostile input keeps reaching every form."""
    posts = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())}
    assert posts - FORMS.keys() - EXCLUDED.keys() == set(), "POST routes missing from FORMS and EXCLUDED"
    assert (FORMS.keys() | EXCLUDED.keys()) - posts == set(), "FORMS or EXCLUDED name routes that no longer exist"
    assert FORMS.keys() & EXCLUDED.keys() == set()


def test_the_corpus_has_its_families():
    """At least 234 payloads in about 15 named families, each with a note of what it probes."""
    families = json.loads(hostile.CORPUS.read_text(encoding="utf-8"))["families"]
    assert len(CORPUS) >= 234 and len(families) >= 15
    assert all(family["probes"] and family["payloads"] for family in families)
    assert len({p.text for p in CORPUS}) == len(CORPUS), "each payload once"


@pytest.mark.parametrize("endpoint", sorted(FORMS))
def test_form_takes_the_whole_corpus(app, db, endpoint):
    world = World(db, app)
    world.process  # noqa: B018 - most forms act inside the corpus process
    problems = Runner(app, world, endpoint, FORMS[endpoint]).run()
    assert not problems, tally(problems) + "\n".join(problems[:60])


def test_search_box_keeps_every_payload_as_typed(client):
    """The search box (a GET form) shows each query back in its field, escaped and whole."""
    queries = [""]
    for payload in SHORT:
        text = hostile.mark(payload.text, f"0x{payload.number}", markdown=False)
        if queries[-1] and len(f"{queries[-1]} {text}") > 1000:  # the box's maxlength
            queries.append("")
        queries[-1] = f"{queries[-1]} {text}".strip()
    problems = []
    for query in queries:
        reader = hostile.read_page(client.get("/search", query_string={"q": query}).get_data(as_text=True))
        problems += reader.problems
        if hostile.words(" ".join(reader.values.get("q", []))) != hostile.words(query):
            problems.append(f"the search box lost words of {query[:100]!r}")
    assert not problems, "\n".join(problems)
