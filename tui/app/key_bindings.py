"""The command table (`tui.app.model.key_table`) as Textual sees it: bindings and hint lines.

A screen or widget takes its keys from here (`BINDINGS = bindings_for("codebook")`), so the
footer, `?`, the palette and a user keymap (`App.set_keymap`, by command id) agree with it.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType
from textual.keys import format_key

from tui.app.model.key_table import Command, Where, commands_for


def binding(command: Command) -> Binding:
    return Binding(
        command.keys,
        command.action,
        command.title,
        show=command.footer,
        key_display=command.key_display,
        tooltip=command.help,
        id=command.id,
    )


def bindings_for(where: Where) -> list[BindingType]:
    """The Textual bindings of one screen or widget, in table order."""
    return [binding(command) for command in commands_for(where)]


def key_label(keys: str) -> str:
    """`"j,down"` -> `"j / down"`, `"right_square_bracket"` -> `"]"`."""
    labels = []
    for key in keys.split(","):
        *modifiers, name = key.strip().split("+")
        labels.append("+".join([*modifiers, format_key(name)]))
    return " / ".join(labels)


def hint_line(where: Where) -> str:
    """`n new · R rename · … · esc close`: a screen's own one-line key hint, from the table's
    `hint` words (commands of one word share an entry: `1-9 key`); `close` last."""
    words: dict[str, list[str]] = {}
    for command in commands_for(where):
        if command.hint:
            words.setdefault(command.hint, []).append(key_label(command.keys.split(",")[0]))
    if "close" in words:
        words["close"] = words.pop("close")
    parts = []
    for word, keys in words.items():
        shown = f"{keys[0]}-{keys[-1]}" if len(keys) > 2 else "/".join(keys)
        parts.append(f"{shown} {word}")
    return " · ".join(parts)
