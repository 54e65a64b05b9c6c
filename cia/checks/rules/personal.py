"""Rule 9: no personal details of members of the public in a CIA that will be published.

Pattern matching, tuned to stay quiet on ordinary CIA prose: statistics, legislation,
report titles, dates, room numbers and road names without a house number. Officers
named in role fields (sponsor, lead, team, sign-off, mitigation owners) are not
members of the public, and neither are e-mail addresses at public bodies.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from collections.abc import Set as AbstractSet

from cia.checks.base import ADVICE, ERROR, PUBLICATION, WARNING, Context, Finding, Rule, register
from cia.checks.rules._walk import and_list, cached, mask_urls, slots
from cia.checks.text.people import public_names, small_counts

# Every pattern starts with a literal or a character class (no leading \b or look-behind), so
# that the regular expression engine skips quickly to where a match can start; what must
# not come before a match is checked with a two-character look-behind after its first
# character, or in Python (`_starts_word`).
POSTCODE = re.compile(r"[A-PR-UWYZ](?<!\w.)[A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}\b")
EMAIL = re.compile(r"[A-Za-z0-9](?<![\w.+'-].)[\w.+'-]*@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})\b")
PHONE = re.compile(
    r"(?:\+[ \t]?44[ \t]?(?:\(0\)[ \t]?)?|0044[ \t]?(?:\(0\)[ \t]?)?|\(0\d{2,4}\)[ \t]?|0)"
    r"\d{2,5}(?:[ \t-]?\d{2,6}){0,3}"
    r"(?![\d/])(?!\.\d)(?!,\d)"
)
_PHONE_NOT_AFTER = frozenset("/.+")
NI_NUMBER = re.compile(r"[A-CEGHJ-PR-TW-Z](?<!\w.)[A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b")
_NI_NOT_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
_MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
           r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DATE = (rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}"
         rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\.?,?\s+\d{{4}}"
         rf"|{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})")
DATE_OF_BIRTH = re.compile(
    rf"\b(?:d\.?o\.?b\b\.?|date\s+of\s+birth|born(?:\s+on)?)\s*(?:[:–-]\s*|is\s+|was\s+)?(?:the\s+)?{_DATE}",
    re.I,
)
_TITLES = r"Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Rev|Revd|Reverend"
_NAME_WORD = r"[A-Z][a-z][\w'’-]*|[A-Z]['’][A-Z][a-z]+"
TITLED_NAME = re.compile(
    rf"(?:{_TITLES})\b\.?[ \t]+((?:[A-Z]\.[ \t]?)*(?:{_NAME_WORD})(?:[ \t]+(?:{_NAME_WORD}))?)"
)
_STREET = (r"Road|Rd|Street|St|Lane|Avenue|Ave|Close|Drive|Way|Crescent|Grove|Place|Gardens|Terrace"
           r"|Court|Walk|Hill|Rise|View|Square|Mews|Row|Green|Parade|Croft|Vale|Boulevard|Meadows?")
HOUSE_ADDRESS = re.compile(
    rf"\d(?<![\w/.,£$%:-]\d)\d{{0,2}}[A-Za-z]?,?[ \t]+(?:[A-Z][a-z'’]+[ \t]+){{1,3}}(?:{_STREET})\b"
)
_FLAT = re.compile(r"(?:Flat|Apartment|Apt\.?|Unit)[ \t]+\d{1,4}[A-Za-z]?,?[ \t]+$")
_DIGIT = re.compile(r"\d")
_NEXT_WORDS = re.compile(r"[ \t]+([A-Z][a-z]+)(?:[ \t]+([A-Z][a-z]+))?")
#: A titled name followed by one of these names a building or an organisation, not a person.
PLACE_WORDS = frozenset({
    "Hospital", "School", "Academy", "College", "University", "House", "Centre", "Center", "Court", "Hall",
    "Building", "Trust", "Foundation", "Fund", "Institute", "Intelligence", "Library", "Park", "Road",
    "Street", "Way", "Lane", "Avenue", "Close", "Drive", "Primary", "Surgery", "Practice", "Clinic",
    "Ward", "Unit", "Museum", "Gardens", "Estate", "Award", "Awards", "Report", "Review",
})
_NAME_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]+")
_TITLE_WORDS = {t.lower() for t in _TITLES.split("|")} | {"cllr", "councillor"}

#: E-mail domains of public bodies: their addresses are officers', not the public's.
PUBLIC_BODY_DOMAINS = (".gov.uk", ".nhs.uk", ".nhs.net", ".police.uk")

KINDS = {
    "postcode": "a UK postcode",
    "email": "an e-mail address",
    "phone": "a phone number",
    "ni": "a National Insurance number",
    "dob": "a date of birth",
    "name": "a person's name",
    "address": "a home address",
}


def _officers(ctx: Context) -> tuple[frozenset[str], frozenset[str]]:
    """Name tokens of officers named in role fields, and their account e-mails."""

    def build(ctx: Context) -> tuple[frozenset[str], frozenset[str]]:
        a = ctx.assessment
        names = [a.details.sponsor, a.details.lead]
        names += [m.name for m in a.team.members]
        names += [s.name for s in a.signoffs]
        names += [m.owner for s in a.sections for r in s.rows for risk in r.risks for m in risk.mitigations]
        tokens = frozenset().union(*(_name_tokens(n) for n in set(names) if n)) - _TITLE_WORDS
        emails = {m.account_email.strip().lower() for m in a.team.members if m.account_email}
        emails |= {s.email.strip().lower() for s in a.signoffs if s.email}
        return frozenset(tokens), frozenset(emails)

    return cached(ctx, "officers", build)


@functools.lru_cache(maxsize=4096)  # the same owners and officers on every run
def _name_tokens(name: str) -> frozenset[str]:
    return frozenset(t.lower() for t in _NAME_TOKEN.findall(name))


def _public_body(domain: str) -> bool:
    domain = domain.lower()
    return (domain.endswith(PUBLIC_BODY_DOMAINS) or domain in ("gov.uk", "nhs.net", "nhs.uk")
            or "council" in domain)


def _starts_word(text: str, start: int, also: frozenset[str] = frozenset()) -> bool:
    """Whether a match at `start` is not glued to a word (or to one of `also`) before it."""
    if start == 0:
        return True
    before = text[start - 1]
    return not (before.isalnum() or before == "_" or before in also)


def _phone_ok(match: str) -> bool:
    """Whether a phone-like match is a UK landline or mobile number."""
    digits = re.sub(r"\D", "", match)
    if match.lstrip().startswith(("+", "0044")):
        digits = digits[2:] if digits.startswith("44") else digits[4:]
        digits = digits.removeprefix("0")
        digits = "0" + digits
    if len(digits) not in (10, 11) or digits[1] not in "127":
        return False
    return digits[1] != "7" or len(digits) == 11


def personal_details(text: str, officer_tokens: AbstractSet[str], officer_emails: AbstractSet[str]) -> dict[str, list[str]]:
    """{kind: [matched text, ...]} of what looks like personal details in `text`."""
    found: dict[str, list[str]] = {}
    text = mask_urls(text)  # links are not personal details, whatever their digits look like

    def add(kind: str, value: str) -> None:
        found.setdefault(kind, []).append(" ".join(value.split()))

    has_digit = _DIGIT.search(text) is not None
    if has_digit:
        for m in POSTCODE.finditer(text):
            add("postcode", m.group())
    if "@" in text:
        for m in EMAIL.finditer(text):
            if m.group().lower() not in officer_emails and not _public_body(m.group(1)):
                add("email", m.group())
    if has_digit:
        for m in PHONE.finditer(text):
            if _starts_word(text, m.start(), _PHONE_NOT_AFTER) and _phone_ok(m.group()):
                add("phone", m.group())
        for m in NI_NUMBER.finditer(text):
            if m.group()[:2] not in _NI_NOT_PREFIXES:
                add("ni", m.group())
        lowered = text.lower()
        if "born" in lowered or "birth" in lowered or "dob" in lowered or "d.o.b" in lowered:
            for m in DATE_OF_BIRTH.finditer(text):
                add("dob", m.group())
        for m in HOUSE_ADDRESS.finditer(text):
            flat = _FLAT.search(text, max(0, m.start() - 20), m.start())
            add("address", text[flat.start():m.end()] if flat else m.group())
    for m in TITLED_NAME.finditer(text):
        if not _starts_word(text, m.start()):
            continue
        following = _NEXT_WORDS.match(text, m.end())
        words = _NAME_TOKEN.findall(m.group(1)) + list(following.groups() if following else ())
        if not PLACE_WORDS.isdisjoint(words):
            continue  # "Sir Robert Peel Hospital", "Dr Foster Intelligence": a place or body
        surname = _NAME_TOKEN.findall(m.group(1))[-1].lower()  # "Dr Patel", lead "Dr Anita Patel"
        if surname not in officer_tokens:
            add("name", m.group())
    contacts = tuple(v for kind in ("email", "phone", "address", "postcode") for v in found.get(kind, ()))
    titled = " ".join(found.get("name", ()))
    for name in public_names(text, frozenset(officer_tokens), PLACE_WORDS, contacts):
        if name not in titled:
            add("name", name)
    return found


def describe(found: dict[str, list[str]]) -> str:
    parts = []
    for kind, words in KINDS.items():
        values = list(dict.fromkeys(found.get(kind, ())))
        if values:
            parts.append(f"{words} ({and_list(values, 3)})")
    return and_list(parts)


@functools.lru_cache(maxsize=4096)  # pure, and asked again for every unchanged text on every save
def _described(text: str, officer_tokens: frozenset[str], officer_emails: frozenset[str]) -> tuple[str, str]:
    """(the personal details in `text`, described; its small counts of people with a protected characteristic)."""
    found = personal_details(text, officer_tokens, officer_emails)
    counts = small_counts(mask_urls(text))
    return (describe(found) if found else "",
            and_list([f"“{c}”" for c in dict.fromkeys(counts)], 3))


SMALL_NUMBERS = ("counts so few people with a protected characteristic that they may be identified. Give a "
                 "range such as “fewer than 5”, or leave the number out")


def check_personal_details(ctx: Context) -> Iterator[Finding]:
    severity = ERROR if ctx.config.stage == PUBLICATION else WARNING
    tokens, emails = _officers(ctx)
    for slot in slots(ctx):
        if not slot.personal:
            continue
        found, counts = _described(slot.text, tokens, emails)
        if found:
            also = (f". Also, {counts} {SMALL_NUMBERS}" if counts else "")
            yield Finding("CIA-R09", severity,
                          f"{slot.where}: this may contain {found}. Do not record personal "
                          f"details of members of the public{also}",
                          slot.location)
        elif counts:  # one finding per field, so that its key is unique
            yield Finding("CIA-R09", ADVICE, f"{slot.where}: {counts} {SMALL_NUMBERS}", slot.location)


register(Rule(
    id="CIA-R09",
    title="No personal details of members of the public",
    default_severity=WARNING,
    template_sentence=(
        "Due to the publication of CIAs, it is advisable not to record personal details of members "
        "of the public, such as names or addresses."
    ),
    check=check_personal_details,
    keeps_severity_at_publication=True,
    explanation=(
        "Looks for names with a title (Mrs Jones), names without one where the words around them say "
        "the person is a member of the public (a resident, complainant or service user, or their "
        "contact details beside the name), house addresses, postcodes, e-mail addresses, phone numbers, "
        "National Insurance numbers and dates of birth in every answer. Officers named in role fields "
        "(sponsor, lead, Project Team, sign-off, mitigation owners), organisations and e-mail addresses "
        "at councils, gov.uk and the NHS are not flagged. A warning while drafting; for a CIA that will "
        "be published, an error that cannot be acknowledged, whatever severity the template sets. A "
        "count of fewer than ten people with a protected characteristic (“2 pupils identified as "
        "transgender”) is advice: it may identify them."
    ),
))
