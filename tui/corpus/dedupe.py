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
_SHINGLE = 3
_NEAR = 0.8
_MAX_POSTINGS = 50
_NORMAL = re.compile(r"[\W_]+")


def _normalise(text: str) -> str:
    return _NORMAL.sub(" ", text.casefold()).strip()


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)}


def find_copies(units: list[Unit]) -> list[int]:
    """Group id for every unit (units without copies get their own)."""
    group = list(range(len(units)))
    by_key: dict[str, int] = {}
    postings: dict[tuple[str, ...], list[int]] = defaultdict(list)
    shingles: dict[int, set[tuple[str, ...]]] = {}
    for index, unit in enumerate(units):
        if unit.role != "paragraph":
            continue
        normal = _normalise(unit.text)
        words = normal.split()
        if len(words) < _MIN_WORDS and len(normal) < 4 * _MIN_WORDS:
            continue
        if normal in by_key:
            group[index] = group[by_key[normal]]
            continue
        by_key[normal] = index
        own = _shingles(words)
        shingles[index] = own
        overlap: dict[int, int] = defaultdict(int)
        for shingle in own:
            for other in postings[shingle]:
                overlap[other] += 1
        for other, shared in sorted(overlap.items(), key=lambda item: (-item[1], item[0])):
            if shared / len(own | shingles[other]) >= _NEAR:
                group[index] = group[other]
                break
        for shingle in own:
            if len(postings[shingle]) < _MAX_POSTINGS:
                postings[shingle].append(index)
    return group


def remove_repeats(units: list[Unit]) -> None:
    """Mark every copy but the one in reading order as a repeat."""
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
    for copies in members.values():
        if len(copies) < 2:
            continue
        in_lead = [index for index in copies if index in leading]
        keep = in_lead[-1] if in_lead else copies[0]
        for index in copies:
            if index != keep:
                units[index].role = "repeat"
                units[index].why = f"copy of the paragraph at line {units[keep].line}, kept there"
