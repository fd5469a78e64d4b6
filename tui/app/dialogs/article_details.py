"""`i`: correct an article's title, source, author, date and URL.

The fields start from what is shown now; only fields the reader changed are saved, and a field
emptied gives back what cleaning derived. A value the store refuses (a URL that is not http(s),
a line break) is shown in the dialog, which stays open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.app.dialogs.modal_box import modal_box_css
from tui.app.dialogs.prompts import DIALOG_RULES
from tui.app.widgets.ordered_input import OrderedInput
from tui.corpus.model import Article
from tui.inert import inert
from tui.store.errors import StoreError
from tui.store.model import ARTICLE_META_FIELDS, article_details

SaveDetails = Callable[[dict[str, str]], None]


class ArticleDetailsEditor(ModalScreen[bool]):
    """Returns True once saved, False when cancelled."""

    DEFAULT_CSS = modal_box_css(
        "ArticleDetailsEditor",
        width="76",
        extra=DIALOG_RULES
        + """
    & .field { height: 1; }
    & .field Label { width: 8; }
    & .field Input { width: 1fr; }
""",
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f2", "save", "Save", id="details-save"),
        Binding("escape", "cancel", "Cancel", id="details-cancel"),
    ]

    def __init__(self, article: Article, save: SaveDetails) -> None:
        super().__init__()
        self._article = article
        self._shown = article_details(article)
        self._save = save

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content("Article details")
            box.border_subtitle = Content(inert(self._article.id))
            for name in ARTICLE_META_FIELDS:
                with Horizontal(classes="field"):
                    yield Label(Content(name))
                    field = OrderedInput(self._shown[name], id=f"details-{name}", compact=True)
                    field.cursor_blink = False
                    yield field
            yield Static(Content(""), id="details-error", classes="error")
            yield Static(
                Content("enter next field (saves on the last) · ctrl+s / F2 save · esc cancel"),
                classes="hint",
            )

    def on_mount(self) -> None:
        self.query_one(f"#details-{ARTICLE_META_FIELDS[0]}", Input).focus()

    def values(self) -> dict[str, str]:
        return {
            name: self.query_one(f"#details-{name}", Input).value.strip()
            for name in ARTICLE_META_FIELDS
        }

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == f"details-{ARTICLE_META_FIELDS[-1]}":
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        changed = {
            name: value for name, value in self.values().items() if value != self._shown[name]
        }
        if changed:
            try:
                self._save(changed)
            except StoreError as error:
                self.query_one("#details-error", Static).update(
                    Content(inert(str(error), multiline=True))
                )
                return
        self.dismiss(bool(changed))

    def action_cancel(self) -> None:
        self.dismiss(False)
