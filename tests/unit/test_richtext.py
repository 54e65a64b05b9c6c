import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from cia import richtext as rt
from cia.richtext import BulletList, LineBreak, Link, NumberedList, Paragraph, Table, Text

# --- markup constructs -----------------------------------------------------------


def test_paragraphs_and_line_breaks():
    blocks = rt.parse("First line\nsecond line\n\n\nNext paragraph")
    assert blocks == [
        Paragraph([Text("First line"), LineBreak(), Text("second line")]),
        Paragraph([Text("Next paragraph")]),
    ]
    html = rt.to_html("First line\nsecond line\n\nNext paragraph")
    assert isinstance(html, Markup)
    assert html.count('<p class="govuk-body">') == 2 and "<br>" in html
    assert rt.to_plain("a\nb\n\n\nc") == "a\nb\n\nc"


@pytest.mark.parametrize("marker", ["- ", "* ", "• ", "◦ ", "–  ", "•\t"])
def test_bullet_markers(marker):
    text = f"Groups affected:\n{marker}older residents\n{marker}carers\nMore text"
    blocks = rt.parse(text)
    assert blocks == [
        Paragraph([Text("Groups affected:")]),
        BulletList([[Text("older residents")], [Text("carers")]]),
        Paragraph([Text("More text")]),
    ]
    assert rt.to_plain(text) == "Groups affected:\n\n• older residents\n• carers\n\nMore text"
    assert '<ul class="govuk-list govuk-list--bullet"><li>older residents</li>' in rt.to_html(text)


def test_numbered_list_and_indented_continuation():
    text = "1. Review the service\n  with partners\n2) Consult users\n3.\tPublish"
    assert rt.parse(text) == [
        NumberedList([[Text("Review the service"), LineBreak(), Text("with partners")],
                      [Text("Consult users")], [Text("Publish")]])
    ]
    assert rt.to_plain(text) == "1. Review the service\n   with partners\n2. Consult users\n3. Publish"
    assert '<ol class="govuk-list govuk-list--number">' in rt.to_html(text)


def test_tab_table_pasted_from_excel():
    pasted = "Age band\tPre %\tPost %\r\n16-24\t8\t7\r\n25-49\t55\t56\r\n50+\t37\t\r\n"
    stored = rt.clean(pasted)
    assert stored == "Age band\tPre %\tPost %\n16-24\t8\t7\n25-49\t55\t56\n50+\t37\t"
    (table,) = rt.tables(stored)
    assert table.header and len(table.rows) == 4
    assert table.rows[3] == [[Text("50+")], [Text("37")], []]
    html = rt.to_html(stored)
    assert '<table class="govuk-table">' in html and html.count('<th scope="col" class="govuk-table__header">') == 3
    assert html.count('<td class="govuk-table__cell">') == 9
    assert rt.to_plain(stored).splitlines()[0] == "Age band | Pre % | Post %"


def test_pipe_table_ignores_separator_and_pads_rows():
    text = "| Sex | % |\n|:---|---:|\n| Female | 52 |\n| Male |"
    (table,) = rt.tables(text)
    assert len(table.rows) == 3 and all(len(r) == 2 for r in table.rows)
    assert rt.to_plain(text) == "Sex | %\nFemale | 52\nMale |"


def test_single_tab_line_is_a_paragraph():
    assert rt.parse("Total\t100") == [Paragraph([Text("Total\t100")])]
    assert rt.parse("\tindented\n\tagain") == [Paragraph([Text("indented"), LineBreak(), Text("again")])]
    assert len(rt.tables("A\tB\n1\t2\nNotes\t\n")[0].rows) == 3  # a row with one filled cell stays


