"""Repeated paragraphs: keep one copy, in reading order.

Copies are found after the encoding repair (mojibake hides them), by a normalised hash and, for
near-copies, by word-shingle overlap. Where the page opens with a run made only of repeated
paragraphs (a teaser block that the body then repeats), the last copy in that run is the one
in reading order; everywhere else the first copy is.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from tui.corpus.layout import Unit

STAGE = "dedupe"

_MIN_WORDS = 6
_NEAR = 0.8
_MAX_POSTINGS = 4
_SAMPLE_EVERY = 6  # an earlier paragraph is indexed by every sixth of its word triples
_WORDS = re.compile(r"\w+")

_Shingle = tuple[str, str, str]


@dataclass(slots=True)
class Fingerprint:
    """What comparing a paragraph needs, computed once however often the stage runs."""

    normal: str  # casefolded words, punctuation gone
    ordered: list[_Shingle]  # word triples in reading order
    _set: set[_Shingle] | None = None

    @property
    def shingle_set(self) -> set[_Shingle]:
        if self._set is None:
            self._set = set(self.ordered)
        return self._set


Fingerprints = dict[int, Fingerprint | None]  # by id() of the unit; None: too short to compare


def _fingerprint(unit: Unit, cache: Fingerprints) -> Fingerprint | None:
    key = id(unit)
    if key not in cache:
        words = _WORDS.findall(unit.text.casefold())
        normal = " ".join(words)
        too_short = len(words) < _MIN_WORDS and len(normal) < 4 * _MIN_WORDS
        cache[key] = None if too_short else Fingerprint(normal, _shingles(words))
    return cache[key]


def _shingles(words: list[str]) -> list[_Shingle]:
    return list(zip(words, words[1:], words[2:], strict=False))


def find_copies(units: list[Unit], cache: Fingerprints | None = None) -> list[int]:
    """Group id for every unit (units without copies get their own).

    Earlier paragraphs are indexed by a fixed sample of their word triples; a near-copy shares
    at least 80% of its triples with the original, so looking all of its own triples up finds
    the original among the candidates, which are then compared in full. Cost grows with the
    text, not with the square of the number of paragraphs.
    """
    cache = {} if cache is None else cache
    group = list(range(len(units)))
    by_key: dict[str, int] = {}
    postings: dict[_Shingle, list[int]] = {}
    prints: dict[int, Fingerprint] = {}
    for index, unit in enumerate(units):
        if unit.role != "paragraph":
            continue
        fingerprint = _fingerprint(unit, cache)
        if fingerprint is None:
            continue
        if fingerprint.normal in by_key:
            group[index] = group[by_key[fingerprint.normal]]
            continue
        by_key[fingerprint.normal] = index
        prints[index] = fingerprint
        own = fingerprint.ordered
        candidates = {other for shingle in own for other in postings.get(shingle, ())}
        for other in sorted(candidates):
            mine, theirs = fingerprint.shingle_set, prints[other].shingle_set
            if len(mine & theirs) >= _NEAR * len(mine | theirs):
                group[index] = group[other]
                break
        for shingle in own[::_SAMPLE_EVERY]:
            holders = postings.setdefault(shingle, [])
            if len(holders) < _MAX_POSTINGS:
                holders.append(index)
    return group


def remove_repeats(units: list[Unit], cache: Fingerprints | None = None) -> None:
    """Mark every copy but the one in reading order as a repeat.

    Near-copies are not transitive (A~C and B~C, but not A~B), so one pass can keep two
    paragraphs that are near-copies of each other; passes repeat until none is left, which is
    also what makes cleaning the clean text change nothing.
    """
    cache = {} if cache is None else cache
    while _remove_repeats_once(units, cache):
        pass


def _remove_repeats_once(units: list[Unit], cache: Fingerprints) -> bool:
    group = find_copies(units, cache)
    members: dict[int, list[int]] = defaultdict(list)
    for index, unit in enumerate(units):
        if unit.role == "paragraph":
            members[group[index]].append(index)
    body = [index for index, unit in enumerate(units) if unit.role == "paragraph"]
    leading: set[int] = set()
    for index in body:
        if len(members[group[index]]) == 1:
            break
        leading.add(index)
    removed = False
    for copies in members.values():
        if len(copies) < 2:
            continue
        in_lead = [index for index in copies if index in leading]
        keep = in_lead[-1] if in_lead else copies[0]
        for index in copies:
            if index != keep:
                units[index].role = "repeat"
                kept_at = units[keep].line
                units[index].why = f"repeats the paragraph at line {kept_at}, which is kept"
                removed = True
    return removed
