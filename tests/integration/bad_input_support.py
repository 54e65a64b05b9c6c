"""What the bad-input tests share (tests/integration/test_bad_input*.py): hostile values, a way to
post a page's own form back with generated changes, and the checks every refusal must pass.

Every test posts what a browser would (the form read from the page, see tests.helpers.page_fields),
changed by Hypothesis: values replaced by hostile text, fields left out, fields sent twice and
fields that are not on the page at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from tests.helpers import error_summary

NASTY = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300),
    st.sampled_from(["", " ", "\x00", "\x0b\x0c\x1f", "yes", "no", "13", "-1", "99999999999999999999", "abc",
                     "2026", "javascript:alert(1)", "<script>alert(1)</script>", "=HYPERLINK(\"x\")",
                     "../../etc/passwd", "%s%s%n", "☃" * 50, "a" * 20_001, "Unknown", "1e309", "NaN"]),
)

#: Values no form expects: control and format characters, right-to-left and astral-plane text,
#: digits that are not ASCII ("²".isdigit() is True but int("²") fails), numbers too long for
#: int() or for a database column, printf and format patterns, and text over every limit.
#: (Lone surrogates cannot travel in an HTTP request, so there are none.)
ODD_VALUES = [
    "\x00", "a\x00b", "\x0b", "\x1b[2J\x1b[31mred", "\x7f\x85", "\u2028\u2029", "\ufeff\u200b", "\uffff",
    "\u202egnp.exe", "مرحبا بالعالم", "עברית ו-English", "𝕳𝖊𝖑𝖑𝖔 😀🏴󠁧󠁢󠁳󠁣󠁴󠁿", "\U0010fffd", "e\u0301" * 40,
    "²", "٣", "１２", "9" * 30, "1" * 5000, "-0", "+1", "0x1f", "1_000", "inf", "0", "1", "2", "yes", "no",
    "default", "error", "warning", "advice", "on", "false", "y",
    "%", "%s", "%(max)d", "%%", "{0}", "{max}", "\\", "'\"`",
    "x" * 100_001, "line\n" * 20_000, "é" * 301, "a" * 300, "b" * 20_000, "c" * 20_001, "d" * 5001,
]

#: Text a person might type or paste: any characters (not over any limit, mostly).
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80)

HOSTILE = st.one_of(
    NASTY,
    st.sampled_from(ODD_VALUES),
    st.text(alphabet=st.characters(whitelist_categories=("Cc", "Cf", "Zl", "Zp", "Zs")), min_size=1, max_size=20),
    st.text(alphabet=st.characters(min_codepoint=0x0590, max_codepoint=0x08FF), min_size=1, max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0x10000, blacklist_categories=("Cs",)), min_size=1, max_size=40),
)

#: Numbers no form sends: digits that are not ASCII, too many digits for int() or for an id column,
#: signs, decimals, exponents, spaces, hexadecimal, nothing.
ODD_NUMBERS = ["²", "٣", "１２", "9" * 20, "1" * 5000, "-1", "0", "1.5", "1e3", " 1", "0x1", ""]

#: Indices of list items that are not a position on the page.
ODD_INDICES = ["²", "٣", "１", "99999", "1" * 5000, "-1", "", "x", "0x1"]

#: Hypothesis settings for tests whose fixtures are set up once for all examples.
FAST = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                  HealthCheck.data_too_large, HealthCheck.filter_too_much])


def examples(n: int):
    return settings(max_examples=n, **FAST)


@dataclass
class Post:
    """A form as it is sent: the pairs in order (a name may repeat), and what was done to it."""

    pairs: list[tuple[str, str]]
    dropped: set[str] = field(default_factory=set)
    junk: set[str] = field(default_factory=set)
    #: Only what a person could type in the browser (no fields left out, repeated or made up).
    typed: bool = False

    def first(self, name: str) -> str | None:
        """The value the application reads (the first of a repeated name), or None if not sent."""
        return next((v for k, v in self.pairs if k == name), None)

    def names(self) -> set[str]:
        return {k for k, _ in self.pairs}

    def body(self) -> MultiDict:
        return MultiDict(self.pairs)


def pick(data, items: list, label: str):
    """One of `items`, drawn by position so that the draw does not depend on how many there are
    (Hypothesis replays draws, and a page's fields can change between examples)."""
    return items[data.draw(st.integers(0, 999), label=label) % len(items)] if items else None


def hostile_post(data, fields: dict[str, str], *, lists: tuple[str, ...] = (), keep: tuple[str, ...] = ("csrf_token",),
                 max_changes: int = 5, values=HOSTILE, typed_only: bool = False) -> Post:
    """The form `fields` (as read from the page) with generated damage:
    up to `max_changes` values replaced by `values`, and unless `typed_only` (what a person could do
    in the browser), up to two fields left out, up to two sent twice (the second copy hostile), and
    up to three names that are not on the page (items of `lists` at odd positions, or any text)."""
    names = sorted(n for n in fields if n not in keep)
    position = st.integers(0, 999)

    def named(draws):
        return {names[i % len(names)]: v for i, v in draws} if names else {}

    changed = named(data.draw(st.lists(st.tuples(position, values), max_size=max_changes), label="changed"))
    if typed_only:
        return Post([(k, changed.get(k, v)) for k, v in fields.items()], typed=True)
    dropped = set(named(data.draw(st.lists(st.tuples(position, st.just("")), max_size=2), label="dropped")))
    twice = named(data.draw(st.lists(st.tuples(position, HOSTILE), max_size=2), label="sent twice"))
    subfields = sorted({n.rsplit("-", 1)[1] for n in names if re.fullmatch(r"[a-z_]+-\d+-[a-z_]+", n)}) or ["title"]
    odd_item = st.builds(lambda name, index, sub: f"{name}-{index}-{sub}", st.sampled_from(lists or ("x",)),
                         st.sampled_from(ODD_INDICES), position.map(lambda i: subfields[i % len(subfields)]))
    junk = dict(data.draw(st.lists(st.tuples(odd_item, HOSTILE), max_size=2), label="items at odd positions"))
    junk.update(data.draw(st.dictionaries(st.text(min_size=1, max_size=20), HOSTILE, max_size=1), label="any names"))
    junk = {k: v for k, v in junk.items() if k not in fields}
    pairs = [(k, changed.get(k, v)) for k, v in fields.items() if k not in dropped]
    pairs += list(twice.items()) + list(junk.items())
    return Post(pairs, dropped=dropped, junk=set(junk))


def hostile_page_post(data, html: str, fields: dict[str, str], lists: tuple[str, ...]) -> tuple[Post, list[str], str]:
    """The page's form (`fields`, read from `html`) with generated damage: a third of the time only what
    a person could type, else `hostile_post`'s; mostly Save, else one of the page's buttons or a hostile
    one pressed. (the post, the page's buttons, the button pressed or "")."""
    typed_only = data.draw(st.integers(0, 2), label="typed only") == 0
    post = hostile_post(data, fields, lists=lists, values=TEXT if typed_only else HOSTILE, typed_only=typed_only)
    buttons = re.findall(r'name="action" value="([^"]+)"', html)
    kind = 0 if typed_only else data.draw(st.integers(0, 9), label="button")  # mostly Save
    pressed = "" if kind < 6 else pick(data, buttons or ["add:x"], "which") if kind < 8 else data.draw(HOSTILE)
    if pressed:
        post.pairs.append(("action", pressed))
    return post, buttons, pressed


def messages(html: str) -> list[str]:
    """The messages in the page's GOV.UK error summary (links, or plain items without one)."""
    linked = [text for _, text in error_summary(html) if text]
    if linked:
        return linked
    match = re.search(r'<div class="govuk-error-summary".*?</div>\s*</div>', html, re.S)
    if not match:
        return []
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0))).strip()
    return [text] if text else []


