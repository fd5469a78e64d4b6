"""`marginalia tag` and `marginalia list`: annotating and listing without the reader.

`tag` finds the passage by its exact text in the clean article (the N-th copy), so scripts
never deal in offsets. `list` prints one plain line per annotation; every string in it comes
from users or articles, so control characters are removed before it reaches the terminal.
"""

from __future__ import annotations

import argparse
import sys

import orjson

from tui.commands.common import (
    check_filters,
    load_clean_article,
    not_saved,
    open_store,
    shorten,
    space_of,
)
from tui.config import Workspace, starter_codebook
from tui.errors import UserError
from tui.inert import inert
from tui.store import Annotation, StoreWriteError
from tui.store.hierarchy import normalise_tag_name
from tui.wording import counted


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    tag = subparsers.add_parser(
        "tag",
        parents=[common],
        help="annotate a passage of an article with tags",
        description="Tag the N-th exact occurrence of TEXT in the clean article and print "
        "the new annotation's id. Tagging a passage that is already annotated adds the "
        "tags to that annotation.",
    )
    tag.add_argument("article", metavar="ARTICLE", help="article id (the file name's stem)")
    tag.add_argument("--quote", required=True, metavar="TEXT", help="the exact passage")
    tag.add_argument(
        "--tag",
        dest="tags",
        action="append",
        required=True,
        metavar="NAME",
        help="a tag (repeat for several; 'Parent/child' makes a hierarchy)",
    )
    tag.add_argument("--note", default="", metavar="TEXT", help="a note on the passage")
    tag.add_argument(
        "--occurrence",
        type=_positive,
        default=1,
        metavar="N",
        help="which occurrence of TEXT to tag (default: the first)",
    )
    tag.add_argument(
        "--shared",
        action="store_true",
        help="if this creates the store, make it group-writable for fellow annotators",
    )
    tag.set_defaults(handler=run_tag)

    listing = subparsers.add_parser(
        "list",
        parents=[common],
        help="list annotations",
        description="One line per annotation: article, offsets, tags, the passage.",
    )
    listing.add_argument("--article", metavar="ID", help="only this article")
    listing.add_argument("--tag", metavar="NAME", help="only this tag (and its children)")
    listing.add_argument("--author", metavar="NAME", help="only annotations by this user")
    listing.add_argument(
        "--blind",
        action="store_true",
        help="only your own annotations (--user): others are hidden, for coding independently",
    )
    listing.add_argument("--text", metavar="TEXT", help="only passages or notes containing TEXT")
    listing.add_argument(
        "--attribute",
        dest="attribute_filters",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="only articles whose attribute NAME is VALUE (repeatable; see `articles`)",
    )
    listing.add_argument(
        "--anchors",
        action="store_true",
        help="check each annotation against the current clean article: "
        "exact, moved, fuzzy or orphaned",
    )
    listing.add_argument("--json", action="store_true", help="print the records as JSON")
    listing.set_defaults(handler=run_list)


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("occurrences are counted from 1")
    return number


def find_occurrence(text: str, quote: str, occurrence: int) -> int:
    """Start of the `occurrence`-th (from 1) exact copy of `quote`, or -1."""
    start = -1
    for _ in range(occurrence):
        start = text.find(quote, start + 1)
        if start == -1:
            return -1
    return start


def run_tag(args: argparse.Namespace) -> int:
    space = space_of(args)
    article = load_clean_article(space, args.article)
    if not args.quote:
        raise UserError("--quote is empty: give the exact passage to tag")
    start = find_occurrence(article.text, args.quote, args.occurrence)
    if start == -1:
        found = article.text.count(args.quote)
        where = f"{article.id} ({space.corpus})"
        if found == 0:
            raise UserError(f"{where}: quote not found in the clean text: {shorten(args.quote)!r}")
        raise UserError(
            f"{where}: the quote occurs {found} time(s), not {args.occurrence}: "
            f"{shorten(args.quote)!r}"
        )
    for name in args.tags:  # a bad name must not leave a new store (and codebook) behind
        normalise_tag_name(name)
    store = open_store(args, space)
    from tui.export.codebook import seed_codebook

    try:
        seed_codebook(store, starter_codebook(space, getattr(args, "codebook", None)))
        annotation = store.add(
            article.id, start, start + len(args.quote), article.text, args.tags, args.note
        )
    except StoreWriteError as error:
        raise not_saved(store, error) from None
    print(annotation.id)
    return 0


def run_list(args: argparse.Namespace) -> int:
    space = space_of(args)
    store = open_store(args, space)
    articles, tags = check_filters(
        space,
        store,
        articles=[args.article] if args.article else [],
        tags=[args.tag] if args.tag else [],
    )
    author = args.author
    if args.blind:
        from tui.export.excerpts import blind_authors, blind_note

        author = blind_authors(store.user, [author] if author else [])[0]
        print(blind_note(store.user), file=sys.stderr)
    found = store.annotations(
        article=articles[0] if articles else None,
        tag=tags[0] if tags else None,
        author=author,
        text=args.text,
    )
    if args.attribute_filters:
        from tui.export.excerpts import attributes_match, parse_attribute_filter

        wanted = [parse_attribute_filter(text) for text in args.attribute_filters]
        attributes = {article: meta.attributes for article, meta in store.article_metas().items()}
        found = [a for a in found if attributes_match(wanted, attributes.get(a.article, {}))]
    if args.anchors:
        found = reanchor(found, space)
    if args.json:
        records = [
            {**annotation.to_record(), **({"anchor": annotation.anchor} if args.anchors else {})}
            for annotation in found
        ]
        sys.stdout.write(orjson.dumps(records, option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0
    for annotation in found:
        print(format_line(annotation, with_anchor=args.anchors))
    if not found:
        # Said on stderr, so a script reading stdout still sees an empty list.
        total = len(store.annotations(author=store.user if args.blind else None))
        print(
            f"no match among the {counted(total, 'annotation')} in {store.path}"
            if total
            else f"no annotations yet in {store.path}",
            file=sys.stderr,
        )
    return 0


def reanchor(annotations: list[Annotation], space: Workspace) -> list[Annotation]:
    """Annotations placed in their article's current clean text (orphaned if it is gone)."""
    from dataclasses import replace

    from tui.corpus import load_article
    from tui.corpus.loader import article_files
    from tui.store import anchor, text_digest

    files = {path.stem: path for path in article_files(space.corpus)}
    texts: dict[str, tuple[str, str] | None] = {}
    placed = []
    for annotation in annotations:
        if annotation.article not in texts:
            path = files.get(annotation.article)
            if path is None:
                texts[annotation.article] = None
            else:
                text = load_article(path, cache=space.cache).text
                texts[annotation.article] = (text, text_digest(text))
        current = texts[annotation.article]
        if current is None:
            placed.append(replace(annotation, anchor="orphaned"))
        else:
            placed.append(anchor(annotation, current[0], digest=current[1]))
    return placed


def format_line(annotation: Annotation, *, with_anchor: bool = False) -> str:
    tags = ", ".join(inert(name) for name in annotation.tags)
    parts = [
        inert(annotation.article),
        f"{annotation.start}-{annotation.end}",
        f"@{inert(annotation.author)}",
        f"[{tags}]",
        f'"{shorten(annotation.quote)}"',
    ]
    if with_anchor:
        parts.insert(2, annotation.anchor)
    if annotation.note:
        parts.append(f"note: {shorten(annotation.note, 40)}")
    return "  ".join(parts)
