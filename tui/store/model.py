"""Annotation, Tag and ArticleMeta records, as design.md and issue 5 define them.

Records are immutable values; the store replaces them on update. Offsets are code points into
an article's clean text, end exclusive. Times are ISO 8601 UTC strings ending in "Z".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Any, Literal

from rich.color import Color

from tui.corpus.model import Article

# The length caps live with the rest of the naming rule; re-exported for older imports.
from tui.store.names import MAX_AUTHOR as MAX_AUTHOR
from tui.store.names import MAX_TAG_NAME as MAX_TAG_NAME

# The longest values a person can type, in code points. The store refuses longer ones when
# they are made and the importer when they come back, so whatever a store holds can be
# exported and imported again.
MAX_NOTE = 200_000

AnchorStatus = Literal["exact", "moved", "fuzzy", "orphaned"]
CONTEXT_CHARS = 32


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True, slots=True)
class Annotation:
    id: str
    article: str
    start: int
    end: int
    quote: str
    prefix: str = ""
    suffix: str = ""
    tags: tuple[str, ...] = ()
    note: str = ""
    author: str = ""
    created: str = ""
    updated: str = ""
    text_hash: str = ""
    # The id another tool gave it (a W3C IRI, a Hypothesis id), verbatim, when imported from
    # one; W3C's `via`. Stored only when set.
    via: str = ""
    # Result of the last anchoring against the article's current clean text; not stored.
    anchor: AnchorStatus = field(default="exact", compare=False)

    def to_record(self) -> dict[str, Any]:
        """The JSON document kept in TinyDB (anchor status is derived, so left out)."""
        record = asdict(self)
        record["tags"] = list(self.tags)
        del record["anchor"]
        if not self.via:
            del record["via"]
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Annotation:
        # Called for every annotation when a store loads: the field names are computed once.
        values = {k: v for k, v in record.items() if k in _ANNOTATION_FIELDS}
        values["tags"] = tuple(values.get("tags", ()))
        return cls(**values)


_ANNOTATION_FIELDS = frozenset(f.name for f in fields(Annotation))


@dataclass(frozen=True, slots=True)
class Tag:
    name: str
    color: str = ""
    key: int | None = None
    description: str = ""

    @property
    def path(self) -> tuple[str, ...]:
        """`Russia/war aims` is the child `war aims` of `Russia`."""
        return tuple(part for part in self.name.split("/") if part)

    def to_record(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Tag:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in record.items() if k in known})


QUICK_KEYS = range(1, 10)


def rich_color(color: str) -> Color:
    """A codebook colour as Rich reads it. The codebook names ANSI colours as Textual does
    (`ansi_bright_cyan`), Rich without the prefix. Raises ColorParseError."""
    return Color.parse(color.removeprefix("ansi_"))


def first_free_key(tags: Iterable[Tag]) -> int | None:
    """The quick key a new tag gets: the lowest one no tag has, so the next use is one press."""
    taken = {tag.key for tag in tags}
    return next((key for key in QUICK_KEYS if key not in taken), None)


# What a reader may set about an article, in the order the CLI and the app show them.
ARTICLE_META_FIELDS = ("title", "source", "author", "date", "url")


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """The reader's overrides for one article; None means "as cleaning derived it"."""

    article: str
    title: str | None = None
    source: str | None = None
    author: str | None = None
    date: str | None = None
    url: str | None = None
    updated: str = ""
    by: str = ""
    # Free variables a research team records per article (outlet, country, stance, ...), by
    # name; what a name and a value may hold is checked in `rules.py` before they get here.
    attributes: dict[str, str] = field(default_factory=dict)

    @property
    def overrides(self) -> dict[str, str]:
        """The fields the reader set, by name."""
        return {
            name: value
            for name in ARTICLE_META_FIELDS
            if (value := getattr(self, name)) is not None
        }

    def to_record(self) -> dict[str, Any]:
        """The stored document: only the fields set (the id is the document id)."""
        record: dict[str, Any] = {**self.overrides, "updated": self.updated, "by": self.by}
        if self.attributes:
            record["attributes"] = dict(self.attributes)
        return record

    @classmethod
    def from_record(cls, article: str, record: dict[str, Any]) -> ArticleMeta:
        values = {
            name: str(record[name])
            for name in ARTICLE_META_FIELDS
            if isinstance(record.get(name), str)
        }
        return cls(
            article=article,
            **values,
            updated=str(record.get("updated", "")),
            by=str(record.get("by", "")),
            attributes=_text_pairs(record.get("attributes")),
        )


def _text_pairs(value: object) -> dict[str, str]:
    """A stored attribute mapping, keeping only text names with text values (the file may
    have been written by another version, or by hand)."""
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def article_details(article: Article) -> dict[str, str]:
    """The five details a reader can correct, as shown ("" where there is none), in
    `ARTICLE_META_FIELDS` order: title, source and author are fields, date and URL metadata."""
    return {
        "title": article.title or "",
        "source": article.source or "",
        "author": article.author or "",
        "date": str(article.metadata.get("date") or ""),
        "url": str(article.metadata.get("url") or ""),
    }


def effective_article(article: Article, meta: ArticleMeta | None) -> Article:
    """The article as the reader wants it shown and exported: overrides win over cleaning.

    Title, source and author replace the Article's fields; date and URL go into its
    `metadata` (where cleaning puts a date it found). Text, blocks and offsets never change.
    """
    if meta is None or not meta.overrides:
        return article
    metadata = dict(article.metadata)
    for name in ("date", "url"):
        value = getattr(meta, name)
        if value is not None:
            metadata[name] = value
    return replace(
        article,
        title=article.title if meta.title is None else meta.title,
        source=article.source if meta.source is None else meta.source,
        author=article.author if meta.author is None else meta.author,
        metadata=metadata,
    )
