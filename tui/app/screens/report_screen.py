"""`r`: the cleaning report of the focused article, raw beside clean; enter jumps to a change.

Shown so the cleaning can be checked and trusted: every repair with its confidence, and what
was moved out of the body (furniture, a repeated paragraph), which has no place to jump to.
"""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.app.dialogs.modal_box import modal_box_css
from tui.corpus.model import Article, Change
from tui.inert import inert
from tui.wording import counted

KIND_NOUNS = {
    "mojibake": "mojibake repair",
    "lost-byte": "guessed character",
    "furniture": "web furniture line",
    "kicker": "kicker line",
    "suspect": "suspect passage",
    "nfc": "Unicode normalisation",
    "control-char": "control character",
}
"""The report's kinds of change as a reader would count them; others read as they are."""


def kind_noun(kind: str) -> str:
    """`repeated-paragraph` -> `repeated paragraph`, for '2 repeated paragraphs'."""
    return KIND_NOUNS.get(kind, kind.replace("-", " "))


def _visible(text: str, limit: int = 50) -> str:
    """Whitespace and line breaks made visible, so an invisible repair can still be seen;
    other control characters (a removed ESC, say) as stand-ins, never sent to the terminal."""
    shown = inert(text.replace("\n", "⏎").replace("\t", "⇥"))
    if not shown:
        return "∅"
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def change_prompt(change: Change) -> Group:
    """One change: what it was and what it is, side by side, then its kind and confidence.

    Built from Rich `Text` and a grid, never markup, so article text shows as it is.
    """
    where = f"@{change.start}" if change.start is not None else "not in the clean text"
    about = Text.assemble(
        (change.kind, "bold"),
        (f"  {change.confidence:.0%}  {where}", "dim"),
        (f"  {_visible(change.detail, 200)}" if change.detail else "", "italic dim"),
    )
    sides = Table.grid(expand=True, padding=(0, 2))
    sides.add_column(ratio=1)
    sides.add_column(ratio=1)
    sides.add_row(Text(_visible(change.before, 120)), Text(_visible(change.after, 120), "bold"))
    return Group(sides, about)


def change_columns_header() -> Static:
    heading = Table.grid(expand=True, padding=(0, 2))
    heading.add_column(ratio=1)
    heading.add_column(ratio=1)
    heading.add_row(Text("raw", "bold underline"), Text("clean", "bold underline"))
    return Static(heading, classes="columns")


class ReportScreen(ModalScreen[int | None]):
    """Returns the offset of the chosen change in the clean text, or None."""

    DEFAULT_CSS = modal_box_css(
        "ReportScreen",
        width="95%",
        height="90%",
        max_width="140",
        max_height="100%",
        extra="""
    /* The scrollbar's column is kept even when there is no scrollbar, and the column
       headings leave it free too, so "clean" stays above the clean text. */
    & OptionList { height: 1fr; scrollbar-gutter: stable; scrollbar-size-vertical: 1; }
    & .columns { padding-right: 1; }
    & .summary, .hint { color: $foreground-muted; }
""",
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="report-close"),
    ]

    def __init__(self, article: Article) -> None:
        super().__init__()
        self._article = article
        self._changes = list(article.report)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(
                f"Cleaning report: {inert(self._article.title or self._article.id)}"
            )
            counts = Counter(change.kind for change in self._changes)
            summary = ", ".join(
                counted(count, kind_noun(kind)) for kind, count in counts.most_common()
            )
            yield Static(
                Content(summary or "no changes: the raw text was clean"), classes="summary"
            )
            yield change_columns_header()
            yield OptionList(
                *[
                    Option(change_prompt(change), id=str(index))
                    for index, change in enumerate(self._changes)
                ],
                id="report-options",
                compact=True,
            )
            yield Static(Content("enter jump to the change · esc close"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#report-options", OptionList).focus()

    @on(OptionList.OptionSelected, "#report-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        change = self._changes[int(event.option.id or 0)]
        if change.start is None:
            self.app.notify(
                f"Nothing to jump to: this {change.kind} is not in the clean text.", markup=False
            )
            return
        self.dismiss(change.start)

    def action_close(self) -> None:
        self.dismiss(None)
