"""`marginalia article`: an article's title, source, author, date and URL, as the reader set them.

Cleaning derives what it can from the raw file; the reader's corrections are kept in the store
(one undoable change each) and win wherever the article is shown or exported. With no options
the command prints the metadata in effect and where each value comes from.
"""

from __future__ import annotations

import argparse
import sys

import orjson

from tui.commands.common import load_clean_article, open_store, space_of
from tui.errors import UserError
from tui.inert import inert
from tui.store import StoreWriteError
from tui.store.model import ARTICLE_META_FIELDS, ArticleMeta, article_details, effective_article


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = subparsers.add_parser(
        "article",
        parents=[common],
        help="show or correct an article's title, source, author, date and URL",
        description="With no options, print the article's metadata: the reader's values "
        "where set, else what cleaning found. Each option sets a value; an empty one ('') "
        "removes the reader's value so cleaning's shows again. Exports carry these values.",
    )
    parser.add_argument("article", metavar="ARTICLE", help="article id (the file name's stem)")
    for name in ARTICLE_META_FIELDS:
        parser.add_argument(
            f"--{name}", metavar=name[0].upper(), help=f"set the article's {name} ('' clears)"
        )
    parser.add_argument("--json", action="store_true", help="print the metadata as JSON")
    parser.set_defaults(handler=run_article)


def run_article(args: argparse.Namespace) -> int:
    space = space_of(args)
    article = load_clean_article(space, args.article)
    store = open_store(args, space)
    changes = {name: getattr(args, name) for name in ARTICLE_META_FIELDS}
    if any(value is not None for value in changes.values()):
        try:
            meta = store.set_article_meta(article.id, **changes)
        except StoreWriteError as error:
            reason = store.write_error or str(error)
            message = f"{store.path}: could not save ({reason}); nothing was written"
            raise UserError(message) from None
    else:
        meta = store.article_meta(article.id)
    shown = effective_article(article, meta)
    values = article_details(shown)
    if args.json:
        record = {"id": article.id, **values, "set_by_reader": sorted(meta.overrides)}
        sys.stdout.write(orjson.dumps(record, option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0
    print(f"id      {inert(article.id)}")
    for name, value in values.items():
        print(f"{name:<7} {inert(value) or '-'}{_origin(meta, name, value)}")
    return 0


def _origin(meta: ArticleMeta, name: str, value: str) -> str:
    if name in meta.overrides:
        who = f" by {inert(meta.by)}" if meta.by else ""
        return f"  (set{who})"
    return "  (from cleaning)" if value else ""
