"""An agreement report as a table, CSV, Markdown or JSON: one row per tag and scope.

Every tag has two rows: `all units` (every unit, those nobody coded with the tag included) and
`coded units` (only units at least one coder coded with the tag), so a reader never takes a
figure inflated by uncoded text for the other. Strings from the store (tags, coders, article
ids) are made inert where they are written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any, Literal

import orjson

from tui.analysis.agreement import AgreementReport, Figures, TagAgreement
from tui.export.csv_format import guard_cell
from tui.inert import inert_words

ReportFormat = Literal["table", "csv", "json", "markdown"]
REPORT_FORMATS: tuple[ReportFormat, ...] = ("table", "csv", "json", "markdown")

COLUMNS = ("tag", "scope", "units", "agreement %", "kappa", "alpha")
ALL_UNITS = "all units"
CODED_UNITS = "coded units"


def scope_note(report: AgreementReport) -> str:
    """What the two scopes mean, in the report's own unit."""
    unit = "sentence" if report.counts.unit == "sentence" else "character"
    return (
        f"{ALL_UNITS}: every {unit}, including those nobody coded with the tag; "
        f"{CODED_UNITS}: only {unit}s at least one coder coded with the tag"
    )


def summary_lines(report: AgreementReport) -> list[str]:
    """The lines above the table: who, on what, by which unit, and what was left out."""
    counts = report.counts
    coders = ", ".join(inert_words(coder) for coder in counts.coders)
    lines = [
        f"agreement of {coders} by {counts.unit}, "
        f"over {_count(len(counts.articles), 'article')} coded by at least two of them",
    ]
    if counts.unpaired:
        lines.append(
            f"left out {_count(len(counts.unpaired), 'article')} that fewer than two of them "
            "coded (a coder with no annotation in an article counts as missing there)"
        )
    lines.append(scope_note(report))
    if len(counts.coders) != 2:
        lines.append("kappa is Cohen's, for two coders: not given for more")
    return lines


def render_report(report: AgreementReport, fmt: ReportFormat) -> str:
    if fmt == "json":
        return orjson.dumps(report_record(report), option=orjson.OPT_INDENT_2).decode() + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in _rows(report):
            writer.writerow([guard_cell(cell) for cell in row])
        return out.getvalue()
    if fmt == "markdown":
        lines = [f"- {line}" for line in summary_lines(report)]
        lines += ["", "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
        lines += ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in _rows(report)]
        return "\n".join(lines) + "\n"
    table = [list(COLUMNS), *(list(row) for row in _rows(report))]
    widths = [max(len(row[i]) for row in table) for i in range(len(COLUMNS))]
    text = [
        "  ".join(
            cell.ljust(w) if i < 2 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in table
    ]
    return "\n".join([*summary_lines(report), "", *text]) + "\n"


def report_record(report: AgreementReport) -> dict[str, Any]:
    """The report as plain data (JSON)."""
    return {
        "unit": report.counts.unit,
        "coders": list(report.counts.coders),
        "articles": list(report.counts.articles),
        "unpaired_articles": list(report.counts.unpaired),
        "scopes": {
            "all_units": "every unit, including those nobody coded with the tag",
            "coded_units": "only units at least one coder coded with the tag",
        },
        "tags": [_tag_record(row) for row in report.tags],
        "overall": _tag_record(report.overall),
    }


def _tag_record(row: TagAgreement) -> dict[str, Any]:
    return {
        "tag": row.tag,
        "all_units": _figures_record(row.all_units),
        "coded_units": _figures_record(row.coded_units),
    }


def _figures_record(figures: Figures) -> dict[str, Any]:
    return {
        "units": figures.units,
        "percent": figures.percent,
        "kappa": figures.kappa,
        "alpha": figures.alpha,
    }


def _rows(report: AgreementReport) -> Iterator[tuple[str, ...]]:
    for row in (*report.tags, report.overall):
        tag = inert_words(row.tag)
        for scope, figures in ((ALL_UNITS, row.all_units), (CODED_UNITS, row.coded_units)):
            yield (
                tag,
                scope,
                f"{figures.units:,}",
                _number(figures.percent, 1),
                _number(figures.kappa, 3),
                _number(figures.alpha, 3),
            )


def _number(value: float | None, places: int) -> str:
    return "n/a" if value is None else f"{value:.{places}f}"


def _md(cell: str) -> str:
    """A cell that cannot end the Markdown table's cell or start markup of its own."""
    return cell.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")
