"""The note editor: a multi-line note on an annotation, saved with ctrl+s, dropped with esc."""

from __future__ import annotations

import textwrap
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from tui.app.modal_box import modal_box_css
from tui.app.quoting import quoted


def first_lines(text: str, width: int, lines: int) -> str:
    """`text` wrapped to `width`, at most `lines` lines; a longer text ends in `…”`, so the
    reader sees the passage goes on rather than a cut mid-sentence."""
    wrapped = textwrap.wrap(text, max(width, 4)) or [""]
    if len(wrapped) <= lines:
        return "\n".join(wrapped)
    room = max(width, 4) - 2
    last = wrapped[lines - 1]
    if len(last) > room:  # make room for …” at a word's end where there is one
        cut = last[:room]
        last = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return "\n".join([*wrapped[: lines - 1], last.rstrip() + "…”"])


class QuotePreview(Static):
    """The passage being noted, cut to three lines at whatever width the dialog has."""

    LINES = 3

    def __init__(self, passage: str) -> None:
        self._passage = quoted(" ".join(passage.split()))
        super().__init__(Content(self._passage), classes="quote")

    def on_resize(self, event: events.Resize) -> None:
        self.update(Content(first_lines(self._passage, event.size.width, self.LINES)))


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
