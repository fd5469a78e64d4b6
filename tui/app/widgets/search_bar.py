"""The search prompt of `/`: one line at the bottom, like a pager's."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Input

from tui.app.widgets.ordered_input import OrderedInput


class SearchBar(ModalScreen[str | None]):
    """Returns the query (possibly empty, which clears the search), or None when cancelled."""

    DEFAULT_CSS = """
    SearchBar {
        align: left bottom;
        background: transparent;
        & > Input { width: 100%; border: none; height: 1; padding: 0 1; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="search-cancel")
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self._query = query

    def compose(self) -> ComposeResult:
        field = OrderedInput(
            self._query, placeholder="search this article", id="search-input", compact=True
        )
        field.cursor_blink = False
        yield field

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
