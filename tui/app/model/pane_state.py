"""What the reader remembers between runs: which article each pane showed, per user.

Kept in a small JSON file next to the store. It is a convenience, not data: a missing or
unreadable file means "start with the first articles", and it is written atomically so two
readers closing at once never leave half a file.
"""

from __future__ import annotations

import json
from pathlib import Path

from tui.atomic import new_file_mode, replace_file
from tui.safe_read import UnsafeFile, read_regular

STATE_NAME = ".marginalia-state.json"
# A few article ids per user: a FIFO, a link or a huge file in its place is ignored.
STATE_LIMIT = 1 << 20


def _read_state(path: Path) -> object:
    """The parsed file; OSError or ValueError (UnsafeFile too) when there is none to use."""
    try:
        raw = read_regular(path, STATE_LIMIT, follow_links=False)
    except UnsafeFile as error:
        raise ValueError(str(error)) from None
    return json.loads(raw.decode("utf-8"))


def state_path_for(db: Path) -> Path:
    return db.parent / STATE_NAME


def load_panes(path: Path, user: str) -> list[str]:
    try:
        data = _read_state(path)
        panes = data["users"][user]["panes"]  # type: ignore[index]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    if not isinstance(panes, list):
        return []
    return [pane for pane in panes if isinstance(pane, str)]


def save_panes(path: Path, user: str, panes: list[str]) -> None:
    """Remember `panes` for `user`; raises OSError when the folder cannot be written."""
    try:
        data = _read_state(path)
        if not isinstance(data, dict) or not isinstance(data.get("users"), dict):
            data = {"users": {}}
    except (OSError, ValueError):
        data = {"users": {}}
    users: dict[str, object] = data["users"]
    users[user] = {"panes": panes}
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    # In a shared folder every annotator keeps their panes in this one file.
    replace_file(path, payload, mode=new_file_mode(path.parent))


def choose_panes(remembered: list[str], available: list[str], count: int = 2) -> list[str]:
    """The articles to open: the remembered ones that still exist, then the first others."""
    chosen = [article for article in remembered if article in available][:count]
    for article in available:
        if len(chosen) >= count:
            break
        if article not in chosen:
            chosen.append(article)
    return chosen
