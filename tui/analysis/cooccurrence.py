"""Code co-occurrence: how often two codes sit on the same stretch of text.

Three units, one count each:
- "passage": pairs of overlapping passages (a passage carrying both codes is a pair with
  itself), each pair counted once for a pair of codes whichever side carries which; an
  orphaned passage (anchor lost) is only a pair with itself, as its offsets no longer
  point at its text;
- "sentence" / "paragraph": sentences (blocks) that both codes' passages reach into.
Codes follow the one counting rule (`counting.codes_counted`): a passage tagged
`Russia/war aims` counts for `Russia` too, so a pair shows at each level of the tree; with
`roll_up=False` ("as tagged") a passage counts only for the tags it carries, one row per pair
of tags. A code never co-occurs with its own parent or child (that would only restate the
tree).

A pair is one coder's: passages meet only their own coder's passages, since two coders' codes
on the same words are a matter of agreement (`marginalia agreement`), and a double-coded
corpus would otherwise count each co-occurrence up to four times. The counts of all coders
are added up; filter by coder to see one coder's.

The counts are made in one sweep over the passages in reading order, with each passage's
codes as the bits of an int (`_CodeBits`): passages that meet are recorded as two masks,
and only the distinct meetings are spread into pairs (`_PairCounter`), which keeps the
view near the cost of one `Counter` pass over 20,000 passages (`bench/analysis.py`).
`cooccurring_passages` says the same rule plainly, for the few passages behind one figure;
`tests/test_analysis_property.py` checks the two against each other.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from tui.analysis.counting import (
    OutOfOrder,
    codes_of,
    collector_paused,
    in_reading_order,
    order_by_tree,
)
from tui.analysis.filters import EVERYTHING, AnalysisFilter
from tui.corpus.model import Article
from tui.corpus.units import UnitIndex, unit_spans
from tui.store.hierarchy import ancestors, is_within, tree_order
from tui.store.model import Annotation, ArticleMeta

Unit = Literal["passage", "sentence", "paragraph"]
UNITS: tuple[Unit, ...] = ("passage", "sentence", "paragraph")
CodePair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Cooccurrence:
    unit: Unit
    codes: tuple[str, ...]
    counts: Mapping[CodePair, int]
    roll_up: bool = True

    def count(self, first: str, second: str) -> int:
        return self.counts.get(pair_of(first, second), 0)

    def pairs(self, *, by: str = "count") -> list[tuple[str, str, int]]:
        """(code, code, count) for every pair that co-occurs: most frequent first ("count"),
        or by the codes' names ("name")."""
        found = [(a, b, n) for (a, b), n in self.counts.items()]
        if by == "name":
            return sorted(found, key=lambda p: (tree_order(p[0]), tree_order(p[1])))
        return sorted(found, key=lambda p: (-p[2], tree_order(p[0]), tree_order(p[1])))

    def records(self, *, by: str = "count") -> list[dict[str, Any]]:
        return [
            {"code": a, "other_code": b, "unit": self.unit, "count": n}
            for a, b, n in self.pairs(by=by)
        ]


def pair_of(first: str, second: str) -> CodePair:
    """The pair in one order (tree order, then spelling: `Russia` and `russia` are two
    codes), so (a, b) and (b, a) are one key."""
    in_order = (tree_order(first), first) <= (tree_order(second), second)
    return (first, second) if in_order else (second, first)


def _related(first: str, second: str) -> bool:
    return is_within(first, second) or is_within(second, first)


def _shown(
    annotations: Iterable[Annotation],
    metas: Mapping[str, ArticleMeta],
    selection: AnalysisFilter,
    wanted: CodePair,
    roll_up: bool,
) -> dict[tuple[str, str], list[tuple[Annotation, tuple[str, ...]]]]:
    """The filter's passages that count for either code of `wanted`, with the codes they
    count for, by article and coder; the only passages a count of that pair can involve."""
    cache: dict[tuple[str, ...], tuple[str, ...]] = {}
    groups: dict[tuple[str, str], list[tuple[Annotation, tuple[str, ...]]]] = {}
    for annotation in selection.select(annotations, metas):
        codes = cache.get(annotation.tags)
        if codes is None:
            counted = tuple(
                c for c in codes_of(annotation.tags, roll_up=roll_up) if selection.wants_code(c)
            )
            codes = cache[annotation.tags] = counted if set(counted) & set(wanted) else ()
        if codes:
            key = (annotation.article, annotation.author)
            groups.setdefault(key, []).append((annotation, codes))
    return groups


