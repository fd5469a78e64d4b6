"""The articles' attributes as a spreadsheet, both ways: one row per article, one column each.

`marginalia articles --csv -o FILE` writes it; a researcher codes the outlets in a
spreadsheet and `marginalia articles --set-from FILE` reads it back (shared/interop.md):

- Columns: the article id first (a file name such as `0001_story.txt` or `corpus/0001.txt`
  is taken for its stem), then one attribute per column, the heading being its name. A
  `title` column (the export writes one, so the rows can be told apart) is read past; the
  other details (source, author, date, url) have options of their own on `article`, so a
  column for one is read past with a note.
- Encoding as spreadsheets save: UTF-8 with or without a BOM, or UTF-16 with its BOM (Excel's
  "Unicode text"). Anything else is refused with the way to save it, never guessed.
- Delimiter as spreadsheets write it: `,`, `;` (a comma-decimal locale) or tab, taken from
  the heading row.
- Cells are data. A formula-looking `=cmd|' /C calc'!A0` is stored as the text it is (every
  export guards it again); one leading apostrophe, the guard our exports add, is removed, as
  `csv_format.unguard_cell` does. A value the store's rules refuse (a line break, a control
  character, too long) is a problem naming its row and column.
- An empty cell leaves the attribute as it is (a sheet with gaps is a sheet half coded, not
  an order to erase); `empty_unsets=True` makes it remove the attribute instead.
- The same article on two rows is a problem when the rows differ, a note when they agree.

Reading only plans: `read_sheet` returns the changes by article with every problem found, so
the command can show them all at once and write nothing while there is one.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from tui.errors import UserError
from tui.export.csv_format import BOM, guard_cell, unguard_cell
from tui.store.errors import StoreError
from tui.store.names import RESERVED_ATTRIBUTE_NAMES, check_attribute_name
from tui.store.rules import attribute_value

DELIMITERS = (",", ";", "\t")
ID_HEADING = "id"
TITLE_HEADING = "title"


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One article of an attributes sheet as written: its id, title and attributes."""

    article: str
    title: str
    attributes: Mapping[str, str]


@dataclass(slots=True)
class Sheet:
    """What a sheet asks for: attribute changes by article ("" removes), and what is wrong."""

    changes: dict[str, dict[str, str]] = field(default_factory=dict)
    names: tuple[str, ...] = ()  # the attribute columns, in the sheet's order
    rows: int = 0  # rows with an article id
    delimiter: str = ","
    problems: list[str] = field(default_factory=list)  # nothing is written while there is one
    unknown: list[str] = field(default_factory=list)  # `row N: 'id'` for ids no article has
    unknown_count: int = 0  # all of them (`unknown` lists the first few)
    notes: list[str] = field(default_factory=list)


def write_sheet(rows: Iterable[SheetRow], *, bom: bool = True) -> str:
    """The rows as CSV for a spreadsheet: id, title, then each attribute name used (sorted);
    cells guarded against formulas (`csv_format.guard_cell`), BOM for a file (not a pipe)."""
    rows = list(rows)
    names = sorted(
        {name for row in rows for name in row.attributes}, key=lambda n: (n.casefold(), n)
    )
    buffer = io.StringIO(newline="")
    if bom:
        buffer.write(BOM)
    writer = csv.writer(buffer, dialect="excel")
    writer.writerow([guard_cell(heading) for heading in (ID_HEADING, TITLE_HEADING, *names)])
    for row in rows:
        cells = (row.article, row.title, *(row.attributes.get(name, "") for name in names))
        writer.writerow([guard_cell(cell) for cell in cells])
    return buffer.getvalue()


