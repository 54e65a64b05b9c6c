"""Rule 13: the same text pasted into many rows, or into every Evidence Base.

Texts are compared after normalising case, whitespace and punctuation. Identical texts
are grouped with a dictionary; near-identical ones (difflib ratio >= 0.9, both at least
40 characters; see `similar`) are found without comparing every pair: each text is
indexed under its first and last characters and its most distinctive words, and only a
few texts sharing those keys, and most words, are compared with difflib (see `cluster`). The work per text is bounded, so the cost is linear in the number of rows.
"""

from __future__ import annotations

import functools
import re
import string
from collections import Counter, defaultdict
from collections.abc import Iterator
from difflib import SequenceMatcher

from cia.checks.base import ADVICE, Context, Finding, Location, Rule, register
from cia.checks.rules._walk import Slot, and_list, evidence_label, sections, short, slots

_PUNCTUATION = str.maketrans({c: " " for c in string.punctuation + "‘’“”–—•…·«»¡¿§¶"})

#: Normalised texts shorter than this are not boilerplate ("None", "All residents").
MIN_CHARS = 20
#: Near-identical matching applies to texts at least this long.
NEAR_MIN_CHARS = 40
NEAR_RATIO = 0.9
_CHAR_LEVEL = 80  # differing stretches up to this long are compared character by character
_EDGE = 24  # characters of each end used as index keys
#: Texts 90 % alike share most of their words: fewer is not worth a difflib run.
_MIN_SHARED_WORDS = 0.75
_VERIFY = 3  # candidate groups compared with difflib, at most, per text
_CANDIDATES = 5  # texts looked at, at most, per text
_BUCKET = 4  # texts indexed under one key at most (keeps common phrases from making it quadratic)

ROW_KINDS = ("groups", "benefit", "risk", "mitigation", "maximise")
#: Kinds whose word-for-word copies are worth a finding with only two rows sharing them.
PAIR_KINDS = ("benefit", "risk", "mitigation")
#: Sentences shorter than this (normalised) are not compared across Evidence Bases.
SENTENCE_MIN_CHARS = 40
KIND_WORDS = {
    "groups": "groups affected",
    "benefit": "benefits",
    "risk": "risks",
    "mitigation": "mitigations",
    "maximise": "how benefits will be maximised",
}


#: Every save re-checks the whole assessment, but only one page's texts changed: the pure text
#: functions below remember their answers (bounded), so unchanged texts cost a dictionary lookup.
_MEMO = 8192  # entries; a 300-row CIA has about 1,500 texts


@functools.lru_cache(maxsize=_MEMO)
def normalise(text: str) -> str:
    """Lower case, punctuation as spaces, runs of white space as one space."""
    return " ".join(text.lower().translate(_PUNCTUATION).split())


def _common_prefix(a: str, b: str) -> int:
    """Length of the common start of `a` and `b` (bisection on C-level slice compares)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


@functools.lru_cache(maxsize=_MEMO)
def similar(a: str, b: str) -> bool:
    """Identical, or near-identical: difflib ratio >= 0.9, both texts >= 40 characters (normalised).

    The ratio is 2 x matched characters / total characters. The texts' common start and
    end are matches; the stretch between goes to difflib: character by character when it
    is short; when it is long, word by word first, then character by character within
    each pair of differing runs of words. Character-level difflib on long prose is
    quadratic without its junk heuristic and meaningless with it; this stays cheap and
    close to it.
    """
    if a == b:
        return True
    if len(a) < NEAR_MIN_CHARS or len(b) < NEAR_MIN_CHARS:
        return False
    head = _common_prefix(a, b)
    tail = _common_prefix(a[head:][::-1], b[head:][::-1])
    mid_a, mid_b = a[head:len(a) - tail], b[head:len(b) - tail]
    needed = NEAR_RATIO * (len(a) + len(b)) / 2 - head - tail  # matches needed in the middle
    if needed <= 0:
        return True
    if min(len(mid_a), len(mid_b)) < needed:  # upper bounds first, as difflib's quick ratios do
        return False
    if sum((Counter(mid_a) & Counter(mid_b)).values()) < needed:
        return False
    if max(len(mid_a), len(mid_b)) <= _CHAR_LEVEL:
        return _char_matches(mid_a, mid_b) >= needed
    words_a, words_b = mid_a.split(" "), mid_b.split(" ")
    matched = 0
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, words_a, words_b, autojunk=False).get_opcodes():
        if tag == "equal":
            matched += sum(len(w) + 1 for w in words_a[i1:i2])
        elif tag == "replace":
            run_a, run_b = " ".join(words_a[i1:i2]), " ".join(words_b[j1:j2])
            if max(len(run_a), len(run_b)) <= _CHAR_LEVEL:
                matched += _char_matches(run_a, run_b)
    return matched >= needed


def _char_matches(a: str, b: str) -> int:
    return sum(block.size for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())


@functools.lru_cache(maxsize=_MEMO)
def _shape(text: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """A long text's index keys (its ends, and the longest word of each half) and its words."""
    words = text.split()
    half = len(words) // 2 or 1
    keys = ("<" + text[:_EDGE], ">" + text[-_EDGE:], " " + max(words[:half], key=len),
            " " + max(words[half:] or words, key=len))
    return keys, frozenset(words)


