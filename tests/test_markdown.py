"""The Markdown renderer is the only way user text becomes HTML, so it is tested as a security boundary.

Every payload of the corpus goes through both renderers; the output is parsed with html.parser (as a
browser would see the tags and attributes) and must contain nothing that can run script or load
active content, and no link with a scheme other than http, https or mailto.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from markupsafe import Markup

from consult.markdown import Heading, render_document, render_markdown

SAFE_SCHEMES = {"http", "https", "mailto"}
FORBIDDEN_TAGS = {
    "script", "svg", "math", "iframe", "img", "style", "object", "embed", "base", "link", "meta",
    "form", "input", "button", "textarea", "frame", "frameset", "noscript", "template", "video",
    "audio", "source", "body", "html", "h1",
}  # fmt: skip
# What the sanitiser is configured to let through (consult.markdown); anything else is a regression.
EXPECTED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h2",
    "h3", "h4", "hr", "table", "thead", "tbody", "tr", "th", "td", "del",
}  # fmt: skip
EXPECTED_ATTRIBUTES = {"a": {"href", "title", "rel"}, "th": {"align"}, "td": {"align"}}
HEADING_TAGS = {"h2", "h3", "h4"}
C0_CONTROLS_AND_SPACE = "".join(chr(code) for code in range(0x21))
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# An attribute named on... inside a tag, found without a parser as a second opinion (quoted attribute
# values are removed first: the sanitiser leaves harmless text such as title="x&quot; onclick=" there).
QUOTED_VALUE = re.compile(r"=\s*(\"[^\"]*\"|'[^']*')")
EVENT_ATTRIBUTE_IN_TAG = re.compile(r"<[^>]*[\s/]on\w+\s*=", re.IGNORECASE)

XSS_CORPUS = [
    # Script tags, obfuscated and broken.
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<script type="text/javascript">alert(1)</script>',
    "<<script>alert(1);//<</script>",
    '"><script>alert(1)</script>',
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
    "<scr\x00ipt>alert(1)</scr\x00ipt>",
    # SVG and MathML.
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    '<math href="javascript:alert(1)">x</math>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    # Frames, objects and other active content.
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "<link rel=stylesheet href=//evil.example/x.css>",
    # Images.
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "<img/src/onerror=alert(1)>",
    "![x](javascript:alert(1))",
    '![x](x" onerror="alert(1))',
    "![x](https://evil.example/tracker.png)",
    # Dangerous schemes in Markdown links.
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](file:///etc/passwd)",
    "- [x](javascript:alert(1))",
    # Dangerous schemes in HTML links.
    '<a href="javascript:alert(1)">x</a>',
    "<a href=javascript:alert(1)>x</a>",
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="DATA:text/html,x">x</a>',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    # Event-handler attributes.
    '<p onclick="alert(1)">x</p>',
    '<a href="https://ok.example" onmouseover="alert(1)">x</a>',
    '<a href="#" onclick=alert(1)>x</a>',
    "<div onpointerenter=alert(1)>x</div>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<isindex type=image src=1 onerror=alert(1)>",
    '<a href="https://ok.example" title=\'x" onclick="alert(1)\'>x</a>',
    '[x](https://ok.example "title\\" onmouseover=\\"alert(1)")',
    # Style.
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    # Comments hiding payloads.
    "<!-- <script>alert(1)</script> -->",
    "<!--><script>alert(1)</script>-->",
    "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->",
    "<!-- --!><img src=x onerror=alert(1)> -->",
    # Mutation XSS: markup that parses differently once serialised and parsed again.
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    '<math><mi><table><mi><mglyph><svg><mtext><textarea><path id="</textarea><img onerror=alert(1) src=1>">',
    "<template><script>alert(1)</script></template>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<title><img src=x onerror=alert(1)></title>",
    # Autolinks.
    "<javascript:alert(1)>",
    '<http://evil.example/" onmouseover="alert(1)>',
    "<https://x.example/<script>alert(1)</script>>",
    "<mailto:x@example.org?body=<script>alert(1)</script>>",
    # Reference links.
    "[x][evil]\n\n[evil]: javascript:alert(1)",
    '[x][evil]\n\n[evil]: data:text/html,alert(1) "title"',
    "[x]\n\n[x]: JaVaScRiPt:alert(1)",
    "![x][evil]\n\n[evil]: javascript:alert(1)",
    # Payloads inside Markdown structures.
    "> <script>alert(1)</script>",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "# <script>alert(1)</script>",
    "```html\n<script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
]

RENDERERS = {
    "render_markdown": render_markdown,
    "render_document": lambda src: render_document(src)[0],
}


class Element:
    def __init__(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tag = tag
        self.attrs = {name.lower(): value or "" for name, value in attrs}


class TagCollector(HTMLParser):
    """Every start tag with its attributes, values decoded as a browser would decode them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, attrs))


