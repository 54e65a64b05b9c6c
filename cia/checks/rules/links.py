"""Rule 10: links in the CIA work for the public who read it as a Background Paper.

No network calls: a link is judged on its form. It must be a complete http(s) address on
a public host: not empty or "#", not damaged by copying (a long dash, a curly quotation
mark, markdown or HTML remains: `cia.checks.text.urls.copy_damage`), not a file or
network-drive path, not an intranet host (a single label, a host in
`CheckConfig.internal_hosts`, a host whose own labels say it is internal such as
`intra.` or `staffnet.`, localhost, or a private IP address). An evidence item with no
link at all is noted (advice): the public cannot see it. Dead links are found by
`flask cia check-links`, which fetches them; its results come in as `CheckConfig.dead_links`.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Iterator, Sequence
from urllib.parse import urlsplit

from cia import richtext
from cia.checks.base import ADVICE, WARNING, CheckConfig, Context, Finding, Location, Rule, register
from cia.checks.rules._settings import template_terms
from cia.checks.rules._walk import and_list, blank, evidence_label, sections, short, slots
from cia.checks.text.urls import copy_damage, internal_by_name, matches_host
from cia.domain import Assessment, TemplateSpec

# Markdown link targets that richtext does not turn into links (file:, UNC paths, ...).
_MD_TARGET = re.compile(r"\[[^\[\]\n]*\]\(\s*([^\s()]*(?:\([^\s()]*\)[^\s()]*)*)\s*\)")
# File and network paths written as plain text.
_PATHS = re.compile(
    r"(?<![\w/])(?:file:[^\s<>\"\])]+|\\\\[\w.$-]+\\[^\s<>\"\])]*|[A-Za-z]:\\[^\s<>\"\])]+)",
    re.I,
)
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_BARE_HOST = re.compile(r"^(?:www\.|[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[/:?#]|$))")
_TLD = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
# HTML link markup pasted as text: `<a href="https://...">`.
_HTML_LINK = re.compile(r"<\s*a\s+href\s*=\s*[\"“”'‘’]?[^\s<>]*", re.I)
# An address with markdown link remains glued to it: `https://a](https://a`.
_GLUED_MARKDOWN = re.compile(r"(?:https?://|www\.)[^\s\[\]()<>]*(?:\]\s*\(|\)\[)[^\s)\]]*", re.I)
_OPENING_QUOTES = "“‘\""
_CLOSING_QUOTES = "”’"
#: Words in an evidence item that already say it is not published.
_SAYS_UNPUBLISHED = re.compile(
    r"not published|unpublished|not (?:publicly )?available|available on request|on request from|internal only"
    r"|exempt|confidential|not for publication|held by the (?:council|service)|summari[sz]ed (?:above|below|in)",
    re.I,
)

NOT_PUBLIC = "is on an internal network, which the public cannot reach"
FILE_PATH = "is a file on the council's network, which the public cannot open"


@functools.lru_cache(maxsize=4096)  # pure, and asked again for every unchanged link on every save
def link_problem(url: str, internal_hosts: tuple[str, ...]) -> str | None:
    """Why `url` will not work for a member of the public, or None if it looks fine."""
    url = url.strip()
    if not url:
        return "has no web address"
    damage = copy_damage(url)
    if damage:
        return damage
    lowered = url.lower()
    if lowered.startswith(("\\\\", "file:")) or re.match(r"^[a-z]:[\\/]", lowered):
        return FILE_PATH
    if any(c.isspace() for c in url):
        return "is not a complete web address: it contains spaces"
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a port that is not a number
    except ValueError:
        return "is not a complete web address"
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        if scheme in ("mailto", "tel", "ftp", "sftp", "smb", "javascript", "data") or "://" in lowered:
            return "is not a web page"
        if _BARE_HOST.match(lowered):
            return "is not a complete web address: it should start with https://"
        return "is not a complete web address"
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return "is not a complete web address"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if ip is not None:
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_unspecified:
            return NOT_PUBLIC
        return None
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return "is not a complete web address"
    labels = ascii_host.split(".")
    if not all(_LABEL.match(label) for label in labels):
        return "is not a complete web address"
    if len(labels) < 2:
        return NOT_PUBLIC
    if internal_by_name(labels) or any(matches_host(ascii_host, labels, entry) for entry in internal_hosts):
        return NOT_PUBLIC
    if not _TLD.match(labels[-1]):
        return "is not a complete web address"
    return None


@functools.lru_cache(maxsize=4096)  # pure, and asked again for every unchanged text on every save
def text_links(text: str) -> tuple[tuple[str, str], ...]:
    """(text, url) of every link in a field of markup, including targets richtext drops."""
    out: list[tuple[str, str]] = []
    if "](" in text or "://" in text:
        for link in richtext.links(text):
            url = link.url
            if url.lower().startswith("mailto:"):
                continue
            if url[-1:] in _CLOSING_QUOTES and any(q + url[:-1] in text for q in _OPENING_QUOTES):
                url = url[:-1]  # “https://...”: the quotation marks are the sentence's, not the address's
            out.append((link.text if link.text != link.url else url, url))
    if "<" in text or "](" in text or ")[" in text:
        for pattern in (_HTML_LINK, _GLUED_MARKDOWN):
            for m in pattern.finditer(text):
                damaged = m.group().rstrip(".,;:")
                out = [(t, u) for t, u in out if not u or u not in damaged]  # one problem for one pasted address
                out.append((damaged, damaged))
    if "](" in text:
        known = {url for _t, url in out}
        for m in _MD_TARGET.finditer(text):
            target = m.group(1)
            if target and target not in known and not target.lower().startswith("mailto:"):
                out.append((target, target))
                known.add(target)
    if "\\" in text or "file:" in text or "FILE:" in text or "File:" in text:
        known = {url for _t, url in out}
        for m in _PATHS.finditer(text):
            if m.group() not in known:
                out.append((m.group(), m.group()))
    return tuple(out)


def _problems(links: Sequence[tuple[str, str]], internal_hosts: tuple[str, ...]) -> list[str]:
    out = []
    for text, url in links:
        problem = link_problem(url, internal_hosts)
        if problem:
            shown = f"the link “{short(text, 60)}”" if not url.strip() else f"“{short(url, 80)}”"
            out.append(f"{shown} {problem}")
    return list(dict.fromkeys(out))


def _finding(where: str, problems: list[str], location: Location) -> Finding:
    return Finding("CIA-R10", WARNING,
                   f"{where}: {and_list(problems, 3)}. Link to a public copy of the evidence, or remove "
                   "the link",
                   location)


def _all_links(ctx: Context) -> Iterator[tuple[Location, str, str, list[tuple[str, str]]]]:
    """(location, where, field kind, [(text, url) ...]) for every evidence link field and every field of text."""
    for spec, answers in sections(ctx):
        where = f"{spec.title}, {evidence_label(ctx, spec)}"
        for n, item in enumerate(answers.evidence.items, 1):
            if not blank(item.link):
                yield (Location(f"evidence:{spec.key}", item=item.id, field="link"), f"{where}, evidence {n}",
                       "link", [(item.link, item.link)])
    for slot in slots(ctx):
        found = text_links(slot.text)
        if found:
            yield slot.location, slot.where, "text", list(found)


def public_links(assessment: Assessment, template: TemplateSpec, internal_hosts: tuple[str, ...]) -> list[str]:
    """Every link in the assessment that the public could open (no problem of form), once each, in order."""
    ctx = Context(assessment, template, CheckConfig(internal_hosts=internal_hosts))
    hosts = internal_hosts + tuple(sorted(template_terms(ctx, "CIA-R10")))
    out = [url.strip() for _loc, _where, _kind, links in _all_links(ctx) for _text, url in links
           if link_problem(url, hosts) is None]
    return list(dict.fromkeys(out))


def _dead(links: list[tuple[str, str]], dead: dict[str, tuple[str, str]]) -> list[str]:
    out = []
    for _text, url in links:
        found = dead.get(url.strip())
        if found:
            out.append(f"“{short(url.strip(), 80)}” did not open when it was checked on {found[1]}: {found[0]}")
    return list(dict.fromkeys(out))


def _unpublished(item) -> bool:
    """Whether an evidence item has no link anywhere and does not say that it is not published."""
    if not blank(item.link):
        return False
    words = f"{item.title}\n{item.description}"
    return not text_links(words) and not _SAYS_UNPUBLISHED.search(words)


def check_links(ctx: Context) -> Iterator[Finding]:
    internal = ctx.config.internal_hosts + tuple(sorted(template_terms(ctx, "CIA-R10")))
    dead = {url: (reason, when) for url, reason, when in ctx.config.dead_links}
    for location, where, _kind, links in _all_links(ctx):
        problems = _problems(links, internal)
        gone = _dead(links, dead) if dead else []
        if problems:
            yield _finding(where, problems + gone, location)
        elif gone:  # found dead by the link check: advice, one finding per field
            yield Finding("CIA-R10", ADVICE,
                          f"{where}: {and_list(gone, 3)}. Replace it with a link that works, or remove it",
                          location)
    for spec, answers in sections(ctx):
        where = f"{spec.title}, {evidence_label(ctx, spec)}"
        for n, item in enumerate(answers.evidence.items, 1):
            if blank(item.link) and not blank(item.title) and _unpublished(item):
                yield Finding("CIA-R10", ADVICE,
                              f"{where}, evidence {n}: “{short(item.title, 60)}” has no link, so the public "
                              "cannot see it. Link to a public copy, or say that it is not published",
                              Location(f"evidence:{spec.key}", item=item.id, field="link"))


register(Rule(
    id="CIA-R10",
    title="Evidence links work for the public",
    default_severity=WARNING,
    template_sentence="The full CIA document should be submitted as a Background Paper.",
    check=check_links,
    explanation=(
        "The full CIA is published as a Background Paper, so every link in it must open for a member "
        "of the public: a complete web address starting https://, not empty, not a file or network "
        "drive, not damaged by copying from Word or a PDF (a long dash, a curly quotation mark, the "
        "remains of link markup), and not on the intranet or extranet (host names such as intra. or "
        "staffnet., and the internal host names set by the council). Evidence with no link is noted as "
        "not available to the public. Nothing is fetched while checking; administrators find dead links "
        "with the link check, whose results show here as advice."
    ),
))
