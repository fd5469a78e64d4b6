"""What an export holds: annotations joined with their article, filtered and in reading order.

Every format writes from the same list of `Excerpt`s, so filters, ordering and the paragraph
number mean the same thing in YAML, Markdown, CSV, W3C and REFI-QDA.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Protocol, runtime_checkable

from tui.corpus.model import Article
from tui.errors import UserError
from tui.store.anchoring import anchor, text_digest
from tui.store.hierarchy import SEPARATOR, is_within
from tui.store.model import Annotation, ArticleMeta, Memo, Tag, effective_article


@dataclass(frozen=True, slots=True)
class Excerpt:
    """One annotation as exported: the record plus what a reader needs to place it."""

    annotation: Annotation
    title: str
    source: str | None
    paragraph: int | None
    article: Article | None
    # The article's free attributes (outlet, country, ...), by name: from the store, so they
    # are exported even when the article's file is gone.
    attributes: Mapping[str, str] = field(default_factory=dict)


AttributeWanted = tuple[str, str]
"""`--attribute outlet=TASS`: a name and the value wanted ("" for "not set")."""


@dataclass(frozen=True, slots=True)
class ExportFilter:
    """`--tag` (children included), `--article`, `--author`, `--since`, `--attribute`; empty
    means all."""

    tags: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    since: datetime | None = None
    attributes: tuple[AttributeWanted, ...] = ()

    def accepts_attributes(self, attributes: Mapping[str, str] | None) -> bool:
        """Whether an article's attributes pass `--attribute`: each name given must have one
        of the values given for it (any case; "" matches an article without that name)."""
        return attributes_match(self.attributes, attributes or {})

    def accepts(self, annotation: Annotation) -> bool:
        if self.articles and annotation.article not in self.articles:
            return False
        if self.authors and annotation.author not in self.authors:
            return False
        if self.tags and not any(
            is_within(name, wanted.rstrip(SEPARATOR))
            for name in annotation.tags
            for wanted in self.tags
        ):
            return False
        if self.since is not None:
            when = parse_timestamp(annotation.updated or annotation.created)
            if when is None or when < self.since:
                return False
        return True


def attributes_match(wanted: Sequence[AttributeWanted], attributes: Mapping[str, str]) -> bool:
    """Names AND, values of one name OR: `outlet=TASS outlet=RT country=RU`."""
    by_name: dict[str, set[str]] = {}
    for name, value in wanted:
        by_name.setdefault(name, set()).add(value.casefold())
    return all(attributes.get(name, "").casefold() in values for name, values in by_name.items())


def parse_attribute_filter(text: str) -> AttributeWanted:
    """`outlet=TASS` as (name, value); `outlet=` asks for articles without an outlet."""
    name, sign, value = text.partition("=")
    if not sign or not name.strip():
        raise UserError(f"--attribute {text[:60]!r}: write it as NAME=VALUE (e.g. outlet=TASS)")
    return name.strip(), value.strip()


def blind_note(user: str) -> str:
    """What blind coding says wherever annotations are shown or exported: whose they are, and
    that the others exist but are hidden (so an empty list is not taken for an empty store)."""
    return f"blind: only {user}'s annotations; others hidden"


def blind_authors(user: str, authors: Sequence[str]) -> tuple[str, ...]:
    """The author filter blind coding gives `user`: only their own annotations. Naming another
    coder as well is a contradiction, refused rather than silently ignored."""
    others = [author for author in authors if author != user]
    if others:
        raise UserError(
            f"blind coding shows only {user}'s annotations; "
            f"it cannot also show those by {', '.join(repr(a) for a in others)}"
        )
    return (user,)


def parse_timestamp(value: str) -> datetime | None:
    """An ISO 8601 time as an aware UTC datetime, or None when absent or unreadable."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def utc_z(value: str) -> str:
    """An ISO time as xsd:dateTime in UTC with `Z` (W3C and REFI-QDA require it); a value that
    is not a time is returned as it was, so nothing is lost."""
    parsed = parse_timestamp(value)
    return parsed.isoformat().replace("+00:00", "Z") if parsed is not None else value


def parse_since(value: str) -> datetime:
    """`--since 2026-11-21` or `--since 2026-11-21T12:00Z`; naive times are taken as UTC."""
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise UserError(
            f"--since {value!r}: not an ISO date or time (e.g. 2026-11-21 or 2026-11-21T12:00Z)"
        ) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def paragraph_of(article: Article, offset: int) -> int | None:
    """1-based index of the block holding `offset`; an offset in a gap belongs to the next."""
    blocks = article.blocks
    if not blocks:
        return None
    index = bisect_right([block.start for block in blocks], offset) - 1
    if index < 0:
        return 1
    if offset >= blocks[index].end and index + 1 < len(blocks):
        index += 1
    return index + 1


def reading_order(annotation: Annotation) -> tuple[str, int, int, str]:
    return (annotation.article, annotation.start, annotation.end, annotation.id)


