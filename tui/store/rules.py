"""What the store accepts: colours, quick keys, notes, article details, tag names at the door.

Apart from the store's machinery so that each rule is written once and read in one place: the
store applies them before it locks, importers and the CLI read the same constants. What a
name may hold is `tui.store.names`; these rules build on it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from rich.color import ColorParseError

from tui.store.errors import StoreError
from tui.store.hierarchy import case_twin
from tui.store.model import ARTICLE_META_FIELDS, MAX_NOTE, QUICK_KEYS, Tag, rich_color
from tui.store.names import check_article_id, check_tag_name, first_unsafe, is_unsafe_char

# Distinct in 16-colour terminals; Textual and Rich both know these names.
PALETTE = (
    "ansi_bright_yellow",
    "ansi_bright_cyan",
    "ansi_bright_green",
    "ansi_bright_magenta",
    "ansi_bright_red",
    "ansi_bright_blue",
    "ansi_yellow",
    "ansi_cyan",
    "ansi_green",
    "ansi_magenta",
    "ansi_red",
    "ansi_blue",
)


def free_color(taken: Iterable[str]) -> str:
    """The colour a new code gets: the first of PALETTE no tag has while one is free, else
    the one fewest tags have, so two codes share a colour only when they must. `taken` is
    every tag's colour; the codebook and the importer both ask here."""
    uses = dict.fromkeys(PALETTE, 0)
    for color in taken:
        if color in uses:
            uses[color] += 1
    return min(PALETTE, key=uses.__getitem__)


COLOR_PATTERN = re.compile(r"#[0-9a-fA-F]{6}|[a-z][a-z0-9_]{0,40}")
MAX_META_LENGTH = 2_000
_YEAR = re.compile(r"(?<!\d)(1[5-9]|2\d)\d\d(?!\d)")


def clean_note(note: str) -> str:
    """Notes are data: keep newlines and tabs, drop other control characters."""
    if len(note) > MAX_NOTE:
        raise StoreError(f"a note of {len(note):,} characters is over {MAX_NOTE:,} long")
    return "".join(ch for ch in note if ch in "\n\t" or not is_unsafe_char(ch))


def check_range(start: int, end: int, text: str) -> None:
    if not (0 <= start < end <= len(text)):
        raise StoreError(
            f"range {start}-{end} is not a passage of the article ({len(text)} characters)"
        )


def check_color(color: str) -> None:
    """A colour the reader can draw: a highlight in a colour it cannot parse would silently
    take another tag's colour."""
    usable = COLOR_PATTERN.fullmatch(color) is not None
    if usable:
        try:
            usable = not rich_color(color).is_default  # `default` would draw no highlight
        except ColorParseError:
            usable = False
    if not usable:
        raise StoreError(
            f"colour {color!r} is not a colour name (ansi_red, ansi_bright_cyan, ...) or #rrggbb"
        )


def check_key(key: int | None) -> None:
    if key is not None and (isinstance(key, bool) or key not in QUICK_KEYS):
        raise StoreError(f"key {key!r} is not one of 1-9")


def checked_tag(tag: Tag) -> Tag:
    """A tag from a file, checked as `create_tag` checks its arguments, name normalised.

    The name at `held` strength: a tag an older store took comes back from its export.
    """
    if tag.color:
        check_color(tag.color)
    check_key(tag.key)
    name = check_tag_name(tag.name, entry=False)
    return Tag(name, tag.color, tag.key, clean_note(tag.description))


def existing_tag_name(name: str) -> str:
    """A tag the store may already hold (to rename, merge away, delete or edit): checked at
    `held` strength, so a name an older store took can still be renamed to a good one."""
    return check_tag_name(name, entry=False)


def refuse_case_twin(name: str, existing: Iterable[str]) -> None:
    twin = case_twin(name, existing)
    if twin is not None:
        ours, theirs = twin
        raise StoreError(
            f"tag {ours!r} differs from the existing {theirs!r} only in case; use {theirs!r}"
        )


def checked_article_id(article_id: str) -> str:
    """An article whose details the reader edits: the names rule for an id the corpus already
    has (`held`: a file stem may start with a space), and no control or format character,
    which every listing of its details would send to the terminal."""
    article_id = check_article_id(article_id, entry=False)
    bad = first_unsafe(article_id, entry=False)
    if bad is not None:
        raise StoreError(f"article id {article_id[:40]!r} holds a control character: {bad}")
    return article_id


def checked_meta_fields(fields: Mapping[str, str | None]) -> dict[str, str]:
    """The article details given (None: leave as it is), each checked by `meta_value`."""
    unknown = sorted(set(fields) - set(ARTICLE_META_FIELDS))
    if unknown:
        raise StoreError(
            f"unknown article field(s) {', '.join(unknown)} "
            f"(known: {', '.join(ARTICLE_META_FIELDS)})"
        )
    return {name: meta_value(name, value) for name, value in fields.items() if value is not None}


def meta_value(name: str, value: str) -> str:
    """One line of text, trimmed; a URL must be an http(s) address."""
    if not isinstance(value, str):
        raise StoreError(f"article {name} must be text, not {type(value).__name__}")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in value):
        raise StoreError(f"article {name} {value[:40]!r} has line breaks or control characters")
    value = value.strip()
    if len(value) > MAX_META_LENGTH:
        raise StoreError(
            f"article {name} is {len(value):,} characters long; at most {MAX_META_LENGTH:,}"
        )
    if name == "date" and value and not _YEAR.search(value):
        # Free text, as the articles' own date lines are, but one that dates something.
        raise StoreError(
            f"article date {value[:40]!r} has no year; write it as 2022-03-12 or 12 March 2022"
        )
    if name == "url" and value:
        try:
            parts = urlsplit(value)
        except ValueError:
            parts = None
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
            raise StoreError(f"article url {value[:80]!r} is not an http:// or https:// address")
    return value


def unique(names: Iterable[str]) -> list[str]:
    """`names` in their first order, each once."""
    return list(dict.fromkeys(names))
