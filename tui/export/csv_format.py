"""CSV for spreadsheets: one row per excerpt and tag (an untagged excerpt gets one row).

Choices, so a spreadsheet opens the file correctly and safely:

- UTF-8 with a byte-order mark when written to a file: Excel guesses a legacy code page
  without it and garbles every curly quote; LibreOffice, pandas and Python's csv module (with
  `utf-8-sig`) accept it. On stdout there is no BOM, since that feeds pipes, not spreadsheets.
- RFC 4180 quoting and CRLF row ends (the csv module's `excel` dialect); line breaks inside a
  quote stay inside its quoted cell.
- Formula injection: a text cell starting with `=`, `+`, `@`, tab or carriage return, or a
  `-` not followed by a digit or a space, would be evaluated by a spreadsheet, so it gets a
  leading apostrophe (OWASP's advice). `-5% of GDP` or `- a list item` is data no spreadsheet
  evaluates, and guarding it would make the quote longer than its offsets say (issue 13.6).
  To keep the guard reversible, a cell that already starts with an apostrophe gets one more;
  `unguard_cell` removes exactly one. Number columns are written as plain integers.
- Article attributes (outlet, country, ...) are columns of their own after the fixed ones,
  one per attribute name used by any exported article, named `article_<name>` like the
  article's other details (`article_author`, `article_date`): pandas users group by a column
  (`df.groupby("article_outlet")`), a prefix keeps an attribute called `tag` or `note` from
  clashing with the excerpt's columns, and the fixed columns keep their places for scripts
  that read by position. An article without that attribute has an empty cell (pandas: NaN).
- `raw=True` (`marginalia export --format csv --raw`) writes every cell exactly as stored, for
  analysis scripts: no guard, no stand-ins for control characters. Not for spreadsheets.
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
    # The article's own details (its writer, date, URL): not the coder, who is `author`.
    "article_author",
    "article_date",
    "article_url",
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
ATTRIBUTE_PREFIX = "article_"
NUMBER_COLUMNS = frozenset({"start", "end", "paragraph"})
_FORMULA_STARTS = ("=", "+", "@", "\t", "\r", "'")
BOM = "\ufeff"


def guard_cell(text: str) -> str:
    """Text a spreadsheet shows as text, never evaluates; no control or bidi override raw
    (a CSV is also read with `cat`): `tui.inert`'s stand-ins, line breaks kept."""
    shown = inert_lines_in_file(text)
    return "'" + shown if _is_formula_start(shown) else shown


def _is_formula_start(text: str) -> bool:
    if text.startswith("-"):
        return not text[1:2].isdigit() and text[1:2] != " "
    return text.startswith(_FORMULA_STARTS)


def unguard_cell(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def attribute_columns(excerpts: Iterable[Excerpt]) -> dict[str, str]:
    """Column name -> attribute name, for every attribute the excerpts' articles have, in
    name order (any case)."""
    names = {name for excerpt in excerpts for name in excerpt.attributes}
    return {
        ATTRIBUTE_PREFIX + name: name for name in sorted(names, key=lambda n: (n.casefold(), n))
    }


def rows(excerpts: Iterable[Excerpt]) -> Iterator[dict[str, str | int]]:
    """The rows as data (before guarding), one per excerpt and tag; attribute columns are
    `article_<name>` (see `attribute_columns`), present only where the article has one."""
    for excerpt in excerpts:
        a = excerpt.annotation
        article = excerpt.article
        base: dict[str, str | int] = {
            "id": a.id,
            "article": a.article,
            "title": excerpt.title,
            "source": excerpt.source or "",
            "article_author": (article.author or "") if article is not None else "",
            "article_date": article.metadata.get("date", "") if article is not None else "",
            "article_url": article.metadata.get("url", "") if article is not None else "",
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
        for name, value in excerpt.attributes.items():
            base[ATTRIBUTE_PREFIX + name] = value
        for tag in a.tags or ("",):
            yield {**base, "tag": tag}


def to_csv(excerpts: Sequence[Excerpt], *, bom: bool = True, raw: bool = False) -> str:
    buffer = io.StringIO(newline="")
    if bom:
        buffer.write(BOM)
    writer = csv.writer(buffer, dialect="excel")
    columns = (*COLUMNS, *attribute_columns(excerpts))
    writer.writerow(columns if raw else [guard_cell(column) for column in columns])
    for row in rows(excerpts):
        writer.writerow(
            [
                row.get(column, "")
                if column in NUMBER_COLUMNS or not isinstance(row.get(column, ""), str)
                else (str(row.get(column, "")) if raw else guard_cell(str(row.get(column, ""))))
                for column in columns
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
    text = to_csv(job.excerpts, bom=job.for_file, raw=job.raw)
    return Rendered(text.encode("utf-8"), len(job.excerpts))
