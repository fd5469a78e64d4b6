"""`?`: every key of the reader, generated from the bindings themselves so it cannot drift."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.keys import format_key
from textual.screen import ModalScreen
from textual.widgets import Static


def key_label(keys: str) -> str:
    """`"j,down"` -> `"j / down"`, `"right_square_bracket"` -> `"]"`."""
    labels = []
    for key in keys.split(","):
        *modifiers, name = key.strip().split("+")
        labels.append("+".join([*modifiers, format_key(name)]))
    return " / ".join(labels)


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
        return f"{keys[0]}-{keys[-1]}"
    return " / ".join(keys)


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > VerticalScroll {
            width: 76;
            max-width: 100%;
            height: 90%;
            border: round $accent;
            background: $surface;
            padding: 0 1;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="help-close"),
    ]

    def __init__(self, rows: Sequence[tuple[str, str, str]]) -> None:
        super().__init__()
        self._rows = rows

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = Content("Keys")
            box.border_subtitle = Content("esc close")
            yield Static(self._table(), id="help-text")

    def _table(self) -> Content:
        width = max((len(keys) for _section, keys, _text in self._rows), default=0) + 2
        parts: list[str | tuple[str, str]] = []
        section = None
        for row_section, keys, text in self._rows:
            if row_section != section:
                if section is not None:
                    parts.append("\n")
                parts.append((row_section, "bold underline"))
                parts.append("\n")
                section = row_section
            parts.append((keys.ljust(width), "bold"))
            parts.append(text)
            parts.append("\n")
        return Content.assemble(*parts)

    def action_close(self) -> None:
        self.dismiss(None)
