"""A foldable tree drawn as a VirtualList: nodes are plain objects, drawn only on screen.

Textual's Tree makes a node object with its own label, and lays out every line, whenever it is
filled; for a list of 20,000 annotations that was seconds per filter keystroke. Here a node is a
small record (what it shows, its children, whether it is open), and its line is drawn by the
owner's function, at the pane's width, when it scrolls into view.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from textual.content import Content

from tui.app.widgets.virtual_list import VirtualList

T = TypeVar("T")

LABEL_WIDTH = 200
"""The width a node's `label` is drawn at when asked outside the screen (tests, logs)."""


@dataclass(eq=False, slots=True)
class TreeNode(Generic[T]):
    """A group (data None) or an item. A group lists its items (drawn by `draw_item`) before
    its sub-groups; item nodes are made only when asked for (`children`, the cursor), so a
    group of 20,000 items costs one list, not 20,000 objects."""

    data: T | None
    draw: Callable[[TreeNode[T], int], Content]
    items: Sequence[T] = ()
    draw_item: Callable[[T, int], Content] | None = None
    groups: list[TreeNode[T]] = field(default_factory=list)
    expanded: bool = True
    key: str = ""
    """A group's identity across refills (a tag path, an article id): `TreeList.show` keeps
    a group folded when the tree it replaces had it folded."""

    def add(self, node: TreeNode[T]) -> TreeNode[T]:
        self.groups.append(node)
        return node

    def item_node(self, index: int) -> TreeNode[T]:
        draw_item = self.draw_item
        assert draw_item is not None
        item = self.items[index]
        return TreeNode(item, lambda _node, width: draw_item(item, width))

    @property
    def children(self) -> list[TreeNode[T]]:
        return [*(self.item_node(i) for i in range(len(self.items))), *self.groups]

    @property
    def allow_expand(self) -> bool:
        return self.data is None

    @property
    def label(self) -> Content:
        return self.draw(self, LABEL_WIDTH)

    def toggle(self) -> None:
        self.expanded = not self.expanded


@dataclass(frozen=True, slots=True)
class _Run(Generic[T]):
    """Consecutive rows: one group's line (`items` empty) or a group's open items."""

    start: int
    depth: int
    node: TreeNode[T]
    items: bool

    def size(self) -> int:
        return len(self.node.items) if self.items else 1


def _runs(root: TreeNode[T]) -> tuple[list[_Run[T]], list[int], int]:
    runs: list[_Run[T]] = []
    row = 0

    def walk(node: TreeNode[T], depth: int) -> None:
        nonlocal row
        if node.items:
            runs.append(_Run(row, depth, node, True))
            row += len(node.items)
        for group in node.groups:
            runs.append(_Run(row, depth, group, False))
            row += 1
            if group.expanded:
                walk(group, depth + 1)

    walk(root, 0)
    return runs, [run.start for run in runs], row


def _groups(root: TreeNode[T]) -> Iterator[TreeNode[T]]:
    """Every group below `root`, depth first."""
    for group in root.groups:
        yield group
        yield from _groups(group)


class TreeList(VirtualList, Generic[T]):
    """The open nodes of a tree, one line each, indented by depth, with a fold marker."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(self._draw_row, id=id)
        self.root: TreeNode[T] = TreeNode(None, _no_line)
        self._runs: list[_Run[T]] = []
        self._starts: list[int] = []

    def show(self, root: TreeNode[T]) -> None:
        """Show `root`'s children (the root itself is not a row); the cursor on the first.
        Groups folded in the tree shown before stay folded (matched by `key`): a refill
        after another coder's change must not undo the reader's folding."""
        folded = {group.key for group in _groups(self.root) if group.key and not group.expanded}
        for group in _groups(root):
            if group.key in folded:
                group.expanded = False
        self.root = root
        self._runs, self._starts, count = _runs(root)
        self.set_rows(count, 0)

    def move_to_group(self, key: str) -> bool:
        """Put the cursor on the shown group with this `key`; False if none is shown."""
        for run in self._runs:
            if not run.items and run.node.key == key:
                self.move_cursor(run.start)
                return True
        return False

    def _at(self, index: int) -> tuple[_Run[T], int]:
        run = self._runs[bisect_right(self._starts, index) - 1]
        return run, index - run.start

    @property
    def cursor_node(self) -> TreeNode[T] | None:
        if self.cursor is None:
            return None
        run, offset = self._at(self.cursor)
        return run.node.item_node(offset) if run.items else run.node

    def move_to(self, wanted: Callable[[T], bool]) -> bool:
        """Put the cursor on the first open item `wanted` accepts; False if none is shown."""
        for run in self._runs:
            if run.items:
                found = next((i for i, item in enumerate(run.node.items) if wanted(item)), None)
                if found is not None:
                    self.move_cursor(run.start + found)
                    return True
        return False

    def toggle(self, node: TreeNode[T]) -> None:
        """Fold or unfold a group; the cursor stays on it."""
        node.toggle()
        self._runs, self._starts, count = _runs(self.root)
        at = next((run.start for run in self._runs if run.node is node and not run.items), 0)
        self.set_rows(count, at)

    def _draw_row(self, index: int, width: int) -> Content:
        run, offset = self._at(index)
        indent = "  " * run.depth
        if run.items:
            draw_item = run.node.draw_item
            assert draw_item is not None
            marker = "  "
            room = max(1, width - len(indent) - len(marker))
            line = draw_item(run.node.items[offset], room)
        else:
            marker = "▼ " if run.node.expanded else "▶ "
            room = max(1, width - len(indent) - len(marker))
            line = run.node.draw(run.node, room)
        return Content.assemble(indent, (marker, "dim"), line)


def _no_line(_node: TreeNode[T], _width: int) -> Content:
    return Content("")
