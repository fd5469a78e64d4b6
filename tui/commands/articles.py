"""`marginalia article` and `marginalia articles`: an article's details and free attributes.

Cleaning derives the title, source, author, date and URL it can from the raw file; the
reader's corrections are kept in the store (one undoable change each) and win wherever the
article is shown or exported. Attributes (`--set outlet=TASS`) are the team's own variables
per article, carried by every export and usable as `--attribute` filters. With no options
`article` prints what is in effect and where each value comes from.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from tui.commands.common import corpus_ids, load_clean_article, not_saved, open_store, space_of
from tui.errors import UserError
from tui.inert import inert
from tui.store import StoreWriteError
from tui.store.model import ARTICLE_META_FIELDS, ArticleMeta, article_details, effective_article

if TYPE_CHECKING:
    from tui.corpus.index import CorpusIndex


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = subparsers.add_parser(
        "article",
        parents=[common],
        help="show or correct an article's details; set its attributes",
        description="With no options, print the article's metadata: the reader's values "
        "where set, else what cleaning found, then its attributes. Each option sets a value; "
        "an empty one ('') removes the reader's value so cleaning's shows again. "
        "Exports carry these values.",
    )
    parser.add_argument("article", metavar="ARTICLE", help="article id (the file name's stem)")
    for name in ARTICLE_META_FIELDS:
        parser.add_argument(
            f"--{name}", metavar=name[0].upper(), help=f"set the article's {name} ('' clears)"
        )
    parser.add_argument(
        "--set",
        dest="attributes",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a free attribute (outlet=TASS; repeatable; NAME= removes it)",
    )
    parser.add_argument(
        "--unset",
        action="append",
        default=[],
        metavar="NAME",
        help="remove an attribute (repeatable)",
    )
    parser.add_argument("--json", action="store_true", help="print the metadata as JSON")
    parser.set_defaults(handler=run_article)

    listing = subparsers.add_parser(
        "articles",
        parents=[common],
        help="list the articles with their attributes; write or read them as a spreadsheet",
        description="One line per article of the corpus (and any the store has details "
        "for): id, title, attributes. --csv writes the same list as a spreadsheet (id, "
        "title, one column per attribute); --set-from reads such a sheet back and sets every "
        "article's attributes in one write.",
    )
    listing.add_argument(
        "--attribute",
        dest="attribute_filters",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="only articles whose attribute NAME is VALUE (any case; NAME= for not set; "
        "repeat: names must all match, values of one name any)",
    )
    shape = listing.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print the articles as JSON")
    shape.add_argument(
        "--csv",
        action="store_true",
        help="write a spreadsheet: id, title, one column per attribute (to -o FILE or stdout)",
    )
    shape.add_argument(
        "--set-from",
        metavar="FILE",
        help="set attributes from a CSV sheet: the article id (or file name) first, then one "
        "column per attribute named in the heading row; ',' ';' or tab; '-' reads stdin",
    )
    listing.add_argument("-o", "--output", metavar="FILE", help="--csv: write here")
    listing.add_argument(
        "--dry-run", action="store_true", help="--set-from: show what would change, write nothing"
    )
    listing.add_argument(
        "--empty",
        choices=("keep", "unset"),
        default="keep",
        help="--set-from: an empty cell keeps the attribute as it is (default) or removes it",
    )
    listing.add_argument(
        "--skip-unknown",
        action="store_true",
        help="--set-from: leave out rows naming no article (else nothing is written)",
    )
    listing.set_defaults(handler=run_articles)


def attribute_changes(pairs: list[str], unset: list[str]) -> dict[str, str]:
    """`--set a=b` and `--unset a` as the store's changes ("" removes)."""
    changes: dict[str, str] = {}
    for pair in pairs:
        name, sign, value = pair.partition("=")
        if not sign:
            raise UserError(f"--set {inert(pair[:60])!r}: write it as NAME=VALUE (outlet=TASS)")
        changes[name.strip()] = value
    for name in unset:
        changes[name.strip()] = ""
    return changes


