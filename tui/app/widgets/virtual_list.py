"""A list that draws only the rows on screen: thousands of rows cost what a screenful costs.

Textual's Tree and OptionList measure every row when rows change (a Tree node, an option's
height), so a list of 20,000 annotations or 10,000 articles took seconds to fill. Here a row
is an index: the owner says how many rows there are and draws one row at a given width when
it scrolls into view. One line per row; the owner cuts a row to the width (with "…").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.app.terminal_guard import inert_content

RowRenderer = Callable[[int, int], Content]
"""(row index, width in cells) -> the row's one line (cut to the width by the owner)."""


class VirtualList(ScrollView, can_focus=True):
    """One-line rows drawn on demand, with a cursor; posts Highlighted and Selected."""

    DEFAULT_CSS = """
    VirtualList {
        height: 1fr;
        overflow-x: hidden;
        background: transparent;
        & > .virtual-list--cursor { background: $block-cursor-blurred-background; }
        &:focus > .virtual-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"virtual-list--cursor"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Select", show=False),
    ]

    class Highlighted(Message):
        """The cursor moved to `index` (None: no rows)."""

        def __init__(self, virtual_list: VirtualList, index: int | None) -> None:
            super().__init__()
            self.virtual_list = virtual_list
            self.index = index

        @property
        def control(self) -> VirtualList:
            return self.virtual_list

    class Selected(Message):
        """Enter or a click on row `index`."""

        def __init__(self, virtual_list: VirtualList, index: int) -> None:
            super().__init__()
            self.virtual_list = virtual_list
            self.index = index

        @property
        def control(self) -> VirtualList:
            return self.virtual_list

    def __init__(
        self,
        render_row: RowRenderer,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._render_row = render_row
        self._count = 0
        self._cursor: int | None = None
        self._strips: dict[tuple[int, int, bool], Strip] = {}

    # -- rows ----------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return self._count

    @property
    def cursor(self) -> int | None:
        return self._cursor

    @cursor.setter
    def cursor(self, index: int | None) -> None:
        self.move_cursor(index)

    def set_rows(self, count: int, cursor: int | None = 0) -> None:
        """The rows changed: there are `count` now; drawn rows are forgotten."""
        self._count = count
        self._strips.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, count)
        self._cursor = None
        self.move_cursor(cursor if count else None, force=True)
        self.refresh()

    def redraw(self) -> None:
        """Rows kept their places but may draw differently (a mark, a count)."""
        self._strips.clear()
        self.refresh()

    def move_cursor(self, index: int | None, *, force: bool = False) -> None:
        if index is not None:
            index = max(0, min(index, self._count - 1)) if self._count else None
        if index == self._cursor and not force:
            return
        self._cursor = index
        self._strips = {key: strip for key, strip in self._strips.items() if not key[2]}
        self.refresh()
        if index is not None:
            self.scroll_to_cursor()
        self.post_message(self.Highlighted(self, index))

    def scroll_to_cursor(self) -> None:
        if self._cursor is None:
            return
        width = max(1, self.scrollable_content_region.width)
        self.scroll_to_region(Region(0, self._cursor, width, 1), animate=False, immediate=True)

    # -- drawing -------------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._strips.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, self._count)
        self.scroll_to_cursor()

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if index >= self._count or width <= 0:
            return Strip.blank(width, self.rich_style)
        on_cursor = index == self._cursor
        key = (index, width, on_cursor)
        strip = self._strips.get(key)
        if strip is None:
            if on_cursor:
                style = self.get_visual_style("virtual-list--cursor")
            else:
                style = self.visual_style
            content = inert_content(self._render_row(index, width)).truncate(width, ellipsis=True)
            segments = content.render_segments(style)
            strip = Strip(segments).extend_cell_length(width, style.rich_style)
            strip = strip.crop(0, width).apply_meta({"row": index})
            if len(self._strips) > 2000:
                self._strips.clear()
            self._strips[key] = strip
        return strip

    # -- keys and mouse ------------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.move_cursor(0 if self._cursor is None else self._cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(0 if self._cursor is None else self._cursor - 1)

    def action_page(self, pages: int) -> None:
        step = max(1, self.scrollable_content_region.height - 1) * pages
        self.move_cursor(0 if self._cursor is None else self._cursor + step)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(self._count - 1)

    def action_select(self) -> None:
        if self._cursor is not None:
            self.post_message(self.Selected(self, self._cursor))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = self.scroll_offset.y + offset.y
        if 0 <= index < self._count:
            event.stop()
            self.move_cursor(index)
            self.post_message(self.Selected(self, index))