def decode_sheet(raw: bytes, where: str) -> str:
    """The text of a spreadsheet's CSV: UTF-8 (BOM or not) or UTF-16 with a BOM; UserError
    saying how to save it otherwise (`where` names the file)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as error:
            raise UserError(f"{where}: not UTF-16 text after its mark ({error.reason})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UserError(
            f"{where}: not UTF-8 text (byte {raw[error.start]:#04x} at offset {error.start:,}): "
            "save the sheet as 'CSV UTF-8' (Excel) or with the character set 'Unicode (UTF-8)' "
            "(LibreOffice)"
        ) from None


def sniff_delimiter(text: str) -> str:
    """`,`, `;` or tab: whichever splits the heading row into the most cells."""
    heading = text.split("\n", 1)[0]
    return max(DELIMITERS, key=lambda d: len(next(csv.reader([heading], delimiter=d), [])))


def read_sheet(
    text: str,
    known: Collection[str],
    *,
    empty_unsets: bool = False,
    limit: int = 10,
    in_use: Collection[str] = (),
) -> Sheet:
    """The changes a sheet asks for, by article; `known` are the article ids there are.

    A heading differing only in capitals from an attribute name `in_use` is that attribute
    (one variable, one column; a note says so), rather than a refusal on every row.
    Problems and unknown ids are listed up to `limit` each, then counted.
    """
    sheet = Sheet(delimiter=sniff_delimiter(text))
    problems = _Capped(sheet.problems, limit)
    unknown = _Capped(sheet.unknown, limit)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sheet.delimiter)
    number = 1  # the row as a spreadsheet numbers it (the heading is row 1)
    try:
        headings = next(reader, [])
        columns = _columns(headings, sheet, problems, in_use)
        seen: dict[str, tuple[int, dict[str, str]]] = {}
        for number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(headings) and any(cell.strip() for cell in row[len(headings) :]):
                problems.add(
                    f"row {number}: {len(row)} cells, but the heading row names {len(headings)}"
                )
                continue
            cell = unguard_cell(row[0].strip())
            if not cell:
                problems.add(f"row {number}: no article id in the first column")
                continue
            article = _article_of(cell, known)
            if article is None:
                unknown.add(f"row {number}: {cell!r}")
                continue
            sheet.rows += 1
            wanted = _values(row, columns, number, empty_unsets, problems)
            if article in seen:
                first, before = seen[article]
                if before != wanted:
                    problems.add(
                        f"rows {first} and {number}: the same article {article!r} with "
                        "different values; keep one row"
                    )
                else:
                    sheet.notes.append(f"row {number} repeats row {first} ({article}): read once")
                continue
            seen[article] = (number, wanted)
            if wanted:
                sheet.changes[article] = wanted
    except csv.Error as error:
        problems.add(f"row {number + 1}: not readable as CSV ({error})")
    sheet.unknown_count = len(sheet.unknown) + unknown.more
    problems.close("more problems")
    unknown.close("more unknown articles")
    return sheet


def _columns(
    headings: Sequence[str], sheet: Sheet, problems: _Capped, in_use: Collection[str] = ()
) -> dict[int, str]:
    """Column index -> attribute name, for the columns that hold attributes."""
    spelled = {name.casefold(): name for name in in_use}
    if len(headings) < 2:
        problems.add(
            "the heading row needs the article id column and at least one attribute column "
            f"(found {len(headings)} column{'s' if len(headings) != 1 else ''}, "
            "separated by ',', ';' or tab)"
        )
        return {}
    columns: dict[int, str] = {}
    by_fold: dict[str, int] = {}
    for index, raw in enumerate(headings[1:], start=1):
        heading = unguard_cell(raw.strip())
        where = f"column {index + 1}"
        if not heading:
            problems.add(f"{where} has no heading: name the attribute it holds")
            continue
        if heading.casefold() == TITLE_HEADING:
            continue
        if heading.casefold() in RESERVED_ATTRIBUTE_NAMES:
            sheet.notes.append(
                f"{where} ({heading}) is an article detail, not an attribute: left alone "
                f"(set it with `marginalia article ID --{heading.casefold()} VALUE`)"
            )
            continue
        try:
            name = check_attribute_name(heading)
        except StoreError as error:
            problems.add(f"{where}: {error}")
            continue
        if spelled.get(name.casefold(), name) != name:
            sheet.notes.append(
                f"{where} ({name}) is the attribute {spelled[name.casefold()]!r}: names differ "
                "only in capitals, and the articles already use that spelling"
            )
            name = spelled[name.casefold()]
        if name.casefold() in by_fold:
            problems.add(
                f"{where} ({name}) repeats column {by_fold[name.casefold()] + 1}: one column "
                "per attribute"
            )
            continue
        by_fold[name.casefold()] = index
        columns[index] = name
    sheet.names = tuple(columns.values())
    return columns


def _article_of(cell: str, known: Collection[str]) -> str | None:
    """The article a first-column cell names: its id, else a file name's stem."""
    if cell in known:
        return cell
    stem = PurePath(cell.replace("\\", "/")).stem
    return stem if stem and stem in known else None


def _values(
    row: Sequence[str],
    columns: Mapping[int, str],
    number: int,
    empty_unsets: bool,
    problems: _Capped,
) -> dict[str, str]:
    wanted: dict[str, str] = {}
    for index, name in columns.items():
        cell = unguard_cell(row[index]) if index < len(row) else ""
        if not cell.strip() and not empty_unsets:
            continue
        try:
            wanted[name] = attribute_value(name, cell)
        except StoreError as error:
            problems.add(f"row {number}, column {index + 1}: {error}")
    return wanted


class _Capped:
    """A list that keeps the first `limit` messages and counts the rest."""

    def __init__(self, into: list[str], limit: int) -> None:
        self.into = into
        self.limit = limit
        self.more = 0

    def add(self, message: str) -> None:
        if len(self.into) < self.limit:
            self.into.append(message)
        else:
            self.more += 1

    def close(self, what: str) -> None:
        if self.more:
            self.into.append(f"and {self.more:,} {what}")
