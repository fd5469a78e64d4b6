"""What the headless commands share: the workspace from the flags, the store, an article by
id, the check that a filter names something that exists, and a quote shortened to a row.

Every line a command prints passes `tui.inert` at the CLI boundary (`tui.cli`); one-line
fields are made inert here too, so a newline in a tag or note cannot start a new row."""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from tui.config import Workspace, workspace
from tui.errors import UserError
from tui.inert import inert, inert_words
from tui.store import AnnotationStore

if TYPE_CHECKING:
    from tui.corpus.model import Article

QUOTE_WIDTH = 60


def space_of(args: argparse.Namespace) -> Workspace:
    return workspace(
        getattr(args, "corpus", None), getattr(args, "db", None), getattr(args, "user", None)
    )


def open_store(args: argparse.Namespace, space: Workspace) -> AnnotationStore:
    return AnnotationStore(space.db, space.user, shared=getattr(args, "shared", False) or None)


def not_saved(store: AnnotationStore, error: Exception) -> UserError:
    """The one line for a write the store could not save (it writes nothing then): raise it
    `from None` in place of the `StoreWriteError`."""
    reason = store.write_error or str(error)
    return UserError(f"{store.path}: could not save ({reason}); nothing was written")


def corpus_ids(space: Workspace) -> list[str]:
    """Ids of the corpus's article files; none when the folder is missing or empty."""
    from tui.corpus.loader import article_files

    try:
        return sorted(path.stem for path in article_files(space.corpus))
    except UserError:
        return []


def load_clean_article(space: Workspace, article_id: str) -> Article:
    """The article with this id (or unique start of one), or UserError listing the ids."""
    from tui.corpus import load_article
    from tui.corpus.loader import article_files

    files = {path.stem: path for path in article_files(space.corpus)}
    article_id = whole_id(article_id, files, where=str(space.corpus))
    return load_article(files[article_id], cache=space.cache)


def whole_id(article_id: str, known: Iterable[str], *, where: str) -> str:
    """`article_id`, or the one known id it is the start of: ids are long, and `000` is
    enough to type. UserError when it is none, or the start of several."""
    known = set(known)
    if article_id in known:
        return article_id
    starting = sorted(name for name in known if article_id and name.startswith(article_id))
    if len(starting) == 1:
        return starting[0]
    if starting:
        raise UserError(
            f"{where}: {inert(article_id)!r} starts {len(starting)} article ids "
            f"({_few(starting)}); type more of one"
        )
    raise UserError(f"{where}: no article {inert(article_id)!r} (known: {_few(known)})")


class Filters(NamedTuple):
    articles: list[str]
    tags: list[str]


def check_filters(
    space: Workspace, store: AnnotationStore, *, articles: Sequence[str], tags: Sequence[str]
) -> Filters:
    """A filter naming no article or tag is a typo to report, not an empty result to print.
    Returns the article ids whole (a unique start of one is enough to type) and the tags as
    the codebook spells them (the analysis filter's rule, `resolve_names`: a tag in other
    capitals, or the end of one tag's path, is that tag).

    An article counts as known when it is in the corpus or annotations in the store refer to
    it (its file may be gone); a tag when the codebook has it or a tag below it.
    """
    from tui.analysis.filters import AnalysisFilter, resolve_names

    whole: list[str] = []
    if articles:
        known_articles = set(corpus_ids(space)) | {a.article for a in store.annotations()}
        where = f"{space.corpus} or {space.db}"
        whole = [whole_id(article_id, known_articles, where=where) for article_id in articles]
    if not tags:
        return Filters(whole, [])
    known_tags = [tag.name for tag in store.tags()]
    try:
        wanted = resolve_names(AnalysisFilter(tags=tuple(tags)), coders=(), codes=known_tags)
    except UserError as error:
        raise UserError(f"{error}; store: {space.db}") from None
    return Filters(whole, list(wanted.tags))


def _few(names: object, limit: int = 10) -> str:
    ordered = sorted(names)  # type: ignore[call-overload]
    shown = ", ".join(inert(name) for name in ordered[:limit])
    return (shown + (", ..." if len(ordered) > limit else "")) or "none"


def shorten(text: str, width: int = QUOTE_WIDTH) -> str:
    """A quote or note for one row of a list: its words on one line, at most `width` long."""
    flat = inert_words(text)
    return flat if len(flat) <= width else flat[: width - 1] + "…"
