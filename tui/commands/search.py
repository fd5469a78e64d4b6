"""`marginalia search`: find words or a pattern in every article, headless, hits with context.

Articles are loaded one at a time (through the cache) and dropped once searched, so a large
corpus costs time, not memory, and hits print as they are found. Then the memos in the store
(on the articles searched, or all of them and the project's) are searched the same way and
their hits printed as their own kind: `memo ID (ARTICLE|project):start-end: ...`, or JSON
with `"kind": "memo"`. Exit code as grep's: 0 when something was found, 1 when nothing was,
2 for an error the user can fix.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from tui.commands.common import space_of, whole_id
from tui.errors import UserError
from tui.inert import inert

if TYPE_CHECKING:
    from tui.corpus.model import Article
    from tui.corpus.search import Query


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = subparsers.add_parser(
        "search",
        parents=[common],
        help="find words or a regular expression across the corpus",
        description="Print every hit in the clean text of the articles: article id, "
        "offsets (code points, end exclusive) and the text around it. Words match "
        "whatever their case, and a straight quote or hyphen finds curly quotes and dashes. "
        "Exit code 0 when something was found, 1 when nothing was.",
    )
    parser.add_argument("pattern", metavar="PATTERN", help="words to find, or a pattern")
    parser.add_argument(
        "--regex", action="store_true", help="PATTERN is a regular expression (any case)"
    )
    parser.add_argument(
        "--article",
        action="append",
        default=[],
        metavar="ARTICLE",
        help="search only this article (repeatable; a unique start of an id is enough)",
    )
    parser.add_argument(
        "--json", action="store_true", help="one JSON object per hit, per line (JSON Lines)"
    )
    parser.set_defaults(handler=run_search)


def run_search(args: argparse.Namespace) -> int:
    from tui.corpus.search import Hit, compile_query, search_articles

    query = compile_query(args.pattern, is_regex=args.regex)
    space = space_of(args)
    files = _chosen_files(space.corpus, args.article, space.cache)
    hits = 0
    out = sys.stdout
    for result in search_articles(_articles(files, space.cache), query):
        if isinstance(result, Hit):
            hits += 1
            out.write(_hit_line(result, args.json) + "\n")
        else:
            print(f"marginalia: {inert(result.article_id)}: {result.reason}", file=sys.stderr)
    articles = [path.stem for path in files] if args.article else None
    for line in _memo_hit_lines(space.db, space.user, query, articles, args.json):
        hits += 1
        out.write(line + "\n")
    out.flush()
    return 0 if hits else 1


def _memo_hit_lines(
    db: Path, user: str, query: Query, articles: list[str] | None, as_json: bool
) -> Iterator[str]:
    """Hits in the memos: of `articles` only, or every memo (the project's too) when None.
    A store that cannot be read is one line on stderr: the corpus hits stand."""
    from tui.store import AnnotationStore, StoreError
    from tui.store.memo_search import MemoHit, search_memos

    if not db.exists():
        return
    try:
        memos = AnnotationStore(db, user).memos.list()
    except StoreError as error:
        print(f"marginalia: memos not searched: {inert(str(error))}", file=sys.stderr)
        return
    for found in search_memos(memos, query, articles=articles):
        memo = found.memo
        if not isinstance(found, MemoHit):
            print(f"marginalia: memo {memo.id}: {found.reason}", file=sys.stderr)
        elif as_json:
            record = {"kind": "memo", "memo": memo.id, "article": memo.article,
                      "author": memo.author, "start": found.start, "end": found.end,
                      "before": found.before, "match": found.match,
                      "after": found.after}  # fmt: skip
            yield orjson.dumps(record).decode()
        else:
            where = inert(memo.article) if memo.article else "project"
            yield (
                f"memo {memo.id} ({where}):{found.start}-{found.end}: "
                f"{inert(found.before)}[{inert(found.match)}]{inert(found.after)}"
            )


def _chosen_files(corpus: Path, wanted: list[str], cache: Path | None) -> list[Path]:
    from tui.corpus.loader import list_folder

    listing = list_folder(corpus)
    by_id = {path.stem: path for path in listing.files}
    if not wanted:
        for line in listing.skipped:
            print(f"marginalia: {inert(line)}", file=sys.stderr)
        return listing.files
    ids = dict.fromkeys(whole_id(name, by_id, where=str(corpus)) for name in wanted)
    return [by_id[article_id] for article_id in ids]


def _articles(files: list[Path], cache: Path | None) -> Iterator[Article]:
    """Each article in turn; a bad file is one line on stderr and the search goes on."""
    from tui.corpus.loader import load_article

    for path in files:
        try:
            yield load_article(path, cache)
        except UserError as error:
            print(f"marginalia: {inert(str(error))}", file=sys.stderr)


def _hit_line(hit: object, as_json: bool) -> str:
    from tui.corpus.search import Hit

    assert isinstance(hit, Hit)
    if as_json:
        record = {
            "article": hit.article_id,
            "start": hit.start,
            "end": hit.end,
            "before": hit.before,
            "match": hit.match,
            "after": hit.after,
        }
        return orjson.dumps(record).decode()
    return (
        f"{inert(hit.article_id)}:{hit.start}-{hit.end}: "
        f"{inert(hit.before)}[{inert(hit.match)}]{inert(hit.after)}"
    )
