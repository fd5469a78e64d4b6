"""`marginalia memo`: memos on an article or on the project, written and read headless.

A memo is the researcher's running note on an article (`--article A`) or on the whole project
(no `--article`): dated, by the user who wrote it, kept in the store as one undoable change
each, and carried by the YAML, Markdown and REFI-QDA exports. TEXT `-` reads standard input,
so a memo of several paragraphs can come from a file or an editor's pipe.
"""

from __future__ import annotations

import argparse
import sys

import orjson

from tui.commands.common import check_filters, not_saved, open_store, shorten, space_of
from tui.errors import UserError
from tui.inert import inert
from tui.store import StoreWriteError
from tui.store.errors import StoreError
from tui.store.memos import PROJECT
from tui.store.model import MAX_MEMO, Memo


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = subparsers.add_parser(
        "memo",
        parents=[common],
        help="write, list or delete memos on an article or on the project",
        description="Memos on the article given with --article, or on the project without "
        "it. With no action, list them (all memos when no --article is given). TEXT '-' "
        "reads standard input. A memo ID may be shortened to a unique start.",
    )
    parser.add_argument(
        "--article", metavar="ARTICLE", help="the article (a unique start of its id is enough)"
    )
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--add", metavar="TEXT", help="write a new memo")
    action.add_argument("--edit", nargs=2, metavar=("ID", "TEXT"), help="replace a memo's text")
    action.add_argument("--delete", metavar="ID", help="delete a memo")
    action.add_argument("--list", action="store_true", help="list memos (the default)")
    parser.add_argument("--json", action="store_true", help="print memos as JSON")
    parser.set_defaults(handler=run_memo)


def _text(value: str) -> str:
    if value != "-":
        return value
    text = sys.stdin.read(MAX_MEMO + 1)
    if len(text) > MAX_MEMO:
        raise UserError(f"the memo on standard input is over {MAX_MEMO:,} characters long")
    return text


def run_memo(args: argparse.Namespace) -> int:
    space = space_of(args)
    store = open_store(args, space)
    article = PROJECT
    if args.article is not None:
        article = check_filters(space, store, articles=[args.article], tags=[]).articles[0]
    book = store.memos
    try:
        if args.add is not None:
            memo = book.add(article, _text(args.add))
            print(memo.id)
            return 0
        if args.edit is not None:
            memo_id, text = args.edit
            memo = book.edit(_memo_id(store.memos.list(), memo_id), _text(text))
            print(memo.id)
            return 0
        if args.delete is not None:
            memo = book.delete(_memo_id(store.memos.list(), args.delete))
            print(f"deleted memo {memo.id} ({_where(memo)}, by {inert(memo.author)})")
            return 0
    except StoreWriteError as error:
        raise not_saved(store, error) from None
    except StoreError as error:
        raise UserError(str(error)) from None
    memos = book.list(article if args.article is not None else None)
    if args.json:
        records = [{"id": memo.id, **memo.to_record()} for memo in memos]
        sys.stdout.write(orjson.dumps(records, option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0
    for memo in memos:
        print(memo_line(memo))
    if not memos:
        print("no memos yet", file=sys.stderr)
    return 0


def _memo_id(memos: list[Memo], typed: str) -> str:
    """The memo id `typed` is, or the start of; UserError naming what it matched."""
    ids = [memo.id for memo in memos]
    if typed in ids:
        return typed
    starting = [memo_id for memo_id in ids if typed and memo_id.startswith(typed)]
    if len(starting) == 1:
        return starting[0]
    if starting:
        raise UserError(f"{inert(typed)!r} starts {len(starting)} memo ids; type more of one")
    raise UserError(f"no memo {inert(typed)!r} (`marginalia memo` lists them)")


def _where(memo: Memo) -> str:
    return "project" if memo.on_project else inert(memo.article)


def memo_line(memo: Memo) -> str:
    """One row: id, where, author, last change, the text's start on one line."""
    return "  ".join(
        (memo.id, _where(memo), f"@{inert(memo.author)}", memo.updated, shorten(memo.text))
    )
