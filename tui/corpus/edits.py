"""Keep the report's offsets true while later stages rewrite a paragraph."""

from __future__ import annotations

import dataclasses
from bisect import bisect_right
from collections.abc import Iterable
from difflib import SequenceMatcher

from tui.corpus.model import Change


def diff_spans(old: str, new: str) -> list[tuple[int, int, int, int]]:
    """The (old_start, old_end, new_start, new_end) spans where `new` differs from `old`."""
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    return [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def remap(changes: Iterable[Change], old: str, new: str) -> list[Change]:
    """Move change offsets from `old` into `new` (a rewrite of it)."""
    changes = list(changes)
    if old == new or not any(change.start is not None for change in changes):
        return changes
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    blocks = matcher.get_matching_blocks()
    starts = [block.a for block in blocks]

    def move(offset: int) -> int:
        index = bisect_right(starts, offset) - 1
        if index < 0:
            return 0
        block = blocks[index]
        if offset < block.a + block.size:
            return block.b + offset - block.a
        return block.b + block.size  # inside text the rewrite replaced: snap to its end

    moved = []
    for change in changes:
        if change.start is None or change.end is None:
            moved.append(change)
            continue
        start = move(change.start)
        end = max(start, move(change.end - 1) + 1) if change.end > change.start else start
        moved.append(dataclasses.replace(change, start=start, end=min(end, len(new))))
    return moved


def shift(changes: Iterable[Change], offset: int) -> list[Change]:
    """Offsets within a block -> offsets within the article text."""
    return [
        change
        if change.start is None or change.end is None
        else dataclasses.replace(change, start=change.start + offset, end=change.end + offset)
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
