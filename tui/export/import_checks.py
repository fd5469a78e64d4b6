"""The checks every import format shares: a problem with its line, and each field's rule.

YAML and W3C JSON-LD are read into plain values by their own modules; what a field may hold
(text within its cap, a name by `tui.store.names`, a number within range, a time not in the
future) is decided here once, and every refusal is a `Problem` with the line it was found on.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, NoReturn

from tui.export.excerpts import parse_timestamp
from tui.store.errors import StoreError
from tui.store.model import MAX_AUTHOR, MAX_NOTE, MAX_TAG_NAME, Annotation
from tui.store.names import check_tag_name

# Offsets and paragraph numbers: far past any article, far below what the store's JSON holds.
MAX_POSITION = 10**9
# A time later than now by more than this is refused: a day covers a clock set to local time
# but labelled UTC (at most 14 hours off) plus drift, while `updated: 9999-12-31` would
# otherwise win every later merge by its stamp alone.
CLOCK_SKEW = timedelta(days=1)
# Per-field caps (code points): generous for news text, small enough to refuse garbage.
MAX_LENGTH = {
    "id": 200,
    "article": 500,
    "title": 5_000,
    "source": 5_000,
    "date": 200,
    "url": 5_000,
    "tag": MAX_TAG_NAME,
    "author": MAX_AUTHOR,
    "created": 64,
    "updated": 64,
    "prefix": 1_000,
    "suffix": 1_000,
    "quote": 1_000_000,
    "note": MAX_NOTE,
    "text_hash": 200,
    "description": 10_000,
    "color": 64,
}

_SURROGATE = re.compile("[\ud800-\udfff]")


class Map(dict):  # type: ignore[type-arg]
    """A YAML/JSON mapping that remembers the line of itself and of each value."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.lines: dict[str, int] = {}


class Seq(list):  # type: ignore[type-arg]
    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.lines: list[int] = []


class Problem(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def fail(line: int | None, message: str) -> NoReturn:
    raise Problem(line, message)


def line_of(container: Any, key: str | int | None = None) -> int | None:
    if isinstance(container, Map) and isinstance(key, str) and key in container.lines:
        return container.lines[key]
    if isinstance(container, Seq) and isinstance(key, int) and key < len(container.lines):
        return container.lines[key]
    return getattr(container, "line", None)


def type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def check_text(value: Any, field: str, line: int | None, *, limit_key: str | None = None) -> str:
    if not isinstance(value, str):
        fail(line, f"`{field}` must be text, not {type_name(value)}")
    limit = MAX_LENGTH.get(limit_key or field)
    if limit is not None and len(value) > limit:
        fail(line, f"`{field}` is {len(value):,} characters long; at most {limit:,} are allowed")
    if _SURROGATE.search(value):
        fail(line, f"`{field}` holds a lone surrogate (\\ud800-\\udfff), which is not text")
    return value


def check_via(value: Any, line: int | None) -> str:
    """Another tool's id (`via`), in every format: text within a URL's cap, kept verbatim."""
    return check_text(value, "via", line, limit_key="url")


def check_name(value: Any, field: str, line: int | None, *, limit_key: str | None = None) -> str:
    """Annotation ids: non-empty, no control or format characters (ours are hex)."""
    text = check_text(value, field, line, limit_key=limit_key)
    if not text.strip():
        fail(line, f"`{field}` is empty")
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text):
        fail(line, f"`{field}` {text[:40]!r} contains control characters")
    return text


def held_name(check: Callable[..., str], value: Any, field: str, line: int | None) -> str:
    """A tag, author or article id as `tui.store.names` lets a store hold it (`entry=False`:
    whatever any store could have held comes back), or why not, naming the field."""
    text = check_text(value, field, line, limit_key=None)
    try:
        return check(text, entry=False)
    except StoreError as error:  # the message names the kind: "tag name 'A//B' has ..."
        fail(line, str(error) if check is check_tag_name else f"`{field}`: {error}")


def check_offset(value: Any, field: str, line: int | None, *, least: int = 0) -> int:
    if type(value) is not int or not least <= value <= MAX_POSITION:
        shown = f"{value}"[:40] if type(value) is int else type_name(value)
        fail(
            line,
            f"`{field}` must be a whole number from {least} to {MAX_POSITION:,}, not {shown}",
        )
    return value


def check_time(value: Any, field: str, line: int | None) -> str:
    text = check_text(value, field, line)
    if not text:
        return text
    try:
        when = parse_timestamp(text)
    except OverflowError:  # 9999-12-31T23:00-01:00 is past the last UTC time there is
        when = datetime.max.replace(tzinfo=UTC)
    if when is None:
        fail(line, f"`{field}` {text[:40]!r} is not an ISO 8601 time")
    if when > datetime.now(UTC) + CLOCK_SKEW:
        fail(line, f"`{field}` {text[:40]!r} is in the future; a merge would always pick it")
    return text


def tag_name(value: Any, field: str, line: int | None) -> str:
    """A tag name as the store keeps it (parts trimmed), or why it cannot be one."""
    return held_name(check_tag_name, value, field, line)


def check_tags(value: Any, line: int | None) -> tuple[str, ...]:
    if not isinstance(value, list):
        fail(line, f"`tags` must be a list of tag names, not {type_name(value)}")
    names = tuple(
        tag_name(item, "tags", line_of(value, index) or line) for index, item in enumerate(value)
    )
    if len(set(names)) != len(names):
        fail(line, "`tags` names the same tag twice")
    return names


def unique_annotations(
    found: list[tuple[Annotation, int]],
) -> tuple[tuple[Annotation, ...], dict[str, int]]:
    """Grouped by tag, one excerpt is listed under each of its tags; they must agree."""
    by_id: dict[str, Annotation] = {}
    lines: dict[str, int] = {}
    for annotation, line in found:
        earlier = by_id.get(annotation.id)
        if earlier is None:
            by_id[annotation.id] = annotation
            lines[annotation.id] = line
        elif earlier != annotation:
            fail(
                line,
                f"excerpt {annotation.id} also appears at line {lines[annotation.id]} "
                "with different content",
            )
    return tuple(by_id.values()), lines


def mapping_of(value: Any, what: str, line: int | None, allowed: frozenset[str]) -> Map:
    """`value` as a mapping of only the `allowed` fields, or the Problem naming the first
    field it does not know."""
    if not isinstance(value, Map):
        fail(line, f"{what} must be a mapping, not {type_name(value)}")
    for key in value:
        if key not in allowed:
            fail(
                line_of(value, key),
                f"unknown field `{key}` in {what} (expected: {', '.join(sorted(allowed))})",
            )
    return value


def sequence_of(value: Any, what: str, line: int | None) -> Seq:
    if not isinstance(value, Seq):
        fail(line, f"`{what}` must be a list, not {type_name(value)}")
    return value
