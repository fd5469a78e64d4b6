"""Repeated paragraphs: keep one copy, in reading order.

Copies are found after the encoding repair (mojibake hides them), by a normalised hash and, for
near-copies, by word-shingle overlap. Where the page opens with a run made only of repeated
paragraphs (a teaser block that the body then repeats), the last copy in that run is the one
in reading order; everywhere else the first copy is.
"""

from __future__ import annotations

import re
from collections import defaultdict

from tui.corpus.layout import Unit

STAGE = "dedupe"

_MIN_WORDS = 6
_NEAR = 0.8
_MAX_POSTINGS = 4
_SAMPLE_EVERY = 6  # an earlier paragraph is indexed by every sixth of its word triples
_WORDS = re.compile(r"\w+")

_Shingle = tuple[str, str, str]


def _shingles(words: list[str]) -> list[_Shingle]:
    return list(zip(words, words[1:], words[2:], strict=False))


def find_copies(units: list[Unit]) -> list[int]:
    """Group id for every unit (units without copies get their own).

    Earlier paragraphs are indexed by a fixed sample of their word triples; a near-copy shares
    at least 80% of its triples with the original, so looking all of its own triples up finds
    the original among the candidates, which are then compared in full. Cost grows with the
    text, not with the square of the number of paragraphs.
    """
    group = list(range(len(units)))
    by_key: dict[str, int] = {}
    postings: dict[_Shingle, list[int]] = {}
    ordered: dict[int, list[_Shingle]] = {}
    sets: dict[int, set[_Shingle]] = {}

    def shingle_set(index: int) -> set[_Shingle]:
        if index not in sets:
            sets[index] = set(ordered[index])
        return sets[index]

    for index, unit in enumerate(units):
        if unit.role != "paragraph":
            continue
        words = _WORDS.findall(unit.text.casefold())
        normal = " ".join(words)
        if len(words) < _MIN_WORDS and len(normal) < 4 * _MIN_WORDS:
            continue
        if normal in by_key:
            group[index] = group[by_key[normal]]
            continue
        by_key[normal] = index
        own = ordered[index] = _shingles(words)
        if not own:
            continue
        candidates = {other for shingle in own for other in postings.get(shingle, ())}
        for other in sorted(candidates):
            mine, theirs = shingle_set(index), shingle_set(other)
            if len(mine & theirs) >= _NEAR * len(mine | theirs):
                group[index] = group[other]
                break
        for shingle in own[::_SAMPLE_EVERY]:
            holders = postings.setdefault(shingle, [])
            if len(holders) < _MAX_POSTINGS:
                holders.append(index)
    return group


def remove_repeats(units: list[Unit]) -> None:
    """Mark every copy but the one in reading order as a repeat.

    Near-copies are not transitive (A~C and B~C, but not A~B), so one pass can keep two
    paragraphs that are near-copies of each other; passes repeat until none is left, which is
    also what makes cleaning the clean text change nothing.
    """
    while _remove_repeats_once(units):
        pass


def _remove_repeats_once(units: list[Unit]) -> bool:
    group = find_copies(units)
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
                units[index].why = f"copy of the paragraph at line {units[keep].line}, kept there"
                removed = True
    return removed
