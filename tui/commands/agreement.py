"""`marginalia agreement`: how far coders agree, per tag and overall (issue 16).

A thin shell over `tui.analysis.agreement`: choose the coders, articles and tags, load only
the articles the coders annotated, anchor the annotations to the current clean text, print.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from tui.commands.common import check_filters, open_store, space_of
from tui.config import Workspace
from tui.errors import UserError
from tui.inert import inert
from tui.wording import counted

if TYPE_CHECKING:
    from tui.corpus.model import Article
    from tui.store import Annotation, AnnotationStore

CONSENSUS = "consensus"
"""The adjudicated layer's default author: not a coder, so left out unless named."""


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = subparsers.add_parser(
        "agreement",
        parents=[common],
        help="inter-coder agreement: percent, Cohen's kappa, Krippendorff's alpha",
        description="How far coders agree, per tag (children included) and over all tags. "
        "Each sentence (or character) is a unit, coded or not with each tag by each coder. "
        "Every figure is given twice: over all units, and over only the units someone coded "
        "with the tag (uncoded text is agreement on 'no', and inflates the first). A coder "
        "with no annotation in an article counts as missing there. The '(all tags)' row pools "
        "every unit once per tag, a passage counted under its most specific chosen tag only "
        "(with Russia and Russia/war aims chosen, a passage coded Russia/war aims is not also "
        "a unit of Russia there): choose only top-level tags (--tag) to measure agreement on "
        "top-level codes.",
    )
    parser.add_argument(
        "--coders",
        metavar="A,B,...",
        help="the coders to compare (default: everyone who annotated, except 'consensus')",
    )
    parser.add_argument(
        "--tag",
        dest="tags",
        action="append",
        default=[],
        metavar="NAME",
        help="only this tag and those below it (repeatable; default: every tag used)",
    )
    parser.add_argument(
        "--article",
        dest="articles",
        action="append",
        default=[],
        metavar="ID",
        help="only this article (repeatable; a unique start of an id is enough)",
    )
    parser.add_argument(
        "--unit",
        choices=("sentence", "char"),
        default="sentence",
        help="what one unit is: a sentence (default) or a character",
    )
    parser.add_argument(
        "--format",
        dest="fmt",
        choices=("table", "csv", "json", "markdown"),
        default="table",
        help="how to print the figures (default: table)",
    )
    parser.set_defaults(handler=run_agreement)


def run_agreement(args: argparse.Namespace) -> int:
    from tui.analysis.agreement import measure_agreement
    from tui.analysis.agreement_format import render_report

    space = space_of(args)
    store = open_store(args, space)
    articles, args.tags = check_filters(space, store, articles=args.articles, tags=args.tags)
    everything = store.annotations()
    if articles:
        everything = [a for a in everything if a.article in articles]
    coders = chosen_coders(args.coders, everything)
    mine = [a for a in everything if a.author in coders]
    if args.tags:
        from tui.store.hierarchy import is_within

        tagged = [a for a in mine if any(is_within(n, t) for n in a.tags for t in args.tags)]
    else:
        tagged = [a for a in mine if a.tags]
    if not tagged:
        raise UserError(
            f"nobody coded anything to compare: {_names(coders)} made no annotation"
            + (" with those tags" if args.tags else " with a tag")
            + (" in those articles" if articles else "")
        )
    tags = list(dict.fromkeys(args.tags)) or sorted(
        {name for a in tagged for name in a.tags}, key=str.casefold
    )
    loaded, anchored = _load(space, sorted({a.article for a in mine}), store)
    report = measure_agreement(loaded, anchored, coders, tags, args.unit)
    if not report.counts.articles:
        raise UserError(
            f"no article was coded by at least two of {_names(coders)}: "
            "agreement needs two coders on the same article"
        )
    orphaned = sum(1 for a in anchored if a.anchor == "orphaned" and a.author in coders)
    if orphaned:
        print(
            f"marginalia: left out {counted(orphaned, 'annotation')} whose passage is no "
            "longer in the article (orphaned)",
            file=sys.stderr,
        )
    sys.stdout.write(render_report(report, args.fmt))
    return 0


def chosen_coders(option: str | None, annotations: list[Annotation]) -> list[str]:
    """The coders `--coders` names (each must have annotated), or everyone but the consensus;
    UserError when that makes fewer than two."""
    authors = sorted({a.author for a in annotations if a.author})
    if option is None:
        coders = [name for name in authors if name != CONSENSUS]
    else:
        coders = list(dict.fromkeys(name.strip() for name in option.split(",") if name.strip()))
        unknown = [name for name in coders if name not in authors]
        if unknown:
            raise UserError(
                f"no annotations by {', '.join(repr(inert(n)) for n in unknown)} "
                f"(coders with annotations: {_names(authors)})"
            )
    if len(coders) < 2:
        if option is not None:
            raise UserError(f"agreement needs at least two coders; --coders names {len(coders)}")
        who = f"only {_names(coders)}" if coders else "nobody"
        raise UserError(f"agreement needs at least two coders; {who} annotated")
    return coders


def _load(
    space: Workspace, ids: list[str], store: AnnotationStore
) -> tuple[list[Article], list[Annotation]]:
    """The articles with annotations that are still in the corpus, and the annotations
    anchored to their current text (those of missing articles orphaned)."""
    from dataclasses import replace

    from tui.commands.exchange import article_lookup

    lookup = article_lookup(space)
    loaded: list[Article] = []
    anchored: list[Annotation] = []
    for article_id in ids:
        article = lookup(article_id)
        if article is None:
            anchored += [
                replace(a, anchor="orphaned") for a in store.annotations(article=article_id)
            ]
            continue
        loaded.append(article)
        anchored += store.anchored(article.id, article.text)
    return loaded, anchored


def _names(names: list[str]) -> str:
    return ", ".join(inert(name) for name in names) or "none"
