"""Drilling down: the passages behind one figure of a view (a cell, a total, a bar).

Selected by the same filter and counting rule as the figure, so the list is as long as the
number it came from: a code's passages include its children's, each passage once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tui.analysis.counting import codes_counted
from tui.analysis.filters import AnalysisFilter
from tui.analysis.frequencies import BY_ARTICLE, group_key
from tui.store.model import Annotation, ArticleMeta


@dataclass(frozen=True, slots=True)
class Selection:
    """One figure's passages: a code (None: any shown), and a column or bar by `group`:
    "article", "coder" or an attribute name, with its `key` (None: every column)."""

    code: str | None = None
    group: str = BY_ARTICLE
    key: str | None = None


def passages_for(
    annotations: Iterable[Annotation],
    metas: Mapping[str, ArticleMeta],
    selection: AnalysisFilter,
    chosen: Selection,
) -> list[Annotation]:
    """The passages counted in the figure `chosen`, in reading order."""
    found = []
    for annotation in selection.select(annotations, metas):
        codes = [c for c in codes_counted(annotation.tags) if selection.wants_code(c)]
        if not codes or (chosen.code is not None and chosen.code not in codes):
            continue
        if chosen.key is not None and group_key(annotation, chosen.group, metas) != chosen.key:
            continue
        found.append(annotation)
    return sorted(found, key=lambda a: (a.article, a.start, a.end, a.id))
