"""`marginalia clean FILE`: the clean article, its JSON, or its cleaning report.

Plain output is the article and nothing else (blocks split by one blank line, headings marked
`## `), so it can be piped and diffed. Output is always UTF-8, whatever the locale says.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import orjson

from tui.config import resolve_cache
from tui.corpus import Article, Change, load_article
from tui.corpus.cache import article_to_dict
from tui.inert import inert
from tui.wording import counted

_SHOWN = 72


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = subparsers.add_parser(
        "clean",
        parents=[common],
        help="print an article as the cleaner sees it",
        description="Clean one raw article file and print it: blocks separated by a blank "
        "line, headings prefixed with '## '.",
    )
    parser.add_argument("file", metavar="FILE", help="a raw article file")
    output = parser.add_mutually_exclusive_group()
    output.add_argument(
        "--json", action="store_true", help="print the Article (text, blocks, metadata, report)"
    )
    output.add_argument(
        "--report", action="store_true", help="print what cleaning changed, with confidence"
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="clean afresh instead of using the cache"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    article = load_article(Path(args.file), cache=None if args.no_cache else resolve_cache())
    if args.json:
        output = orjson.dumps(article_to_dict(article), option=orjson.OPT_INDENT_2).decode()
    elif args.report:
        output = render_report(article)
    else:
        output = render_text(article)
    _write(output + "\n")
    return 0


def render_text(article: Article) -> str:
    return "\n\n".join(
        ("## " if block.kind == "heading" else "") + article.text[block.start : block.end]
        for block in article.blocks
    )


def render_report(article: Article) -> str:
    lines = [
        f"{article.id}: {counted(len(article.report), 'change')}",
        f"title: {article.title}",
        f"source: {article.source or '-'}",
        f"author: {article.author or '-'}",
    ]
    lines.extend(_describe(change) for change in article.report)
    return "\n".join(lines)


def _describe(change: Change) -> str:
    # No place in the clean text: the change took the text out of the body (a repeat,
    # furniture), or concerns text that is not in it (a suspect word in a removed footer).
    where = "not in the body" if change.start is None else f"at {change.start}-{change.end}"
    line = (
        f"[{change.stage}/{change.kind}] {change.confidence:.2f} {where}: "
        f"{_show(change.before)} -> {_show(change.after)}"
    )
    return f"{line}  ({change.detail})" if change.detail else line


def _show(text: str) -> str:
    text = text.replace("\n", "\\n")
    if len(text) > _SHOWN:
        text = text[: _SHOWN - 1] + "…"
    return f'"{text}"' if text else "(nothing)"


def _write(text: str) -> None:
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:
        sys.stdout.write(text)
    else:
        sys.stdout.flush()
        stream.write(inert(text, multiline=True).encode("utf-8"))  # bytes bypass cli's rule
        stream.flush()
