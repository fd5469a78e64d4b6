"""The line above the status line while a tag is focused: how each article treats that tag."""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style as RichStyle
from textual.content import Content
from textual.style import Style
from textual.widgets import Static

from tui.app.model.session import FocusFigures
from tui.app.terminal_guard import inert_content
from tui.inert import inert
from tui.wording import counted, one_line

PANE_NAMES = ("left", "right")


def focus_summary(
    tag: str,
    figures: Sequence[FocusFigures],
    tag_style: RichStyle,
    *,
    width: int = 80,
    position: str = "",
) -> Content:
    """` tag  2/3  left 2 passages, 310 chars │ right 1 passage, 88 chars   . next  , back`.

    `position` is which passage the keys reached last, of how many.

    Panes are named by side (titles are in their borders); when the line has room the
    article titles are added. Every name is data, so the line is Content, never markup.
    """
    sides = [
        PANE_NAMES[index] if index < len(PANE_NAMES) else f"pane {index + 1}"
        for index in range(len(figures))
    ]
    figure_parts = [
        f"{side} {counted(figure.passages, 'passage')}, {counted(figure.characters, 'char')}"
        for side, figure in zip(sides, figures, strict=True)
    ]
    keys = "   . next  , back  f clear"
    tag_flat = inert(one_line(tag, len(tag)))
    around = 3 + (len(position) + 1 if position else 0)

    def room_after(tag_cells: int) -> int:
        return width - tag_cells - around - sum(len(p) + 3 for p in figure_parts) - len(keys)

    # What gives way, in order, so the tag's name is the last thing cut: the reminder of the
    # keys (also in the footer), the characters coded, the word "passages", then the end of
    # the name, with "…".
    if room_after(len(tag_flat)) < 0:
        keys = ""
    if room_after(len(tag_flat)) < 0:
        figure_parts = [
            f"{side} {counted(figure.passages, 'passage')}"
            for side, figure in zip(sides, figures, strict=True)
        ]
    if room_after(len(tag_flat)) < 0:
        figure_parts = [
            f"{side} {figure.passages:,}" for side, figure in zip(sides, figures, strict=True)
        ]
    tag_room = max(8, len(tag_flat) + min(0, room_after(len(tag_flat))))
    tag_shown = one_line(tag_flat, tag_room)
    room = room_after(len(tag_shown))
    title_room = room // max(1, len(figures)) - 3
    parts: list[Content | str | tuple[str, str | Style]] = [
        (f" {tag_shown} ", Style.from_rich_style(tag_style)),
        " ",
    ]
    if position:
        parts.extend([(position, "bold reverse"), " "])
    for index, (figure, text) in enumerate(zip(figures, figure_parts, strict=True)):
        if index:
            parts.append((" │ ", "dim"))
        parts.append((text, "bold"))
        if title_room >= 12:
            parts.append(
                (
                    f" ({inert(one_line(figure.article.title or figure.article.id, title_room))})",
                    "dim",
                )
            )
    parts.append((keys, "dim"))
    return inert_content(Content.assemble(*parts))


class FocusBar(Static):
    DEFAULT_CSS = """
    FocusBar {
        height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        background: $boost;
        display: none;
        &.-shown { display: block; }
    }
    """

    def show_figures(
        self,
        tag: str,
        figures: Sequence[FocusFigures],
        tag_style: RichStyle,
        *,
        position: str = "",
    ) -> None:
        width = self.size.width or self.app.size.width
        summary = focus_summary(tag, figures, tag_style, width=width - 2, position=position)
        self.update(summary)
        self.add_class("-shown")

    def clear(self) -> None:
        self.update(Content(""))
        self.remove_class("-shown")