def select_excerpts(
    annotations: Iterable[Annotation],
    articles: Mapping[str, Article] | Callable[[str], Article | None],
    export_filter: ExportFilter = ExportFilter(),
    attributes: Mapping[str, Mapping[str, str]] | None = None,
) -> list[Excerpt]:
    """Filter, join with articles (and their attributes, by article id), sort by article id
    then position.

    An annotation whose article is gone from the corpus is still exported (title = its id,
    no paragraph): an export must never drop the user's work silently.
    """
    lookup = articles.get if isinstance(articles, Mapping) else articles
    blocks_cache: dict[str, Article | None] = {}
    attributes = attributes or {}
    chosen = sorted(
        (
            a
            for a in annotations
            if export_filter.accepts(a)
            and export_filter.accepts_attributes(attributes.get(a.article))
        ),
        key=reading_order,
    )
    excerpts: list[Excerpt] = []
    for annotation in chosen:
        if annotation.article not in blocks_cache:
            blocks_cache[annotation.article] = lookup(annotation.article)
        article = blocks_cache[annotation.article]
        placed = article is not None and annotation.anchor != "orphaned"
        excerpts.append(
            Excerpt(
                annotation=annotation,
                title=(article.title if article is not None else "") or annotation.article,
                source=article.source if article is not None else None,
                paragraph=paragraph_of(article, annotation.start)
                if placed and article is not None
                else None,
                article=article,
                attributes=attributes.get(annotation.article) or {},
            )
        )
    return excerpts


class AnnotationSource(Protocol):
    """The part of `AnnotationStore` an export reads."""

    def annotations(self) -> list[Annotation]: ...

    def tags(self) -> list[Tag]: ...


@runtime_checkable
class ArticleDetailsSource(Protocol):
    """A source that also holds the reader's article metadata (`AnnotationStore` does)."""

    def article_metas(self) -> dict[str, ArticleMeta]: ...


def store_excerpts(
    store: AnnotationSource,
    articles: Callable[[str], Article | None],
    export_filter: ExportFilter = ExportFilter(),
) -> list[Excerpt]:
    """The store's annotations, filtered, anchored to each article's current clean text.

    Filtering comes first (tags, authors and times do not move), so anchoring work is spent
    only on what is exported. Offsets, quote and context in the export are where the passage
    is now; `anchor` says how it was found. When the store holds the reader's title, source,
    author, date or URL for an article, the export carries those instead of cleaning's.
    """
    metas = store.article_metas() if isinstance(store, ArticleDetailsSource) else {}
    attributes = {article: meta.attributes for article, meta in metas.items() if meta.attributes}
    chosen = [
        a
        for a in store.annotations()
        if export_filter.accepts(a) and export_filter.accepts_attributes(attributes.get(a.article))
    ]
    by_article: dict[str, list[Annotation]] = {}
    for annotation in chosen:
        by_article.setdefault(annotation.article, []).append(annotation)
    found: dict[str, Article | None] = {}
    placed: list[Annotation] = []
    for article_id, members in by_article.items():
        article = articles(article_id)
        if article is not None:
            article = effective_article(article, metas.get(article_id))
        found[article_id] = article
        if article is None:
            placed += [replace(a, anchor="orphaned") for a in members]
            continue
        digest = text_digest(article.text)
        placed += [anchor(a, article.text, digest=digest) for a in members]
    return select_excerpts(placed, found.get, attributes=attributes)


def used_tags(excerpts: Sequence[Excerpt], known: Iterable[Tag]) -> list[Tag]:
    """The tags the excerpts carry, with the store's colour/key/description where it has one."""
    by_name = {tag.name: tag for tag in known}
    names = sorted({name for excerpt in excerpts for name in excerpt.annotation.tags})
    return [by_name.get(name, Tag(name=name)) for name in names]


def codebook_tags(excerpts: Sequence[Excerpt], known: Iterable[Tag]) -> list[Tag]:
    """The tags in use and every other tag of the codebook: a REFI-QDA project carries the
    whole codebook, or codes not yet applied are lost on the way (issue 13.2)."""
    known = list(known)
    used = used_tags(excerpts, known)
    names = {tag.name for tag in used}
    return used + sorted((tag for tag in known if tag.name not in names), key=lambda t: t.name)


@runtime_checkable
class MemoSource(Protocol):
    """A source that also holds memos (`AnnotationStore` does, as `.memos`)."""

    @property
    def memos(self) -> MemoList: ...


class MemoList(Protocol):
    def list(self, article: str | None = None) -> list[Memo]: ...


def store_memos(store: object, export_filter: ExportFilter = ExportFilter()) -> list[Memo]:
    """The memos an export carries: the project's, and those on the articles it chooses.

    Each filter that means something for a memo applies: `--article` and `--attribute` to
    an article's memos (the project's always pass them), `--author` and `--since` to every
    memo. Tags do not: a memo is about an article or the project, not about a code.
    """
    if not isinstance(store, MemoSource):
        return []
    metas = store.article_metas() if isinstance(store, ArticleDetailsSource) else {}
    chosen: list[Memo] = []
    for memo in store.memos.list():
        if memo.article:
            if export_filter.articles and memo.article not in export_filter.articles:
                continue
            meta = metas.get(memo.article)
            if not export_filter.accepts_attributes(meta.attributes if meta else None):
                continue
        if export_filter.authors and memo.author not in export_filter.authors:
            continue
        if export_filter.since is not None:
            when = parse_timestamp(memo.updated or memo.created)
            if when is None or when < export_filter.since:
                continue
        chosen.append(memo)
    return chosen
