"""Code co-occurrence: how often two codes sit on the same stretch of text.

Three units, one count each:
- "passage": pairs of overlapping passages (a passage carrying both codes is a pair with
  itself), each pair counted once for a pair of codes whichever side carries which;
- "sentence" / "paragraph": sentences (blocks) that both codes' passages reach into.
Codes follow the one counting rule (`counting.codes_counted`); a code never co-occurs with
its own parent or child (that would only restate the tree). Passages of all coders count
together: filter by coder to see one coder's coding.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Literal

from tui.analysis.counting import codes_counted, order_by_tree
from tui.analysis.filters import EVERYTHING, AnalysisFilter
from tui.corpus.model import Article
from tui.store.hierarchy import is_within, tree_order
from tui.store.model import Annotation, ArticleMeta

Unit = Literal["passage", "sentence", "paragraph"]
UNITS: tuple[Unit, ...] = ("passage", "sentence", "paragraph")
CodePair = tuple[str, str]
_READING_ORDER = attrgetter("article", "start", "end")


@dataclass(frozen=True, slots=True)
class Cooccurrence:
    unit: Unit
    codes: tuple[str, ...]
    counts: Mapping[CodePair, int]

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
    """The pair in one order (tree order), so (a, b) and (b, a) are one key."""
    return (first, second) if tree_order(first) <= tree_order(second) else (second, first)


def _related(first: str, second: str) -> bool:
    return is_within(first, second) or is_within(second, first)


class _PairFinder:
    """The code pairs two passages' codes make, cached per pair of code combinations (a
    corpus repeats few) and per pair of codes: the views run over 20,000 passages."""

    def __init__(self) -> None:
        self._codes: dict[tuple[str, str], CodePair | None] = {}
        self._combos: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[CodePair, ...]] = {}

    def code_pair(self, first: str, second: str) -> CodePair | None:
        key = (first, second)
        if key not in self._codes:
            self._codes[key] = None if _related(first, second) else pair_of(first, second)
        return self._codes[key]

    def between(self, first: tuple[str, ...], second: tuple[str, ...]) -> tuple[CodePair, ...]:
        key = (first, second)
        found = self._combos.get(key)
        if found is None:
            known = self._codes
            pairs: set[CodePair] = set()
            for a in first:
                for b in second:
                    if (a, b) not in known:
                        known[(a, b)] = None if _related(a, b) else pair_of(a, b)
                    pair = known[(a, b)]
                    if pair is not None:
                        pairs.add(pair)
            found = self._combos[key] = tuple(pairs)
        return found


def _code_pairs(first: Sequence[str], second: Sequence[str]) -> set[CodePair]:
    return {pair_of(a, b) for a in first for b in second if not _related(a, b)}


def _shown(
    annotations: Iterable[Annotation],
    metas: Mapping[str, ArticleMeta],
    selection: AnalysisFilter,
) -> dict[str, list[tuple[Annotation, tuple[str, ...]]]]:
    """The filter's passages with the codes they count for (one spelling per combination,
    whatever the order of the tags), by article in reading order; none without codes."""
    cache: dict[tuple[str, ...], tuple[str, ...]] = {}
    spelled: dict[frozenset[str], tuple[str, ...]] = {}  # one spelling per combination
    by_article: dict[str, list[tuple[Annotation, tuple[str, ...]]]] = {}
    # The store gives passages in reading order already: then this sort is one linear pass.
    for annotation in sorted(selection.select(annotations, metas), key=_READING_ORDER):
        codes = cache.get(annotation.tags)
        if codes is None:
            counted = tuple(c for c in codes_counted(annotation.tags) if selection.wants_code(c))
            codes = cache[annotation.tags] = spelled.setdefault(frozenset(counted), counted)
        if codes:
            by_article.setdefault(annotation.article, []).append((annotation, codes))
    return by_article


Coded = tuple[Annotation, tuple[str, ...]]


def _overlapping(members: list[Coded]) -> Iterator[tuple[Coded, Coded]]:
    """Every pair of overlapping passages of one article, and each passage with itself."""
    ordered = sorted(members, key=lambda m: (m[0].start, m[0].end))
    active: list[Coded] = []
    for item in ordered:
        start = item[0].start
        active = [other for other in active if other[0].end > start]
        yield item, item
        for other in active:
            if item[0].end > start:  # an empty passage overlaps nothing
                yield other, item
        active.append(item)


def _units(
    members: list[Coded], spans: Sequence[tuple[int, int]]
) -> Iterator[tuple[int, list[Coded]]]:
    """Each unit (sentence or block) with the passages that reach into it."""
    starts = [start for start, _ in spans]
    ends = [end for _, end in spans]
    reached: dict[int, list[Coded]] = {}
    for item in members:
        annotation = item[0]
        if annotation.anchor == "orphaned":
            continue
        start, end = annotation.start, annotation.end
        first = bisect_right(ends, start)  # first unit ending after the start
        last = bisect_left(starts, max(end, start + 1))  # units starting before the end
        for index in range(first, last):
            reached.setdefault(index, []).append(item)
    yield from sorted(reached.items())


def _unit_spans(article: Article, unit: Unit) -> Sequence[tuple[int, int]]:
    if unit == "sentence":
        return article.sentences
    return [(block.start, block.end) for block in article.blocks]


def cooccurrence(
    annotations: Iterable[Annotation],
    articles: Mapping[str, Article],
    metas: Mapping[str, ArticleMeta],
    selection: AnalysisFilter = EVERYTHING,
    *,
    unit: Unit = "passage",
) -> Cooccurrence:
    """How often each pair of codes co-occurs in `unit`s. Sentences and paragraphs need the
    article (`articles`); passages of articles not in it are left out of those two units."""
    # One entry per meeting of two passages, as a number naming their two code combinations
    # (`first * _WIDTH + second`); counted in one go at the end and only then spread over code
    # pairs: a corpus repeats few combinations, and small numbers hash fastest.
    combos: dict[tuple[str, ...], int] = {}
    if unit == "passage":
        meetings = _passage_meetings(annotations, metas, selection, combos)
    else:
        meetings = _unit_meetings(annotations, articles, metas, selection, unit, combos)
    spelled = list(combos)
    # A meeting of a and b is one of b and a: fold the two orders before spreading them.
    folded: dict[tuple[int, int], int] = {}
    for meeting, times in Counter(meetings).items():
        first, second = divmod(meeting, _WIDTH)
        key = (first, second) if first <= second else (second, first)
        folded[key] = folded.get(key, 0) + times
    counts: dict[CodePair, int] = {}
    finder = _PairFinder()
    for (first, second), times in folded.items():
        for pair in finder.between(spelled[first], spelled[second]):
            counts[pair] = counts.get(pair, 0) + times
    codes = {code for combo in combos for code in combo}
    return Cooccurrence(unit, tuple(order_by_tree(codes)), counts)


_WIDTH = 1 << 32


class _Combinations:
    """Numbers for the code combinations passages carry (-1: no code shown), looked up by
    the passage's tags; one number per set of codes, whatever the order of the tags."""

    def __init__(self, selection: AnalysisFilter, combos: dict[tuple[str, ...], int]) -> None:
        self._selection = selection
        self.combos = combos
        self.by_tags: dict[tuple[str, ...], int] = {}
        self._by_set: dict[frozenset[str], int] = {}
        self.several: list[bool] = []
        """By number: whether the combination has two codes or more (can make a pair)."""
        self.codes_of: list[tuple[str, ...]] = []
        """By number: the combination's codes."""

    def number(self, tags: tuple[str, ...]) -> int:
        found = self.by_tags.get(tags)
        if found is None:
            wants = self._selection.wants_code
            codes = tuple(c for c in codes_counted(tags) if wants(c))
            found = self.of_codes(codes) if codes else -1
            self.by_tags[tags] = found
        return found

    def of_codes(self, codes: tuple[str, ...]) -> int:
        return self.of_set(frozenset(codes), codes)

    def of_set(self, key: frozenset[str], codes: tuple[str, ...] | None = None) -> int:
        found = self._by_set.get(key)
        if found is None:
            spelled = codes if codes is not None else tuple(sorted(key))
            found = self._by_set[key] = self.combos[spelled] = len(self.combos)
            self.several.append(len(key) > 1)
            self.codes_of.append(spelled)
        return found


