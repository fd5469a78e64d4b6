"""The code x article matrix: passages and coverage per code and article (or article group).

Coverage is the share of an article's clean characters inside the code's passages, each
character counted once however many of the code's passages cover it. Rows are codes of the
tree (a parent counts a passage of its children once: `counting.codes_counted`); columns are
the coded articles the filter's articles and attributes select (any code, any coder; and any
article the filter names), or, grouped by an attribute, the attribute's values, whose coverage
is over all the group's characters. A code or coder filter narrows the rows and the counts,
never the columns: a code's total coverage is over the same characters however it is filtered.

Built in one sweep over the passages in reading order (the store's order: sorted only when
a passage comes out of it): per article, each code keeps how far its passages reach, so the
characters it covers are added as the sweep goes (no span lists, no sort per cell). The
screen redraws it on every filter change over 20,000 passages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from tui.analysis.counting import (
    OutOfOrder,
    codes_counted,
    collector_paused,
    in_reading_order,
    order_by_tree,
    percent,
)
from tui.analysis.filters import EVERYTHING, AnalysisFilter, attribute_value
from tui.corpus.model import Article
from tui.store.hierarchy import tree_order
from tui.store.model import Annotation, ArticleMeta

TOTAL = "Total"

Figures = dict[str, list[int]]
"""Per code of one column: [passages, characters covered, reach of the sweep]."""


class Cell(NamedTuple):
    """Passages, and characters covered out of `length` (the column's characters). A named
    tuple: a matrix makes one per article, and a tuple is made several times faster than a
    frozen dataclass."""

    passages: int = 0
    covered: int = 0
    length: int = 0

    @property
    def coverage(self) -> float | None:
        """Percent of the column's characters covered; None when no text is known."""
        return percent(self.covered, self.length)


class Column(NamedTuple):
    """An article (key = its id, label = its title) or a group (key = label = the value)."""

    key: str
    label: str
    articles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CodeMatrix:
    codes: tuple[str, ...]
    columns: tuple[Column, ...]
    figures: Mapping[str, Figures]
    """By column key, by code: [passages, covered, ...]; read through `cell`."""
    row_totals: Mapping[str, Cell]
    column_totals: Mapping[str, Cell]
    total: Cell
    group_by: str | None = None
    sorted_by: str | None = None

    def cell(self, code: str, column: str) -> Cell:
        """The figures of one cell (zeros, with the column's length, when it has none)."""
        total = self.column_totals.get(column)
        length = total.length if total is not None else 0
        found = self.figures.get(column, {}).get(code)
        return Cell(found[0], found[1], length) if found is not None else Cell(0, 0, length)

    def sort_rows(self, by: str | None = None, *, measure: str = "passages") -> CodeMatrix:
        """Rows by tree order (None or "name"), by total ("total"), or by a column's key,
        largest first (ties in tree order); `measure` is "passages" or "coverage"."""
        if by in (None, "name"):
            return self._with(codes=order_by_tree(self.codes), sorted_by=None)
        if by != "total" and by not in self.column_totals:
            raise KeyError(by)

        def figure(code: str) -> float:
            cell = self.row_totals[code] if by == "total" else self.cell(code, str(by))
            value = cell.passages if measure == "passages" else cell.coverage
            return float(value or 0)

        codes = sorted(self.codes, key=lambda code: (-figure(code), tree_order(code)))
        return self._with(codes=codes, sorted_by=by)

    def sort_columns(self, by: str = "name") -> CodeMatrix:
        """Columns by key ("name") or by their total passages, largest first ("total")."""
        if by == "name":
            columns = sorted(self.columns, key=lambda c: c.key)
        else:
            columns = sorted(
                self.columns, key=lambda c: (-self.column_totals[c.key].passages, c.key)
            )
        return self._with(columns=columns)

    def _with(
        self,
        *,
        codes: Iterable[str] | None = None,
        columns: Iterable[Column] | None = None,
        sorted_by: str | None = None,
    ) -> CodeMatrix:
        return CodeMatrix(
            self.codes if codes is None else tuple(codes),
            self.columns if columns is None else tuple(columns),
            self.figures,
            self.row_totals,
            self.column_totals,
            self.total,
            self.group_by,
            sorted_by if codes is not None else self.sorted_by,
        )

    def records(self) -> list[dict[str, Any]]:
        """One record per code and column with its figures (the long form, for CSV/JSON),
        then the totals (`column` or `code` = "Total")."""
        rows: list[dict[str, Any]] = []

        def record(code: str, column: str, label: str, cell: Cell) -> dict[str, Any]:
            return {
                "code": code,
                "column": column,
                "label": label,
                "passages": cell.passages,
                "covered_chars": cell.covered,
                "chars": cell.length,
                "coverage_percent": cell.coverage,
            }

        for code in self.codes:
            for column in self.columns:
                rows.append(record(code, column.key, column.label, self.cell(code, column.key)))
            rows.append(record(code, TOTAL, TOTAL, self.row_totals[code]))
        for column in self.columns:
            rows.append(record(TOTAL, column.key, column.label, self.column_totals[column.key]))
        rows.append(record(TOTAL, TOTAL, TOTAL, self.total))
        return rows


def code_matrix(
    annotations: Iterable[Annotation],
    articles: Mapping[str, Article],
    metas: Mapping[str, ArticleMeta],
    selection: AnalysisFilter = EVERYTHING,
    *,
    group_by: str | None = None,
) -> CodeMatrix:
    """The matrix of the passages `selection` lets through.

    `articles` gives the texts (for lengths); a passage of an article not in it still counts
    as a passage, with no coverage. Orphaned passages (anchor lost) count, but cover nothing:
    their offsets no longer point at their text.
    """
    with collector_paused():
        return _code_matrix(annotations, articles, metas, selection, group_by)


def _code_matrix(
    annotations: Iterable[Annotation],
    articles: Mapping[str, Article],
    metas: Mapping[str, ArticleMeta],
    selection: AnalysisFilter,
    group_by: str | None,
) -> CodeMatrix:
    given = annotations if isinstance(annotations, Sequence) else list(annotations)
    by_article, article_totals = in_reading_order(
        lambda shown: _sweep(shown, articles, selection), selection.select(given, metas)
    )
    for article_id in _columns_in_scope(given, metas, selection):
        if article_id not in article_totals:
            known = articles.get(article_id)
            by_article[article_id] = {}
            article_totals[article_id] = Cell(0, 0, len(known.text) if known is not None else 0)
    if group_by is None:
        columns = tuple(
            Column(article_id, _title(articles.get(article_id), article_id), (article_id,))
            for article_id in sorted(article_totals)
        )
        column_figures, column_totals = by_article, article_totals
    else:
        columns, column_figures, column_totals = _grouped(
            group_by, metas, by_article, article_totals
        )
    passages: dict[str, int] = {}
    characters: dict[str, int] = {}
    for per_code in column_figures.values():
        for code, found in per_code.items():
            passages[code] = passages.get(code, 0) + found[0]
            characters[code] = characters.get(code, 0) + found[1]
    every_length = sum(total.length for total in column_totals.values())
    row_totals = {code: Cell(n, characters[code], every_length) for code, n in passages.items()}
    total = Cell(
        sum(t.passages for t in column_totals.values()),
        sum(t.covered for t in column_totals.values()),
        every_length,
    )
    return CodeMatrix(
        tuple(order_by_tree(passages)),
        columns,
        column_figures,
        row_totals,
        column_totals,
        total,
        group_by,
    )


def _sweep(
    passages: Sequence[Annotation], articles: Mapping[str, Article], selection: AnalysisFilter
) -> tuple[dict[str, Figures], dict[str, Cell]]:
    """Each article's figures by code, and its totals (the sweep the module's docstring
    describes); raises `OutOfOrder` on a passage out of reading order."""
    by_article: dict[str, Figures] = {}
    article_totals: dict[str, Cell] = {}
    shown: dict[tuple[str, ...], tuple[str, ...]] = {}
    wants = selection.wants_code
    current: str | None = None
    seen: set[str] = set()
    figures: Figures = {}
    length: int | None = None
    count = covered = reach = last_start = 0
    for annotation in passages:
        codes = shown.get(annotation.tags)
        if codes is None:
            codes = shown[annotation.tags] = tuple(
                c for c in codes_counted(annotation.tags) if wants(c)
            )
        if not codes:
            continue
        start = annotation.start
        if annotation.article != current:
            if current is not None:
                by_article[current] = figures
                article_totals[current] = Cell(count, covered, length or 0)
            current = annotation.article
            if current in seen:
                raise OutOfOrder
            seen.add(current)
            figures, count, covered, reach = {}, 0, 0, 0
            known = articles.get(current)
            length = len(known.text) if known is not None else None
        elif start < last_start:
            raise OutOfOrder
        last_start = start
        count += 1
        if length is None or annotation.anchor == "orphaned":
            for code in codes:
                found = figures.get(code)
                if found is None:
                    figures[code] = [1, 0, 0]
                else:
                    found[0] += 1
            continue
        end = annotation.end
        if end > length:
            end = length
            start = start if start < length else length
        if end > reach:
            covered += end - (start if start > reach else reach)
            reach = end
        for code in codes:
            found = figures.get(code)
            if found is None:
                figures[code] = [1, end - start if end > start else 0, end]
                continue
            found[0] += 1
            if end > found[2]:
                found[1] += end - (start if start > found[2] else found[2])
                found[2] = end
    if current is not None:
        by_article[current] = figures
        article_totals[current] = Cell(count, covered, length or 0)
    return by_article, article_totals


def _columns_in_scope(
    passages: Sequence[Annotation], metas: Mapping[str, ArticleMeta], selection: AnalysisFilter
) -> list[str]:
    """The articles a matrix has a column for whatever its code and coder filters: those with
    a coded passage that the article and attribute filters let through, and those it names."""
    if not (selection.coders or selection.tags):
        return list(selection.articles)  # the sweep saw every coded article in scope
    coded = {
        passage.article for passage in selection.in_scope.select(passages, metas) if passage.tags
    }
    return [*selection.articles, *coded]


def _title(article: Article | None, article_id: str) -> str:
    return (article.title if article is not None else "") or article_id


def _grouped(
    key: str,
    metas: Mapping[str, ArticleMeta],
    by_article: Mapping[str, Figures],
    article_totals: Mapping[str, Cell],
) -> tuple[tuple[Column, ...], dict[str, Figures], dict[str, Cell]]:
    """Columns for the values of attribute `key`: figures summed over each group's articles
    (articles are disjoint, so covered characters add up)."""
    members: dict[str, list[str]] = {}
    for article_id in article_totals:
        members.setdefault(attribute_value(article_id, key, metas), []).append(article_id)
    figures: dict[str, Figures] = {}
    totals: dict[str, Cell] = {}
    for value, ids in members.items():
        summed: Figures = {}
        for article_id in ids:
            for code, found in by_article[article_id].items():
                into = summed.setdefault(code, [0, 0, 0])
                into[0] += found[0]
                into[1] += found[1]
        figures[value] = summed
        cells = [article_totals[a] for a in ids]
        totals[value] = Cell(
            sum(c.passages for c in cells),
            sum(c.covered for c in cells),
            sum(c.length for c in cells),
        )
    columns = tuple(
        Column(value, value, tuple(sorted(members[value]))) for value in sorted(members)
    )
    return columns, figures, totals
