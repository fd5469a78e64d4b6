"""The user's own keys: `$XDG_CONFIG_HOME/marginalia/keys.yaml`, command id -> keys.

```yaml
tag: t,enter                # ids are the command table's (tui/app/model/key_table.py)
next-passage: full_stop     # keys are Textual key names, comma-separated
undo: [u, ctrl+z]
```

The App applies it with Textual's `App.set_keymap`. The file is read through `tui.safe_read`
(a regular file, never past a size limit); an unknown id or a value that is not key names is
left out and named in one line, and the rest still applies.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from tui.app.model.key_table import find
from tui.errors import UserError
from tui.safe_read import read_regular

KEYMAP_LIMIT = 64 * 1024
"""A keymap is a few dozen lines; anything larger is not one."""
KEY_NAME = re.compile(r"[A-Za-z0-9_]+(\+[A-Za-z0-9_]+)*")
"""One Textual key name: `t`, `U`, `ctrl+r`, `full_stop`, `shift+tab`."""


def keymap_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "marginalia" / "keys.yaml"


@dataclass(frozen=True, slots=True)
class UserKeymap:
    keys: dict[str, str]
    """Command id -> Textual keys (comma-separated), the entries that are good."""
    problem: str = ""
    """One line naming what was left out, or why the file was not read; "" when all is well."""


def load_keymap(path: Path) -> UserKeymap:
    """The good entries of the keymap at `path` (none if there is no file)."""
    try:
        raw = read_regular(path, KEYMAP_LIMIT, what="a keymap")
    except FileNotFoundError:
        return UserKeymap({})
    except OSError as error:
        return UserKeymap({}, f"Keymap {path} not read: {error.strerror or error}")
    except UserError as error:
        return UserKeymap({}, f"Keymap not read: {error}")
    import yaml  # only when there is a keymap: launch does not pay for YAML

    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        return UserKeymap({}, f"Keymap {path} is not YAML (command id: keys, one a line).")
    if data is None:
        return UserKeymap({})
    if not isinstance(data, dict):
        return UserKeymap({}, f"Keymap {path} is not a mapping (command id: keys, one a line).")
    keys: dict[str, str] = {}
    unknown: list[str] = []
    not_keys: list[str] = []
    for command_id, value in data.items():
        keys_text = _keys(value)
        if not isinstance(command_id, str) or find(command_id) is None:
            unknown.append(str(command_id)[:40])
        elif keys_text is None:
            not_keys.append(f"{command_id}: {str(value)[:40]!r}")
        else:
            keys[command_id] = keys_text
    said = []
    if unknown:
        said.append(f"no command {', '.join(unknown)} (ids: tui/app/model/key_table.py)")
    if not_keys:
        said.append(f"not Textual key names: {'; '.join(not_keys)}")
    problem = f"Keymap {path}: left out {' and '.join(said)}." if said else ""
    return UserKeymap(keys, problem)


def _keys(value: object) -> str | None:
    """`"t,enter"` or `["t", "enter"]` as Textual's comma-separated keys; None if not keys."""
    if isinstance(value, str):
        parts = [part.strip() for part in value.split(",")]
    elif isinstance(value, list) and all(isinstance(part, str) for part in value):
        parts = [part.strip() for part in value]
    else:
        return None
    if not parts or not all(KEY_NAME.fullmatch(part) for part in parts):
        return None
    return ",".join(parts)