def cluster(texts: list[str]) -> list[int]:
    """For each normalised text, the index of the first text of its group (identical or near).

    Remembered for the last lists of texts (`_clustered`): a save changes the texts of one page, and
    often of one kind only (the risks, say); the other kinds' lists are the same as on the last run.
    """
    return list(_clustered(tuple(texts)))


@functools.lru_cache(maxsize=64)
def _clustered(texts: tuple[str, ...]) -> tuple[int, ...]:
    """`cluster`'s answer, worked out.

    Near-identical candidates are found through an index: each text is filed under its
    first and last `_EDGE` characters and under the longest word of each half of it
    (distinctive words, which a text 90 % alike almost always keeps), at most `_BUCKET`
    texts per key. A text is compared with difflib against at most `_VERIFY` of the first
    `_CANDIDATES` texts sharing a key with it, and only when their lengths and words are
    close. Each text costs a bounded amount of work: the whole is linear in the number of
    texts, and deterministic.
    """
    root: list[int] = []
    exact: dict[str, int] = {}
    index: dict[str, list[int]] = {}
    vocab: dict[int, frozenset[str]] = {}
    for i, text in enumerate(texts):
        known = exact.get(text)
        if known is not None:
            root.append(root[known])
            continue
        exact[text] = i
        root.append(i)
        size = len(text)
        if size < NEAR_MIN_CHARS:
            continue
        keys, mine = _shape(text)
        vocab[i] = mine
        low, high = size * 0.8, size * 1.25
        seen: set[int] = set()
        tries = 0
        for key in keys:
            for r in index.get(key, ()):
                if r in seen:
                    continue
                seen.add(r)
                other = texts[r]
                if not low <= len(other) <= high:  # lengths within 20 %
                    continue
                theirs = vocab[r]
                if len(mine & theirs) < _MIN_SHARED_WORDS * min(len(mine), len(theirs)):
                    continue  # most words in common, or not worth a difflib run
                tries += 1
                if similar(text, other):
                    root[i] = r
                    break
                if tries == _VERIFY:
                    break
            if root[i] != i or tries == _VERIFY or len(seen) >= _CANDIDATES:
                break
        if root[i] == i:
            for key in keys:
                bucket = index.get(key)
                if bucket is None:
                    index[key] = [i]
                elif len(bucket) < _BUCKET:  # a crowded key (a common word) says little
                    bucket.append(i)
    return tuple(root)


def _row_findings(ctx: Context) -> Iterator[Finding]:
    by_kind: dict[str, list[tuple[str, Slot]]] = defaultdict(list)
    for slot in slots(ctx):
        if slot.kind in ROW_KINDS:
            norm = normalise(slot.text)
            if len(norm) >= MIN_CHARS:
                by_kind[slot.kind].append((norm, slot))
    minimum = max(2, ctx.config.boilerplate_min_repeats)
    for kind in ROW_KINDS:
        entries = by_kind.get(kind)
        if not entries:
            continue
        roots = cluster([norm for norm, _slot in entries])
        groups: dict[int, list[Slot]] = defaultdict(list)
        for (_norm, slot), r in zip(entries, roots, strict=True):
            groups[r].append(slot)
        for members in groups.values():
            if len(members) < 2:
                continue  # most texts: nothing shares them
            row_names = list(dict.fromkeys(s.row_where for s in members))
            near = len({normalise(s.text) for s in members}) > 1
            pair = kind in PAIR_KINDS and not near and len(row_names) == 2
            if len(row_names) < minimum and not pair:
                continue
            first = members[0]
            if pair:  # name the other place exactly: "Economy, Poverty and Income, risk 2"
                others = next(s.where for s in members if s.row_where != first.row_where)
            else:
                others = and_list(row_names[1:], 5)
            yield Finding(
                "CIA-R13", ADVICE,
                f"{first.where}: the same {'or almost the same ' if near else ''}text is used for the "
                f"{KIND_WORDS[kind]} of {len(row_names)} rows "
                f"(also {others}). Write about the impact on each category area, or select No impact "
                "identified where there is none",
                first.location,
            )