def test_links():
    text = ("See https://www.ons.gov.uk/census, [the strategy](https://www.staffordshire.gov.uk/x_(y)) "
            "and (https://gov.uk). Bad: [click](javascript:alert(1)) [data](data:text/html,hi) "
            "[mail](mailto:cia@staffordshire.gov.uk) [empty]()")
    found = rt.links(text)
    assert found == [
        Link("https://www.ons.gov.uk/census", "https://www.ons.gov.uk/census"),
        Link("the strategy", "https://www.staffordshire.gov.uk/x_(y)"),
        Link("https://gov.uk", "https://gov.uk"),
        Link("mail", "mailto:cia@staffordshire.gov.uk"),
        Link("empty", ""),
    ]
    html = rt.to_html(text)
    assert 'href="https://www.ons.gov.uk/census"' in html and 'rel="noopener noreferrer"' in html
    assert "javascript" not in html and "data:" not in html and ">click<" not in html
    assert "click" in html and "empty" in html and 'href=""' not in html
    plain = rt.to_plain(text)
    assert "the strategy (https://www.staffordshire.gov.uk/x_(y))" in plain
    assert "See https://www.ons.gov.uk/census," in plain and "(https://gov.uk)." in plain


def test_excerpt():
    text = "First paragraph of a long answer.\n\n- one bullet\n- another bullet with more words in it"
    assert rt.excerpt(text) == "First paragraph of a long answer. • one bullet • another bullet with more words in it"
    short = rt.excerpt(text, 30)
    assert len(short) <= 30 and short.endswith("…") and "\n" not in short
    assert rt.excerpt("") == ""


# --- clean ------------------------------------------------------------------------------


def test_clean_normalises_whitespace_and_controls():
    raw = "\r\n\n  \nLine one   \r\nLine\x0b two\x00\x1f\x0c\ufffe\uffff\ud800\n\n\n   \n"
    assert rt.clean(raw) == "Line one\nLine two"
    assert rt.clean("  indented first line  \n\u2028next") == "  indented first line\n\nnext"
    assert rt.clean(None) == "" and rt.clean("   \n\t\n") == ""


def test_clean_leaves_comparisons_and_addresses_alone():
    for text in ("x < 5 and y > 3", "Contact <team@example.org>", "a<b", "Use <placeholder> here"):
        assert rt.clean(text) == text


def test_clean_converts_pasted_html():
    html = ("<!--StartFragment--><p class=MsoNormal>Residents &amp; carers</p><p>Line<br>break</p>"
            "<ul><li>one</li><li>two</li></ul><ol><li>first</li><li>second</li></ol>"
            "<table><tr><th>Group</th><th>%</th></tr><tr><td>Male</td><td>48</td></tr></table>"
            '<p><a href="https://www.gov.uk/x">GOV.UK</a> <a href="/intranet">intranet</a> '
            '<a href="mailto:a@b.org">mail</a> <span style="color:red">red</span></p>')
    assert rt.clean(html) == (
        "Residents & carers\n\nLine\nbreak\n\n- one\n- two\n\n1. first\n2. second\n\n"
        "Group\t%\nMale\t48\n\n[GOV.UK](https://www.gov.uk/x) intranet [mail](mailto:a@b.org) red"
    )


def test_clean_keeps_typed_paragraphs_when_stray_tag():
    assert rt.clean("One\n\n<b>Two</b>\n- three") == "One\n\nTwo\n- three"


def test_clean_entity_escaped_script_is_removed():
    assert rt.clean("&lt;script&gt;alert(1)&lt;/script&gt;<i>ok</i>") == "ok"


# --- XSS corpus ---------------------------------------------------------------------------

XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"javascript:alert('x')\">",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<a href=\"JAVASCRIPT:alert(1)\">click</a>",
    "<a href=\"java&#x09;script:alert(1)\">click</a>",
    "<a href=\"&#106;avascript:alert(1)\">click</a>",
    "<a href=\" javascript:alert(1)\">click</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">click</a>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<a href=\"vbscript:msgbox(1)\">click</a>",
    "<form action=javascript:alert(1)><input type=submit>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<p onclick=\"alert(1)\">hi</p>",
]

