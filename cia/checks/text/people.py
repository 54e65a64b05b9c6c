"""People in prose: members of the public named without a title, and small numbers of people
with a protected characteristic.

A capitalised word pair is only read as a person's name when the first word is a common
given name (`given_names.txt`) and the words around it say the person is a member of the
public ("resident", "complainant", "service user" ...) or the same sentence holds their
contact details. Statistics, organisations and places stay quiet: "Age UK", "Cannock
Chase", "the Florence Nightingale Hospital".
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

_NAMES_FILE = Path(__file__).with_name("given_names.txt")


@functools.cache
def given_names() -> frozenset[str]:
    lines = _NAMES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


#: Words that say the person next to them is a member of the public.
PUBLIC_ROLES = (
    r"residents?|complainants?|service[ -]users?|clients?|patients?|tenants?|carers?|claimants?"
    r"|members? of the public|customers?|petitioners?|objectors?|respondents?|parents?|pupils?|neighbours?"
    r"|householders?|applicants?|users? of the service|people who use the service|relatives?"
    r"|family members?|(?:grand)?(?:mother|father|son|daughter)|wife|husband|partner|widow(?:er)?"
)
_NAME = r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?"
_ROLE_THEN_NAME = re.compile(
    rf"(?i:\b(?:{PUBLIC_ROLES}))[,:]?[ \t]+(?:(?i:called|named)[ \t]+)?({_NAME})(?:[ \t]+({_NAME}))?"
)
_NAME_THEN_ROLE = re.compile(  # a look-ahead, so that "Yesterday John Brown" is tried at "John" too
    rf"\b(?=({_NAME})(?:[ \t]+({_NAME}))?[ \t]*(?:,[ \t]*|\([ \t]*|[ \t]+is[ \t]+|[ \t]+was[ \t]+)"
    rf"(?i:(?:an?|the|our|one|another)[ \t]+)?(?i:(?:local|elderly|older|young|disabled|unpaid|long-standing)[ \t]+)?"
    rf"(?i:(?:{PUBLIC_ROLES}))\b)"
)
_GIVEN_SURNAME = re.compile(rf"\b(?=({_NAME})[ \t]+((?:Mc|Mac|O['’])?{_NAME})\b)")
_CAPITALISED = re.compile(r"[A-Z][a-z]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def _name(given: str, surname: str | None, officers: frozenset[str], places: frozenset[str]) -> str | None:
    if given not in given_names():
        return None
    words = [given] + ([surname] if surname else [])
    if surname and (surname in places or surname in given_names() and surname not in _SURNAME_TOO):
        words = [given]  # "Mary Hospital"... or "Jane said": the second word is not her surname
    if any(w.lower() in officers for w in words[1:] or words):
        return None
    return " ".join(words)


#: Given names that are also common surnames ("Sarah Thomas", "Ian James").
_SURNAME_TOO = frozenset({"Thomas", "James", "Lee", "Scott", "Dale", "Dean", "Grace", "Henry", "Owen",
                          "Terry", "Vincent", "Stanley", "Carl", "Gordon", "Graham", "Craig", "Leo",
                          "Mason", "Logan", "Dennis", "Bernard", "Arthur", "Albert", "Robin", "Holly",
                          "Ivy", "Rose", "Florence", "Frank", "Philip", "Martin", "Neil", "Patrick",
                          "Paul", "Peter", "Richard", "Robert", "Roger", "Stuart", "Simon", "Wayne",
                          "George", "Charles", "Edward", "Harold", "Howard", "Keith", "Kenneth", "Norman"})


def public_names(text: str, officers: frozenset[str], places: frozenset[str],
                 contact_values: tuple[str, ...] = ()) -> list[str]:
    """Names of members of the public written without a title, in the order they appear."""
    if given_names().isdisjoint(_CAPITALISED.findall(text)):
        return []  # no given name at all: most texts, found by one quick scan
    out: list[str] = []
    for pattern in (_ROLE_THEN_NAME, _NAME_THEN_ROLE):
        for m in pattern.finditer(text):
            name = _name(m.group(1), m.group(2), officers, places)
            if name:
                out.append(name)
    if contact_values:
        for sentence in _SENTENCE_END.split(text):
            if any(value in " ".join(sentence.split()) for value in contact_values):
                for m in _GIVEN_SURNAME.finditer(sentence):
                    name = _name(m.group(1), m.group(2), officers, places)
                    if name and " " in name:
                        out.append(name)
    return list(dict.fromkeys(out))


# --- small numbers ------------------------------------------------------------------------------

_SMALL = r"[1-9]|one|two|three|four|five|six|seven|eight|nine|a single|only one|just one"
_PEOPLE = (
    r"pupils?|students?|children|child|young people|residents?|people|persons?|staff|employees?|members of staff"
    r"|colleagues|tenants?|service[ -]users?|users?|patients?|clients?|carers?|families|adults?|individuals?"
    r"|girls?|boys?|women|woman|men|man|learners?|workers?|officers?|volunteers?|households?|parents?"
    r"|applicants?|claimants?|care leavers?"
)
_CHARACTERISTIC = (
    r"transgender|trans|gender reassignment|non-binary|gender identity|gay|lesbian|bisexual|LGBT\w*\+?"
    r"|pregnant|pregnancy|maternity|HIV(?:[ -]positive)?|disabled|with a disability|wheelchair users?"
    r"|Muslims?|Jewish|Sikhs?|Hindus?|Buddhists?|Gypsy|Gypsies|Travellers?|Roma|asylum seekers?|refugees?"
    r"|autistic|autism|a learning disability|a mental health condition|same-sex|in a civil partnership"
    r"|sexual orientation|black|of mixed heritage|from an ethnic minority|minority ethnic"
)
_SMALL_COUNT = re.compile(
    rf"(?<![\w.,£$%/:-])(?i:(?P<n>{_SMALL}))[ \t]+"
    rf"(?:(?i:(?:{_CHARACTERISTIC}))[ \t]+(?:[\w-]+[ \t]+){{0,2}}?(?i:(?:{_PEOPLE}))\b"
    rf"|(?:[\w-]+[ \t]+){{0,3}}?(?i:(?:{_PEOPLE}))\b[^.;:\n]{{0,60}}?\b(?i:(?:{_CHARACTERISTIC}))\b)"
)
#: Lower-case pieces of every term in `_CHARACTERISTIC`, for a quick first look.
_CHARACTERISTIC_STEMS = ("trans", "gender", "binary", "gay", "lesbian", "bisexual", "lgbt", "pregnan", "maternity",
                         "hiv", "disab", "wheelchair", "muslim", "jewish", "sikh", "hindu", "buddhist", "gyps",
                         "traveller", "roma", "asylum", "refugee", "autis", "mental health", "same-sex",
                         "civil partner", "sexual orientation", "black", "mixed heritage", "ethnic")
#: Words before a number that make it a bound, an age, a year group or a label, not a count.
_NOT_A_COUNT = re.compile(
    r"\b(?:fewer than|less than|under|below|up to|more than|over|at least|around|about|aged|age|ages|year|years"
    r"|in|out of|phase|part|stage|key stage|level|tier|band|grade|step|section|appendix|table|figure|option|of the)[ \t]*$",
    re.I,
)
_PROPORTION = re.compile(r"[ \t]*(?:%|per ?cent|in[ \t]+(?:\d+|ten|five|four|three|two|every))", re.I)


def small_counts(text: str) -> list[str]:
    """Phrases that count fewer than ten people with a protected characteristic ("2 pupils ... transgender")."""
    lowered = text.lower()
    if not any(stem in lowered for stem in _CHARACTERISTIC_STEMS):
        return []  # no protected characteristic named: most texts, found by quick substring scans
    out = []
    for m in _SMALL_COUNT.finditer(text):
        if _NOT_A_COUNT.search(text, max(0, m.start() - 20), m.start()):
            continue
        if _PROPORTION.match(text, m.end("n")):
            continue  # "1 in 5 disabled people": a proportion
        out.append(" ".join(m.group().split()))
    return out