def _evidence_findings(ctx: Context) -> Iterator[Finding]:
    pairs = sections(ctx)
    if len(pairs) < 2:
        return
    spec0 = pairs[0][0]
    where = f"{spec0.title}, {evidence_label(ctx, spec0)}"
    narratives = [normalise(answers.evidence.narrative) for _spec, answers in pairs]
    if all(len(n) >= MIN_CHARS for n in narratives) and all(similar(narratives[0], n) for n in narratives[1:]):
        yield Finding("CIA-R13", ADVICE,
                      f"{where}: the same summary of the evidence is used in every Evidence Base. Describe "
                      "the evidence for each section",
                      Location(f"evidence:{spec0.key}", field="narrative"))
    lists = []
    for _spec, answers in pairs:
        items = frozenset(
            normalise(" ".join((i.title, i.link, i.description))) for i in answers.evidence.items
        ) - {""}
        lists.append(items)
    if lists[0] and all(items == lists[0] for items in lists[1:]):
        yield Finding("CIA-R13", ADVICE,
                      f"{where}: the same evidence is listed in every Evidence Base. List the evidence "
                      "that supports each section",
                      Location(f"evidence:{spec0.key}", field="items"))


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“‘\"(])|\n+")


@functools.lru_cache(maxsize=_MEMO)
def sentences(text: str) -> dict[str, str]:
    """{normalised sentence: the sentence as written} for the sentences of `text` long enough to compare.

    Tables and captions ("Engagement findings by theme:") are not sentences."""
    prose = "\n".join(line for line in text.splitlines() if "\t" not in line and "|" not in line)
    out: dict[str, str] = {}
    for sentence in _SENTENCE_END.split(prose):
        sentence = sentence.strip()
        norm = normalise(sentence)
        if len(norm) >= SENTENCE_MIN_CHARS and not sentence.endswith(":"):
            out.setdefault(norm, sentence)
    return out


def _shared_sentences(ctx: Context) -> Iterator[Finding]:
    """The same sentences in every section's summary of the evidence (not the whole summary)."""
    pairs = sections(ctx)
    narratives = [normalise(answers.evidence.narrative) for _spec, answers in pairs]
    if len(pairs) < 2 or not all(narratives) or all(n == narratives[0] for n in narratives):
        return  # an empty one has nothing shared; identical ones are reported whole
    per_section = [set(sentences(answers.evidence.narrative)) for _spec, answers in pairs]
    shared = set.intersection(*per_section)
    if not shared:
        return
    spec0, answers0 = pairs[0]
    ordered = [written for norm, written in sentences(answers0.evidence.narrative).items() if norm in shared]
    quoted = and_list([f"“{short(s, 70)}”" for s in ordered], 2)
    count = "sentence" if len(ordered) == 1 else "sentences"
    yield Finding("CIA-R13", ADVICE,
                  f"{spec0.title}, {evidence_label(ctx, spec0)}: the same {count} ({quoted}) "
                  f"{'ends' if len(ordered) == 1 else 'end'} the summary of the evidence in every "
                  f"section (also {and_list([spec.title for spec, _a in pairs[1:]], 5)}). Describe the "
                  "evidence for each section",
                  Location(f"evidence:{spec0.key}", field="narrative"))


def check_boilerplate(ctx: Context) -> Iterator[Finding]:
    yield from _row_findings(ctx)
    yield from _evidence_findings(ctx)
    yield from _shared_sentences(ctx)


register(Rule(
    id="CIA-R13",
    title="No boilerplate text pasted across rows or Evidence Bases",
    default_severity=ADVICE,
    template_sentence=(
        "Think about the impact the proposal may have on each of the different category areas, and "
        "identify the benefits of each decision."
    ),
    check=check_boilerplate,
    explanation=(
        "Points out the same (or nearly the same) text used in the same column of several rows (how "
        "many is a council setting, 3 by default), word-for-word identical benefits, risks or "
        "mitigations in two rows (naming the other place), the same evidence or summary of the "
        "evidence used in every section's Evidence Base, and the same sentences pasted into every "
        "section's summary of the evidence. Differences of case, spacing and punctuation are "
        "ignored, and so are short answers such as 'All residents'."
    ),
))