_TAG_OUT = re.compile(r"<[^>]*>")


def _assert_safe(html: str, cleaned: bool = True) -> None:
    assert "<script" not in html.lower()
    for tag in _TAG_OUT.findall(html):
        assert not re.search(r"\son\w+\s*=", tag, re.I), tag
        assert "javascript:" not in tag.lower() and "data:" not in tag.lower(), tag
    for href in re.findall(r'href="([^"]*)"', " ".join(_TAG_OUT.findall(html))):
        assert href.startswith(("http://", "https://", "mailto:")), href
    if cleaned:  # text that skipped clean() is shown escaped, as visible text
        assert "javascript:" not in html.lower()


@pytest.mark.parametrize("payload", XSS)
def test_xss_payloads_are_neutralised(payload):
    body = ("Intro paragraph\n\n- bullet one\n- bullet two\n\n1. step\n2. next\n\n"
            "A\tB\n1\t2\n\n[link](https://www.gov.uk)")
    stored = rt.clean(body + "\n\n" + payload)
    html = rt.to_html(stored)
    _assert_safe(html)
    _assert_safe(rt.to_html(payload), cleaned=False)  # even text that never went through clean()
    blocks = rt.parse(stored)
    assert any(isinstance(b, BulletList) for b in blocks) and any(isinstance(b, NumberedList) for b in blocks)
    assert any(isinstance(b, Table) for b in blocks)
    assert 'href="https://www.gov.uk"' in html and "Intro paragraph" in html


# --- properties ------------------------------------------------------------------------------

_PIECES = st.sampled_from(["<p>", "</p>", "<br>", "<ul><li>", "</li>", "<a href='https://x.org'>", "</a>",
                           "<script>", "&lt;b&gt;", "&amp;", "\t", "\n", "\n\n", "- ", "1. ", "|", "[t](",
                           ")", "https://gov.uk/a.", "<", ">", "\r", "\x0b", "\ud800", " "])
_TEXTS = st.one_of(st.text(), st.lists(st.one_of(_PIECES, st.text(max_size=5))).map("".join))
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_clean_is_idempotent_and_strips_controls(text):
    once = rt.clean(text)
    assert rt.clean(once) == once
    assert not _CONTROL.search(once) and "\r" not in once


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_outputs_never_raise(text):
    for value in (text, rt.clean(text)):
        html = rt.to_html(value)
        assert "<script" not in html.lower()
        assert isinstance(rt.to_plain(value), str)
        rt.links(value), rt.tables(value)
        assert len(rt.excerpt(value, 40)) <= 40


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_the_fast_path_for_plain_text_renders_exactly_as_parsing_would(text):
    assert rt.to_html(text) == rt._to_html(text)


def test_one_line_fields_lose_every_bidi_control_and_long_text_its_overrides():
    assert rt.clean_line(" \u202egnp.exe\n\u2066name\u2069\u200f ") == "gnp.exe name"
    assert rt.clean("\u202egnp.exe\n\u202bآرا\u202c") == "gnp.exe\nآرا"
    rtl = "\u200fمرحبا\u200f and \u2067עברית\u2069"  # marks and isolates right-to-left writers use
    assert rt.clean(rtl) == rtl


def test_text_with_nothing_to_clean_is_returned_as_it_is_and_as_the_full_cleaning_leaves_it():
    """clean() returns plain ASCII text unchanged without parsing it; what it returns must be what
    the full cleaning gives. A leading line break is removed by it, so clean("\\n" + text) always
    takes the full path."""
    rng = random.Random(13)
    pieces = [*"ab <>/p\n\t\r &;x1.-", "\x0b", "\x7f", "\x00", "<p>", "</b>", "&lt;b&gt;", "<script>",
              " \n", "\n\n", "\t\n", "é", "\u202e"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert rt.clean(text) == rt.clean("\n" + text), repr(text)