def elements(html: str) -> list[Element]:
    parser = TagCollector()
    parser.feed(html)
    parser.close()
    return parser.elements


def url_scheme(href: str) -> str | None:
    """The scheme a browser would use: tabs and newlines removed, C0 controls and spaces trimmed."""
    cleaned = re.sub(r"[\t\n\r]", "", href).strip(C0_CONTROLS_AND_SPACE)
    match = SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def assert_safe(html: str) -> None:
    lowered = html.lower()
    for tag in ("<script", "<svg", "<math", "<iframe", "<img", "<style"):
        assert tag not in lowered, f"{tag} survived: {html!r}"
    unquoted = QUOTED_VALUE.sub("=", html)
    assert not EVENT_ATTRIBUTE_IN_TAG.search(unquoted), f"event handler attribute survived: {html!r}"
    for element in elements(html):
        assert element.tag not in FORBIDDEN_TAGS, f"<{element.tag}> survived: {html!r}"
        handlers = [name for name in element.attrs if name.startswith("on")]
        assert not handlers, f"event handler {handlers} on <{element.tag}>: {html!r}"
        assert "style" not in element.attrs, f"style attribute survived: {html!r}"
        for attribute in ("href", "src", "action", "formaction", "background", "xlink:href", "data"):
            if attribute in element.attrs:
                scheme = url_scheme(element.attrs[attribute])
                assert scheme is None or scheme in SAFE_SCHEMES, (
                    f"{attribute} with scheme {scheme!r} survived: {html!r}"
                )


@pytest.mark.parametrize("renderer", RENDERERS.values(), ids=RENDERERS.keys())
@pytest.mark.parametrize("payload", XSS_CORPUS, ids=[f"xss{n:02d}" for n in range(len(XSS_CORPUS))])
def test_xss_payload_is_rendered_harmless(renderer, payload):
    html = str(renderer(payload))

    assert_safe(html)


@pytest.mark.parametrize("renderer", RENDERERS.values(), ids=RENDERERS.keys())
@pytest.mark.parametrize("payload", XSS_CORPUS, ids=[f"xss{n:02d}" for n in range(len(XSS_CORPUS))])
def test_only_allowlisted_tags_and_attributes_survive(renderer, payload):
    for element in elements(str(renderer(payload))):
        assert element.tag in EXPECTED_TAGS, element.tag
        allowed = EXPECTED_ATTRIBUTES.get(element.tag, set())
        if renderer is not render_markdown and element.tag in HEADING_TAGS:
            allowed = {"id"}
        assert set(element.attrs) <= allowed, (element.tag, element.attrs)


def test_corpus_is_large_enough():
    assert len(XSS_CORPUS) >= 60
    assert len(set(XSS_CORPUS)) == len(XSS_CORPUS), "duplicate payloads"


def test_script_payload_is_shown_as_text_not_dropped_silently_in_code():
    html = str(render_markdown("`<script>alert(1)</script>`"))

    assert "<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>" in html


def test_plain_text_special_characters_are_escaped():
    html = str(render_markdown("Fish & chips < 5 pounds > 3 pounds"))

    assert "&amp;" in html
    assert "&lt;" in html
    assert "<5" not in html


@pytest.mark.parametrize(
    ("source", "href"),
    [
        ("[site](https://example.org/page)", "https://example.org/page"),
        ("[site](http://example.org/)", "http://example.org/"),
        ("[write](mailto:someone@example.org)", "mailto:someone@example.org"),
        ("<https://example.org/auto>", "https://example.org/auto"),
        ("[site][ref]\n\n[ref]: https://example.org/ref", "https://example.org/ref"),
        ('<a href="https://example.org/html">site</a>', "https://example.org/html"),
        ("[about](/about)", "/about"),
    ],
)
def test_safe_links_are_kept_with_nofollow_and_noopener(source, href):
    links = [element for element in elements(str(render_markdown(source))) if element.tag == "a"]

    assert len(links) == 1
    assert links[0].attrs["href"] == href
    rel = links[0].attrs["rel"].split()
    assert "nofollow" in rel
    assert "noopener" in rel


def test_email_autolink_becomes_a_mailto_link_with_rel():
    links = [element for element in elements(str(render_markdown("<me@example.org>"))) if element.tag == "a"]

    assert [url_scheme(link.attrs["href"]) for link in links] == ["mailto"]
    assert "nofollow" in links[0].attrs["rel"].split()


