"""`marginalia articles --csv` and `marginalia articles --set-from FILE`: the attributes of
every article through a spreadsheet, out and back in (`tui.export.attribute_sheet`).

Options of `articles` rather than a command of their own: `articles` already lists every
article with its attributes (as text or `--json`), so `--csv` is one more way to print that
list, and `--set-from` is the many-article form of `article ID --set` beside it. A sheet is
read whole and checked first; while anything in it is wrong nothing is written, and every
problem is listed at once (a few of each kind, then a count), so one round of fixes in the
spreadsheet is enough. Then all its changes are one locked store write and one undo step.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from tui.commands.common import corpus_ids, not_saved, open_store, space_of
from tui.errors import UserError
from tui.export.attribute_sheet import SheetRow, decode_sheet, read_sheet, write_sheet
from tui.inert import inert
from tui.store import StoreWriteError
from tui.store.attribute_batch import AttributeBatch, plan_batch
from tui.store.model import ArticleMeta
from tui.wording import counted

# The largest sheet read (bytes): 1,000 articles with a dozen attributes are well under 1 MB.
MAX_SHEET_BYTES = 50 * 1024 * 1024
# Changes shown one by one by --dry-run before "and N more".
PREVIEWED = 10


def write_rows(rows: Sequence[SheetRow], output: str | None) -> None:
    """The listing as a CSV sheet: to the file (with a BOM, atomically) or stdout."""
    from tui.export.render import write_atomically

    if output in (None, "-"):  # bytes: the cells are made inert already, CRLF kept (RFC 4180)
        sys.stdout.flush()
        sys.stdout.buffer.write(write_sheet(rows, bom=False).encode("utf-8"))
        sys.stdout.flush()
        return
    path = Path(output)
    write_atomically(path, write_sheet(rows).encode("utf-8"))
    print(f"wrote {counted(len(rows), 'article')} to {path}")  # as `export -o` says it


def run_set_from(args: argparse.Namespace) -> int:
    space = space_of(args)
    store = open_store(args, space)
    source = args.set_from
    text = _sheet_text(source)
    metas = store.article_metas()
    known = {*corpus_ids(space), *metas}
    in_use = {name for meta in metas.values() for name in meta.attributes}
    sheet = read_sheet(text, known, empty_unsets=args.empty == "unset", in_use=in_use)
    where = "standard input" if source == "-" else source
    delimiter = {"\t": "tab"}.get(sheet.delimiter, repr(sheet.delimiter))
    print(
        f"{inert(where)}: {counted(sheet.rows, 'article row')} ({delimiter}-separated); "
        f"attribute columns: {', '.join(map(inert, sheet.names)) or 'none'}"
    )
    for note in sheet.notes:
        print(f"  note: {inert(note)}")
    problems = list(sheet.problems)
    if sheet.unknown:
        if args.skip_unknown:
            print(
                f"  skipped {counted(sheet.unknown_count, 'row')} naming no article: "
                + "; ".join(map(inert, sheet.unknown))
            )
        else:
            verb = "names" if sheet.unknown_count == 1 else "name"
            problems.append(
                f"{counted(sheet.unknown_count, 'row')} {verb} no article of {space.corpus} "
                "(--skip-unknown leaves them out): " + "; ".join(sheet.unknown)
            )
    batch = plan_batch(metas, sheet.changes)
    problems.extend(f"{article}: {why}" for article, why in batch.refused.items())
    if problems:
        for problem in problems:
            print(f"marginalia: {inert(problem)}", file=sys.stderr)
        raise UserError(f"{where}: nothing written: fix the {counted(len(problems), 'problem')}")
    if args.dry_run:
        print(f"would set {_described(batch, metas)} (dry run: nothing written)")
        for line in _preview(batch, metas):
            print(f"  {inert(line)}")
        return 0
    if not batch.changed:
        print(f"nothing to change: {counted(len(batch.unchanged), 'article')} already so")
        return 0
    try:
        written = store.attributes.set_many(sheet.changes)
    except StoreWriteError as error:
        raise not_saved(store, error) from None
    for article, why in written.refused.items():  # another session took a name meanwhile
        print(f"marginalia: {inert(article)}: {inert(why)}", file=sys.stderr)
    print(f"set {_described(written, metas)}")
    return 0


def _sheet_text(source: str) -> str:
    from tui.safe_read import read_regular

    try:
        if source == "-":
            raw = sys.stdin.buffer.read(MAX_SHEET_BYTES + 1)
            if len(raw) > MAX_SHEET_BYTES:
                raise UserError(f"standard input: more than {MAX_SHEET_BYTES:,} bytes")
        else:
            raw = read_regular(Path(source), MAX_SHEET_BYTES, what="a sheet")
    except FileNotFoundError:
        raise UserError(f"{source}: no such file") from None
    except OSError as error:
        raise UserError(f"{source}: cannot be read ({error.strerror or error})") from None
    return decode_sheet(raw, "standard input" if source == "-" else source)


def _described(batch: AttributeBatch, metas: Mapping[str, ArticleMeta]) -> str:
    """`the attributes of 812 articles: outlet (800), country (12); 188 already so`."""
    names = batch.changed_names(metas)
    counts = ", ".join(f"{inert(name)} ({count:,})" for name, count in names.items())
    said = f"the attributes of {counted(len(batch.changed), 'article')}"
    if counts:
        said += f": {counts}"
    if batch.unchanged:
        said += f"; {counted(len(batch.unchanged), 'article')} already so"
    return said


def _preview(batch: AttributeBatch, metas: Mapping[str, ArticleMeta]) -> list[str]:
    """One line per changed article (the first PREVIEWED): each name's new value and old."""
    lines: list[str] = []
    for article, attributes in list(batch.changed.items())[:PREVIEWED]:
        before = metas[article].attributes if article in metas else {}
        parts = []
        for name in sorted({*attributes, *before}, key=lambda n: (n.casefold(), n)):
            new, old = attributes.get(name), before.get(name)
            if new == old:
                continue
            if new is None:
                parts.append(f"{name} removed (was {old!r})")
            else:
                parts.append(f"{name} {new!r}" + (f" (was {old!r})" if old is not None else ""))
        lines.append(f"{article}: {', '.join(parts)}")
    if len(batch.changed) > PREVIEWED:
        lines.append(f"and {len(batch.changed) - PREVIEWED:,} more")
    return lines
