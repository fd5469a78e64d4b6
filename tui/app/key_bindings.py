"""The command table (`tui.app.model.key_table`) as Textual sees it: bindings and hint lines.

A screen or widget takes its keys from here (`BINDINGS = bindings_for("codebook")`), so the
footer, `?`, the palette and a user keymap (`App.set_keymap`, by command id) agree with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from textual.binding import Binding, BindingType
from textual.keys import format_key

from tui.app.model.key_table import COMMANDS, Command, Where, command, commands_for


def binding(command: Command, keys: str | None = None) -> Binding:
    """The command's Binding (with `keys` instead of the table's, for a user keymap)."""
    return Binding(
        keys or command.keys,
        command.action,
        command.title,
        show=command.footer,
        key_display=command.key_display,
        tooltip=command.help,
        id=command.id,
        priority=command.priority,
    )


def bindings_for(where: Where, user_keys: Mapping[str, str] | None = None) -> list[BindingType]:
    """The Textual bindings of one screen or widget, in table order; `user_keys` (command id
    -> keys) only for showing them: the App applies a keymap with `set_keymap`."""
    keys = user_keys or {}
    return [binding(command, keys.get(command.id)) for command in commands_for(where)]


def key_label(keys: str) -> str:
    """`"j,down"` -> `"j / down"`, `"right_square_bracket"` -> `"]"`."""
    labels = []
    for key in keys.split(","):
        *modifiers, name = key.strip().split("+")
        labels.append("+".join([*modifiers, format_key(name)]))
    return " / ".join(labels)


def user_keys_of(app: object) -> Mapping[str, str]:
    """The keymap the App applied (command id -> keys): `ReaderApp.user_keys`, else none."""
    keys = getattr(app, "user_keys", None)
    return keys if isinstance(keys, Mapping) else {}


def _user_keys(command_id: str, user_keys: Mapping[str, str] | None) -> list[str]:
    """The command's keys as the user has them (their keymap's, else the table's)."""
    keys = (user_keys or {}).get(command_id) or command(command_id).keys
    return [key.strip() for key in keys.split(",")]


def _hint_label(key: str) -> str:
    return "enter" if key == "enter" else key_label(key)


def hint_key(
    command_id: str, user_keys: Mapping[str, str] | None = None, *, prefer: str = ""
) -> str:
    """How a hint line or a notice names the command's key, as the user has it: `prefer`
    if it is still one of its keys, else the first (`"enter"`, `"esc"`, `"ctrl+r"`, `"/"`)."""
    keys = _user_keys(command_id, user_keys)
    return _hint_label(prefer if prefer in keys else keys[0])


def hint_keys(command_id: str, user_keys: Mapping[str, str] | None = None) -> str:
    """Every key of the command, as the user has them: `"y / enter"`, `"ctrl+s / f2"`."""
    return " / ".join(_hint_label(key) for key in _user_keys(command_id, user_keys))


def reanchor_keys(user_keys: Mapping[str, str] | None = None) -> tuple[str, str, str]:
    """(how to select, confirm, cancel) while re-anchoring by hand, as the user has the keys:
    `("v, j/k, h/l", "enter", "esc")`."""
    k = partial(hint_key, user_keys=user_keys)
    select = (
        f"{k('select')}, {k('next-sentence')}/{k('prev-sentence')}, "
        f"{k('word-back')}/{k('word-forward')}"
    )
    return select, k("tag", prefer="enter"), k("cancel-mode")


def hint_line(
    *places: Where, user_keys: Mapping[str, str] | None = None, every_key: bool = False
) -> str:
    """`n new · R rename · … · esc close`: a screen's own one-line key hint, from the table's
    `hint` words (commands of one word share an entry: `1-9 key`, `f m c view`), with the
    user's keys; `close` (or `cancel`) last. `every_key`: each command's every key, where a
    dialog has room and more than one key does it (`y / enter yes · n / esc no`)."""
    words: dict[str, list[str]] = {}
    name_keys = hint_keys if every_key else hint_key
    for entry in COMMANDS:  # in table order, when a screen's keys span places
        if entry.where in places and entry.hint:
            words.setdefault(entry.hint, []).append(name_keys(entry.id, user_keys))
    for last in ("cancel", "close"):
        if last in words:
            words[last] = words.pop(last)
    parts = []
    for word, keys in words.items():
        if len(keys) > 2 and all(key.isdigit() for key in keys):
            shown = f"{keys[0]}-{keys[-1]}"
        else:
            shown = (" / " if every_key else " ").join(keys)
        parts.append(f"{shown} {word}")
    return " · ".join(parts)