def _makes(wanted: CodePair, first: Sequence[str], second: Sequence[str]) -> bool:
    """Whether two passages' codes (the same passage's, twice, for one alone) make the pair:
    one code on each side, whichever side carries which."""
    a, b = wanted
    return (a in first and b in second) or (b in first and a in second)


Coded = tuple[Annotation, tuple[str, ...]]


def _overlapping(members: list[Coded]) -> Iterator[tuple[Coded, Coded]]:
    """Every pair of overlapping passages of one article, and each passage with itself
    (the rule `_passage_meetings` counts by, written for a handful of passages)."""
    ordered = sorted(members, key=lambda m: (m[0].start, m[0].end))
    active: list[Coded] = []
    for item in ordered:
        passage = item[0]
        yield item, item
        if passage.end <= passage.start or passage.anchor == "orphaned":
            continue  # an empty or orphaned passage overlaps nothing
        active = [other for other in active if other[0].end > passage.start]
        for other in active:
            yield other, item
        active.append(item)


def _units(
    members: list[Coded], spans: Sequence[tuple[int, int]]
) -> Iterator[tuple[int, list[Coded]]]:
    """Each unit (sentence or block) with the passages that reach into it (the rule of
    `UnitIndex.reached`; `_unit_meetings` walks the same lists inline, per passage)."""
    units = UnitIndex(spans)
    reached: dict[int, list[Coded]] = {}
    for item in members:
        annotation = item[0]
        if annotation.anchor == "orphaned":
            continue
        for index in units.reached(annotation.start, annotation.end):
            reached.setdefault(index, []).append(item)
    yield from sorted(reached.items())


def _unit_spans(article: Article, unit: Unit) -> Sequence[tuple[int, int]]:
    """The article's sentences or paragraphs: the units the corpus search codes by, too."""
    return unit_spans(article, "sentence" if unit == "sentence" else "paragraph")


def cooccurrence(
    annotations: Iterable[Annotation],
    articles: Mapping[str, Article],
    metas: Mapping[str, ArticleMeta],
    selection: AnalysisFilter = EVERYTHING,
    *,
    unit: Unit = "passage",
    roll_up: bool = True,
) -> Cooccurrence:
    """How often each pair of codes co-occurs in `unit`s. Sentences and paragraphs need the
    article (`articles`); passages of articles not in it are left out of those two units."""
    bits = _CodeBits(selection, roll_up=roll_up)
    passages = selection.select(annotations, metas)
    with collector_paused():
        if unit == "passage":
            met = in_reading_order(lambda given: _passage_meetings(given, bits), passages)
        else:
            met = in_reading_order(
                lambda given: _unit_meetings(given, articles, unit, bits), passages
            )
        counts = _PairCounter(bits).count(met)
    return Cooccurrence(unit, tuple(order_by_tree(bits.names)), counts, roll_up)


@dataclass(slots=True)
class _Meetings:
    """What a sweep found, as code sets (`_CodeBits` masks): `alone`, one set per passage
    or unit whose codes make pairs among themselves; `overlapping`, (a, b) per two
    overlapping passages."""

    alone: list[int] = field(default_factory=list)
    overlapping: list[tuple[int, int]] = field(default_factory=list)


