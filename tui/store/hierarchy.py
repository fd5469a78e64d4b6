"""Tag names as paths: `Russia/war aims` is a child of `Russia`, and follows it on rename."""

from __future__ import annotations

from collections.abc import Iterable

from tui.store.names import JOINERS as JOINERS
from tui.store.names import SEPARATOR as SEPARATOR
from tui.store.names import check_tag_name
from tui.store.names import is_unsafe_char as is_unsafe_char


def normalise_tag_name(name: str) -> str:
    """Trim each path part and reject names that would be ambiguous or unprintable: the one
    rule of `tui.store.names`, for a name being entered now."""
    return check_tag_name(name)


def is_within(name: str, ancestor: str) -> bool:
    """ "A tag or its children": true for `ancestor` itself and every tag below it, so that
    `Russia/war aims` is within `Russia` and `Russians` is not."""
    return name == ancestor or is_below(name, ancestor)


def is_below(name: str, ancestor: str) -> bool:
    """True for every tag below `ancestor` (a child, a grandchild...), not for itself."""
    return name.startswith(ancestor + SEPARATOR)


def tree_order(name: str) -> list[str]:
    """Sort key that puts a parent right before its children, in any case: `Russia`, then
    `Russia/war aims`, then `Russia-China ties` (plain order would put `-` before `/`)."""
    return [part.casefold() for part in name.split(SEPARATOR)]


def ancestors(name: str) -> list[str]:
    """The paths above a tag, nearest last: `A/B/C` -> [`A`, `A/B`]."""
    parts = name.split(SEPARATOR)
    return [SEPARATOR.join(parts[:depth]) for depth in range(1, len(parts))]


def lineage(name: str) -> list[str]:
    """The paths from the top down to the tag itself: `A/B/C` -> [`A`, `A/B`, `A/B/C`]; a
    path's index is its depth in the tree."""
    return [*ancestors(name), name]


def passages_under(tag_sets: Iterable[Iterable[str]]) -> dict[str, int]:
    """How many passages carry each tag or one below it, from each passage's tags: the one
    counting rule of the codebook tree, the annotations list, `marginalia tags`, the focus
    bar and the exports. A passage tagged `A` and `A/b` counts once under `A`; a parent a
    path implies (`A` for `A/b`) is counted too, though no passage carries it itself."""
    totals: dict[str, int] = {}
    for names in tag_sets:
        for node in {node for name in names for node in lineage(name)}:
            totals[node] = totals.get(node, 0) + 1
    return totals


def tree_nodes(names: Iterable[str]) -> list[str]:
    """Every node of the tree the tags `names` make: each tag, and each parent a path implies
    (`Russia` for `Russia/war aims`), in tree order (a parent right before its children)."""
    return sorted({node for name in names for node in lineage(name)}, key=tree_order)


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