#: WTForms' built-in messages: a form that shows one has a field without a message of its own.
WTFORMS_DEFAULTS = r"Not a valid|This field is required|Invalid input|Field must be|Invalid choice"


def assert_explained(response) -> list[str]:
    """A refusal: a GOV.UK error summary with at least one message; the messages."""
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html, f"{response.status_code} refused without an error summary"
    found = messages(html)
    assert found and all(m.strip() for m in found), "an error summary without a message"
    defaults = [m for m in found if re.search(WTFORMS_DEFAULTS, m)]
    assert not defaults, f"WTForms' own wording, not the service's: {defaults}"
    return found


def assert_never_broken(response, allowed: tuple[int, ...]) -> None:
    event(f"status {response.status_code}")  # shown by pytest --hypothesis-show-statistics
    assert response.status_code != 500, "the request gave a 500"
    assert response.status_code in allowed, response.status_code


#: Requests a page of the service never sends: no CSRF token, a forged one, one with a NUL, and a
#: body that is not a form at all (bytes that are not UTF-8, broken percent-escapes).
FORGED = [
    {"data": {"name": "x"}},
    {"data": {"csrf_token": "forged", "name": "x"}},
    {"data": {"csrf_token": "a\x00b" * 50}},
    {"data": b"\xff\xfe%zz%%=&&csrf_token=%00&=", "content_type": "application/x-www-form-urlencoded"},
    {"data": b"--x\r\nContent-Disposition: form-data; name=\"a\r\n\r\n--", "content_type": "multipart/form-data; boundary=x"},
    {"data": b'{"csrf_token": "x"}', "content_type": "application/json"},
]


def post_urls(app, blueprint: str, values: dict[str, object]) -> list[str]:
    """Every address of `blueprint` that takes a POST, with `values` for its parts."""
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(f"{blueprint}.") and "POST" in (rule.methods or ()):
            url = rule.rule
            for name in rule.arguments:
                url = re.sub(rf"<(?:\w+:)?{name}>", str(values[name]), url)
            urls.append(url)
    return urls


def assert_forgery_refused(response) -> None:
    """The CSRF check's own page: 400, saying the form could not be sent (nothing is saved)."""
    assert response.status_code == 400, response.status_code
    assert "Your form could not be sent" in response.get_data(as_text=True)
