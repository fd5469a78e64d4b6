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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from tui.analysis.counting import codes_counted, order_by_tree
from tui.analysis.filters import EVERYTHING, AnalysisFilter
from tui.corpus.model import Article
from tui.store.hierarchy import is_within, tree_order
from tui.store.model import Annotation, ArticleMeta

Unit = Literal["passage", "sentence", "paragraph"]
UNITS: tuple[Unit, ...] = ("passage", "sentence", "paragraph")
CodePair = tuple[str, str]


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


def _code_pairs(first: Sequence[str], second: Sequence[str]) -> set[CodePair]:
    return {pair_of(a, b) for a in first for b in second if not _related(a, b)}


def _shown(
    annotations: Iterable[Annotation],
    metas: Mapping[str, ArticleMeta],
    selection: AnalysisFilter,
) -> dict[str, list[tuple[Annotation, tuple[str, ...]]]]:
    """The filter's passages with the codes they count for, by article; none without codes."""
    cache: dict[tuple[str, ...], tuple[str, ...]] = {}
    by_article: dict[str, list[tuple[Annotation, tuple[str, ...]]]] = {}
    for annotation in selection.select(annotations, metas):
        codes = cache.get(annotation.tags)
        if codes is None:
            codes = tuple(c for c in codes_counted(annotation.tags) if selection.wants_code(c))
            cache[annotation.tags] = codes
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
    counts: dict[CodePair, int] = {}
    codes: set[str] = set()
    pairs_cache: dict[tuple[tuple[str, ...], tuple[str, ...]], set[CodePair]] = {}

    def add(found: set[CodePair]) -> None:
        for pair in found:
            counts[pair] = counts.get(pair, 0) + 1

    for article_id, members in _shown(annotations, metas, selection).items():
        for _, item_codes in members:
            codes.update(item_codes)
        if unit == "passage":
            for (_, first), (_, second) in _overlapping(members):
                key = (first, second)
                found = pairs_cache.get(key)
                if found is None:
                    found = pairs_cache[key] = _code_pairs(first, second)
                add(found)
            continue
        article = articles.get(article_id)
        if article is None:
            continue
        for _, inside in _units(members, _unit_spans(article, unit)):
            present = sorted({code for _, item_codes in inside for code in item_codes})
            add(_code_pairs(present, present))
    return Cooccurrence(unit, tuple(order_by_tree(codes)), counts)


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
