"""The one counting rule, per passage: which codes a passage counts for.

A passage counts once for every node of the code tree at or above each of its tags: a passage
tagged `Russia/war aims` counts for `Russia/war aims` and for `Russia`; one tagged both
`Russia` and `Russia/war aims` counts once for `Russia`. `hierarchy.passages_under` gives the
totals of that rule (the codebook tree, `marginalia tags`); the views need it per passage, to
split the counts by article, coder or sentence, so it is here in that form, cached by the
passage's tags (tests check that both agree).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from operator import attrgetter
from typing import TypeVar

from tui.store.hierarchy import lineage, tree_order
from tui.store.model import Annotation

READING_ORDER = attrgetter("article", "start", "end")
"""The order the store gives passages in, which the views' sweeps rely on."""
Result = TypeVar("Result")


@lru_cache(maxsize=4096)
def codes_counted(tags: tuple[str, ...]) -> tuple[str, ...]:
    """The tree nodes a passage carrying `tags` counts for, each once, in a stable order.

    Cached by the tag tuple: a corpus repeats few combinations, and the views ask per passage.
    """
    seen: dict[str, None] = {}
    for name in tags:
        for node in lineage(name):
            seen.setdefault(node, None)
    return tuple(seen)


def codes_of(tags: tuple[str, ...], *, roll_up: bool = True) -> tuple[str, ...]:
    """The codes a passage counts for: rolled up the tree (`codes_counted`), or only those it
    was tagged with (co-occurrence "as tagged": no row restating a pair at a parent's level)."""
    return codes_counted(tags) if roll_up else tuple(dict.fromkeys(tags))


def covered_characters(spans: Iterable[tuple[int, int]]) -> int:
    """Characters inside at least one span: overlaps (and repeats) counted once."""
    total = 0
    reach = 0
    for start, end in sorted(spans):
        start = max(start, reach)
        if end > start:
            total += end - start
            reach = end
    return total


def percent(part: int, whole: int) -> float | None:
    """`part` of `whole` in percent, rounded to one decimal; None when there is no whole."""
    if whole <= 0:
        return None
    return round(100.0 * part / whole, 1)


def clamp_span(start: int, end: int, length: int) -> tuple[int, int]:
    """A stored range kept inside an article of `length` characters (text may have shrunk)."""
    return max(0, min(start, length)), max(0, min(end, length))


def order_by_tree(names: Iterable[str]) -> list[str]:
    """Code names with each parent right before its children (`hierarchy.tree_order`)."""
    return sorted(names, key=tree_order)


class OutOfOrder(Exception):
    """A sweep met a passage out of reading order: its article came back after another, or
    it starts before the one before it."""


def in_reading_order(
    sweep: Callable[[Sequence[Annotation]], Result], passages: Sequence[Annotation]
) -> Result:
    """`sweep` over the passages as given, and again over a sorted copy if it raises
    `OutOfOrder`. The store gives passages in reading order, and checking as the sweep goes
    costs far less than sorting 20,000 passages, which took a fifth of a view's time."""
    try:
        return sweep(passages)
    except OutOfOrder:
        return sweep(sorted(passages, key=READING_ORDER))


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a view is built. A view makes thousands of small
    dicts and lists that never form cycles, and those allocations trigger full collections
    that walk every passage of the store for nothing: a fifth of the matrix's time on
    20,000 passages (`bench/analysis.py`). Reference counting still frees everything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
