"""The one conflict picture every versioned document shows when a stale save is refused (issue #13 item 2)."""

from __future__ import annotations

from datetime import datetime

from flask import render_template_string

from consult.conflicts import conflict_between

PANEL = '{% from "components/conflict.html" import conflict_panel %}{{ conflict_panel(conflict) }}'


def test_only_the_parts_that_differ_are_compared_word_by_word():
    conflict = conflict_between(
        [("Title", "Same", "Same"), ("Text", "Their <b>words</b> here", "My <b>words</b> here")],
        version=3,
        saved_by="Ada",
        change_note="  Tidied  ",
    )
    assert [part.label for part in conflict.parts] == ["Text"]
    assert conflict.parts[0].saved == "<del>Their</del> &lt;b&gt;words&lt;/b&gt; here"
    assert conflict.parts[0].yours == "<ins>My</ins> &lt;b&gt;words&lt;/b&gt; here"
    assert (conflict.version, conflict.saved_by, conflict.change_note) == (3, "Ada", "Tidied")


def test_the_panel_says_who_saved_when_and_why_and_shows_the_diff(app):
    conflict = conflict_between(
        [("Notes", "Old words", "New words")], version=2, saved_by="Ada", saved_at=datetime(2025, 3, 4, 10, 0)
    )
    with app.test_request_context():
        page = render_template_string(PANEL, conflict=conflict)
    assert "Version 2 was saved by Ada at" in page and "Nothing of yours was saved" in page
    assert "govuk-warning-text" in page and '<th scope="row" class="govuk-table__header">Notes</th>' in page
    assert "<del>Old</del> words" in page and "<ins>New</ins> words" in page


def test_the_panel_copes_with_an_unknown_author_and_identical_texts(app):
    with app.test_request_context():
        page = render_template_string(PANEL, conflict=conflict_between([("Notes", "Same", "Same")]))
        nothing = render_template_string(PANEL, conflict=None)
    assert "A newer version was saved by someone else" in page
    assert "Your text is the same as the newer version" in page and "<table" not in page
    assert nothing.strip() == ""
