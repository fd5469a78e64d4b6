"""The note editor: a multi-line note on an annotation (or a memo), saved with ctrl+s, dropped
with esc; its keys are the command table's (`note-editor`), so a user's keymap moves them.

The store keeps a note's line breaks and tabs and drops every other control or format
character (a zero-width space or soft hyphen pasted from a web page, ESC from a terminal
colour): what it drops is said in one notice, not silently.
"""

from __future__ import annotations

import unicodedata
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from tui.app.dialogs.modal_box import modal_box_css
from tui.app.key_bindings import bindings_for, hint_line, user_keys_of
from tui.app.widgets.quoting import QuotePreview
from tui.store.rules import clean_note
from tui.wording import counted

CONTROL_NAMES = {"\x00": "NUL", "\x07": "BEL", "\x08": "BS", "\x1b": "ESC", "\x7f": "DEL"}
"""Short names for the control characters a paste brings most often (Unicode names none)."""


def dropped_characters(text: str) -> list[str]:
    """The characters of `text` the store drops from a note or memo, in order, by the store's
    own rule (`clean_note`, asked of each distinct character, so the rule stays there)."""
    dropped = {ch for ch in dict.fromkeys(text) if not clean_note(ch)}
    return [ch for ch in text if ch in dropped]


def character_label(ch: str) -> str:
    """`U+001B ESC`, `U+202E RIGHT-TO-LEFT OVERRIDE`: the code point, and a name if it has one."""
    name = CONTROL_NAMES.get(ch) or unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}".rstrip()


def dropped_notice(dropped: list[str]) -> str:
    """One plain line: how many characters were left out, and which (the first three kinds)."""
    kinds = list(dict.fromkeys(dropped))
    named = ", ".join(character_label(ch) for ch in kinds[:3])
    if len(kinds) > 3:
        named += ", …"
    count = counted(len(dropped), "control or invisible character")
    return f"Left out {count} ({named}), which a note cannot hold; the rest is kept as written."


class NoteEditor(ModalScreen[str | None]):
    """Returns the edited note (without the characters the store would drop), or None when
    cancelled."""

    DEFAULT_CSS = modal_box_css(
        "NoteEditor",
        width="70",
        extra="""
    & .quote { color: $foreground-muted; max-height: 3; margin-bottom: 1; }
    & TextArea { height: 8; }
    & .hint { color: $foreground-muted; }
""",
    )

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("note-editor")

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
            keys = hint_line("note-editor", user_keys=user_keys_of(self.app), every_key=True)
            yield Static(Content(keys), classes="hint")

    def on_mount(self) -> None:
        area = self.query_one("#note-text", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        text = self.query_one("#note-text", TextArea).text
        dropped = dropped_characters(text)
        if dropped:
            left_out = set(dropped)
            text = "".join(ch for ch in text if ch not in left_out)
            self.app.notify(dropped_notice(dropped), title="Note", markup=False, timeout=8)
        self.dismiss(text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
