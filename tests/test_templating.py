"""Template helpers: plain text with clickable web addresses, and nothing else turned into markup."""

from __future__ import annotations

from consult.agreement.models import Statement
from consult.templating import linkify
from tests.factories import make_process, post


def test_linkify_links_web_addresses_and_escapes_everything_else():
    html = str(linkify('Open https://consult.example/reset/abc?x=1&y=2 <b>now</b> or javascript:alert(1) "q"'))
    assert '<a class="govuk-link" href="https://consult.example/reset/abc?x=1&amp;y=2">' in html
    assert "&lt;b&gt;now&lt;/b&gt;" in html and "<b>" not in html
    assert 'href="javascript' not in html and "&#34;q&#34;" in html


def test_a_vote_confirmation_never_cuts_the_statement_mid_word(client, login, make_user, db):
    process = make_process(db, slug="long-statement")
    text = "Water companies should share a flag for customers in water poverty " * 3
    statement = Statement(process_id=process.id, text=text.strip())
    db.add(statement)
    db.commit()
    login(make_user())
    response = post(client, f"/processes/{process.slug}/statements/{statement.id}/vote", value="agree")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    quoted = page.split("You voted agree on “", 1)[1].split("”", 1)[0]
    assert quoted.endswith(" …") and text.startswith(quoted.removesuffix(" …")), quoted
    assert quoted.removesuffix(" …").split()[-1] in text.split(), "the last word shown is a whole word"