def _passage_meetings(
    annotations: Iterable[Annotation],
    metas: Mapping[str, ArticleMeta],
    selection: AnalysisFilter,
    combos: dict[tuple[str, ...], int],
) -> list[int]:
    """One sweep in reading order: each passage meets itself (when it has two codes or
    more) and every earlier passage of its article still open at its start."""
    numbers = _Combinations(selection, combos)
    by_tags, several = numbers.by_tags, numbers.several
    meetings: list[int] = []
    append = meetings.append
    current = None
    active: list[tuple[int, int]] = []  # (end, combination) of passages still open
    for annotation in sorted(selection.select(annotations, metas), key=_READING_ORDER):
        combo = by_tags.get(annotation.tags)
        if combo is None:
            combo = numbers.number(annotation.tags)
        if combo < 0:
            continue
        if annotation.article != current:
            current, active = annotation.article, []
        start, end = annotation.start, annotation.end
        if several[combo]:
            append(combo * _WIDTH + combo)  # a passage with two codes: a pair with itself
        if end <= start:
            continue  # an empty passage overlaps nothing
        if active:
            still = []
            for other in active:
                if other[0] > start:
                    still.append(other)
                    append(other[1] * _WIDTH + combo)
            active = still
        active.append((end, combo))
    return meetings