@pytest.mark.parametrize("payload", XSS_CORPUS, ids=[f"xss{n:02d}" for n in range(len(XSS_CORPUS))])
def test_every_surviving_link_has_nofollow_and_noopener(payload):
    for element in elements(str(render_markdown(payload))):
        if element.tag == "a":
            rel = element.attrs.get("rel", "").split()
            assert "nofollow" in rel
            assert "noopener" in rel


def test_user_supplied_rel_and_target_are_replaced():
    html = str(render_markdown('<a href="https://example.org" rel="opener" target="_blank">x</a>'))
    (link,) = [element for element in elements(html) if element.tag == "a"]

    assert "target" not in link.attrs
    assert "opener" not in link.attrs["rel"].split()
    assert {"nofollow", "noopener"} <= set(link.attrs["rel"].split())


def test_user_headings_have_no_id():
    html = str(render_markdown("## Section\n\n### Sub-section\n\n#### Detail"))

    headings = [element for element in elements(html) if element.tag in HEADING_TAGS]
    assert [element.tag for element in headings] == ["h2", "h3", "h4"]
    assert all("id" not in element.attrs for element in headings)


def test_user_cannot_set_an_id_to_clobber_the_page():
    html = str(render_markdown('<h2 id="main-content">x</h2>\n\n<a id="csrf_token" name="x">y</a>'))

    assert all("id" not in element.attrs and "name" not in element.attrs for element in elements(html))


def test_hash_heading_in_user_text_is_demoted_to_h2():
    html = str(render_markdown("# Big title\n\nText"))

    assert "<h1" not in html
    assert [element.tag for element in elements(html)][:1] == ["h2"]
    assert "Big title" in html


def test_no_h1_survives_in_any_form():
    html = str(render_markdown("#Squashed\n\nSetext\n======\n\n<h1>Raw</h1>"))

    assert "<h1" not in html.lower()


def test_document_headings_get_ids_and_a_contents_list():
    html, headings = render_document("# Title\n\n## First part\n\ntext\n\n### Detail\n\n## Second part\n")

    assert headings == [
        Heading(2, "title", "Title"),
        Heading(2, "first-part", "First part"),
        Heading(3, "detail", "Detail"),
        Heading(2, "second-part", "Second part"),
    ]
    rendered = [element for element in elements(str(html)) if element.tag in HEADING_TAGS]
    assert [(element.tag, element.attrs.get("id")) for element in rendered] == [
        ("h2", "title"),
        ("h2", "first-part"),
        ("h3", "detail"),
        ("h2", "second-part"),
    ]
    assert "<h1" not in str(html)


def test_document_contents_list_stops_at_h3():
    html, headings = render_document("## Part\n\n#### Deep")

    assert [heading.text for heading in headings] == ["Part"]
    assert 'id="deep"' in str(html)


def test_document_heading_with_markup_gives_safe_html_and_plain_contents_text():
    html, headings = render_document("## <script>alert(1)</script> & more")

    assert_safe(str(html))
    assert len(headings) == 1
    # The tag is text the author typed (issue 12, finding 13); the template escapes it like any text.
    assert headings[0].text == "<script>alert(1)</script> & more"
    assert not isinstance(headings[0].text, Markup), "contents text must be escaped by the template"


def test_contents_list_text_is_plain_text_so_the_template_escapes_it_once():
    _, headings = render_document("## Fish & chips")

    # The page template prints heading.text with autoescaping; an already-escaped "&amp;" would be
    # shown to readers as "&amp;".
    assert headings[0].text == "Fish & chips"


def test_code_block_comments_are_not_changed_by_heading_demotion():
    source = "```python\n# a comment\nx = 1\n```"

    html = str(render_markdown(source))

    assert "# a comment" in html
    assert "## a comment" not in html


@pytest.mark.parametrize("empty", [None, ""])
def test_empty_input_gives_empty_markup(empty):
    html = render_markdown(empty)

    assert isinstance(html, Markup)
    assert html == Markup("")


def test_empty_document_gives_empty_markup_and_no_headings():
    html, headings = render_document("")

    assert isinstance(html, Markup)
    assert html == Markup("")
    assert headings == []


def test_rendered_output_is_markup_so_templates_do_not_escape_it_twice():
    html = render_markdown("**bold**")

    assert isinstance(html, Markup)
    assert str(html) == "<p><strong>bold</strong></p>"