class _CodeBits:
    """The codes passages count for as bits of an int (bit i: the i-th code met), so a set
    of codes is one small int: unions, tests and dict keys cost what ints cost. Looked up by
    the passage's tags, which a corpus repeats."""

    def __init__(self, selection: AnalysisFilter, *, roll_up: bool = True) -> None:
        self._wants = selection.wants_code
        self._roll_up = roll_up
        self.names: list[str] = []
        self._index: dict[str, int] = {}
        self.of_tags: dict[tuple[str, ...], int] = {}
        self._members: dict[int, tuple[int, ...]] = {}

    def mask(self, tags: tuple[str, ...]) -> int:
        """The codes a passage with `tags` counts for (0: none the filter shows)."""
        found = self.of_tags.get(tags)
        if found is None:
            found = 0
            for code in codes_of(tags, roll_up=self._roll_up):
                if self._wants(code):
                    index = self._index.get(code)
                    if index is None:
                        index = self._index[code] = len(self.names)
                        self.names.append(code)
                    found |= 1 << index
            self.of_tags[tags] = found
        return found

    def members(self, mask: int) -> tuple[int, ...]:
        """The indexes of the codes in `mask`, lowest first."""
        found = self._members.get(mask)
        if found is None:
            found = self._members[mask] = tuple(
                index for index in range(mask.bit_length()) if mask >> index & 1
            )
        return found

    def unrelated(self) -> list[int]:
        """By code index: the other codes that are neither its ancestors nor descendants,
        the codes it can make a pair with."""
        related = [1 << index for index in range(len(self.names))]
        for index, name in enumerate(self.names):
            for ancestor in ancestors(name):
                above = self._index.get(ancestor)
                if above is not None:
                    related[above] |= 1 << index
                    related[index] |= 1 << above
        every = (1 << len(self.names)) - 1
        return [every & ~mask for mask in related]


class _PairCounter:
    """Named code pairs from the sets that met, with no loop over pairs per meeting.

    A set alone makes each pair inside it. Two overlapping sets (a, b) make the pairs
    {x, y} with x in a and y in b, or y in a and x in b: by inclusion-exclusion, the ordered
    (x in a, y in b) plus (y in a, x in b), minus the pairs inside a & b, counted twice. The
    ordered counts are kept per code of a as a row, b's codes added to it as one integer
    addition: a row packs one count per code into the fields of one int.
    """

    def __init__(self, bits: _CodeBits) -> None:
        self._bits = bits
        self._unrelated = bits.unrelated()
        self._pairs_inside: dict[int, tuple[tuple[int, int], ...]] = {}

    def count(self, met: _Meetings) -> dict[CodePair, int]:
        """Each pair's count: every distinct set or meeting is handled once, with its times."""
        members, unrelated = self._bits.members, self._unrelated
        overlapping = Counter(met.overlapping)
        inside = Counter(met.alone)
        width = max(1, overlapping.total()).bit_length() + 1  # no field can carry over
        packed: dict[int, int] = {}  # code set -> a 1 in the field of each of its codes
        rows: dict[int, int] = {}  # code set a -> packed counts of the codes b it met
        reach: dict[int, int] = {}  # code set a -> every code it met
        for (a, b), times in overlapping.items():
            ones = packed.get(b)
            if ones is None:
                ones = packed[b] = sum(1 << width * y for y in members(b))
            rows[a] = rows.get(a, 0) + times * ones
            reach[a] = reach.get(a, 0) | b
            both = a & b
            if both & (both - 1):
                inside[both] -= times
        by_code: dict[int, int] = {}  # code x -> packed counts of the codes met beside it
        code_reach: dict[int, int] = {}
        for a, row in rows.items():
            for x in members(a):
                by_code[x] = by_code.get(x, 0) + row
                code_reach[x] = code_reach.get(x, 0) | reach[a]
        counts: dict[tuple[int, int], int] = {}  # by code indexes, lower first
        field_mask = (1 << width) - 1
        for x, row in by_code.items():
            for y in members(code_reach[x] & unrelated[x]):
                times = row >> width * y & field_mask
                if times:
                    pair = (x, y) if x < y else (y, x)
                    counts[pair] = counts.get(pair, 0) + times
        for codes, times in inside.items():
            if times:
                for pair in self._inside(codes):
                    counts[pair] = counts.get(pair, 0) + times
        names = self._bits.names
        return {pair_of(names[x], names[y]): n for (x, y), n in counts.items() if n}

    def _inside(self, codes: int) -> tuple[tuple[int, int], ...]:
        """The pairs inside one set of codes, by index, lower first."""
        found = self._pairs_inside.get(codes)
        if found is None:
            members, unrelated = self._bits.members, self._unrelated
            found = self._pairs_inside[codes] = tuple(
                (x, y)
                for x in members(codes)
                for y in members(codes & unrelated[x] & -(2 << x))  # -(2 << x): bits above x
            )
        return found


