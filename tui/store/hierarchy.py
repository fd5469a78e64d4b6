"""Tag names as paths: `Russia/war aims` is a child of `Russia`, and follows it on rename."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from tui.store.errors import StoreError
from tui.store.model import MAX_TAG_NAME

SEPARATOR = "/"
# Format characters that emoji sequences and some scripts need; all others are refused.
JOINERS = frozenset("\u200c\u200d")


def is_unsafe_char(ch: str) -> bool:
    """Control and invisible format characters (ESC, C1, bidi overrides): never in names."""
    return unicodedata.category(ch) in ("Cc", "Cf") and ch not in JOINERS


def normalise_tag_name(name: str) -> str:
    """Trim each path part and reject names that would be ambiguous or unprintable."""
    if any(is_unsafe_char(ch) for ch in name):
        raise StoreError(f"tag name {name!r} contains control characters")
    parts = [part.strip() for part in name.split(SEPARATOR)]
    if not name.strip() or any(not part for part in parts):
        raise StoreError(f"tag name {name!r} is empty or has an empty part between '/'")
    joined = SEPARATOR.join(parts)
    if len(joined) > MAX_TAG_NAME:
        raise StoreError(f"tag name {joined[:40]!r}… is over {MAX_TAG_NAME} characters long")
    return joined


def is_within(name: str, ancestor: str) -> bool:
    """True for the tag itself and for every tag below it."""
    return name == ancestor or name.startswith(ancestor + SEPARATOR)


def tree_order(name: str) -> list[str]:
    """Sort key that puts a parent right before its children, in any case: `Russia`, then
    `Russia/war aims`, then `Russia-China ties` (plain order would put `-` before `/`)."""
    return [part.casefold() for part in name.split(SEPARATOR)]


def ancestors(name: str) -> list[str]:
    """The paths above a tag, nearest last: `A/B/C` -> [`A`, `A/B`]."""
    parts = name.split(SEPARATOR)
    return [SEPARATOR.join(parts[:depth]) for depth in range(1, len(parts))]


def implied_parents(names: Iterable[str]) -> set[str]:
    """Paths that are not tags themselves but sit above one (`Economic leverage` above
    `Economic leverage/sanctions`): codes a coder may still want to apply."""
    known = set(names)
    return {parent for name in known for parent in ancestors(name)} - known


def case_twin(name: str, existing: Iterable[str]) -> tuple[str, str] | None:
    """(ours, theirs) for the first path of `name` (a parent, or itself) that an existing tag
    spells with other capitals: `nato` beside `NATO` would be two codes for one idea."""
    spelled: dict[str, str] = {}
    for other in existing:
        for path in (*ancestors(other), other):
            spelled.setdefault(path.casefold(), path)
    for path in (*ancestors(name), name):
        theirs = spelled.get(path.casefold())
        if theirs is not None and theirs != path:
            return path, theirs
    return None


def reparent(name: str, old: str, new: str) -> str:
    """The name `name` gets when `old` (itself or an ancestor of it) becomes `new`."""
    if name == old:
        return new
    if name.startswith(old + SEPARATOR):
        return new + name[len(old) :]
    return name
