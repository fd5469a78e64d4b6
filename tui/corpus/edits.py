"""Keep the report's offsets true while later stages rewrite a paragraph."""

from __future__ import annotations

import dataclasses
from bisect import bisect_right
from collections.abc import Iterable

from tui.corpus.model import Change

_WINDOW = 24  # characters a local repair may add or remove before the texts agree again
_AGREE = 6  # characters that must agree for the texts to count as back in step


def diff_spans(old: str, new: str) -> list[tuple[int, int, int, int]]:
    """The (old_start, old_end, new_start, new_end) spans where `new` differs from `old`.

    Repairs are local (a few characters become one), so a linear walk that re-synchronises
    within a small window finds them; difflib's general matcher costs a hundred times more.
    """
    spans = []
    i = j = 0
    old_size, new_size = len(old), len(new)
    while i < old_size and j < new_size:
        if old[i] == new[j]:
            i += 1
            j += 1
            continue
        skip = _resynchronise(old, new, i, j)
        if skip is None:
            spans.append((i, old_size, j, new_size))
            return spans
        spans.append((i, i + skip[0], j, j + skip[1]))
        i += skip[0]
        j += skip[1]
    if i < old_size or j < new_size:
        spans.append((i, old_size, j, new_size))
    return spans


def _resynchronise(old: str, new: str, i: int, j: int) -> tuple[int, int] | None:
    """The smallest (skip_old, skip_new) after which both texts agree again."""
    for total in range(1, 2 * _WINDOW + 1):
        for skip_old in range(max(0, total - _WINDOW), min(total, _WINDOW) + 1):
            skip_new = total - skip_old
            a, b = i + skip_old, j + skip_new
            if a > len(old) or b > len(new):
                continue
            agree = min(_AGREE, len(old) - a, len(new) - b)
            at_both_ends = a + agree == len(old) and b + agree == len(new)
            if (agree == _AGREE or at_both_ends) and old[a : a + agree] == new[b : b + agree]:
                return skip_old, skip_new
    return None


def remap(changes: Iterable[Change], old: str, new: str) -> list[Change]:
    """Move change offsets from `old` into `new` (a rewrite of it)."""
    changes = list(changes)
    if old == new or not any(change.start is not None for change in changes):
        return changes
    spans = diff_spans(old, new)
    old_starts = [span[0] for span in spans]

    def move(offset: int, is_end: bool) -> int:
        index = bisect_right(old_starts, offset) - 1
        if index < 0:
            return offset
        old_start, old_end, new_start, new_end = spans[index]
        if offset < old_end or (is_end and offset == old_end and offset > old_start):
            return new_end if is_end else new_start  # inside rewritten text: widen to all of it
        return new_end + offset - old_end

    moved = []
    for change in changes:
        if change.start is None or change.end is None:
            moved.append(change)
            continue
        start = move(change.start, False)
        # a zero-width change (something removed) stays a point, before any rewritten text
        end = start if change.start == change.end else max(start, move(change.end, True))
        moved.append(_placed(change, start, min(end, len(new))))
    return moved


def _placed(change: Change, start: int | None, end: int | None) -> Change:
    """The change at new offsets (`dataclasses.replace` costs several times more)."""
    return Change(
        change.stage,
        change.kind,
        change.before,
        change.after,
        change.confidence,
        start,
        end,
        change.detail,
    )


def shift(changes: Iterable[Change], offset: int) -> list[Change]:
    """Offsets within a block -> offsets within the article text; a negative offset cuts a
    prefix off the text, and changes inside it move to its start."""
    return [
        change
        if change.start is None or change.end is None
        else _placed(change, max(0, change.start + offset), max(0, change.end + offset))
        for change in changes
    ]


def detach(changes: Iterable[Change], why: str) -> list[Change]:
    """Changes inside text that left the body: they keep their content but lose their place."""
    return [
        dataclasses.replace(
            change, start=None, end=None, detail=f"{change.detail}; {why}" if change.detail else why
        )
        for change in changes
    ]
