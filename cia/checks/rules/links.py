"""Rule 10: links in the CIA work for the public who read it as a Background Paper.

No network calls: a link is judged on its form. It must be a complete http(s) address on
a public host: not empty, not a file or network-drive path, not an intranet host (a single
label, a host in `CheckConfig.internal_hosts`, localhost, or a private IP address).
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Iterator, Sequence
from urllib.parse import urlsplit

from cia import richtext
from cia.checks.base import WARNING, Context, Finding, Location, Rule, register
from cia.checks.rules._walk import and_list, blank, evidence_label, sections, short, slots

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

NOT_PUBLIC = "is on an internal network, which the public cannot reach"
FILE_PATH = "is a file on the council's network, which the public cannot open"


@functools.lru_cache(maxsize=4096)  # pure, and asked again for every unchanged link on every save
def link_problem(url: str, internal_hosts: tuple[str, ...]) -> str | None:
    """Why `url` will not work for a member of the public, or None if it looks fine."""
    url = url.strip()
    if not url:
        return "has no web address"
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
    for internal in internal_hosts:
        internal = internal.lower().strip(".")
        if not internal:
            continue
        if ascii_host == internal or ascii_host.endswith("." + internal) or internal in labels:
            return NOT_PUBLIC
    if not _TLD.match(labels[-1]):
        return "is not a complete web address"
    return None


@functools.lru_cache(maxsize=4096)  # pure, and asked again for every unchanged text on every save
def text_links(text: str) -> tuple[tuple[str, str], ...]:
    """(text, url) of every link in a field of markup, including targets richtext drops."""
    out: list[tuple[str, str]] = []
    if "](" in text or "://" in text:
        out += [(link.text, link.url) for link in richtext.links(text) if not link.url.lower().startswith("mailto:")]
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


def check_links(ctx: Context) -> Iterator[Finding]:
    internal = ctx.config.internal_hosts
    for spec, answers in sections(ctx):
        where = f"{spec.title}, {evidence_label(ctx, spec)}"
        for n, item in enumerate(answers.evidence.items, 1):
            if not blank(item.link):
                problems = _problems([(item.link, item.link)], internal)
                if problems:
                    yield _finding(f"{where}, evidence {n}", problems,
                                   Location(f"evidence:{spec.key}", item=item.id, field="link"))
    for slot in slots(ctx):
        problems = _problems(text_links(slot.text), internal)
        if problems:
            yield _finding(slot.where, problems, slot.location)


register(Rule(
    id="CIA-R10",
    title="Evidence links work for the public",
    default_severity=WARNING,
    template_sentence="The full CIA document should be submitted as a Background Paper.",
    check=check_links,
    explanation=(
        "The full CIA is published as a Background Paper, so every link in it must open for a member "
        "of the public: a complete web address starting https://, not empty, not a file or network "
        "drive, and not on the intranet or extranet (the internal host names are set by the council). "
        "Links are checked for their form only; nothing is fetched."
    ),
))
