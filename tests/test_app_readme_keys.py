"""README's key table says what the command table says (issue 12): a key the README lists is
bound, and every reader key is in the README, so neither can drift from the other."""

from __future__ import annotations

import re
from pathlib import Path

from tui.app.model.key_table import Command, commands_for

README = Path(__file__).parent.parent / "README.md"
READER_PLACES = ("pane", "reader", "app")
LABELS = {
    "pgdn": "pagedown",
    "pgup": "pageup",
    "esc": "escape",
    "/": "slash",
    "?": "question_mark",
    ".": "full_stop",
    ",": "comma",
    "]": "right_square_bracket",
    "[": "left_square_bracket",
}


def readme_key_rows(text: str) -> list[tuple[list[str], str]]:
    """(keys as Textual names, what it does) for each row of the `## Keys` table."""
    section = text.split("\n## Keys\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) != 2 or cells[0] in {"key", "---"}:
            continue
        keys_cell, does = cells
        if span := re.fullmatch(r"`(\d)`-`(\d)`", keys_cell):
            keys = [str(n) for n in range(int(span[1]), int(span[2]) + 1)]
        else:
            quoted = re.findall(r"`([^`]+)`", keys_cell)
            bare = re.findall(r"[a-z][a-z+]*", re.sub(r"`[^`]+`", " ", keys_cell))
            keys = quoted + [word for word in bare if word != "then"]
        rows.append(([LABELS.get(key, key) for key in keys], does))
    return rows


def reader_commands() -> list[Command]:
    return [command for place in READER_PLACES for command in commands_for(place)]


def test_the_readme_key_table_is_found() -> None:
    rows = readme_key_rows(README.read_text(encoding="utf-8"))
    assert len(rows) > 15
    assert (["question_mark"], rows[-3][1]) == rows[-3]  # `?` is a row of its own


def test_every_key_in_the_readme_is_bound_in_the_command_table() -> None:
    bound = {key for command in reader_commands() for key in command.keys.split(",")}
    for keys, does in readme_key_rows(README.read_text(encoding="utf-8")):
        unknown = [key for key in keys if key not in bound]
        assert not unknown, f"README lists {unknown} ({does[:40]}…), which no command binds"


def test_every_reader_command_is_in_the_readme() -> None:
    listed = {
        key for keys, _ in readme_key_rows(README.read_text(encoding="utf-8")) for key in keys
    }
    missing = [c.id for c in reader_commands() if c.keys.split(",")[0] not in listed]
    assert not missing, f"README's key table does not list {missing}"


def test_a_drifted_readme_is_caught() -> None:
    """The checks above can fail: a README row naming a key nothing binds is found."""
    text = "intro\n## Keys\n\n| key | does |\n|---|---|\n| `w` | warp |\n| `j` | next |\n"
    rows = readme_key_rows(text)
    bound = {key for command in reader_commands() for key in command.keys.split(",")}
    assert rows == [(["w"], "warp"), (["j"], "next")]
    assert "w" not in bound and "j" in bound
