"""How far coders agree, from the store's annotations: per tag and overall, by sentence or by
character, with percent agreement, Cohen's kappa (two coders) and Krippendorff's alpha.

Units. With `sentence`, every sentence of an article (its sentence spans) is one unit per tag:
a coder coded it with the tag when one of their annotations carrying the tag (or one below it)
overlaps the sentence. With `char`, every character of the clean text is one unit per tag.
Each unit is a yes/no value per coder.

Missing data. A coder who made no annotation at all in an article did not code that article:
their values there are missing, not "no". An article only counts where at least two of the
chosen coders coded it.

Uncoded text. Units that nobody coded with a tag are agreements ("no" and "no"), and a
corpus is mostly such text, which inflates the figures (QualCoder #667). Each figure is
therefore given twice: over all units (`all_units`) and over the units at least one coder
coded with the tag (`coded_units`).

All tags. The overall row pools every code's units into one reliability matrix, each unit
once per code with a yes/no value per coder (one binary variable per code, pooled: a common
way to give one alpha over several codes; Krippendorff's multi-valued mv-alpha is another
coefficient, not computed here). Nested tags are not counted twice: a coded passage counts
under its most specific chosen tag only, so with `Russia` and `Russia/war aims` chosen, a
passage coded `Russia/war aims` is a unit of `Russia/war aims` and not also of `Russia`, whose
code there stands for "Russia itself" (or a child that was not chosen). A unit coded `Russia`
by one coder and `Russia/war aims` by the other is then a disagreement on both codes, as
coders who chose different codes disagree. The tags chosen set the level: only top-level tags
give agreement on the top-level codes, each child counted as its parent. The per-tag rows
answer another question, agreement on a tag at any depth, so each includes its children.

Speed. Units are counted by (which coders coded the article, which of them said yes); units
nobody coded are counted by subtraction, never enumerated, so the work follows the annotations,
not the length of the corpus.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from tui.analysis.agreement_stats import (
    Pattern,
    cohen_kappa,
    nominal_alpha,
    pairable_units,
    percent_agreement,
)
from tui.corpus.model import Article
from tui.store.hierarchy import is_below, is_within
from tui.store.model import Annotation

Unit = Literal["sentence", "char"]
UNITS: tuple[Unit, ...] = ("sentence", "char")

Tally = Counter[tuple[int, int]]
"""Units by (coders who coded the article, coders who said yes), each a bit mask over the
chosen coders in their order."""


@dataclass(frozen=True, slots=True)
class Figures:
    """Agreement over one set of units. A figure is None where it is undefined: no pairable
    unit, kappa with other than two coders, or no variation at all (everyone said "no")."""

    units: int
    percent: float | None
    kappa: float | None
    alpha: float | None


@dataclass(frozen=True, slots=True)
class TagAgreement:
    """One tag (children included), or all tags pooled: the figures with and without the
    units nobody coded with the tag."""

    tag: str
    all_units: Figures
    coded_units: Figures


OVERALL = "(all tags)"


@dataclass(frozen=True, slots=True)
class UnitCounts:
    """The units of every chosen tag, counted: what the figures are computed from."""

    unit: Unit
    coders: tuple[str, ...]
    articles: tuple[str, ...]
    """Articles that at least two of the coders coded: the ones measured."""
    unpaired: tuple[str, ...]
    """Articles left out: fewer than two of the coders made an annotation there."""
    tags: tuple[str, ...]
    tallies: tuple[Tally, ...]
    """Each tag's units, its children's codings included."""
    overall: Tally
    """The units of every code together, a passage under its most specific chosen tag only
    (see the module's docstring): what the overall figures are computed from."""


@dataclass(frozen=True, slots=True)
class AgreementReport:
    counts: UnitCounts
    """Who, on which articles, by which unit, and the units the figures come from."""
    tags: tuple[TagAgreement, ...]
    overall: TagAgreement


def measure_agreement(
    articles: Sequence[Article],
    annotations: Iterable[Annotation],
    coders: Sequence[str],
    tags: Sequence[str],
    unit: Unit = "sentence",
) -> AgreementReport:
    """Agreement among `coders` on `articles`, per tag of `tags` and over them all.

    `annotations` should be anchored to the articles' current text; orphaned ones, those of
    other coders and those of other articles are ignored. The overall figures pool the units
    of every code, nested tags counted once (see the module's docstring).
    """
    return report_of(count_units(articles, annotations, coders, tags, unit))


def report_of(counts: UnitCounts) -> AgreementReport:
    coders = len(counts.coders)
    return AgreementReport(
        counts=counts,
        tags=tuple(
            _tag_agreement(tag, tally, coders)
            for tag, tally in zip(counts.tags, counts.tallies, strict=True)
        ),
        overall=_tag_agreement(OVERALL, counts.overall, coders),
    )


def count_units(
    articles: Sequence[Article],
    annotations: Iterable[Annotation],
    coders: Sequence[str],
    tags: Sequence[str],
    unit: Unit = "sentence",
) -> UnitCounts:
    """Each tag's units counted by pattern, article by article, and the overall units (see the
    module's docstring). A tag named twice is counted once."""
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    bits = {coder: 1 << index for index, coder in enumerate(dict.fromkeys(coders))}
    by_article: dict[str, list[Annotation]] = {}
    for annotation in annotations:
        if annotation.author in bits and annotation.anchor != "orphaned":
            by_article.setdefault(annotation.article, []).append(annotation)
    matching = _TagMatcher(tuple(dict.fromkeys(tags)))
    tallies = tuple(Tally() for _ in range(matching.groups))
    count = _count_sentences if unit == "sentence" else _count_characters
    measured: list[str] = []
    unpaired: list[str] = []
    for article in articles:
        found = by_article.get(article.id, [])
        present = 0
        for annotation in found:
            present |= bits[annotation.author]
        if present.bit_count() < 2:
            unpaired.append(article.id)
            continue
        measured.append(article.id)
        count(article, found, present, bits, matching, tallies)
    overall = Tally()
    for index in matching.codes:
        overall.update(tallies[index])
    tag_count = len(matching.tags)
    return UnitCounts(
        unit,
        tuple(bits),
        tuple(measured),
        tuple(unpaired),
        matching.tags,
        tallies[:tag_count],
        overall,
    )


class _TagMatcher:
    """Which tallies an annotation's tag names count in, worked out once per name (a corpus
    has few names and many annotations).

    Tally `i` < len(tags) is tag `i` with its children. A tag with a chosen tag below it also
    has a tally of its own codes: the names under it that no chosen tag below it holds. The
    overall units (`codes`) are then every tally in which each coding counts once: the tags
    with no chosen tag below them, and those own tallies."""

    def __init__(self, tags: tuple[str, ...]) -> None:
        self.tags = tags
        self._own: dict[int, int] = {}
        for index, tag in enumerate(tags):
            if any(is_below(other, tag) for other in tags):
                self._own[index] = len(tags) + len(self._own)
        self.groups = len(tags) + len(self._own)
        self.codes = tuple(
            [index for index in range(len(tags)) if index not in self._own]
            + list(self._own.values())
        )
        self._known: dict[str, tuple[int, ...]] = {}

    def indexes(self, names: Iterable[str]) -> set[int]:
        found: set[int] = set()
        for name in names:
            hit = self._known.get(name)
            if hit is None:
                hit = self._tallies_of(name)
                self._known[name] = hit
            found.update(hit)
        return found

    def _tallies_of(self, name: str) -> tuple[int, ...]:
        within = [index for index, tag in enumerate(self.tags) if is_within(name, tag)]
        if not within:
            return ()
        # The chosen tags holding `name` are its ancestors (or itself): the longest is the
        # most specific, the one code it counts under.
        closest = max(within, key=lambda index: len(self.tags[index]))
        own = self._own.get(closest)
        return tuple(within) if own is None else (*within, own)


def _count_sentences(
    article: Article,
    found: list[Annotation],
    present: int,
    bits: Mapping[str, int],
    matching: _TagMatcher,
    tallies: Sequence[Tally],
) -> None:
    """Add the article's sentence units to each tag's tally."""
    sentences = article.sentences
    starts = [start for start, _ in sentences]
    ends = [end for _, end in sentences]
    marks: dict[int, dict[int, int]] = {}
    for annotation in found:
        chosen = matching.indexes(annotation.tags)
        if not chosen:
            continue
        # Sentences overlapping [start, end): those ending after start and starting before end.
        first = bisect_right(ends, annotation.start)
        last = bisect_left(starts, annotation.end)
        bit = bits[annotation.author]
        for index in chosen:
            tag_marks = marks.setdefault(index, {})
            for sentence in range(first, last):
                tag_marks[sentence] = tag_marks.get(sentence, 0) | bit
    for index, tally in enumerate(tallies):
        tag_marks = marks.get(index, {})
        for yes in tag_marks.values():
            tally[present, yes] += 1
        tally[present, 0] += len(sentences) - len(tag_marks)


def _count_characters(
    article: Article,
    found: list[Annotation],
    present: int,
    bits: Mapping[str, int],
    matching: _TagMatcher,
    tallies: Sequence[Tally],
) -> None:
    """Add the article's character units to each tag's tally: a sweep over the annotations'
    edges gives the stretches of text where the same coders said yes."""
    length = len(article.text)
    edges: dict[int, list[tuple[int, int, int]]] = {}
    for annotation in found:
        start, end = max(0, annotation.start), min(length, annotation.end)
        if start >= end:
            continue
        bit = bits[annotation.author]
        for index in matching.indexes(annotation.tags):
            tag_edges = edges.setdefault(index, [])
            tag_edges.append((start, 1, bit))
            tag_edges.append((end, -1, bit))
    for index, tally in enumerate(tallies):
        covered = 0
        depth: Counter[int] = Counter()
        yes = 0
        position = 0
        for offset, step, bit in sorted(edges.get(index, ())):
            if yes and offset > position:
                tally[present, yes] += offset - position
                covered += offset - position
            position = offset
            depth[bit] += step
            yes = yes | bit if depth[bit] else yes & ~bit
        tally[present, 0] += length - covered


def _tag_agreement(tag: str, tally: Tally, coders: int) -> TagAgreement:
    coded = Tally({key: units for key, units in tally.items() if key[1]})
    return TagAgreement(tag, _figures(tally, coders), _figures(coded, coders))


def _figures(tally: Tally, coders: int) -> Figures:
    patterns = binary_patterns(tally)
    return Figures(
        units=pairable_units(patterns),
        percent=percent_agreement(patterns),
        kappa=cohen_kappa(_two_coder_table(tally)) if coders == 2 else None,
        alpha=nominal_alpha(patterns),
    )


def binary_patterns(tally: Mapping[tuple[int, int], int]) -> Counter[Pattern]:
    """The tally as alpha's unit patterns: how many coders said no (0) and yes (1)."""
    patterns: Counter[Pattern] = Counter()
    for (present, yes), units in tally.items():
        said_yes = yes.bit_count()
        said_no = present.bit_count() - said_yes
        pattern = tuple((value, n) for value, n in ((0, said_no), (1, said_yes)) if n)
        patterns[pattern] += units
    return patterns


def _two_coder_table(tally: Mapping[tuple[int, int], int]) -> dict[tuple[int, int], int]:
    """The 2x2 table of the first two coders, over the units both coded."""
    table: dict[tuple[int, int], int] = {}
    for (present, yes), units in tally.items():
        if present & 0b11 == 0b11:
            key = (yes & 1, (yes >> 1) & 1)
            table[key] = table.get(key, 0) + units
    return table


def reliability_rows(tally: Mapping[tuple[int, int], int], coders: int) -> list[list[int | None]]:
    """The tally written out as a reliability matrix (a row per coder, a column per unit, 1
    yes, 0 no, None missing), for checking against other tools; units are in no set order."""
    rows: list[list[int | None]] = [[] for _ in range(coders)]
    for (present, yes), units in tally.items():
        for coder, row in enumerate(rows):
            bit = 1 << coder
            value = None if not present & bit else int(bool(yes & bit))
            row.extend([value] * units)
    return rows
