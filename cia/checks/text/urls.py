"""Web addresses as the public will meet them: damage from copying, and internal host names.

`copy_damage` names what copying from Word, a PDF or a web page did to an address (a long
dash or a curly quotation mark where the address needs a hyphen or nothing, the remains
of markdown or HTML link markup, a lone "#"). `internal_by_name` recognises an intranet
host by the meaning of its labels ("intranet", "intra", "staffnet", "insite" ...) below
the organisation's registered domain, so that `intra.anycouncil.gov.uk` is known to be
internal without being on the council's list.
"""

from __future__ import annotations

import re

#: Dashes that Word and PDFs put where an address had a hyphen (en, em, figure, minus ...).
_DASHES = {"\u2013": "a long dash (–)", "\u2014": "a long dash (—)", "\u2012": "a long dash (‒)",
           "\u2015": "a long dash (―)", "\u2212": "a minus sign (−)", "\u2010": "a typographic hyphen (‐)",
           "\u2011": "a non-breaking hyphen (‑)"}
_QUOTES = "\u2018\u2019\u201c\u201d\u201a\u201e\u00ab\u00bb"
#: The same characters, percent-encoded as a browser or Word saves them into an address.
_ENCODED_DASHES = ("%E2%80%93", "%E2%80%94", "%E2%88%92")
_ENCODED_QUOTES = ("%E2%80%98", "%E2%80%99", "%E2%80%9C", "%E2%80%9D")
_INVISIBLE = "\u00a0\u200b\u200c\u200d\u2060\ufeff"
_HTML = re.compile(r"<\s*/?\s*a\b|\bhref\s*=|&quot;|&lt;|&gt;|%3Ca(?:%20|\+)|</", re.I)
_MARKDOWN = re.compile(r"\]\s*\(|\)\s*\[|^\[|\]$")

#: Host labels (or the words of a label: "staff-intranet") that mean a network only staff reach.
INTERNAL_WORDS = frozenset({
    "intranet", "intra", "extranet", "internal", "staff", "staffnet", "staffzone", "staffroom", "insite",
    "inside", "corp", "corporate-net", "lan", "local", "localhost", "sharepoint", "onprem", "intralink",
    "myintranet", "colleague", "colleagues", "employee", "employees", "workplace", "hub-internal",
})
#: Second-level labels under a country code that are part of the registered suffix (gov.uk, co.uk ...).
_SECOND_LEVEL = frozenset({"gov", "org", "co", "ac", "nhs", "police", "net", "ltd", "plc", "sch", "mod", "me",
                           "com", "edu", "govt", "nic", "mil"})
_WORD_SPLIT = re.compile(r"[-_\d]+")


def copy_damage(url: str) -> str | None:
    """What copying did to `url` ("contains a long dash (–) where a hyphen is expected"), or None."""
    stripped = url.strip()
    if stripped in ("#", "#top", "./", "/"):
        return f"has no web address: it points only to “{stripped}”"
    if stripped.startswith("#"):
        return "has no web address: it points only to a place on the same page"
    for char, name in _DASHES.items():
        if char in stripped:
            return f"contains {name} where a hyphen is expected"
    upper = stripped.upper()
    if any(code in upper for code in _ENCODED_DASHES):
        return "contains an encoded long dash (%E2%80%93) where a hyphen is expected"
    quote = next((c for c in stripped if c in _QUOTES), "")
    if quote:
        return f"contains a curly quotation mark ({quote}) left over from copying"
    if any(code in upper for code in _ENCODED_QUOTES):
        return "contains an encoded curly quotation mark (%E2%80%9D) left over from copying"
    if _HTML.search(stripped):
        return "contains the remains of HTML link markup (“<a href” or “&quot;”)"
    m = _MARKDOWN.search(stripped)
    if m:
        return f"contains the remains of a markdown link (“{' '.join(m.group().split())}”)"
    if stripped.count("(") != stripped.count(")"):
        return "contains a bracket left over from the text around it"
    if any(c in stripped for c in _INVISIBLE):
        return "contains an invisible or non-breaking space"
    if stripped.count("://") > 1 and re.search(r"\S://\S*https?://", stripped, re.I):
        return "contains two web addresses run together"
    return None


def registered_labels(labels: list[str]) -> int:
    """How many labels at the end of a host name are the organisation's registered domain."""
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return 3
    return min(2, len(labels))


def internal_by_name(labels: list[str]) -> bool:
    """Whether a host's labels below its registered domain mean an internal network."""
    below = labels[: len(labels) - registered_labels(labels)]
    for label in below:
        if label in INTERNAL_WORDS:
            return True
        for word in _WORD_SPLIT.split(label):
            if word in INTERNAL_WORDS or word.endswith(("intranet", "extranet")):
                return True
    return False


def matches_host(host: str, labels: list[str], entry: str) -> bool:
    """Whether a council's list entry ("intranet", "council.local") names this host."""
    entry = entry.lower().strip().strip(".")
    if not entry:
        return False
    return host == entry or host.endswith("." + entry) or entry in labels
