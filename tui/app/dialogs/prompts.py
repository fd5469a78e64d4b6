"""Small modal dialogs the codebook and the reader share: a line of text, a yes/no, a colour.

Every field is an OrderedInput (keys in a burst stay in order) and every label is Content, so
tag names and article titles shown in a dialog are never read as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.style import Style as RichStyle
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.style import Style
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.app.dialogs.modal_box import modal_box_css
from tui.app.key_bindings import bindings_for, hint_line, user_keys_of
from tui.app.widgets.ordered_input import OrderedInput
from tui.inert import inert
from tui.store.errors import StoreError
from tui.store.rules import PALETTE

# What the small dialogs hold besides their frame: hints, refusals, the question.
DIALOG_RULES = """
    & .hint { color: $foreground-muted; }
    & .error { color: $error; text-style: bold; }
    & .message { margin-bottom: 1; }
"""


class TextPrompt(ModalScreen[str | None]):
    """One line of text (a tag name, a description); enter saves, esc cancels, f1 lists the
    keys (`?` is typed into the field).

    `apply` is run on enter and may raise StoreError for a value it refuses: the message is
    shown in the dialog and it stays open, so a typo costs no more than fixing it.
    """

    DEFAULT_CSS = modal_box_css("TextPrompt", width="64", extra=DIALOG_RULES)

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("text-prompt")

    def __init__(
        self,
        title: str,
        value: str = "",
        *,
        placeholder: str = "",
        hint: str = "enter save",
        apply: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__()
        self._title = title
        self._value = value
        self._placeholder = placeholder
        self._hint = hint  # what enter does: the field's own key, before the table's
        self._apply = apply

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(inert(self._title))
            # The cursor at the end of the value, nothing selected: a rename usually adds to
            # or corrects the end of a name, and a first key must not replace all of it.
            field = OrderedInput(
                self._value,
                placeholder=self._placeholder,
                id="prompt-value",
                compact=True,
                select_on_focus=False,
            )
            field.cursor_blink = False
            yield field
            yield Static(Content(""), id="prompt-error", classes="error")
            keys = hint_line("text-prompt", user_keys=user_keys_of(self.app))
            yield Static(Content(f"{self._hint} · {keys}"), classes="hint")

    def on_mount(self) -> None:
        field = self.query_one("#prompt-value", Input)
        field.focus()
        field.cursor_position = len(field.value)

    @on(Input.Submitted, "#prompt-value")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if self._apply is not None:
            try:
                self._apply(value)
            except StoreError as error:
                self.query_one("#prompt-error", Static).update(
                    Content(inert(str(error), multiline=True))
                )
                return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question: y or enter confirms, n or esc declines, `?` lists the keys."""

    DEFAULT_CSS = modal_box_css("ConfirmDialog", width="64", extra=DIALOG_RULES)

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("confirm")

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self._title = title
        self._message = message

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(inert(self._title))
            yield Static(Content(inert(self._message, multiline=True)), classes="message")
            keys = hint_line("confirm", user_keys=user_keys_of(self.app), every_key=True)
            yield Static(Content(keys), classes="hint")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


def color_label(name: str) -> str:
    """`ansi_bright_red` -> `bright red`."""
    return name.removeprefix("ansi_").replace("_", " ")


class ColorChooser(ModalScreen[str | None]):
    """The codebook's terminal colour names (distinct in every theme), each with its swatch."""

    DEFAULT_CSS = modal_box_css(
        "ColorChooser",
        width="40",
        extra=DIALOG_RULES + "& OptionList { height: auto; max-height: 18; }",
    )

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("colour-chooser")

    def __init__(
        self, tag: str, current: str, swatch: Callable[[str], RichStyle] | None = None
    ) -> None:
        super().__init__()
        self._tag = tag
        self._current = current
        self._swatch = swatch
        self._colors: Sequence[str] = PALETTE  # the codebook's colours, as new codes get

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(f"Colour of {inert(self._tag)}")
            options = []
            for name in self._colors:
                style = (
                    Style.from_rich_style(self._swatch(name))
                    if self._swatch is not None
                    else Style()
                )
                mark = " ●" if name == self._current else ""
                options.append(
                    Option(
                        Content.assemble((" Aa ", style), f"  {color_label(name)}{mark}"),
                        id=name,
                    )
                )
            yield OptionList(*options, id="color-options", compact=True)
            # enter is the list's own key (it selects), not a table key.
            keys = hint_line("colour-chooser", user_keys=user_keys_of(self.app))
            yield Static(Content(f"enter choose · {keys}"), classes="hint")

    def on_mount(self) -> None:
        options = self.query_one("#color-options", OptionList)
        options.focus()
        if self._current in self._colors:
            options.highlighted = list(self._colors).index(self._current)

    @on(OptionList.OptionSelected, "#color-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
