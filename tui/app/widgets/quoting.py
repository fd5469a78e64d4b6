"""Quote marks around a passage or note, unless it already brings its own; and the passage
shown above a dialog that acts on it."""

from __future__ import annotations

import textwrap

from textual import events
from textual.content import Content
from textual.widgets import Static

from tui.inert import inert

OPENING_QUOTES = "“‘\"'«„‚‹「『"


def quoted(text: str) -> str:
    """`text` in curly quotes, unless it starts with a quote mark of its own.

    A passage is often a quotation itself: `““I think …”` would show the article's mark and ours.
    """
    if text and text[0] in OPENING_QUOTES:
        return text
    return f"“{text}”"


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
    """The passage a dialog acts on, cut to a few lines at whatever width the dialog has."""

    def __init__(self, passage: str, *, lines: int = 3) -> None:
        self._passage = quoted(inert(" ".join(passage.split())))
        self.lines = lines
        super().__init__(Content(self._passage), classes="quote")

    def on_resize(self, event: events.Resize) -> None:
        self.update(Content(first_lines(self._passage, event.size.width, self.lines)))
