"""`marginalia export` and `marginalia import`: the work leaves the tool, and comes back.

Thin shells over `tui.export`: parse flags, load only the articles that carry annotations,
write bytes to the file (atomically) or to stdout, and report in one or a few plain lines.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tui.commands.common import check_filters, space_of
from tui.config import Workspace
from tui.errors import UserError
from tui.export.formats import BY_NAME, FORMATS, GROUPINGS, Format, format_help, tags_for_export
from tui.store import AnnotationStore, StoreWriteError
from tui.wording import counted

if TYPE_CHECKING:
    from tui.corpus.model import Article
    from tui.export.excerpts import ExportFilter

# The writers and the importer (YAML, XML, zip) are imported by the handlers that use them:
# this module is loaded to build `marginalia`'s parser, also when it opens the reader.


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    export = subparsers.add_parser(
        "export",
        parents=[common],
        help="export annotated excerpts (YAML, Markdown, CSV, W3C JSON-LD, REFI-QDA)",
        description="Write the annotated excerpts to FILE, or to standard output without -o. "
        "Filters combine: an excerpt must pass all of them.",
    )
    export.add_argument(
        "--format",
        dest="fmt",
        choices=FORMATS,
        default="yaml",
        help=format_help(),
    )
    export.add_argument(
        "--by",
        choices=GROUPINGS,
        default="article",
        help="group YAML excerpts by article (default) or by tag",
    )
    export.add_argument(
        "--tag",
        dest="tags",
        action="append",
        default=[],
        metavar="NAME",
        help="only excerpts with this tag or one below it (repeatable)",
    )
    export.add_argument(
        "--article",
        dest="articles",
        action="append",
        default=[],
        metavar="ID",
        help="only this article (repeatable)",
    )
    export.add_argument(
        "--author",
        dest="authors",
        action="append",
        default=[],
        metavar="NAME",
        help="only annotations by this user (repeatable; 'consensus' is the adjudicated layer)",
    )
    export.add_argument(
        "--blind",
        action="store_true",
        help="only your own annotations (--user): others are hidden, for coding independently",
    )
    export.add_argument(
        "--since",
        metavar="WHEN",
        help="only annotations changed at or after this ISO date or time (2026-11-21)",
    )
    export.add_argument(
        "--attribute",
        dest="attribute_filters",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="only articles whose attribute NAME is VALUE (repeatable; see `articles`)",
    )
    export.add_argument(
        "--raw", action="store_true", help="csv: cells exactly as stored (no formula guard)"
    )
    export.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    export.set_defaults(handler=run_export)

    importing = subparsers.add_parser(
        "import",
        parents=[common],
        help="merge a YAML, W3C JSON-LD or Hypothesis export into the store",
        description="Merge FILE into the store by annotation id. Importing twice changes "
        "nothing; when both sides changed an annotation, the later `updated` wins and the "
        "conflict is listed. Each annotation is checked against the current clean text.",
    )
    importing.add_argument("file", metavar="FILE", help="a marginalia YAML or W3C export")
    importing.set_defaults(handler=run_import)


def article_lookup(space: Workspace) -> Callable[[str], Article | None]:
    """Articles by id, cleaned (through the cache) only when an annotation asks for one.

    An article that cannot be read counts as missing: its excerpts export as orphaned
    rather than the whole export failing.
    """
    from tui.corpus import load_article
    from tui.corpus.loader import article_files

    files: dict[str, Path] | None = None
    loaded: dict[str, Article | None] = {}

    def lookup(article_id: str) -> Article | None:
        nonlocal files
        if article_id not in loaded:
            if files is None:
                try:
                    files = {path.stem: path for path in article_files(space.corpus)}
                except UserError:
                    files = {}
            path = files.get(article_id)
            try:
                loaded[article_id] = load_article(path, cache=space.cache) if path else None
            except UserError as error:
                print(f"marginalia: {error}", file=sys.stderr)
                loaded[article_id] = None
        return loaded[article_id]

    return lookup


def corpus_ids(space: Workspace) -> Callable[[], list[str]]:
    """The corpus's article ids, listed only when an import must search it (another tool's
    annotations, matched by URL or quote)."""

    def ids() -> list[str]:
        from tui.corpus.loader import article_files

        try:
            return [path.stem for path in article_files(space.corpus)]
        except UserError:
            return []

    return ids


def export_filter_of(args: argparse.Namespace, articles: Sequence[str]) -> ExportFilter:
    """The filter the options ask for, with `articles` as whole ids."""
    from tui.export.excerpts import ExportFilter, parse_attribute_filter, parse_since

    return ExportFilter(
        tags=tuple(args.tags),
        articles=tuple(articles),
        authors=tuple(args.authors),
        since=parse_since(args.since) if args.since else None,
        attributes=tuple(map(parse_attribute_filter, args.attribute_filters)),
    )


def run_export(args: argparse.Namespace) -> int:
    from tui.export.excerpts import store_excerpts, store_memos
    from tui.export.render import render, write_atomically

    fmt: Format = args.fmt
    to_stdout = args.output in (None, "-")
    if to_stdout and BY_NAME[fmt].binary:
        raise UserError(
            f"a {fmt} export is a zip file, not text: give a file with -o "
            f"(e.g. -o work.{BY_NAME[fmt].extension})"
        )
    space = space_of(args)
    store = AnnotationStore(space.db, space.user)
    articles, args.tags = check_filters(space, store, articles=args.articles, tags=args.tags)
    if getattr(args, "blind", False):
        from tui.export.excerpts import blind_authors, blind_note

        args.authors = list(blind_authors(store.user, args.authors))
        print(f"marginalia: {blind_note(store.user)}", file=sys.stderr)
    export_filter = export_filter_of(args, articles)
    excerpts = store_excerpts(store, article_lookup(space), export_filter)
    rendered = render(
        excerpts,
        tags_for_export(fmt, excerpts, store.tags(), within=export_filter.tags),
        fmt=fmt,
        by=args.by,
        for_file=not to_stdout,
        raw=args.raw,
        memos=store_memos(store, export_filter),
    )
    if to_stdout:
        sys.stdout.buffer.write(rendered.data)
        sys.stdout.flush()
    else:
        path = Path(args.output)
        write_atomically(path, rendered.data)
        print(f"wrote {_excerpts(rendered.count)} to {path}")
    if not excerpts:
        print("marginalia: no annotations match; the export is empty", file=sys.stderr)
    for note in rendered.notes:
        print(f"marginalia: {note}", file=sys.stderr)
    if rendered.skipped:
        print(
            f"marginalia: left out {_excerpts(len(rendered.skipped))} whose passage is no "
            f"longer in the article (orphaned): {', '.join(rendered.skipped)}",
            file=sys.stderr,
        )
    return 0


def run_import(args: argparse.Namespace) -> int:
    from tui.export.importer import import_file

    space = space_of(args)
    store = AnnotationStore(space.db, space.user)
    lookup = article_lookup(space)

    def text_of(article_id: str) -> str | None:
        article = lookup(article_id)
        return article.text if article is not None else None

    try:
        report = import_file(Path(args.file), store, text_of, lookup, corpus_ids(space))
    except StoreWriteError as error:
        reason = store.write_error or str(error)
        raise UserError(f"{store.path}: could not save the import ({reason})") from None
    for line in report.summary():
        print(line)
    return 0


def _excerpts(count: int) -> str:
    return counted(count, "excerpt")
