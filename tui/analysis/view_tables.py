"""Each view as a `Table` for people (text, Markdown) and as records and a JSON document for
programs (CSV, JSON), so the report command and the screen word the figures alike."""

from __future__ import annotations

from typing import Any

from tui.analysis.cooccurrence import Cooccurrence
from tui.analysis.filters import AnalysisFilter
from tui.analysis.frequencies import Frequencies
from tui.analysis.matrix import TOTAL, Cell, CodeMatrix
from tui.analysis.tables import Table, Value


def cell_text(cell: Cell) -> str:
    """`3 12.5%`: passages, then coverage ("–" when no text is known); empty as "·".
    Thousands grouped (`2,475`) as `tables.shown` groups the other views' counts."""
    if not cell.passages:
        return "·"
    coverage = cell.coverage
    return f"{cell.passages:,} {'–' if coverage is None else f'{coverage:.1f}%'}"


def matrix_table(matrix: CodeMatrix, selection: AnalysisFilter) -> Table:
    across = f"article {matrix.group_by}" if matrix.group_by else "article"
    headings = ("code", *(column.key for column in matrix.columns), TOTAL)
    rows: list[tuple[Value, ...]] = [
        (
            code,
            *(cell_text(matrix.cell(code, column.key)) for column in matrix.columns),
            cell_text(matrix.row_totals[code]),
        )
        for code in matrix.codes
    ]
    rows.append(
        (
            TOTAL,
            *(cell_text(matrix.column_totals[column.key]) for column in matrix.columns),
            cell_text(matrix.total),
        )
    )
    return Table(
        f"Codes by {across}: passages and % of characters covered ({selection.describe()})",
        headings,
        tuple(rows),
        footer="A passage under a code and its child counts once for the code.",
    )


def matrix_document(matrix: CodeMatrix, selection: AnalysisFilter) -> dict[str, Any]:
    return {
        "view": "matrix",
        "filter": filter_document(selection),
        "group_by": matrix.group_by,
        "codes": list(matrix.codes),
        "columns": [
            {"key": column.key, "label": column.label, "articles": list(column.articles)}
            for column in matrix.columns
        ],
        "cells": matrix.records(),
    }


def cooccurrence_table(found: Cooccurrence, selection: AnalysisFilter, *, by: str) -> Table:
    counted = {
        "passage": "overlapping passage pairs",
        "sentence": "sentences holding both",
        "paragraph": "paragraphs holding both",
    }[found.unit]
    as_tagged = "" if found.roll_up else ", codes as tagged"
    return Table(
        f"Codes together: {counted}{as_tagged} ({selection.describe()})",
        ("code", "other code", found.unit + "s" if found.unit != "passage" else "pairs"),
        tuple((a, b, n) for a, b, n in found.pairs(by=by)),
        footer="" if found.counts else "No two codes meet.",
    )


def cooccurrence_document(
    found: Cooccurrence, selection: AnalysisFilter, *, by: str
) -> dict[str, Any]:
    return {
        "view": "cooccurrence",
        "filter": filter_document(selection),
        "unit": found.unit,
        "as_tagged": not found.roll_up,
        "codes": list(found.codes),
        "pairs": found.records(by=by),
    }


def frequencies_table(found: Frequencies, selection: AnalysisFilter) -> Table:
    heading = {"code": "code", "article": "article", "coder": "coder"}.get(found.by, found.by)
    return Table(
        f"Passages by {heading} ({selection.describe()})",
        (heading, "passages"),
        tuple((bar.label, bar.count) for bar in found.bars),
        footer=f"{found.passages:,} passages in all.",
    )


def frequencies_document(found: Frequencies, selection: AnalysisFilter) -> dict[str, Any]:
    return {
        "view": "frequencies",
        "filter": filter_document(selection),
        "by": found.by,
        "passages": found.passages,
        "bars": found.records(),
    }


def filter_document(selection: AnalysisFilter) -> dict[str, Any]:
    return {
        "coders": list(selection.coders),
        "tags": list(selection.tags),
        "articles": list(selection.articles),
        "attributes": [{"key": k, "value": v} for k, v in selection.attributes],
    }
