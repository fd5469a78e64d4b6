"""`marginalia report`: the coding at a glance, headless.

`matrix`, `cooccurrence` and `frequencies` print one view of `tui.analysis` as a table that
fits 80 columns, or as CSV, Markdown or JSON (full names there); `full` writes the whole
coding as Markdown (memos, codebook with counts, every excerpt under its code). Only the articles
that carry a selected passage are read (through the cache), for their lengths and sentences.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tui.commands.common import check_filters, space_of
from tui.config import Workspace
from tui.errors import UserError
from tui.inert import inert
from tui.store import AnnotationStore

if TYPE_CHECKING:
    from tui.analysis.filters import AnalysisFilter
    from tui.corpus.model import Article
    from tui.store.model import Annotation, ArticleMeta

VIEWS = ("matrix", "cooccurrence", "frequencies", "full")
FORMATS = ("table", "csv", "markdown", "json")
UNITS = ("passage", "sentence", "paragraph")

# `tui.analysis` and the corpus are imported by the handler: this module is loaded to build
# `marginalia`'s parser, also when it opens the reader.


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = subparsers.add_parser(
        "report",
        parents=[common],
        help="the coding at a glance: code x article matrix, co-occurrence, frequencies, "
        "or a full Markdown report",
        description="matrix: passages and % of characters covered per code and article "
        "(or attribute value, with --group-by), with totals. cooccurrence: how often two "
        "codes sit on one coder's overlapping passages (or in one sentence or paragraph, "
        "with --unit). "
        "frequencies: passages per code, or per article, coder or attribute (--group-by). "
        "full: the memos, the codebook with counts and every excerpt under its code, as "
        "Markdown. "
        "A passage under a code and its child counts once for the code. Filters combine: a "
        "passage must pass all of them; a filter given twice accepts either value.",
    )
    parser.add_argument("view", choices=VIEWS, help="what to report")
    parser.add_argument(
        "--coder", dest="coders", action="append", default=[], metavar="NAME",
        help="only passages coded by NAME (repeatable)",
    )  # fmt: skip
    parser.add_argument(
        "--tag", dest="tags", action="append", default=[], metavar="NAME",
        help="only this code and the codes below it (repeatable)",
    )  # fmt: skip
    parser.add_argument(
        "--article", dest="articles", action="append", default=[], metavar="ID",
        help="only this article (repeatable)",
    )  # fmt: skip
    parser.add_argument(
        "--attribute", dest="attributes", action="append", default=[], metavar="KEY=VALUE",
        help="only articles whose attribute KEY is VALUE (repeatable)",
    )  # fmt: skip
    parser.add_argument(
        "--group-by", metavar="ATTR",
        help="matrix: one column per value of article attribute ATTR; frequencies: bars "
        "per code (default), article, coder or attribute ATTR",
    )  # fmt: skip
    parser.add_argument(
        "--unit", choices=UNITS, default="passage",
        help="cooccurrence: overlapping passages (default), same sentence or same paragraph",
    )  # fmt: skip
    parser.add_argument(
        "--as-tagged", action="store_true",
        help="cooccurrence: a passage counts only for the tags it carries, not for their "
        "parents too (one row per pair of tags rather than one per level of the tree)",
    )  # fmt: skip
    parser.add_argument(
        "--sort", metavar="BY",
        help="matrix rows: name (default), total, or a column's article id or value; "
        "cooccurrence and frequencies: count (default) or name",
    )  # fmt: skip
    parser.add_argument(
        "--format", dest="fmt", choices=FORMATS, default=None,
        help="matrix, cooccurrence, frequencies: table (default), csv, markdown or json; "
        "full: markdown only",
    )  # fmt: skip
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    parser.set_defaults(handler=run_report)


def run_report(args: argparse.Namespace) -> int:
    from tui.analysis.filters import AnalysisFilter, parse_attribute

    args.fmt = _format_of(args.view, args.fmt)
    if args.as_tagged and args.view != "cooccurrence":
        raise UserError("--as-tagged goes with cooccurrence (the other views roll codes up)")
    space = space_of(args)
    store = AnnotationStore(space.db, space.user)
    articles, args.tags = check_filters(space, store, articles=args.articles, tags=args.tags)
    _check_coders(store, args.coders)
    selection = AnalysisFilter(
        coders=tuple(args.coders),
        tags=tuple(args.tags),
        articles=tuple(articles),
        attributes=tuple(parse_attribute(text) for text in args.attributes),
    )
    metas = store.article_metas()
    if args.view == "full":
        text = _full(store, space, selection, metas)
    else:
        text = _view(args, store, space, selection, metas)
    _write(text, args.output, csv=args.fmt == "csv" and args.view != "full")
    return 0


FULL_FORMATS = ("markdown",)
"""What `report full` writes: one document to read and hand in. Not JSON: the structured
data it is made from is what `marginalia export --format yaml` (or w3c) writes."""


def _format_of(view: str, fmt: str | None) -> str:
    """The format asked for, or the view's own; a format the view does not write is a
    mistake, said in one line, never a silent Markdown."""
    if view != "full":
        return fmt or "table"
    if fmt is None or fmt in FULL_FORMATS:
        return "markdown"
    raise UserError(
        f"report full writes Markdown only, not {fmt}: drop --format (or give --format "
        "markdown); for data use marginalia export --format yaml, csv or w3c"
    )


def _check_coders(store: AnnotationStore, coders: Sequence[str]) -> None:
    if not coders:
        return
    known = {annotation.author for annotation in store.annotations()}
    for name in coders:
        if name not in known:
            shown = ", ".join(inert(n) for n in sorted(known)) or "none"
            raise UserError(f"no coder {inert(name)!r} in {store.path} (known: {shown})")


def _loaded(
    store: AnnotationStore,
    lookup: Callable[[str], Article | None],
    selection: AnalysisFilter,
    metas: Mapping[str, ArticleMeta],
) -> tuple[list[Annotation], dict[str, Article]]:
    """The passages of the selected articles anchored to their article's current text, and
    those articles (as the reader corrected their details); passages of missing articles are
    orphaned. Only the article and attribute filters apply here: the views narrow codes and
    coders themselves, and the matrix's columns are every coded article in scope, as in the
    analysis screen (a code filter must not change a code's % of characters)."""
    from dataclasses import replace

    from tui.store.model import effective_article

    chosen = selection.in_scope.select(store.annotations(), metas)
    found: dict[str, Article] = {}
    placed: list[Annotation] = []
    by_article: dict[str, list[Annotation]] = {}
    for annotation in chosen:
        by_article.setdefault(annotation.article, []).append(annotation)
    for article_id in [*by_article, *(a for a in selection.articles if a not in by_article)]:
        article = lookup(article_id)
        if article is None:
            placed += [replace(a, anchor="orphaned") for a in by_article.get(article_id, [])]
            continue
        found[article_id] = effective_article(article, metas.get(article_id))
        wanted = {a.id for a in by_article.get(article_id, [])}
        placed += [a for a in store.anchored(article_id, article.text) if a.id in wanted]
    return placed, found


def _view(
    args: argparse.Namespace,
    store: AnnotationStore,
    space: Workspace,
    selection: AnalysisFilter,
    metas: Mapping[str, ArticleMeta],
) -> str:
    from tui.analysis import tables, view_tables
    from tui.analysis.cooccurrence import cooccurrence
    from tui.analysis.filters import attribute_keys
    from tui.analysis.frequencies import FIXED_GROUPINGS, frequencies
    from tui.analysis.matrix import code_matrix
    from tui.commands.exchange import article_lookup

    group_by = args.group_by
    keys = attribute_keys(metas)
    if (
        group_by is not None
        and group_by not in keys
        and not (args.view == "frequencies" and group_by in FIXED_GROUPINGS)
    ):
        choices = [*(FIXED_GROUPINGS if args.view == "frequencies" else ()), *keys]
        raise UserError(
            f"--group-by {inert(group_by)!r}: no article has that attribute "
            f"(choose from: {', '.join(inert(k) for k in choices) or 'none'})"
        )
    annotations, articles = _loaded(store, article_lookup(space), selection, metas)
    if args.view == "matrix":
        matrix = code_matrix(annotations, articles, metas, selection, group_by=group_by)
        if args.sort:
            try:
                matrix = matrix.sort_rows(
                    args.sort.casefold() if args.sort.casefold() in ("name", "total") else args.sort
                )
            except KeyError:
                raise UserError(
                    f"--sort {inert(args.sort)!r}: sort by name, total or a column "
                    f"({', '.join(inert(c.key) for c in matrix.columns[:10])})"
                ) from None
        table = view_tables.matrix_table(matrix, selection)
        records = matrix.records()
        document = view_tables.matrix_document(matrix, selection)
    elif args.view == "cooccurrence":
        order = _order(args.sort)
        found = cooccurrence(
            annotations, articles, metas, selection, unit=args.unit, roll_up=not args.as_tagged
        )
        table = view_tables.cooccurrence_table(found, selection, by=order)
        records = found.records(by=order)
        document = view_tables.cooccurrence_document(found, selection, by=order)
    else:
        bars = frequencies(annotations, articles, metas, selection, by=group_by or "code")
        bars = bars.sort(_order(args.sort))
        table = view_tables.frequencies_table(bars, selection)
        records = bars.records()
        document = view_tables.frequencies_document(bars, selection)
    if args.fmt == "csv":
        return tables.as_csv(records)
    if args.fmt == "json":
        return tables.as_json(document)
    if args.fmt == "markdown":
        return tables.as_markdown(table)
    return tables.as_text(table)


def _order(sort: str | None) -> str:
    if sort is None or sort.casefold() == "count":
        return "count"
    if sort.casefold() == "name":
        return "name"
    raise UserError(f"--sort {inert(sort)!r}: sort by count or name")


def _full(
    store: AnnotationStore,
    space: Workspace,
    selection: AnalysisFilter,
    metas: Mapping[str, ArticleMeta],
) -> str:
    from tui.analysis.full_report import full_report, report_memos
    from tui.commands.exchange import article_lookup
    from tui.export.excerpts import select_excerpts
    from tui.store.model import effective_article

    lookup = article_lookup(space)
    annotations, articles = _loaded(store, lookup, selection, metas)
    excerpts = select_excerpts(selection.select(annotations, metas), articles)
    memos = report_memos(store.memos.list(), selection, metas)
    titles = {article_id: article.title for article_id, article in articles.items()}
    for article_id in {memo.article for memo in memos if memo.article} - set(titles):
        found = lookup(article_id)  # an article with memos but no passage in scope
        if found is not None:
            titles[article_id] = effective_article(found, metas.get(article_id)).title
    return full_report(
        store.tags(), excerpts, wants_code=selection.wants_code, memos=memos, titles=titles
    )


def _write(text: str, output: str | None, *, csv: bool) -> None:
    """To stdout (through the CLI's inert stream; CSV as bytes, its cells already guarded,
    so its CRLF row ends stay row ends) or atomically to a file (CSV with a BOM, as the CSV
    export writes one, for spreadsheets)."""
    if output in (None, "-"):
        if csv:
            sys.stdout.flush()
            sys.stdout.buffer.write(text.encode("utf-8"))
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(text)
        return
    from tui.export.csv_format import BOM
    from tui.export.render import write_atomically

    path = Path(output)
    write_atomically(path, ((BOM if csv else "") + text).encode("utf-8"))
    print(f"wrote {path}")