# Issue 12, finding 13: a tag outside the allow-list is text, shown as typed, with every word around it.
WORDS_WITH_ANGLE_BRACKETS = [
    ("Template vector<int> is fine", "Template vector<int> is fine"),
    ("Saying <script> tags are dangerous", "Saying <script> tags are dangerous"),
    ("<insert department name>", "<insert department name>"),
    ("a < b > c", "a < b > c"),
    ("<3", "<3"),
    ("Use <details> for more\n\nand a second paragraph", "Use <details> for more and a second paragraph"),
    ("<script>\nalert(1)\n</script>\n\nafter", "<script> alert(1) </script> after"),
    ("<div>kept words</div>", "<div>kept words</div>"),
]


class TextCollector(HTMLParser):
    """The text a reader sees, entities decoded, whitespace collapsed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(html: str) -> str:
    collector = TextCollector()
    collector.feed(html)
    collector.close()
    return " ".join("".join(collector.parts).split())


@pytest.mark.parametrize("renderer", RENDERERS.values(), ids=RENDERERS.keys())
@pytest.mark.parametrize(("source", "shown"), WORDS_WITH_ANGLE_BRACKETS)
def test_unknown_tags_are_shown_as_text_with_all_their_words(renderer, source, shown):
    html = str(renderer(source))

    assert visible_text(html) == shown
    assert_safe(html)
    assert {element.tag for element in elements(html)} <= {"p"}, html


@pytest.mark.parametrize(
    ("source", "code"),
    [("`vector<int>`", "vector&lt;int&gt;"), ("```\nvector<int> & <b>\n```", "vector&lt;int&gt; &amp; &lt;b&gt;\n")],
)
def test_code_shows_angle_brackets_once_escaped(source, code):
    html = str(render_markdown(source))

    assert f"<code>{code}</code>" in html
    assert "&amp;lt;" not in html


def test_allowed_tags_still_work_beside_unknown_ones():
    html = str(render_markdown("<b>bold</b>, vector<int> and <em>stress</em><br>next"))

    assert [element.tag for element in elements(html)] == ["p", "b", "em", "br"]
    assert visible_text(html) == "bold, vector<int> and stressnext"


def test_allowed_raw_block_html_leaves_no_empty_paragraphs():
    html = str(render_markdown("<table><tr><td>cell</td></tr></table>"))

    assert html == "<table><tbody><tr><td>cell</td></tr></tbody></table>"


@pytest.mark.parametrize("renderer", RENDERERS.values(), ids=RENDERERS.keys())
@pytest.mark.parametrize(
    "source",
    [
        "HTML comments start with <!-- and end with -->",
        "before <!-- a private note --> after",
        "<!--<img src=x onerror=alert(1)>-->",
        "<!-- --!><img src=x onerror=alert(1)> -->",
        "<!--\nnote on\nthree lines -->",
    ],
)
def test_html_comments_are_shown_as_typed(renderer, source):
    html = str(renderer(source))

    assert visible_text(html) == " ".join(source.split())
    assert_safe(html)
    assert {element.tag for element in elements(html)} <= {"p"}, html


@pytest.mark.parametrize("renderer", RENDERERS.values(), ids=RENDERERS.keys())
@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("![picture](javascript:alert(1))", "picture"),
        ("![picture](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)", "picture"),
        ('![picture"onerror="alert(1)](x)', 'picture"onerror="alert(1)'),
        (
            "a ![relative](images/x.png) and ![protocol-relative](//evil.example/x.png) b",
            "a relative and protocol-relative b",
        ),
        ("*first* ![one](x)![two](y) last", "first onetwo last"),
    ],
)
def test_an_image_without_a_web_address_becomes_its_alt_text(renderer, source, shown):
    html = str(renderer(source))

    assert visible_text(html) == shown
    assert_safe(html)
    assert "href" not in html


@pytest.mark.parametrize("renderer", RENDERERS.values(), ids=RENDERERS.keys())
def test_an_image_with_a_web_address_becomes_a_link_named_by_its_alt_text(renderer):
    html = str(
        renderer(
            'See ![the chart](https://example.org/chart.png "Figures") and ![x][ref]\n\n[ref]: http://example.org/x.png'
        )
    )

    links = [element for element in elements(html) if element.tag == "a"]
    assert [link.attrs["href"] for link in links] == ["https://example.org/chart.png", "http://example.org/x.png"]
    assert links[0].attrs["title"] == "Figures"
    assert visible_text(html) == "See the chart and x"
    assert_safe(html)


def test_an_image_with_no_alt_text_links_with_its_address_as_the_words():
    html = str(render_markdown("![](https://example.org/p.png)"))

    assert visible_text(html) == "https://example.org/p.png"
    assert [element.attrs["href"] for element in elements(html) if element.tag == "a"] == ["https://example.org/p.png"]