def _unit_meetings(
    annotations: Iterable[Annotation],
    articles: Mapping[str, Article],
    metas: Mapping[str, ArticleMeta],
    selection: AnalysisFilter,
    unit: Unit,
    combos: dict[tuple[str, ...], int],
) -> list[int]:
    """One entry per sentence or paragraph that passages with two codes or more reach."""
    numbers = _Combinations(selection, combos)
    codes_of = numbers.codes_of
    meetings: list[int] = []
    present: dict[int, set[str]] = {}

    def close() -> None:
        for found in present.values():
            if len(found) > 1:
                combo = numbers.of_set(frozenset(found))
                meetings.append(combo * _WIDTH + combo)
        present.clear()

    current = None
    starts: list[int] = []
    ends: list[int] = []
    for annotation in sorted(selection.select(annotations, metas), key=_READING_ORDER):
        if annotation.anchor == "orphaned":
            continue
        combo = numbers.number(annotation.tags)
        if combo < 0:
            continue
        if annotation.article != current:
            close()
            current = annotation.article
            article = articles.get(current)
            spans = _unit_spans(article, unit) if article is not None else ()
            starts = [span[0] for span in spans]
            ends = [span[1] for span in spans]
        codes = codes_of[combo]
        start, end = annotation.start, annotation.end
        last = bisect_left(starts, end if end > start else start + 1)
        for index in range(bisect_right(ends, start), last):
            found = present.get(index)
            if found is None:
                present[index] = set(codes)
            else:
                found.update(codes)
    close()
    return meetings


def cooccurring_passages(
    annotations: Iterable[Annotation],
    articles: Mapping[str, Article],
    metas: Mapping[str, ArticleMeta],
    first: str,
    second: str,
    selection: AnalysisFilter = EVERYTHING,
    *,
    unit: Unit = "passage",
) -> list[Annotation]:
    """The passages behind one count: those of either code in a pair (or unit) with both."""
    wanted = pair_of(first, second)
    chosen: dict[str, Annotation] = {}
    for article_id, members in _shown(annotations, metas, selection).items():
        if unit == "passage":
            for (a, a_codes), (b, b_codes) in _overlapping(members):
                if wanted in _code_pairs(a_codes, b_codes):
                    chosen[a.id], chosen[b.id] = a, b
            continue
        article = articles.get(article_id)
        if article is None:
            continue
        for _, inside in _units(members, _unit_spans(article, unit)):
            present = {code for _, item_codes in inside for code in item_codes}
            if wanted[0] in present and wanted[1] in present:
                for annotation, item_codes in inside:
                    if wanted[0] in item_codes or wanted[1] in item_codes:
                        chosen[annotation.id] = annotation
    return sorted(chosen.values(), key=lambda a: (a.article, a.start, a.end, a.id))
