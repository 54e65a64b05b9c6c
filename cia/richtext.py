"""Rich text of long answers: the one place that sanitises input and interprets the markup.

Authors type in plain <textarea>s; we store what they typed in a small plain-text markup:

* paragraphs are separated by blank lines; a single newline is a line break;
* bullet lists: consecutive lines starting "- ", "* ", "• ", "◦ ", "– " (marker then spaces/tab);
* numbered lists: consecutive lines starting "1. " or "1) " (any number up to 3 digits);
* tables: 2+ consecutive lines containing a TAB (pasted from Excel/Word), or 2+ lines that
  start and end with "|" (markdown separator lines such as |---|---| are ignored); the
  first row is the header row;
* links: bare http(s):// URLs and [text](url); only http, https and mailto become links.

`clean()` runs once on the way in (pasted HTML is sanitised with nh3 and turned into this
markup). Every output (HTML pages, Word, Excel, the checker) goes through `parse()`,
`to_html()` or `to_plain()`. Nothing here imports Flask.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3
from markupsafe import Markup, escape

__all__ = [
    "Block", "BulletList", "Inline", "LineBreak", "Link", "NumberedList", "Paragraph", "Table", "Text",
    "clean", "excerpt", "is_plain", "links", "parse", "safe_url", "tables", "to_html", "to_plain",
]

# --- the block model -----------------------------------------------------------


@dataclass
class Text:
    text: str


@dataclass
class Link:
    text: str
    url: str  # "" for an empty target ("[text]()"), which renders as plain text


@dataclass
class LineBreak:
    pass


Inline = Text | Link | LineBreak


@dataclass
class Paragraph:
    inlines: list[Inline] = field(default_factory=list)


@dataclass
class BulletList:
    items: list[list[Inline]] = field(default_factory=list)


@dataclass
class NumberedList:
    items: list[list[Inline]] = field(default_factory=list)


@dataclass
class Table:
    rows: list[list[list[Inline]]] = field(default_factory=list)
    header: bool = True


Block = Paragraph | BulletList | NumberedList | Table

SAFE_SCHEMES = ("http://", "https://", "mailto:")


def safe_url(url: str) -> bool:
    """True when `url` may become a link (http, https or mailto, however it is disguised)."""
    squashed = re.sub(r"[\x00-\x20\x7f]+", "", url).lower()
    return squashed.startswith(SAFE_SCHEMES) and squashed == url.strip().lower()


# --- clean: the sanitiser on the way in -------------------------------------------

_BAD_CHARS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(chr(p * 0x10000 + 0xFFFE) + chr(p * 0x10000 + 0xFFFF) for p in range(1, 17))
    + "]"
)
#: The characters of `_BAD_CHARS` that are ASCII.
_BAD_ASCII = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_TRAILING_WS = re.compile(r"[^\S\t\n]+$", re.M)  # trailing tabs are kept: they are empty table cells
_TAG_NAMES = (
    "a|abbr|address|applet|area|article|aside|audio|b|base|basefont|bdi|bdo|big|blink|blockquote|body|"
    "br|button|canvas|caption|center|cite|code|col|colgroup|data|datalist|dd|del|details|dfn|dialog|dir|"
    "div|dl|dt|em|embed|fieldset|figcaption|figure|font|footer|form|frame|frameset|h[1-6]|head|header|"
    "hr|html|i|iframe|image|img|input|ins|isindex|kbd|keygen|label|legend|li|link|main|map|mark|marquee|"
    "math|menu|meta|meter|nav|nobr|noembed|noframes|noscript|o:p|object|ol|optgroup|option|output|p|"
    "param|picture|plaintext|pre|progress|q|rp|rt|ruby|s|samp|script|section|select|slot|small|source|"
    "span|strike|strong|style|sub|summary|sup|svg|table|tbody|td|template|textarea|tfoot|th|thead|time|"
    "title|tr|track|tt|u|ul|var|video|wbr|xmp"
)
_TAG = re.compile(rf"<(?:/?(?:{_TAG_NAMES})(?=[\s/>])[^<>]*>|!--|!doctype)", re.I)

_IN_TAGS = {"p", "div", "br", "ul", "ol", "li", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "a",
            "h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCK_TAGS = {"table", "p", "div", "h1", "h2", "h3", "h4", "h5", "h6"}
_DROP_CONTENT = {"script", "style", "template", "iframe", "noscript", "noembed", "noframes", "object",
                 "svg", "math", "title", "textarea", "select", "xmp"}


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _TRAILING_WS.sub("", _BIDI_OVERRIDES.sub("", _BAD_CHARS.sub("", text)))
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


#: Bidirectional embeddings and overrides (LRE, RLE, PDF, LRO, RLO): they reorder the text after them
#: ("\u202egnp.exe" shows as "exe.png"), including in the page or e-mail around it. Removed everywhere.
_BIDI_OVERRIDES = re.compile("[\u202a-\u202e]")
#: Every other bidirectional control (marks and isolates): kept in long text, where right-to-left
#: writers may use them, but never in a one-line field (names, titles), which lists and e-mail
#: subjects show beside other text.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u2066-\u2069]")


def clean_line(raw: str | None) -> str:
    """Sanitise a one-line field (a name, a title): as clean(), on one line, without bidi controls."""
    return _BIDI_CONTROLS.sub("", clean(raw).replace("\n", " ")).strip()


#: In ASCII text, what clean() could change: control characters (carriage returns among them), a
#: tag's "<", and a space ending a line. Text without any, that neither starts nor ends with white
#: space, is already clean (most answers are).
_MAY_CHANGE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f<]| \n")


def clean(raw: str | None) -> str:
    """Sanitise what an author typed or pasted into the stored markup. Idempotent."""
    if raw and raw.isascii() and raw[0] not in " \t\n" and raw[-1] not in " \t\n" and not _MAY_CHANGE.search(raw):
        return raw
    text = _normalise(raw or "")
    for _ in range(8):  # entity-escaped tags decode to new tags: sanitise again until none remain
        if not _TAG.search(text):
            return text
        text = _normalise(_html_to_markup(text))
    while _TAG.search(text):  # pathological nesting: neutralise what is left
        text = _TAG.sub(lambda m: "\u2039" + m.group()[1:], text)
    return text


def _html_to_markup(html: str) -> str:
    safe = nh3.clean(html, tags=_IN_TAGS, clean_content_tags=_DROP_CONTENT, attributes={"a": {"href"}},
                     url_schemes={"http", "https", "mailto"}, link_rel=None, url_relative="deny")
    converter = _Converter()
    converter.feed(safe)
    converter.close()
    return converter.result()


class _Converter(HTMLParser):
    """Turns nh3's sanitised HTML into the markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.after_br = False
        self.sinks: list[list[str]] = [[]]
        self.hrefs: list[str] = []
        self.lists: list[list] = []  # [tag, counter]
        self.row: list[str] | None = None
        self.cell_depth = 0

    def _emit(self, s: str) -> None:
        self.sinks[-1].append(s)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.after_br = tag == "br"
        if tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            href = href.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
            self.hrefs.append(href if safe_url(href) else "")
            self.sinks.append([])
        elif tag in ("td", "th"):
            self.cell_depth += 1
            if self.cell_depth == 1:
                self.sinks.append([])
        elif self.cell_depth:
            self._emit(" ")
        elif tag == "br":
            self._emit("\n")
        elif tag in ("ul", "ol"):
            self._emit("" if self.lists else "\n\n")  # a nested list continues the outer one
            self.lists.append([tag, 0])
        elif tag == "li":
            marker = "- "
            if self.lists and self.lists[-1][0] == "ol":
                self.lists[-1][1] += 1
                marker = f"{self.lists[-1][1]}. "
            self._emit("\n" + marker)
        elif tag == "tr":
            self.row = []
        elif tag in _BLOCK_TAGS:
            self._emit("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag != "br":
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.hrefs:
            href, text = self.hrefs.pop(), re.sub(r"\s+", " ", "".join(self.sinks.pop())).strip()
            if href and text and text != href:
                self._emit(f"[{text.replace('[', '(').replace(']', ')')}]({href})")
            else:
                self._emit(text or href)
        elif tag in ("td", "th") and self.cell_depth:
            self.cell_depth -= 1
            if self.cell_depth == 0:
                cell = re.sub(r"\s+", " ", "".join(self.sinks.pop())).strip()
                if self.row is None:
                    self._emit(" " + cell + " ")
                else:
                    self.row.append(cell)
        elif self.cell_depth:
            self._emit(" ")
        elif tag == "tr" and self.row is not None:
            if self.row:
                self._emit("\n" + "\t".join(self.row))
            self.row = None
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self._emit("" if self.lists else "\n\n")
        elif tag in _BLOCK_TAGS:
            self._emit("\n\n")

    def handle_data(self, data: str) -> None:
        if self.cell_depth or len(self.sinks) > 1 or not data.strip():
            data = re.sub(r"\s+", " ", data)  # whitespace between tags is layout, not a line break
        elif self.after_br:
            data = re.sub(r"^ *\n", "", data)  # "<br>\n" is one line break
        self.after_br = False
        self._emit(data)

    def result(self) -> str:
        while len(self.sinks) > 1:  # unclosed link or cell (nh3 output is balanced, but be safe)
            self.sinks[-2].extend(self.sinks.pop())
        return re.sub(r"\n{3,}", "\n\n", re.sub(r" +\n", "\n", "".join(self.sinks[0])))


# --- parse -------------------------------------------------------------------------

_BULLET = re.compile(r"^\s*(?:[-*•◦–·▪\uf0a7\uf0b7]\s+|o\t\s*)(.*)$")  # Word pastes "•\t", "o\t", U+F0B7
_NUMBER = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")
_PIPE_SEPARATOR = re.compile(r"^\|?(\s*:?-+:?\s*\|)*\s*:?-+:?\s*\|?$")
_INLINE = re.compile(
    r"\[(?P<text>[^\[\]\n]*)\]\(\s*(?P<target>(?:[^\s()]|\([^\s()]*\))*)\s*\)"
    r"|(?P<bare>https?://[^\s<>\"\[\]]+)",
    re.I,
)


def parse(text: str) -> list[Block]:
    """The markup as blocks. Never raises; any string is some text."""
    blocks: list[Block] = []
    chunk: list[str] = []
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii() or _BAD_ASCII.search(text):  # the usual ASCII answer is scanned by the short class only
        text = _BAD_CHARS.sub("", text)
    for line in text.split("\n") + [""]:
        if line.strip():
            chunk.append(line)
        elif chunk:
            blocks.extend(_parse_chunk(chunk))
            chunk = []
    return blocks


def _kind(line: str) -> str:
    stripped = line.strip()
    if len(stripped) > 1 and stripped[0] == "|" and stripped[-1] == "|":
        return "pipe"
    for kind, pattern in (("bullet", _BULLET), ("number", _NUMBER)):
        m = pattern.match(line)
        if m and "\t" not in m.group(1):
            return kind
    if "\t" in stripped:
        return "tab"
    return "tab?" if "\t" in line else "text"  # only leading/trailing tabs: a row if a table is open


def _parse_chunk(lines: list[str]) -> list[Block]:
    runs: list[tuple[str, list[str]]] = []
    for line in lines:
        kind = _kind(line)
        if kind == "tab?":
            kind = "tab" if runs and runs[-1][0] == "tab" else "text"
        if runs and runs[-1][0] in ("bullet", "number") and kind == "text" and line[:1].isspace():
            runs[-1][1][-1] += "\n" + line.strip()  # an indented line continues the list item
        elif runs and runs[-1][0] == kind:
            runs[-1][1].append(line)
        else:
            runs.append((kind, [line]))
    blocks: list[Block] = []
    for kind, run in runs:
        if kind in ("tab", "pipe") and len(run) < 2:
            kind = "text"
        if kind == "bullet":
            blocks.append(BulletList([_inlines(_marker_text(_BULLET, x) + _rest(x)) for x in run]))
        elif kind == "number":
            blocks.append(NumberedList([_inlines(_marker_text(_NUMBER, x) + _rest(x)) for x in run]))
        elif kind == "tab":
            blocks.append(_table([line.strip(" ").split("\t") for line in run]))
        elif kind == "pipe":
            rows = [line.strip()[1:-1].split("|") for line in run if not _PIPE_SEPARATOR.match(line.strip())]
            blocks.append(_table(rows))
        elif blocks and isinstance(blocks[-1], Paragraph):
            blocks[-1].inlines += [LineBreak()] + _inlines("\n".join(x.strip() for x in run))
        else:
            blocks.append(Paragraph(_inlines("\n".join(x.strip() for x in run))))
    return blocks


def _marker_text(marker: re.Pattern[str], item: str) -> str:
    """The first line of a list item after its marker ("- ", "1. "); the runs are grouped by that marker."""
    first = item.split("\n")[0]
    found = marker.match(first)
    return found.group(1) if found else first


def _rest(item: str) -> str:
    return item[item.index("\n"):] if "\n" in item else ""


def _table(rows: list[list[str]]) -> Table:
    width = max(len(r) for r in rows)
    return Table([[_inlines(c.strip()) for c in r + [""] * (width - len(r))] for r in rows])


def _inlines(text: str) -> list[Inline]:
    out: list[Inline] = []
    for i, line in enumerate(text.split("\n")):
        if i:
            out.append(LineBreak())
        pos = 0
        if "[" not in line and "://" not in line:  # no link can start here: skip the pattern's scan
            if line:
                out.append(Text(line))
            continue
        for m in _INLINE.finditer(line):
            start, end = m.span()
            if m.group("bare"):
                url = _trim_url(m.group("bare"))
                end = start + len(url)
                item: Inline = Link(url, url)
            else:
                target = m.group("target")
                label = m.group("text").strip()
                if not target:
                    item = Link(label, "")
                elif safe_url(target):
                    item = Link(label or target, target)
                else:
                    item = Text(label)
            if start > pos:
                out.append(Text(line[pos:start]))
            out.append(item)
            pos = end
            if end < m.end():  # trimmed punctuation goes back into the text
                out.append(Text(line[end:m.end()]))
                pos = m.end()
        if pos < len(line):
            out.append(Text(line[pos:]))
    merged: list[Inline] = []
    for x in out:
        if isinstance(x, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + x.text)
        elif not (isinstance(x, Text) and not x.text):
            merged.append(x)
    return merged


def _trim_url(url: str) -> str:
    while url and url[-1] in ".,;:!?'\")":
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


# --- outputs -------------------------------------------------------------------------

_OUT_CLASSES = {
    "p": {"govuk-body"}, "ul": {"govuk-list", "govuk-list--bullet"}, "ol": {"govuk-list", "govuk-list--number"},
    "a": {"govuk-link"}, "table": {"govuk-table"}, "thead": {"govuk-table__head"},
    "tbody": {"govuk-table__body"}, "tr": {"govuk-table__row"}, "th": {"govuk-table__header"},
    "td": {"govuk-table__cell"},
}
_OUT_TAGS = {"p", "br", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td"}


def _html_inlines(inlines: list[Inline]) -> str:
    out = []
    for x in inlines:
        if isinstance(x, LineBreak):
            out.append("<br>")
        elif isinstance(x, Link) and x.url and safe_url(x.url):
            out.append(f'<a class="govuk-link" href="{escape(x.url)}" rel="noopener noreferrer">'
                       f"{escape(x.text or x.url)}</a>")
        else:
            out.append(str(escape(x.text)))
    return "".join(out)


def _html_block(b: Block) -> str:
    if isinstance(b, Paragraph):
        return f'<p class="govuk-body">{_html_inlines(b.inlines)}</p>'
    if isinstance(b, BulletList | NumberedList):
        tag, mod = ("ul", "bullet") if isinstance(b, BulletList) else ("ol", "number")
        items = "".join(f"<li>{_html_inlines(i)}</li>" for i in b.items)
        return f'<{tag} class="govuk-list govuk-list--{mod}">{items}</{tag}>'
    rows = [
        '<tr class="govuk-table__row">' + "".join(
            f'<th scope="col" class="govuk-table__header">{_html_inlines(c)}</th>' if n == 0 and b.header
            else f'<td class="govuk-table__cell">{_html_inlines(c)}</td>' for c in row) + "</tr>"
        for n, row in enumerate(b.rows)
    ]
    head = f'<thead class="govuk-table__head">{rows.pop(0)}</thead>' if b.header and rows else ""
    body = f'<tbody class="govuk-table__body">{"".join(rows)}</tbody>' if rows else ""
    return f'<table class="govuk-table">{head}{body}</table>'


_NEEDS_PARSING = re.compile(r"[|\[]|https?://|mailto:|^\s*(?:[-*•◦–·▪\uf0a7\uf0b7o]\s|\d+[.)]\s)", re.IGNORECASE)


def is_plain(text: str) -> bool:
    """Whether `text` is one line of plain text, which `parse` gives back as it is (less surrounding
    spaces): no line break or tab (printable), no table, link or list. Every output skips the parser
    for it."""
    return text.isprintable() and not _NEEDS_PARSING.search(text)


#: Answers up to this long are remembered by to_html (most are a few hundred characters).
_REMEMBERED_LENGTH = 2_000


def to_html(text: str) -> Markup:
    """Escaped HTML for a page, with GOV.UK classes; safe for any input string.

    Pages render the same answers again and again (view, check answers, sign-off): the HTML of
    each text is remembered, keyed by the text itself (so it cannot be out of date), for texts of
    ordinary length. A 300-row assessment's page shows about 7,000 of them.
    """
    if not text:
        return Markup("")
    return _remembered_html(text) if len(text) <= _REMEMBERED_LENGTH else _html_of(text)


@functools.lru_cache(maxsize=16_384)
def _remembered_html(text: str) -> Markup:
    return _html_of(text)


def _html_of(text: str) -> Markup:
    """One-line text without markup is simply escaped; anything else is parsed and sanitised."""
    if is_plain(text):
        # Escaped as nh3 would leave it (quotes are harmless in text), so both paths agree exactly.
        escaped = str(escape(text.strip())).replace("&#39;", "'").replace("&#34;", '"')
        return Markup(f'<p class="govuk-body">{escaped}</p>') if escaped else Markup("")  # noqa: S704  # nosec B704
    return _to_html(text)


@functools.lru_cache(maxsize=8192)
def _to_html(text: str) -> Markup:
    html = "\n".join(_html_block(b) for b in parse(text))
    html = nh3.clean(html, tags=_OUT_TAGS, attributes={"a": {"href"}, "th": {"scope"}},
                     allowed_classes=_OUT_CLASSES, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer", url_relative="deny")
    return Markup(html)  # noqa: S704  # nosec B704 - escaped above and sanitised by nh3 with a fixed allow-list


def _plain_inlines(inlines: list[Inline], indent: str = "") -> str:
    out = []
    for x in inlines:
        if isinstance(x, LineBreak):
            out.append("\n" + indent)
        elif isinstance(x, Link) and x.url:
            out.append(x.url if x.text in ("", x.url) else f"{x.text} ({x.url})")
        else:
            out.append(x.text)
    return "".join(out)


def to_plain(text: str) -> str:
    """Readable plain text (spreadsheets, the checker): bullets "• ", numbers "1. ", cells " | ".

    Like `to_html`, one line without markup is returned as it is, and the answers of ordinary length
    are remembered (the exports turn the same answers to plain text again and again).
    """
    if is_plain(text):
        return text.strip()
    return _remembered_plain(text) if len(text) <= _REMEMBERED_LENGTH else _plain_of(text)


@functools.lru_cache(maxsize=8192)
def _remembered_plain(text: str) -> str:
    return _plain_of(text)


def _plain_of(text: str) -> str:
    parts = []
    for b in parse(text):
        if isinstance(b, Paragraph):
            parts.append(_plain_inlines(b.inlines))
        elif isinstance(b, BulletList):
            parts.append("\n".join("• " + _plain_inlines(i, "  ") for i in b.items))
        elif isinstance(b, NumberedList):
            parts.append("\n".join(f"{n}. " + _plain_inlines(i, "   ") for n, i in enumerate(b.items, 1)))
        else:
            parts.append("\n".join(" | ".join(_plain_inlines(c) for c in row).rstrip() for row in b.rows))
    return "\n\n".join(parts)


def _all_inlines(blocks: list[Block]):
    for b in blocks:
        if isinstance(b, Paragraph):
            yield from b.inlines
        elif isinstance(b, Table):
            for row in b.rows:
                for cell in row:
                    yield from cell
        else:
            for item in b.items:
                yield from item


def links(text: str) -> list[Link]:
    """Every link: [text](url), bare URLs and empty targets (url "")."""
    return [x for x in _all_inlines(parse(text)) if isinstance(x, Link)]


def tables(text: str) -> list[Table]:
    return [b for b in parse(text) if isinstance(b, Table)]


def excerpt(text: str, length: int = 120) -> str:
    """One line of plain text, at most `length` characters, cut at a word with "…"."""
    flat = " ".join(to_plain(text).split())
    if len(flat) <= length:
        return flat
    cut = flat[: max(length - 1, 0)]
    if " " in cut[length // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + "…"