def _passage_meetings(passages: Sequence[Annotation], bits: _CodeBits) -> _Meetings:
    """One sweep in reading order: each passage is a set alone (when it has two codes or
    more) and meets every earlier passage of its article and coder still open at its start.
    An orphaned passage is only alone: its offsets no longer point at its text."""
    of_tags, mask_of = bits.of_tags, bits.mask
    met = _Meetings()
    alone, overlapping = met.alone.append, met.overlapping.append
    current = None
    seen: set[str] = set()
    last_start = 0
    open_by_coder: dict[str, list[tuple[int, int]]] = {}  # (end, codes) of passages still open
    for passage in passages:
        codes = of_tags.get(passage.tags)
        if codes is None:
            codes = mask_of(passage.tags)
        if not codes:
            continue
        start = passage.start
        if passage.article != current:
            current, open_by_coder = passage.article, {}
            if current in seen:
                raise OutOfOrder
            seen.add(current)
        elif start < last_start:
            raise OutOfOrder
        last_start = start
        if codes & (codes - 1):
            alone(codes)
        end = passage.end
        if end <= start or passage.anchor == "orphaned":
            continue  # an empty or orphaned passage overlaps nothing
        active = open_by_coder.get(passage.author)
        if active is None:
            open_by_coder[passage.author] = [(end, codes)]
            continue
        still = []
        for other in active:
            if other[0] > start:
                still.append(other)
                overlapping((other[1], codes))
        still.append((end, codes))
        open_by_coder[passage.author] = still
    return met


def _unit_meetings(
    passages: Sequence[Annotation], articles: Mapping[str, Article], unit: Unit, bits: _CodeBits
) -> _Meetings:
    """The codes of each sentence or paragraph that two codes or more of one coder reach,
    as sets alone: the passages of an article together (any order within it), each unit's
    codes OR-ed, per coder."""
    of_tags, mask_of = bits.of_tags, bits.mask
    met = _Meetings()
    by_coder: dict[str, dict[int, int]] = {}  # per coder, unit index -> codes reaching it

    def close() -> None:
        for present in by_coder.values():
            met.alone.extend([codes for codes in present.values() if codes & (codes - 1)])

    current = None
    seen: set[str] = set()
    starts: list[int] = []
    ends: list[int] = []
    count = 0
    for passage in passages:
        if passage.anchor == "orphaned":
            continue
        codes = of_tags.get(passage.tags)
        if codes is None:
            codes = mask_of(passage.tags)
        if not codes:
            continue
        if passage.article != current:
            close()
            current = passage.article
            if current in seen:
                raise OutOfOrder
            seen.add(current)
            article = articles.get(current)
            spans = _unit_spans(article, unit) if article is not None else ()
            starts = [span[0] for span in spans]
            ends = [span[1] for span in spans]
            by_coder = {}
            count = len(starts)
        present = by_coder.get(passage.author)
        if present is None:
            present = by_coder[passage.author] = {}
        start, end = passage.start, passage.end
        stop = end if end > start else start + 1  # an empty passage reaches its unit
        index = bisect_right(ends, start)  # the first unit ending after the start
        while index < count and starts[index] < stop:
            present[index] = present.get(index, 0) | codes
            index += 1
    close()
    return met


def cooccurring_passages(
    annotations: Iterable[Annotation],
    articles: Mapping[str, Article],
    metas: Mapping[str, ArticleMeta],
    first: str,
    second: str,
    selection: AnalysisFilter = EVERYTHING,
    *,
    unit: Unit = "passage",
    roll_up: bool = True,
) -> list[Annotation]:
    """The passages behind one count: those of either code in a pair (or unit) with both."""
    wanted = pair_of(first, second)
    if _related(*wanted):
        return []  # a code never co-occurs with its parent or child
    chosen: dict[str, Annotation] = {}
    shown = _shown(annotations, metas, selection, wanted, roll_up)
    for (article_id, _coder), members in shown.items():
        if unit == "passage":
            for (a, a_codes), (b, b_codes) in _overlapping(members):
                if _makes(wanted, a_codes, b_codes):
                    chosen[a.id], chosen[b.id] = a, b
            continue
        article = articles.get(article_id)
        if article is None:
            continue
        for _, inside in _units(members, _unit_spans(article, unit)):
            present = {code for _, item_codes in inside for code in item_codes}
            if _makes(wanted, tuple(present), tuple(present)):
                for annotation, item_codes in inside:
                    if wanted[0] in item_codes or wanted[1] in item_codes:
                        chosen[annotation.id] = annotation
    return sorted(chosen.values(), key=lambda a: (a.article, a.start, a.end, a.id))
