"""CSV for spreadsheets: one row per excerpt and tag (an untagged excerpt gets one row).

Choices, so a spreadsheet opens the file correctly and safely:

- UTF-8 with a byte-order mark when written to a file: Excel guesses a legacy code page
  without it and garbles every curly quote; LibreOffice, pandas and Python's csv module (with
  `utf-8-sig`) accept it. On stdout there is no BOM, since that feeds pipes, not spreadsheets.
- RFC 4180 quoting and CRLF row ends (the csv module's `excel` dialect); line breaks inside a
  quote stay inside its quoted cell.
- Formula injection: a text cell starting with `=`, `+`, `-`, `@`, tab or carriage return
  would be evaluated by a spreadsheet, so it gets a leading apostrophe (OWASP's advice). To
  keep that reversible, a cell that already starts with an apostrophe gets one more;
  `unguard_cell` removes exactly one. Number columns are written as plain integers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from tui.export.excerpts import Excerpt
from tui.export.formats import ExportJob, Rendered
from tui.inert import inert_lines_in_file

COLUMNS: tuple[str, ...] = (
    "id",
    "article",
    "title",
    "source",
    "tag",
    "quote",
    "note",
    "start",
    "end",
    "paragraph",
    "author",
    "created",
    "updated",
    "anchor",
)
NUMBER_COLUMNS = frozenset({"start", "end", "paragraph"})
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
BOM = "\ufeff"


def guard_cell(text: str) -> str:
    """Text a spreadsheet shows as text, never evaluates; no control or bidi override raw
    (a CSV is also read with `cat`): `tui.inert`'s stand-ins, line breaks kept."""
    shown = inert_lines_in_file(text)
    return "'" + shown if shown.startswith(_FORMULA_STARTS) else shown


def unguard_cell(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def rows(excerpts: Iterable[Excerpt]) -> Iterator[dict[str, str | int]]:
    """The rows as data (before guarding), one per excerpt and tag."""
    for excerpt in excerpts:
        a = excerpt.annotation
        base: dict[str, str | int] = {
            "id": a.id,
            "article": a.article,
            "title": excerpt.title,
            "source": excerpt.source or "",
            "quote": a.quote,
            "note": a.note,
            "start": a.start,
            "end": a.end,
            "paragraph": excerpt.paragraph if excerpt.paragraph is not None else "",
            "author": a.author,
            "created": a.created,
            "updated": a.updated,
            "anchor": a.anchor,
        }
        for tag in a.tags or ("",):
            yield {**base, "tag": tag}


def to_csv(excerpts: Sequence[Excerpt], *, bom: bool = True) -> str:
    buffer = io.StringIO(newline="")
    if bom:
        buffer.write(BOM)
    writer = csv.writer(buffer, dialect="excel")
    writer.writerow(COLUMNS)
    for row in rows(excerpts):
        writer.writerow(
            [
                row[column]
                if column in NUMBER_COLUMNS or not isinstance(row[column], str)
                else guard_cell(str(row[column]))
                for column in COLUMNS
            ]
        )
    return buffer.getvalue()


def read_csv(text: str) -> list[dict[str, str]]:
    """Read our CSV back (BOM and guards removed), as a check and for scripts."""
    if text.startswith(BOM):
        text = text[1:]
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect="excel")
    return [
        {key: value if key in NUMBER_COLUMNS else unguard_cell(value) for key, value in row.items()}
        for row in reader
    ]


def write_export(job: ExportJob) -> Rendered:
    """The registry's entry point (`tui.export.formats`)."""
    return Rendered(to_csv(job.excerpts, bom=job.for_file).encode("utf-8"), len(job.excerpts))
