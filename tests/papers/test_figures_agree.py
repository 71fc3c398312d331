"""Issue #14 item 3: a statement's figures read the same on every page and document that shows them."""

from __future__ import annotations

import html
import io
import json
import re

from odf import teletype
from odf.opendocument import load
from odf.text import P

from consult.accounts.models import Sector
from tests.factories import post
from tests.papers import test_papers as papers

world = papers.world  # the papers tests' process: votes by two sectors, a cached analysis and a ledger

ROW = r"{name} (\d+) \((\d+)%\) (\d+) \((\d+)%\) (\d+) (\d+)"  # a table row: agree, disagree, pass, votes
SENTENCE = r"(\d+) agree \((\d+)%\), (\d+) disagree \((\d+)%\) of (\d+) votes"
OVERALL = r"(\d+) agree \((\d+)%\) · (\d+) disagree \((\d+)%\) · (\d+) pass \((\d+)%\) · (\d+) votes?"


def share(count: int, votes: int) -> int | None:
    """The expected share, worked out here independently: whole percent, halves rounded up (none without votes)."""
    return (200 * count + votes) // (2 * votes) if votes else None


def expected(entry: dict) -> dict:
    """What every page must say, from the JSON report's raw counts."""

    def row(figures: dict) -> tuple[int, ...]:
        a, d, v = figures["agree"], figures["disagree"], figures["votes"]
        return a, share(a, v), d, share(d, v), v - a - d, v

    votes = entry["agree"] + entry["disagree"] + entry["pass"]
    counts = (entry["agree"], entry["disagree"], entry["pass"])
    overall = (*(x for count in counts for x in (count, share(count, votes))), votes)
    names = dict(Sector.choices())
    rows = {names[key]: row(v) for key, v in entry["sectors"].items()}
    rows |= {g["name"]: row(g) for g in entry["groups"]}
    return {"overall": overall, "rows": rows}


def text_of(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def read_page(page: str, names: list[str]) -> dict:
    """The overall line and every sector and group row of one statement's part of a page."""
    text = text_of(page)
    overall = re.search(OVERALL, text)
    rows = {}
    for name in names:
        found = re.search(ROW.format(name=re.escape(name)), text)
        if found:
            a, ap, d, dp, p, v = (int(x) for x in found.groups())
            rows[name] = (a, ap, d, dp, p, v)
    return {"overall": tuple(int(x) for x in overall.groups()) if overall else None, "rows": rows}


def part(page: str, marker: str, text: str) -> str:
    """The block (ledger card, paper finding) that quotes the statement."""
    blocks = [b for b in page.split(marker) if html.escape(text, quote=False) in b or text in b]
    assert blocks, text
    return blocks[0]


def test_a_statements_figures_agree_on_every_page_and_document(client, login, world, app):
    paper_id = papers.generate(client, login, world)
    papers.status(client, paper_id, "in_review")
    papers.status(client, paper_id, "approved", "Agreed")
    assert post(client, f"/papers/{paper_id}/publish").status_code == 302
    result = app.test_cli_runner().invoke(args=["agreement", "report", "papers", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert [g["name"] for g in report["groups"]] == [f"Group {chr(65 + n)}" for n in range(len(report["groups"]))]
    assert len(report["groups"]) >= 2
    results = client.get("/processes/papers/agreement").get_data(as_text=True)
    ledger_page = client.get("/processes/papers/ledger").get_data(as_text=True)
    paper_page = client.get(f"/papers/{paper_id}").get_data(as_text=True)
    document = load(io.BytesIO(client.get(f"/papers/{paper_id}/versions/1/paper.odt").data))
    odt = [teletype.extractText(p) for p in document.getElementsByType(P)]
    findings = world["statements"][:3]  # agreed, agreed with caveats (passes), split by sector
    for statement in findings:
        entry = next(e for e in report["statements"] if e["statement"] == statement.id)
        want = expected(entry)
        assert want["rows"], "the fixture's votes should give sector and group figures"
        for g in entry["groups"]:  # the JSON report's own percentages are the same figures
            assert (g["agree_percent"], g["disagree_percent"]) == (
                want["rows"][g["name"]][1],
                want["rows"][g["name"]][3],
            )
        names = list(want["rows"])
        pages = {
            "statement page": client.get(f"/processes/papers/statements/{statement.id}").get_data(as_text=True),
            "ledger": part(ledger_page, 'class="govuk-summary-card"', statement.text),
            "paper": part(paper_page, 'class="consult-finding"', statement.text),
            "evidence page": client.get(f"/papers/{paper_id}/versions/1/evidence/finding/{statement.id}").get_data(
                as_text=True
            ),
        }
        for where, page in pages.items():
            assert read_page(page, names) == want, where
            assert "estimated (smoothed)" in text_of(page), where  # consensus is labelled as an estimate
            assert "Opinion group" not in text_of(page), where
        # The document: the finding's lines, up to the next finding.
        start = odt.index(f"Finding: {statement.text}")
        lines = []
        for line in odt[start + 1 :]:
            if line.startswith("Finding:"):
                break
            lines.append(line)
        odt_overall = next(re.search(OVERALL, line) for line in lines if re.search(OVERALL, line))
        assert tuple(int(x) for x in odt_overall.groups()) == want["overall"]
        for name, figures in want["rows"].items():
            line = next(line for line in lines if line.startswith(f"{name}: "))
            a, ap, d, dp, v = (int(x) for x in re.search(SENTENCE, line).groups())
            assert (a, ap, d, dp, v - a - d, v) == figures, name
        # The results page's table of divisive statements: one cell per group, in group order.
        row = re.search(
            r"<tr[^>]*><td[^>]*>" + re.escape(html.escape(statement.text)) + r"</td>(.*?)</tr>", results, re.S
        )
        assert row, statement.text
        cells = [text_of(c) for c in re.findall(r"<td[^>]*data-figures-cell>(.*?)</td>", row.group(1), re.S)]
        assert len(cells) == len(entry["groups"])
        for g, cell in zip(entry["groups"], cells, strict=True):
            a, ap, d, dp, v = (int(x) for x in re.search(SENTENCE, cell).groups())
            assert (a, ap, d, dp, v - a - d, v) == want["rows"][g["name"]]
    # What sets each group apart is told in the same raw figures as every other page.
    texts = {s.id: s.text for s in world["statements"]}
    wanted = {texts[e["statement"]]: expected(e) for e in report["statements"] if e["statement"] in texts}
    checked = 0
    for name, items in re.findall(
        r"<td[^>]*>(Group [A-Z]+)</td><td[^>]*>\d+</td>\s*<td[^>]*>(.*?)</td>", results, re.S
    ):
        for item in re.findall(r"<li>(.*?)</li>", items, re.S):
            said = text_of(item)
            text = next(t for t in wanted if said.startswith(t + ":"))
            a, ap, d, dp, v = (int(x) for x in re.search(SENTENCE, said).groups())
            assert (a, ap, d, dp, v - a - d, v) == wanted[text]["rows"][name], said
            checked += 1
    assert checked
    assert "group 1" not in text_of(results).lower()
