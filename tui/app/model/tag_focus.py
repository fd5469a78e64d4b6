"""Tag focus (`f`): which tag is focused, the passage `.` and `,` last reached, and stepping.

Plain Python, no Textual, so the stepping rules (start just before the cursor sentence, wrap
round, count from the passage the keys reached) are tested without a terminal. The screen
gives it the panes' passages (`ReaderSession.focus_passages`) and says which passage sits on
a pane's cursor sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tui.store.hierarchy import is_within, reparent
from tui.store.model import Annotation


@dataclass(frozen=True, slots=True)
class Passage:
    """One passage of a focused tag: which shown article (by pane) and the annotation."""

    pane: int
    annotation: Annotation

    @property
    def order(self) -> tuple[int, int, int, str]:
        """Reading order across the panes: the left article first, then the right."""
        a = self.annotation
        return (self.pane, a.start, -a.end, a.id)


AtCursor = Callable[[Passage], bool]
"""True when the passage starts in its pane's cursor sentence."""


@dataclass(frozen=True, slots=True)
class Step:
    """Where `.` or `,` goes, and whether it wrapped round the end."""

    target: Passage
    wrapped: bool


class TagFocus:
    def __init__(self) -> None:
        self.tag: str | None = None
        self.last: Passage | None = None
        """The passage the keys (or the focus itself) reached: where the count starts."""

    def set(self, tag: str | None, passages: Sequence[Passage], at_cursor: AtCursor) -> None:
        """Focus `tag` (None clears). On one of its passages already: that one is where `.`
        counts from, and the bar says so, rather than a first `.` that stays put."""
        self.tag = tag
        self.last = None
        if tag is not None:
            self.last = next((passage for passage in passages if at_cursor(passage)), None)

    def followed(self, old: str, new: str | None) -> bool:
        """The codebook renamed or merged `old` into `new` (None: deleted): the focus follows
        (or ends). True when the focused tag changed."""
        focus = self.tag
        if focus is None or not is_within(focus, old):
            return False
        self.tag = None if new is None else reparent(focus, old, new)
        self.last = None
        return True

    def position(self, passages: Sequence[Passage]) -> str:
        """`3/7`: which passage the keys reached, of how many; "" before the first step."""
        if self.last is None:
            return ""
        orders = [passage.order for passage in passages]
        if self.last.order not in orders:
            return ""
        return f"{orders.index(self.last.order) + 1}/{len(orders)}"

    def step(
        self,
        passages: Sequence[Passage],
        step: int,
        *,
        pane: int,
        cursor_start: int,
        text_length: int,
        at_cursor: AtCursor,
    ) -> Step | None:
        """The next (`step` > 0) or previous passage from the cursor of `pane`, in reading
        order across the panes, wrapping round; None when there is none. It becomes `last`."""
        if not passages:
            return None
        # Just before the cursor sentence going forward, so a passage starting there is next;
        # just after its start going back. From a passage the keys reached, its own place.
        here = (
            (pane, cursor_start - 1, 0, "") if step > 0 else (pane, cursor_start, -text_length, "")
        )
        last = self.last
        if last is not None and last.pane == pane and at_cursor(last):
            here = last.order
        if step > 0:
            candidates = [p for p in passages if p.order > here]
            target = candidates[0] if candidates else passages[0]
        else:
            candidates = [p for p in passages if p.order < here]
            target = candidates[-1] if candidates else passages[-1]
        self.last = target
        return Step(target, wrapped=not candidates)
