"""A view's figures as a plain table, and that table as text, CSV, Markdown or JSON.

Every string from data (codes, titles, coders, attribute values) is made inert where it is
formatted: `tui.inert` for the terminal table, the Markdown exporter's escaping for Markdown,
the CSV exporter's formula guard for CSV; JSON escapes by itself. The text table fits a
width (80 columns by default): long names are cut with "…", and a table wider than the width
is printed in blocks of columns, each repeating the first (the name) column, as R prints a
wide matrix. CSV and JSON carry full names.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import orjson
from rich.cells import cell_len

from tui.export.csv_format import guard_cell
from tui.export.markdown_format import escape_inline
from tui.inert import inert

Value = str | int | float | None
OutputFormat = Literal["table", "csv", "markdown", "json"]
OUTPUT_FORMATS: tuple[OutputFormat, ...] = ("table", "csv", "markdown", "json")

LABEL_WIDTH = 28
CELL_WIDTH = 14
GAP = "  "


@dataclass(frozen=True, slots=True)
class Table:
    """What a person reads: a title, column headings, rows whose first cell is a name."""

    title: str
    headings: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]
    footer: str = ""


def shown(value: Value) -> str:
    """A cell as text: numbers as numbers (a float with one decimal), None as "–"."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return value


def fit(text: str, width: int) -> str:
    """`text` on one line, inert, at most `width` cells (cut with "…" when longer)."""
    flat = inert(" ".join(text.split()) if text.strip() else text)
    if cell_len(flat) <= width:
        return flat
    out = ""
    for char in flat:
        if cell_len(out + char) > width - 1:
            break
        out += char
    return out + "…"


def _pad(text: str, width: int, *, right: bool) -> str:
    room = width - cell_len(text)
    return (" " * room + text) if right else (text + " " * room)


def as_text(table: Table, width: int = 80) -> str:
    """The table in columns that fit `width` cells, in blocks of columns if need be."""
    numeric = _numeric(table)
    limits = [CELL_WIDTH if number else LABEL_WIDTH for number in numeric]
    heads = [fit(h, limits[i]) for i, h in enumerate(table.headings)]
    cells = [[fit(shown(v), limits[i]) for i, v in enumerate(row)] for row in table.rows]
    widths = [
        max([cell_len(heads[i]), *(cell_len(row[i]) for row in cells)]) for i in range(len(heads))
    ]
    widths[0] = min(widths[0], max(8, width - len(GAP) - (widths[1] if len(widths) > 1 else 0)))
    heads[0] = fit(table.headings[0], widths[0])
    cells = [
        [fit(shown(row[0]), widths[0]), *cell[1:]]
        for row, cell in zip(table.rows, cells, strict=True)
    ]
    blocks: list[list[int]] = []
    current: list[int] = []
    used = widths[0]
    for index in range(1, len(heads)):
        need = len(GAP) + widths[index]
        if current and used + need > width:
            blocks.append(current)
            current, used = [], widths[0]
        current.append(index)
        used += need
    blocks.append(current)
    lines = [fit(table.title, width), ""]
    for number, block in enumerate(blocks):
        if number:
            lines.append("")
        columns = [0, *block]
        lines.append(
            GAP.join(_pad(heads[i], widths[i], right=numeric[i]) for i in columns).rstrip()
        )
        lines.append(GAP.join("─" * widths[i] for i in columns))
        for row in cells:
            lines.append(
                GAP.join(_pad(row[i], widths[i], right=numeric[i]) for i in columns).rstrip()
            )
    if table.footer:
        lines += ["", fit(table.footer, width)]
    return "\n".join(lines) + "\n"


def _numeric(table: Table) -> list[bool]:
    """Which columns hold only numbers (right-aligned); the first, the names, never does."""
    return [
        i > 0 and all(isinstance(row[i], int | float) or row[i] is None for row in table.rows)
        for i in range(len(table.headings))
    ]


def as_markdown(table: Table) -> str:
    """A GitHub/CommonMark table; every cell escaped as the Markdown export escapes text."""

    def cell(value: Value) -> str:
        return escape_inline(inert(shown(value))) if value is not None else "–"

    numeric = _numeric(table)
    lines = [
        f"## {escape_inline(inert(table.title))}",
        "",
        "| " + " | ".join(escape_inline(inert(h)) for h in table.headings) + " |",
        "|" + "|".join("---:" if n else "---" for n in numeric) + "|",
    ]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in table.rows]
    if table.footer:
        lines += ["", escape_inline(inert(table.footer))]
    return "\n".join(lines) + "\n"


def as_csv(records: Sequence[Mapping[str, Any]]) -> str:
    """One row per record; text cells guarded against spreadsheet formulas."""
    if not records:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow(
            {
                key: guard_cell(value)
                if isinstance(value, str)
                else ("" if value is None else value)
                for key, value in record.items()
            }
        )
    return out.getvalue()


def as_json(document: Mapping[str, Any]) -> str:
    return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n"
