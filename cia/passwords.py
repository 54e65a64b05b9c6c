"""Password policy: long enough, hard to guess, not about the user.

Hashing is Werkzeug's scrypt. How guessable a password is comes from zxcvbn, which
estimates the guesses an attacker needs from its frequency lists (common and breached
passwords, names, words, dates, keyboard patterns, l33t and sequences): a password
must need at least 10^10 guesses (zxcvbn's top score, 4), which rules out
`Summer2026!!` and every "common word + year + symbol" shape a short list cannot.

`problems()` keeps its name and signature: every place that sets a password
(the command line, the account pages) calls it and shows its sentences as they are.
"""

from __future__ import annotations

import re

from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

#: zxcvbn's score 4: at least 10^10 guesses.
MIN_SCORE = 4
#: zxcvbn's own limit (its cost grows with the length); the characters past it only add strength.
_ESTIMATE_CHARS = 72

TOO_GUESSABLE = ("Password is too easy to guess: use 3 or more random words, or a longer mix of words, "
                 "numbers and symbols that other people are unlikely to use")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


#: Words anyone guessing a council officer's password tries first (ASVS 6.1.2): with the council's and
#: the service's names from the configuration, zxcvbn counts them as guessed at once.
CONTEXT_WORDS = ("council", "county", "community", "impact", "assessment", "equality", "cabinet", "officer",
                 "password")


def _context_words() -> list[str]:
    """The words above, and those of the council's and the service's names (the council's is the
    setting, else the organisation of the installation's first template)."""
    words = list(CONTEXT_WORDS)
    if has_app_context():
        from cia.data.templates import installation_organisation

        names = (installation_organisation(str(current_app.config.get("CIA_ORGANISATION_NAME") or "")),
                 str(current_app.config.get("CIA_SERVICE_NAME") or ""))
        for name in names:
            words += [w.lower() for w in re.findall(r"[A-Za-z]{4,}", name)]
    return words


def _only_context(password: str, words: list[str]) -> bool:
    """Whether the password is nothing but the council's words with numbers and symbols around them
    ("Community Impact 2026"), which zxcvbn, scoring each part on its own, can rate too highly."""
    lowered = password.lower()
    rest = lowered
    for word in sorted(words, key=len, reverse=True):
        rest = rest.replace(word, "")
    return rest != lowered and len(re.sub(r"[^a-z]", "", rest)) < 4


def _personal(email: str, name: str) -> list[str]:
    """Parts of the person's e-mail address and name long enough to matter."""
    local = email.split("@")[0]
    return [p for p in [local, *re.split(r"[._+\-]", local), *name.split()] if len(p) >= 4]


def problems(password: str, *, email: str = "", name: str = "", min_length: int = 12) -> list[str]:
    """What is wrong with a proposed password, in words a user can act on (empty when fine)."""
    found = []
    if len(password) < min_length:
        found.append(f"Password must be {min_length} characters or more")
    personal = _personal(email, name)
    if any(p.lower() in password.lower() for p in personal):
        found.append("Password must not contain your name or email address")
    elif len(password) >= min_length:
        context = _context_words()
        estimate = zxcvbn(password[:_ESTIMATE_CHARS], user_inputs=[p.lower() for p in personal] + context)
        if estimate["score"] < MIN_SCORE or _only_context(password, context):
            found.append(TOO_GUESSABLE)
    return found
