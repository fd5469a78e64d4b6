"""`i`: correct an article's title, source, author, date and URL; set its attributes.

The fields start from what is shown now; only fields the reader changed are saved, and a field
emptied gives back what cleaning derived. Below them, the article's attributes, one row
`name = value` each, and a blank row to add one (enter on a filled last row adds another); a
value emptied removes that attribute, a name changed renames it. A value the store refuses (a
URL that is not http(s), a line break) is shown in the dialog, which stays open, and attributes
are checked before anything is saved. The keys are the command table's (`article-details`):
f1 lists them (`?` is typed into a field), a user's keymap moves them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.app.dialogs.modal_box import modal_box_css
from tui.app.dialogs.prompts import DIALOG_RULES
from tui.app.key_bindings import bindings_for, hint_line, user_keys_of
from tui.app.widgets.ordered_input import OrderedInput
from tui.corpus.model import Article
from tui.inert import inert
from tui.store.errors import StoreError
from tui.store.model import ARTICLE_META_FIELDS, article_details
from tui.store.rules import checked_attributes

SaveDetails = Callable[[dict[str, str]], None]
SaveAttributes = Callable[[dict[str, str]], None]
"""Called with the attribute changes by name ("" removes one)."""


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
    & #attributes { height: auto; max-height: 8; }
    & .attribute { height: 1; }
    & .attribute .attribute-name { width: 24; }
    & .attribute Label { width: 3; }
    & .attribute .attribute-value { width: 1fr; }
""",
    )

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("article-details")

    def __init__(
        self,
        article: Article,
        save: SaveDetails,
        attributes: Mapping[str, str] | None = None,
        save_attributes: SaveAttributes | None = None,
    ) -> None:
        super().__init__()
        self._article = article
        self._shown = article_details(article)
        self._save = save
        # Without a way to save them, the attributes are not offered.
        self._attributes = dict(attributes or {})
        self._save_attributes = save_attributes
        self._rows = 0

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
            if self._save_attributes is not None:
                yield Label(Content("attributes (name = value; empty value removes)"))
                with VerticalScroll(id="attributes"):
                    for name, value in sorted(self._attributes.items()):
                        yield self._attribute_row(name, value)
                    yield self._attribute_row("", "")
            yield Static(Content(""), id="details-error", classes="error")
            # enter and tab are the fields' own keys, not the table's.
            fields = (
                "enter next field (saves on url) · tab to attributes"
                if self._save_attributes is not None
                else "enter next field (saves on the last)"
            )
            keys = hint_line("article-details", user_keys=user_keys_of(self.app), every_key=True)
            yield Static(Content(f"{fields} · {keys}"), classes="hint")

    def _attribute_row(self, name: str, value: str) -> Horizontal:
        index = self._rows
        self._rows += 1
        name_input = OrderedInput(
            name, placeholder="new name", id=f"attribute-name-{index}", compact=True
        )
        name_input.add_class("attribute-name")
        value_input = OrderedInput(value, id=f"attribute-value-{index}", compact=True)
        value_input.add_class("attribute-value")
        for field in (name_input, value_input):
            field.cursor_blink = False
        return Horizontal(name_input, Label(Content(" = ")), value_input, classes="attribute")

    def attribute_rows(self) -> list[tuple[str, str]]:
        """The rows as typed: (name, value), trimmed, in order."""
        return [
            (
                self.query_one(f"#attribute-name-{index}", Input).value.strip(),
                self.query_one(f"#attribute-value-{index}", Input).value.strip(),
            )
            for index in range(self._rows)
        ]

    def attribute_changes(self) -> dict[str, str]:
        """What to save: rows set or changed, and "" for each attribute no longer there."""
        wanted: dict[str, str] = {}
        for name, value in self.attribute_rows():
            if not name and value:
                raise StoreError(f"the attribute value {value[:40]!r} needs a name")
            if name and value:
                wanted[name] = value
        changes = {name: "" for name in self._attributes if name not in wanted}
        changes.update(
            {name: value for name, value in wanted.items() if self._attributes.get(name) != value}
        )
        return changes

    def on_mount(self) -> None:
        self.query_one(f"#details-{ARTICLE_META_FIELDS[0]}", Input).focus()

    def values(self) -> dict[str, str]:
        return {
            name: self.query_one(f"#details-{name}", Input).value.strip()
            for name in ARTICLE_META_FIELDS
        }

    @on(Input.Submitted)
    async def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        last = self._rows - 1
        if event.input.id == f"details-{ARTICLE_META_FIELDS[-1]}":
            self.action_save()
        elif event.input.id == f"attribute-value-{last}":
            name, value = self.attribute_rows()[last]
            if name or value:  # a filled last row: another blank one to add the next
                new_name = f"#attribute-name-{self._rows}"
                await self.query_one("#attributes", VerticalScroll).mount(
                    self._attribute_row("", "")
                )
                self.query_one(new_name, Input).focus()
            else:
                self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        changed = {
            name: value for name, value in self.values().items() if value != self._shown[name]
        }
        try:
            attributes = self.attribute_changes() if self._save_attributes else {}
            checked_attributes(attributes)  # refused before anything is saved
            if changed:
                self._save(changed)
                self._shown.update(changed)  # saved: a retry after an attribute error skips it
            if attributes and self._save_attributes is not None:
                self._save_attributes(attributes)
        except StoreError as error:
            self.query_one("#details-error", Static).update(
                Content(inert(str(error), multiline=True))
            )
            return
        self.dismiss(bool(changed or attributes))

    def action_cancel(self) -> None:
        self.dismiss(False)
