"""Annotation and Tag records, as design.md defines them.

Records are immutable values; the store replaces them on update. Offsets are code points into
an article's clean text, end exclusive. Times are ISO 8601 UTC strings ending in "Z".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, Literal

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
    # Result of the last anchoring against the article's current clean text; not stored.
    anchor: AnchorStatus = field(default="exact", compare=False)

    def to_record(self) -> dict[str, Any]:
        """The JSON document kept in TinyDB (anchor status is derived, so left out)."""
        record = asdict(self)
        record["tags"] = list(self.tags)
        del record["anchor"]
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
