"""The code x article matrix: passages and coverage per code and article (or article group).

Coverage is the share of an article's clean characters inside the code's passages, each
character counted once however many of the code's passages cover it. Rows are codes of the
tree (a parent counts a passage of its children once: `counting.codes_counted`); columns are
the articles with a passage shown (and any the filter names), or, grouped by an attribute, the
attribute's values, whose coverage is over all the group's characters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tui.analysis.counting import (
    clamp_span,
    codes_counted,
    covered_characters,
    order_by_tree,
    percent,
)
from tui.analysis.filters import EVERYTHING, AnalysisFilter, attribute_value
from tui.corpus.model import Article
from tui.store.hierarchy import tree_order
from tui.store.model import Annotation, ArticleMeta

TOTAL = "Total"

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Cell:
    """Passages, and characters covered out of `length` (the column's characters)."""

    passages: int = 0
    covered: int = 0
    length: int = 0

    @property
    def coverage(self) -> float | None:
        """Percent of the column's characters covered; None when no text is known."""
        return percent(self.covered, self.length)

    def __add__(self, other: Cell) -> Cell:
        return Cell(
            self.passages + other.passages, self.covered + other.covered, self.length + other.length
        )


@dataclass(frozen=True, slots=True)
class Column:
    """An article (key = its id, label = its title) or a group (key = label = the value)."""

    key: str
    label: str
    articles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CodeMatrix:
    codes: tuple[str, ...]
    columns: tuple[Column, ...]
    cells: Mapping[tuple[str, str], Cell]
    row_totals: Mapping[str, Cell]
    column_totals: Mapping[str, Cell]
    total: Cell
    group_by: str | None = None
    sorted_by: str | None = field(default=None)

    def cell(self, code: str, column: str) -> Cell:
        """The figures of one cell; an empty Cell (with the column's length) when none."""
        found = self.cells.get((code, column))
        if found is not None:
            return found
        return Cell(0, 0, self.column_totals[column].length if column in self.column_totals else 0)

    def sort_rows(self, by: str | None = None, *, measure: str = "passages") -> CodeMatrix:
        """Rows by tree order (None or "name"), by total ("total"), or by a column's key,
        largest first (ties in tree order); `measure` is "passages" or "coverage"."""
        if by in (None, "name"):
            return _with_rows(self, order_by_tree(self.codes), None)

        def figure(code: str) -> float:
            cell = self.row_totals[code] if by == TOTAL.casefold() else self.cell(code, by)
            value = cell.passages if measure == "passages" else cell.coverage
            return float(value or 0)

        if by != TOTAL.casefold() and by not in {column.key for column in self.columns}:
            raise KeyError(by)
        codes = sorted(self.codes, key=lambda code: (-figure(code), tree_order(code)))
        return _with_rows(self, codes, by)

    def sort_columns(self, by: str = "name") -> CodeMatrix:
        """Columns by key ("name") or by their total passages, largest first ("total")."""
        if by == "name":
            columns = sorted(self.columns, key=lambda c: c.key)
        else:
            columns = sorted(
                self.columns, key=lambda c: (-self.column_totals[c.key].passages, c.key)
            )
        return CodeMatrix(
            self.codes,
            tuple(columns),
            self.cells,
            self.row_totals,
            self.column_totals,
            self.total,
            self.group_by,
            self.sorted_by,
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


def _with_rows(matrix: CodeMatrix, codes: Iterable[str], by: str | None) -> CodeMatrix:
    return CodeMatrix(
        tuple(codes),
        matrix.columns,
        matrix.cells,
        matrix.row_totals,
        matrix.column_totals,
        matrix.total,
        matrix.group_by,
        by,
    )


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
    passages: dict[tuple[str, str], int] = {}
    spans: dict[tuple[str, str], list[Span]] = {}
    article_passages: dict[str, int] = {}
    article_spans: dict[str, list[Span]] = {}
    shown_codes: dict[tuple[str, ...], tuple[str, ...]] = {}
    lengths = {article_id: len(article.text) for article_id, article in articles.items()}
    for annotation in selection.select(annotations, metas):
        codes = shown_codes.get(annotation.tags)
        if codes is None:
            codes = tuple(c for c in codes_counted(annotation.tags) if selection.wants_code(c))
            shown_codes[annotation.tags] = codes
        if not codes:
            continue
        article_id = annotation.article
        article_passages[article_id] = article_passages.get(article_id, 0) + 1
        length = lengths.get(article_id)
        span = None
        if length is not None and annotation.anchor != "orphaned":
            span = clamp_span(annotation.start, annotation.end, length)
            article_spans.setdefault(article_id, []).append(span)
        for code in codes:
            key = (code, article_id)
            passages[key] = passages.get(key, 0) + 1
            if span is not None:
                spans.setdefault(key, []).append(span)
    for article_id in selection.articles:
        article_passages.setdefault(article_id, 0)
    article_cells = {
        key: Cell(count, covered_characters(spans.get(key, ())), lengths.get(key[1], 0))
        for key, count in passages.items()
    }
    article_totals = {
        article_id: Cell(
            count,
            covered_characters(article_spans.get(article_id, ())),
            lengths.get(article_id, 0),
        )
        for article_id, count in article_passages.items()
    }
    rows = order_by_tree({code for code, _ in passages})
    if group_by is None:
        columns = tuple(
            Column(article_id, _title(articles.get(article_id), article_id), (article_id,))
            for article_id in sorted(article_totals)
        )
        cells, column_totals = article_cells, article_totals
    else:
        columns, cells, column_totals = _grouped(group_by, metas, article_cells, article_totals)
    row_totals: dict[str, Cell] = {code: Cell() for code in rows}
    for (code, _), cell in cells.items():
        row_totals[code] = row_totals[code] + Cell(cell.passages, cell.covered, 0)
    every_length = sum(total.length for total in column_totals.values())
    row_totals = {code: Cell(c.passages, c.covered, every_length) for code, c in row_totals.items()}
    total = sum(column_totals.values(), Cell())
    return CodeMatrix(tuple(rows), columns, cells, row_totals, column_totals, total, group_by, None)


def _title(article: Article | None, article_id: str) -> str:
    return (article.title if article is not None else "") or article_id


def _grouped(
    key: str,
    metas: Mapping[str, ArticleMeta],
    article_cells: Mapping[tuple[str, str], Cell],
    article_totals: Mapping[str, Cell],
) -> tuple[tuple[Column, ...], dict[tuple[str, str], Cell], dict[str, Cell]]:
    """Columns for the values of attribute `key`: figures summed over each group's articles
    (articles are disjoint, so covered characters add up)."""
    group_of = {
        article_id: attribute_value(article_id, key, metas) for article_id in article_totals
    }
    members: dict[str, list[str]] = {}
    for article_id, value in group_of.items():
        members.setdefault(value, []).append(article_id)
    column_totals = {
        value: sum((article_totals[a] for a in ids), Cell()) for value, ids in members.items()
    }
    cells: dict[tuple[str, str], Cell] = {}
    for (code, article_id), cell in article_cells.items():
        value = group_of[article_id]
        cells[(code, value)] = cells.get((code, value), Cell()) + Cell(
            cell.passages, cell.covered, 0
        )
    cells = {
        (code, value): Cell(cell.passages, cell.covered, column_totals[value].length)
        for (code, value), cell in cells.items()
    }
    columns = tuple(
        Column(value, value, tuple(sorted(members[value]))) for value in sorted(members)
    )
    return columns, cells, column_totals
