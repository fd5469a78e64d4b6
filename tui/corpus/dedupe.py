"""Repeated paragraphs: keep one copy, in reading order.

Copies are found after the encoding repair (mojibake hides them), by a normalised hash and, for
near-copies, by word-shingle overlap, and a copy cut short with "…" joins the paragraph it
begins. Where the page opens with a run of two or more units that the body repeats further
down (a teaser, in any order, with its headings), the teaser's copies go and the body's stay;
everywhere else the first copy is kept, and a cut copy never beats the full paragraph.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from tui.corpus.layout import Unit

STAGE = "dedupe"

_MIN_WORDS = 6
_NEAR = 0.8
# Paragraphs indexed under one triple. A rarest-first prefix holds the triples a near-copy
# shares with few others; one held by more is boilerplate, and indexing every holder of it
# would make a long, repetitive page cost the square of its paragraphs (four, as before).
_MAX_POSTINGS = 4
_WORDS = re.compile(r"\w+")

# A word triple, kept as its hash: a tuple of three strings costs ten times the memory, and
# two different triples sharing a 64-bit hash in one article is not a practical concern.
_Shingle = int


@dataclass(slots=True)
class Fingerprint:
    """What comparing a paragraph needs, computed once however often the stage runs."""

    normal: str  # casefolded words, punctuation gone
    shingle_set: set[_Shingle]  # its word triples


@dataclass(slots=True)
class Fingerprints:
    """What the stage keeps between its runs on one article."""

    prints: dict[int, Fingerprint | None] = field(default_factory=dict)  # by id() of the unit
    settled: tuple[int, ...] = ()  # the paragraphs (ids) of the last run that removed nothing


def _fingerprint(unit: Unit, cache: Fingerprints) -> Fingerprint | None:
    key = id(unit)
    prints = cache.prints
    if key not in prints:
        words = _WORDS.findall(unit.text.casefold())
        normal = " ".join(words)
        too_short = len(words) < _MIN_WORDS and len(normal) < 4 * _MIN_WORDS
        prints[key] = None if too_short else Fingerprint(normal, _shingles(words))
    return prints[key]


def _shingles(words: list[str]) -> set[_Shingle]:
    return {hash(triple) for triple in zip(words, words[1:], words[2:], strict=False)}


def find_copies(units: list[Unit], cache: Fingerprints | None = None) -> list[int]:
    """Group id for every unit (units without copies get their own).

    Exact copies share a normalised text. Near-copies (at least 80% of their word triples in
    common) are found by prefix filtering: with the triples of every paragraph ordered
    rarest first, two paragraphs that share 80% of their triples must share one of the first
    fifth of each, so only paragraphs sharing a rare triple are compared in full. A triple is
    indexed for its first `_MAX_POSTINGS` paragraphs only, so cost grows with the text, not
    with the number of paragraph pairs (`COMPARISONS` counts the pairs compared in full); the
    search stays exact unless every rare triple of a pair is in more than that many others.
    """
    cache = Fingerprints() if cache is None else cache
    group = list(range(len(units)))
    by_key: dict[str, int] = {}
    live: list[tuple[int, Fingerprint]] = []
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
        live.append((index, fingerprint))
    rank = _rarity_ranks(fingerprint for _, fingerprint in live)
    postings: dict[_Shingle, list[tuple[int, int]]] = {}
    prints: dict[int, Fingerprint] = {}
    sizes: dict[int, int] = {}
    for index, fingerprint in live:
        prints[index] = fingerprint
        mine = fingerprint.shingle_set
        size = sizes[index] = len(mine)
        low, high = math.floor(_NEAR * size) - 1, size / _NEAR + 1
        prefix = _prefix(mine, rank)
        shared: dict[int, int] = {}
        for position, shingle in enumerate(prefix):
            for other, other_position in postings.get(shingle, ()):
                count = shared.get(other, 0)
                if count < 0:
                    continue
                other_size = sizes[other]
                # Length and position filters: sizes too far apart, or too few triples left
                # after these two to reach what 80% similarity needs (less one, for the
                # float test below), and the pair cannot be near-copies.
                need = math.floor(_NEAR * (size + other_size) / (1 + _NEAR)) - 1
                rest = min(size - position, other_size - other_position)
                near = low <= other_size <= high and count + rest >= need
                shared[other] = count + 1 if near else -1
            holders = postings.setdefault(shingle, [])
            if len(holders) < _MAX_POSTINGS:
                holders.append((index, position))
        for other in sorted(other for other, count in shared.items() if count > 0):
            COMPARISONS[0] += 1
            theirs = prints[other].shingle_set
            common = len(mine & theirs)
            if common >= _NEAR * (size + sizes[other] - common):  # of the union
                group[index] = group[other]
                break
    return group


COMPARISONS = [0]  # paragraph pairs compared in full, for tests of the stage's cost


def _rarity_ranks(prints: Iterable[Fingerprint]) -> dict[_Shingle, int]:
    """One total order of all triples, rarest first (ties: first seen first)."""
    count: dict[_Shingle, int] = {}
    for fingerprint in prints:
        for shingle in fingerprint.shingle_set:
            count[shingle] = count.get(shingle, 0) + 1
    size = len(count)
    return {shingle: seen + size * times for seen, (shingle, times) in enumerate(count.items())}


def _prefix(shingles: set[_Shingle], rank: dict[_Shingle, int]) -> list[_Shingle]:
    """The rarest triples: enough that any paragraph sharing 80% of them shares one."""
    keep = len(shingles) - math.floor(_NEAR * len(shingles)) + 1
    return sorted(shingles, key=rank.__getitem__)[:keep]


def remove_repeats(units: list[Unit], cache: Fingerprints | None = None) -> None:
    """Mark every copy but the one in reading order as a repeat.

    Near-copies are not transitive (A~C and B~C, but not A~B), so one pass can keep two
    paragraphs that are near-copies of each other; passes repeat until none is left, which is
    also what makes cleaning the clean text change nothing.
    """
    cache = Fingerprints() if cache is None else cache
    live = tuple(id(unit) for unit in units if unit.role == "paragraph")
    if live == cache.settled:
        return  # judged as it is now before, and nothing was removed
    while _remove_repeats_once(units, cache):
        pass
    cache.settled = tuple(id(unit) for unit in units if unit.role == "paragraph")


def _remove_repeats_once(units: list[Unit], cache: Fingerprints) -> bool:
    group = find_copies(units, cache)
    live = [index for index, unit in enumerate(units) if unit.role == "paragraph"]
    _group_truncations(units, live, group, cache)
    members: dict[int, list[int]] = defaultdict(list)
    for index in live:
        members[group[index]].append(index)
    teaser = _teaser(units, live, group, members)
    removed = False
    for index in teaser:
        if len(members[group[index]]) < 2:  # a short line repeated only by the body
            units[index].role = "repeat"
            units[index].why = "heading of the teaser above the body, which repeats it"
            removed = True
    for copies in members.values():
        if len(copies) < 2:
            continue
        keep = _kept_copy(units, copies, teaser)
        for index in copies:
            if index != keep:
                units[index].role = "repeat"
                units[index].why = f"{_why(units[index], index in teaser)} the paragraph at line "
                units[index].why += f"{units[keep].line}, which is kept"
                removed = True
    return removed


_ELLIPSIS = re.compile(r"(?:…|\.\.\.)[\"'”’)\]]*$")
_TRUNCATION_KEY_WORDS = 6


def _truncated(unit: Unit) -> bool:
    return bool(_ELLIPSIS.search(unit.text))


def _group_truncations(
    units: list[Unit], live: list[int], group: list[int], cache: Fingerprints
) -> None:
    """A paragraph cut short with "…" joins the group of the paragraph it is the start of."""
    by_opening: dict[str, list[int]] = defaultdict(list)
    normals: dict[int, str] = {}
    for index in live:
        fingerprint = _fingerprint(units[index], cache)
        if fingerprint is not None:
            normals[index] = fingerprint.normal
            opening = " ".join(fingerprint.normal.split(" ", _TRUNCATION_KEY_WORDS)[:-1])
            by_opening[opening].append(index)
    for index, normal in normals.items():
        words = normal.split(" ", _TRUNCATION_KEY_WORDS)
        if len(words) <= _TRUNCATION_KEY_WORDS or not _truncated(units[index]):
            continue
        for other in by_opening[" ".join(words[:-1])]:
            longer = other != index and len(normals[other]) > len(normal)
            if longer and normals[other].startswith(normal) and not _truncated(units[other]):
                group[index] = group[other]
                break


def _teaser(
    units: list[Unit], live: list[int], group: list[int], members: dict[int, list[int]]
) -> list[int]:
    """The run of units opening the page that the body repeats later (its teaser).

    Every unit of the run has a copy further down (a short line, such as a heading, an exact
    one); it takes two such units to call the run a teaser: one paragraph repeated far below
    is more often a pull quote, and there the first copy is the one in reading order.
    """
    short_copies: dict[str, list[int]] = defaultdict(list)
    for index in live:
        if len(units[index].text) < 4 * _MIN_WORDS:
            short_copies[" ".join(_WORDS.findall(units[index].text.casefold()))].append(index)
    run: list[int] = []
    for index in live:
        copies = members[group[index]]
        short = short_copies.get(" ".join(_WORDS.findall(units[index].text.casefold())), [])
        if copies[-1] > index or (len(copies) == 1 and short and short[-1] > index):
            run.append(index)
        else:
            break
    long_units = sum(len(members[group[index]]) > 1 for index in run)
    return run if long_units >= 2 else []


def _kept_copy(units: list[Unit], copies: list[int], teaser: list[int]) -> int:
    """The copy in the body's reading order.

    Copies in a teaser go (the body's copy has the body's neighbours); of the rest, a copy cut
    short with "…" never beats the full paragraph; otherwise the first copy is kept.
    """
    in_body = [index for index in copies if index not in teaser] or copies
    full = [index for index in in_body if not _truncated(units[index])] or in_body
    return full[0]


def _why(unit: Unit, in_teaser: bool) -> str:
    if in_teaser:
        return "in the teaser above the body, repeats"
    if _truncated(unit):
        return "cut short with an ellipsis, repeats"
    return "repeats"
