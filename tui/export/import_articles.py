"""The file's article details and attributes in an import: what to take, what to keep.

Apart from the annotations' merge (`importer.py`) because the rule differs: an article's
record has no per-field time, so a field the reader set in this store after the file was
written keeps the store's value (newer wins), and everything held back is reported with both
values, never dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from tui.corpus.model import Article
from tui.export.excerpts import parse_timestamp
from tui.store.model import ArticleMeta, effective_article

KeptValues = dict[str, dict[str, tuple[str, str]]]
"""Article id -> name -> (the store's value, the file's), for what the store kept."""


def newer(a: str, b: str) -> bool:
    """Is time `a` later than time `b`? Unreadable times compare as text."""
    parsed_a, parsed_b = parse_timestamp(a), parse_timestamp(b)
    if parsed_a is not None and parsed_b is not None:
        return parsed_a > parsed_b
    return a > b


def plan_article_details(
    file_details: Mapping[str, Mapping[str, str]],
    exported: str,
    metas: Mapping[str, ArticleMeta],
    shown: Callable[[str], Article | None],
) -> tuple[dict[str, dict[str, str]], KeptValues]:
    """The article details to take from the file: those that differ from what the store shows,
    unless the reader set that field in this store after the file was written (newer wins);
    and, by article, the fields that differ but keep the store's newer value.

    `shown` is the article as cleaning derived it; the store's overrides are laid over it, so a
    value equal to what the reader sees now is not written again as an override.
    """
    taken: dict[str, dict[str, str]] = {}
    kept: KeptValues = {}
    for article_id, details in file_details.items():
        meta = metas.get(article_id)
        article = shown(article_id)
        current = _details_of(effective_article(article, meta)) if article is not None else {}
        if meta is not None:
            current.update(meta.overrides)
        file_newer = meta is not None and bool(exported) and newer(exported, meta.updated)
        wanted = {}
        for name, value in details.items():
            if value == current.get(name):
                continue
            if meta is not None and name in meta.overrides and not file_newer:
                kept.setdefault(article_id, {})[name] = (current.get(name, ""), value)
                continue
            wanted[name] = value
        if wanted:
            taken[article_id] = wanted
    return taken, kept


def plan_article_attributes(
    file_attributes: Mapping[str, Mapping[str, str]],
    exported: str,
    metas: Mapping[str, ArticleMeta],
) -> tuple[dict[str, dict[str, str]], KeptValues]:
    """The attributes to take from the file, by article: those the store lacks or holds with
    another value, unless the store's record was changed after the file was written (newer
    wins, as for the details); and, by article, the names whose other value the store keeps.
    An attribute the file lacks is left as it is: a merge."""
    taken: dict[str, dict[str, str]] = {}
    kept: KeptValues = {}
    for article_id, attributes in file_attributes.items():
        meta = metas.get(article_id)
        current = meta.attributes if meta is not None else {}
        file_newer = meta is None or (bool(exported) and newer(exported, meta.updated))
        differing = [name for name, value in attributes.items() if current.get(name) != value]
        wanted = {name: attributes[name] for name in differing if name not in current or file_newer}
        if wanted:
            taken[article_id] = wanted
        if len(wanted) < len(differing):
            kept[article_id] = {
                name: (current[name], attributes[name]) for name in differing if name not in wanted
            }
    return taken, kept


def _details_of(article: Article) -> dict[str, str]:
    found = {"title": article.title, "source": article.source or "", "author": article.author or ""}
    found.update({name: article.metadata.get(name, "") for name in ("date", "url")})
    return {name: value for name, value in found.items() if value}
