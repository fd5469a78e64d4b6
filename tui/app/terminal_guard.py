"""The last guard between the screen and the terminal: no control from data is ever written.

Screens make data inert where they draw it (`tui.inert`: a visible stand-in for ESC, C1, bidi
overrides). Some text is drawn by Textual widgets line by line where the app cannot change
it: a raw value being edited in an Input or a TextArea must stay what it is, or saving would
write the stand-ins back. Every line Textual writes passes through `Strip.render`; there, a
character the one rule refuses is dropped. Dropped, not replaced: Rich measured it as zero
cells wide, so dropping it keeps every column where Textual laid it out.
"""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from rich.text import Text
from textual.content import Content
from textual.strip import Strip

from tui.inert import UNSAFE_ON_A_LINE, inert

_textual_render = Strip.render


def _render_inert(strip: Strip, console: Console) -> str:
    segments = strip._segments
    if strip._render_cache is None and any(
        control is None and UNSAFE_ON_A_LINE.search(text) for text, _, control in segments
    ):
        strip._segments = [
            Segment(UNSAFE_ON_A_LINE.sub("", text), style, control) if control is None else part
            for part in segments
            for text, style, control in (part,)
        ]
    return _textual_render(strip, console)


def guard_terminal() -> None:
    """Route every strip Textual renders through the rule (once per process; idempotent)."""
    Strip.render = _render_inert  # type: ignore[method-assign,assignment]


def inert_content(content: Content, *, multiline: bool = False) -> Content:
    """`content` with its text made inert, its styles where they were (the rule is one for one)."""
    return Content(inert(content.plain, multiline=multiline), list(content.spans))


def inert_text(text: Text) -> Text:
    """A Rich `Text` (a tree label) made inert the same way, its spans where they were."""
    return Text(
        inert(text.plain),
        style=text.style,
        justify=text.justify,
        overflow=text.overflow,
        no_wrap=text.no_wrap,
        end=text.end,
        spans=list(text.spans),
    )
