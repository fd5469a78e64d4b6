"""The note editor: a multi-line note on an annotation, saved with ctrl+s, dropped with esc."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from tui.app.dialogs.modal_box import modal_box_css
from tui.app.widgets.quoting import QuotePreview


class NoteEditor(ModalScreen[str | None]):
    """Returns the edited note, or None when cancelled."""

    DEFAULT_CSS = modal_box_css(
        "NoteEditor",
        width="70",
        extra="""
    & .quote { color: $foreground-muted; max-height: 3; margin-bottom: 1; }
    & TextArea { height: 8; }
    & .hint { color: $foreground-muted; }
""",
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        # Not priority bindings, which would run ahead of the letters typed just before them
        # and still on their way into the text area: the text area leaves these keys alone.
        Binding("ctrl+s", "save", "Save", id="note-save"),
        Binding("f2", "save", "Save", show=False, id="note-save-f2"),
        Binding("escape", "cancel", "Cancel", id="note-cancel"),
    ]

    def __init__(self, note: str, quote: str) -> None:
        super().__init__()
        self._note = note
        self._quote = quote

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content("Note")
            yield QuotePreview(self._quote)
            area = TextArea(self._note, id="note-text", soft_wrap=True, tab_behavior="focus")
            area.cursor_blink = False
            yield area
            yield Static(Content("ctrl+s (or F2) save · esc cancel"), classes="hint")

    def on_mount(self) -> None:
        area = self.query_one("#note-text", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one("#note-text", TextArea).text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
