"""`?`: every key of the reader, generated from the command table's bindings so it cannot drift."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.app.dialogs.modal_box import modal_box_css
from tui.app.key_bindings import bindings_for, key_label, user_keys_of
from tui.app.model.key_table import PLACE_TITLES, Where


def help_rows(sections: Iterable[tuple[str, Sequence[BindingType]]]) -> list[tuple[str, str, str]]:
    """(section, keys, description) for each binding, keys of one action merged."""
    rows: list[tuple[str, str, str]] = []
    for section, bindings in sections:
        merged: dict[str, list[str]] = {}
        for binding in bindings:
            if not isinstance(binding, Binding):
                continue
            text = binding.tooltip or binding.description
            merged.setdefault(text, []).append(key_label(binding.key))
        rows.extend((section, _join_keys(keys), text) for text, keys in merged.items())
    return rows


def _join_keys(keys: list[str]) -> str:
    if len(keys) > 2 and all(key.isdigit() for key in keys):
        digits = sorted(keys)
        return f"{digits[0]}-{digits[-1]}"
    return " / ".join(keys)


def show_keys(app: App[Any], *places: Where) -> None:
    """`?` inside a screen: its own keys, from the command table, as the user has them."""
    user_keys = user_keys_of(app)
    rows = help_rows((PLACE_TITLES[place], bindings_for(place, user_keys)) for place in places)
    app.push_screen(HelpScreen(rows))


KEYS_WIDTH = 18
"""Cells for the keys column; a description wraps under itself, beside it."""


class HelpRows(Static):
    """One section's keys and what they do, as one two-column grid: a widget per row made
    `?` take a second to open on a slow host."""

    def __init__(self, rows: Sequence[tuple[str, str]]) -> None:
        self.rows = list(rows)
        grid = Table.grid(padding=(0, 0))
        grid.add_column(width=KEYS_WIDTH, no_wrap=True)
        grid.add_column(ratio=1)
        for keys, text in self.rows:
            # Text, not markup: descriptions are ours, but a key such as `[` is not markup.
            grid.add_row(Text(keys, style="bold"), Text(text))
        super().__init__(grid)


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = modal_box_css(
        "HelpScreen",
        width="76",
        height="90%",
        max_height="100%",
        container="VerticalScroll",
        extra="""
    & .help-section { text-style: bold underline; }
    & .help-section.-later { margin-top: 1; }
    & HelpRows { height: auto; }
""",
    )

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("help")

    def __init__(self, rows: Sequence[tuple[str, str, str]]) -> None:
        super().__init__()
        self._rows = rows

    def compose(self) -> ComposeResult:
        sections: dict[str, list[tuple[str, str]]] = {}
        for section, keys, text in self._rows:
            sections.setdefault(section, []).append((keys, text))
        with VerticalScroll() as box:
            box.border_title = Content("Keys")
            box.border_subtitle = Content("esc close")
            for index, (section, rows) in enumerate(sections.items()):
                yield Static(
                    Content(section), classes="help-section -later" if index else "help-section"
                )
                yield HelpRows(rows)

    @property
    def _box(self) -> VerticalScroll:
        return self.query_one(VerticalScroll)

    def action_scroll(self, lines: int) -> None:
        self._box.scroll_relative(y=lines, animate=False)

    def action_page(self, direction: int) -> None:
        box = self._box
        box.scroll_relative(
            y=direction * max(1, box.scrollable_content_region.height - 1), animate=False
        )

    def action_end(self, bottom: int) -> None:
        box = self._box
        if bottom:
            box.scroll_end(animate=False)
        else:
            box.scroll_home(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
