"""The line under the panes: what is under the cursor (tags, note, author) and where we are."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len, set_cell_size
from rich.style import Style as RichStyle
from textual.content import Content
from textual.style import Style
from textual.widget import Widget

from tui.app.terminal_guard import inert_content
from tui.app.widgets.quoting import quoted
from tui.inert import inert
from tui.store.model import Annotation
from tui.wording import counted

TagStyler = Callable[[Sequence[str]], RichStyle]


def describe(
    annotations: Sequence[Annotation],
    *,
    position: str,
    tag_styler: TagStyler,
    selecting: bool = False,
    unsaved: int = 0,
    notice: str = "",
    background: str = "",
    width: int | None = None,
) -> Content:
    """The status text; every piece of data in it is plain text, never markup.

    `notice` names a mode the keys are in (re-anchoring), shown first so it is not missed.
    Within `width` cells the note is what gives way (shortened with "…"), so the author and
    the position stay in view.
    """
    parts: list[Content | str | tuple[str, str | Style]] = []
    if notice:
        parts.append((notice, "bold reverse"))
        parts.append(" ")
    if unsaved:
        parts.append((f"⚠ {counted(unsaved, 'change')} not saved yet, retrying", "bold reverse"))
        parts.append(" ")
    if selecting:
        parts.append(("SELECT ", "bold reverse"))
        parts.append(" ")
    if annotations:
        first = annotations[0]
        for tag in first.tags:
            parts.append((f" {_one_line(tag)} ", Style.from_rich_style(tag_styler([tag]))))
            parts.append(" ")
        if not first.tags:
            parts.append(("(no tags)", "dim"))
            parts.append(" ")
        note_at = len(parts) if first.note else None
        if first.author:
            parts.append((f"— {_one_line(first.author)}", "dim"))
        if first.anchor != "exact":
            parts.append((f" [{first.anchor}]", "bold"))
        if len(annotations) > 1:
            parts.append((f"  +{len(annotations) - 1} more", "dim"))
        parts.append("   ")
        if note_at is not None:
            parts.insert(note_at, _note_piece(first.note, parts, position, width))
    if background:  # the live corpus's cleaning: "cleaning 1,234 of 10,000"
        parts.append((f"{background} · ", "dim"))
    parts.append((position, "dim"))
    return inert_content(Content.assemble(*parts))


NOTE_LIMIT = 60


def _note_piece(
    note: str,
    parts: Sequence[Content | str | tuple[str, str | Style]],
    position: str,
    width: int | None,
) -> str | tuple[str, str]:
    """The note, quoted, shortened to what `width` leaves beside the other `parts`."""
    limit = NOTE_LIMIT
    if width is not None:
        others = Content.assemble(*parts, position).cell_length
        limit = min(limit, width - others - 3)  # the quotes and a space
    if limit < 2:
        return ""
    return (quoted(_one_line(note, limit)) + " ", "italic")


def _one_line(text: str, limit: int = 40) -> str:
    """`text` on one line within `limit` cells, cut with "…" if longer."""
    flat = " ".join(inert(text, multiline=True).split())  # data: stand-ins, before Content
    if cell_len(flat) <= limit:
        return flat
    return set_cell_size(flat, limit - 1).rstrip() + "…"


class StatusLine(Widget):
    """One line of status, redrawn without a layout pass (it changes on every cursor move)."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $foreground;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._content = Content("")

    @property
    def content(self) -> Content:
        return self._content

    def show(self, content: Content) -> None:
        if content != self._content:
            self._content = content
            self.refresh()

    def render(self) -> Content:
        return self._content
