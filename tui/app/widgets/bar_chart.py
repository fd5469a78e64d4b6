"""Horizontal bar charts in the terminal: one row per bar, the name, a bar of block
characters, and the figure written beside it.

Readable without colour (NO_COLOR, 16-colour terminals, a screen reader's text): the length
of the bar is in the characters (eighth blocks for the last cell), the number in digits, and
colour only repeats what they say. An OptionList, so moving, scrolling and enter come with
it; the names are data and are made inert.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.inert import inert

EIGHTHS = " ▏▎▍▌▋▊▉"
FULL = "█"
LABEL_SHARE = 0.4
"""At most this share of the width goes to the names."""


@dataclass(frozen=True, slots=True)
class Bar:
    key: str
    """What enter on the bar selects (a code, an article id, a coder, a value)."""
    label: str
    value: int


def bar_cells(value: int, maximum: int, width: int) -> str:
    """A bar of `width * value / maximum` cells, to an eighth of a cell; a value above zero
    always shows at least a sliver, so "1" never looks like "0"."""
    if maximum <= 0 or width <= 0 or value <= 0:
        return ""
    eighths = max(1, round(8 * width * value / maximum))
    whole, part = divmod(eighths, 8)
    return FULL * whole + (EIGHTHS[part] if part else "")


def fit_label(text: str, width: int) -> str:
    """A name on one line, inert, cut with "…" to at most `width` cells, padded to it."""
    flat = inert(" ".join(text.split()))
    if cell_len(flat) > width:
        out = ""
        for char in flat:
            if cell_len(out + char) > width - 1:
                break
            out += char
        flat = out + "…"
    return flat + " " * (width - cell_len(flat))


def bar_lines(bars: Sequence[Bar], width: int) -> list[Text]:
    """One line per bar, `width` cells at most: name, bar, figure (right of the bar)."""
    if not bars:
        return []
    figures = [f"{bar.value:,}" for bar in bars]
    figure_width = max(len(f) for f in figures)
    longest = max(cell_len(inert(" ".join(bar.label.split()))) for bar in bars)
    label_width = max(4, min(longest, int(width * LABEL_SHARE)))
    bar_width = max(1, width - label_width - figure_width - 3)
    maximum = max(bar.value for bar in bars)
    lines = []
    for bar, figure in zip(bars, figures, strict=True):
        cells = bar_cells(bar.value, maximum, bar_width)
        line = Text(no_wrap=True, overflow="crop")
        line.append(fit_label(bar.label, label_width))
        line.append(" ")
        line.append(cells, style="bold blue")
        line.append(" " * (bar_width - cell_len(cells) + 1))
        line.append(figure.rjust(figure_width), style="bold")
        lines.append(line)
    return lines


class BarChart(OptionList):
    """Bars as options: up/down move, enter posts `OptionList.OptionSelected` whose option
    id is the bar's index in `bars`."""

    DEFAULT_CSS: ClassVar[str] = """
    BarChart { height: 1fr; border: none; padding: 0; }
    BarChart:focus { border: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.bars: list[Bar] = []

    def show_bars(self, bars: Sequence[Bar]) -> None:
        self.bars = list(bars)
        self._draw()

    def _draw(self) -> None:
        width = self.scrollable_content_region.width or self.size.width or 76
        highlighted = self.highlighted
        self.clear_options()
        self.add_options(
            Option(line, id=str(index))
            for index, line in enumerate(bar_lines(self.bars, max(width - 1, 20)))
        )
        if self.bars:
            self.highlighted = min(highlighted or 0, len(self.bars) - 1)

    def on_resize(self, event: events.Resize) -> None:
        if self.bars:
            self._draw()

    @property
    def chosen(self) -> Bar | None:
        """The highlighted bar, if any."""
        index = self.highlighted
        return self.bars[index] if index is not None and index < len(self.bars) else None