def run_article(args: argparse.Namespace) -> int:
    space = space_of(args)
    article = load_clean_article(space, args.article)
    store = open_store(args, space)
    changes = {name: getattr(args, name) for name in ARTICLE_META_FIELDS}
    attributes = attribute_changes(args.attributes, args.unset)
    meta = store.article_meta(article.id)
    try:
        if any(value is not None for value in changes.values()):
            meta = store.set_article_meta(article.id, **changes)
        if attributes:
            meta = store.set_article_attributes(article.id, attributes)
    except StoreWriteError as error:
        raise not_saved(store, error) from None
    shown = effective_article(article, meta)
    values = article_details(shown)
    if args.json:
        record = {
            "id": article.id,
            **values,
            "set_by_reader": sorted(meta.overrides),
            "attributes": meta.attributes,
        }
        sys.stdout.write(orjson.dumps(record, option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0
    print(f"id      {inert(article.id)}")
    for name, value in values.items():
        print(f"{name:<7} {inert(value) or '-'}{_origin(meta, name, value)}")
    for name, value in sorted(meta.attributes.items(), key=lambda item: item[0].casefold()):
        print(f"  {inert(name)} = {inert(value)}")
    return 0


def _origin(meta: ArticleMeta, name: str, value: str) -> str:
    if name in meta.overrides:
        who = f" by {inert(meta.by)}" if meta.by else ""
        return f"  (set{who})"
    return "  (from cleaning)" if value else ""


def run_articles(args: argparse.Namespace) -> int:
    from tui.commands import articles_sheet
    from tui.export.excerpts import attributes_match, parse_attribute_filter

    _check_sheet_options(args)
    if args.set_from is not None:
        return articles_sheet.run_set_from(args)
    wanted = [parse_attribute_filter(text) for text in args.attribute_filters]
    space = space_of(args)
    store = open_store(args, space)
    metas = store.article_metas()
    ids = sorted({*corpus_ids(space), *metas})
    listed = [metas.get(article_id) or ArticleMeta(article_id) for article_id in ids]
    shown = [meta for meta in listed if attributes_match(wanted, meta.attributes)]
    index: CorpusIndex | None = None
    if shown and space.corpus.is_dir():  # cleaning only what is listed and has no title set
        untitled = {meta.article for meta in shown if meta.title is None}
        index = indexed_corpus(space.corpus, space.cache, untitled)
    rows: list[dict[str, Any]] = []
    for meta in shown:
        entry = index.entry(meta.article) if index is not None else None
        title = meta.title if meta.title is not None else (entry.title if entry else "")
        rows.append({"id": meta.article, "title": title, "attributes": meta.attributes})
    if args.json:
        sys.stdout.write(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0
    if args.csv:
        from tui.export.attribute_sheet import SheetRow

        sheet = [SheetRow(row["id"], row["title"], row["attributes"]) for row in rows]
        articles_sheet.write_rows(sheet, args.output)
        return 0
    for row in rows:
        pairs = "; ".join(
            f"{inert(name)}={inert(_listed(value))}"
            for name, value in sorted(row["attributes"].items(), key=lambda i: i[0].casefold())
        )
        print("  ".join(part for part in (inert(row["id"]), inert(row["title"]), pairs) if part))
    if not rows:
        print("no article matches" if ids else f"no articles in {space.corpus}", file=sys.stderr)
    return 0


def _check_sheet_options(args: argparse.Namespace) -> None:
    """Options that belong to --csv or --set-from are refused without it, not ignored."""
    if args.output is not None and not args.csv:
        raise UserError("articles: -o goes with --csv (write the sheet to FILE)")
    if args.set_from is None:
        stray = [
            flag
            for flag, given in (
                ("--dry-run", args.dry_run),
                ("--empty", args.empty != "keep"),
                ("--skip-unknown", args.skip_unknown),
            )
            if given
        ]
        if stray:
            raise UserError(f"articles: {', '.join(stray)} goes with --set-from FILE")
    elif args.attribute_filters:
        raise UserError("articles: --set-from sets what the sheet says; --attribute is a filter")


# Cleaning for titles shows its progress only once it has taken this long (seconds): a few
# new articles print nothing, a cold folder of 1,000 pages says how far it is.
PROGRESS_AFTER = 1.0


class _StderrProgress:
    """`cleaning 120 of 1,000` on stderr once cleaning has run `PROGRESS_AFTER` seconds:
    redrawn in place on a terminal (4 times a second), one line every 5 s into a file.
    `offset` counts the articles done before the current run of the cleaner."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.offset = 0
        self.started = time.monotonic()
        self.shown = 0.0
        self.tty = sys.stderr.isatty()
        self.drawn = False

    def __call__(self, step: int, _of_run: int) -> None:
        done, total = self.offset + step, self.total
        now = time.monotonic()
        if now - self.started < PROGRESS_AFTER and not self.drawn:
            return
        if done < total and now - self.shown < (0.25 if self.tty else 5.0):
            return
        from tui.corpus.live_corpus import cleaning_status

        self.shown = now
        words = f"{cleaning_status(done, total)} articles for their titles"
        if self.tty:
            _redraw_line(words)
        else:
            sys.stderr.write(f"{words}\n")
        sys.stderr.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn and self.tty:
            sys.stderr.write("\n")


def _redraw_line(words: str) -> None:
    """`words` over stderr's current line: through the CLI's inert stream when it is there
    (`cli.InertText.redraw_line`), so the carriage return moves the cursor."""
    redraw = getattr(sys.stderr, "redraw_line", None)
    if redraw is not None:
        redraw(words)
    else:
        sys.stderr.write("\r" + words)


def indexed_corpus(folder: Path, cache: Path | None, wanted: Collection[str]) -> CorpusIndex:
    """The folder's index with every `wanted` article in it: the index's rows where the file
    is unchanged, the rest cleaned now (through the cleaner's cache, and saved in the index so
    the next listing is warm). A file that does not clean is one line on stderr; it stays
    listed, without a title."""
    from tui.corpus.index import CorpusIndex

    index = CorpusIndex(folder, cache)
    todo = [article_id for article_id in index.unknown() if article_id in wanted]
    progress = _StderrProgress(len(todo))
    failed: list[str] = []
    try:
        while todo:  # clean_rest stops at a file that fails unexpectedly: go on after it
            progress.offset, done = progress.total - len(todo), 0
            try:
                for _article_id in index.clean_rest(progress, ids=todo):
                    done += 1
                todo = []
            except Exception as error:  # a cleaner bug on one file: the others still list
                bad, todo = todo[done], todo[done + 1 :]
                failed.append(f"{bad}: could not be cleaned ({type(error).__name__}: {error})")
                index.save()
    finally:
        progress.close()
    for line in [*index.problems, *failed]:
        print(inert(line), file=sys.stderr)
    return index


def _listed(value: str) -> str:
    """A value as the one-line listing shows it: quoted (JSON's way) when it holds what the
    listing separates with (`;`, `=`, a quote) or spaces at its ends, so
    `outlet="Süddeutsche; Zeitung"` reads as one value, not two."""
    if any(mark in value for mark in ';="') or value != value.strip():
        return json.dumps(value, ensure_ascii=False)
    return value
