"""Frequencies: passages per code, per article, per coder or per value of an article attribute.

Per code, a passage counts once for each code of the tree it sits under (the one rule,
`counting.codes_counted`); per article, coder or attribute value, each passage that carries a
code shown counts once. These are the bars of the analysis screen and `report frequencies`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tui.analysis.counting import codes_counted
from tui.analysis.filters import EVERYTHING, AnalysisFilter, attribute_value
from tui.corpus.model import Article
from tui.store.hierarchy import tree_order
from tui.store.model import Annotation, ArticleMeta

BY_CODE = "code"
BY_ARTICLE = "article"
BY_CODER = "coder"
FIXED_GROUPINGS = (BY_CODE, BY_ARTICLE, BY_CODER)
"""What else a grouping can be: the name of an article attribute (`outlet`)."""


@dataclass(frozen=True, slots=True)
class Bar:
    key: str
    """The code, article id, coder or attribute value: what drilling down selects."""
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class Frequencies:
    by: str
    bars: tuple[Bar, ...]
    passages: int
    """Passages counted (each once), whatever the grouping."""

    def sort(self, by: str = "count") -> Frequencies:
        """Bars largest first ("count") or by name ("name", codes in tree order)."""
        if by == "name":
            bars = sorted(self.bars, key=lambda bar: tree_order(bar.key))
        else:
            bars = sorted(self.bars, key=lambda bar: (-bar.count, tree_order(bar.key)))
        return Frequencies(self.by, tuple(bars), self.passages)

    def records(self) -> list[dict[str, Any]]:
        return [
            {"by": self.by, "key": bar.key, "label": bar.label, "passages": bar.count}
            for bar in self.bars
        ]


def frequencies(
    annotations: Iterable[Annotation],
    articles: Mapping[str, Article],
    metas: Mapping[str, ArticleMeta],
    selection: AnalysisFilter = EVERYTHING,
    *,
    by: str = BY_CODE,
) -> Frequencies:
    """Passage counts grouped `by` a code, article, coder or attribute name; largest first."""
    counts: dict[str, int] = {}
    cache: dict[tuple[str, ...], tuple[str, ...]] = {}
    passages = 0
    for annotation in selection.select(annotations, metas):
        codes = cache.get(annotation.tags)
        if codes is None:
            codes = tuple(c for c in codes_counted(annotation.tags) if selection.wants_code(c))
            cache[annotation.tags] = codes
        if not codes:
            continue
        passages += 1
        if by == BY_CODE:
            for code in codes:
                counts[code] = counts.get(code, 0) + 1
            continue
        key = group_key(annotation, by, metas)
        counts[key] = counts.get(key, 0) + 1
    bars = [Bar(key, _label(key, by, articles), count) for key, count in counts.items()]
    return Frequencies(by, tuple(bars), passages).sort("count")


def group_key(annotation: Annotation, by: str, metas: Mapping[str, ArticleMeta]) -> str:
    """Which bar a passage falls in when bars are articles, coders or attribute values."""
    if by == BY_ARTICLE:
        return annotation.article
    if by == BY_CODER:
        return annotation.author
    return attribute_value(annotation.article, by, metas)


def _label(key: str, by: str, articles: Mapping[str, Article]) -> str:
    if by == BY_ARTICLE:
        article = articles.get(key)
        return (article.title if article is not None else "") or key
    return key
