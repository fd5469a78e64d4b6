"""README's key tables say what the command table says (issue 12): a key the README lists is
bound, and every key is in the README, so neither can drift from the other. The reader's
table comes first; each screen's own is under "### Keys inside the screens"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tui.app.model.key_table import SCREEN_PLACES, Command, commands_for

README = Path(__file__).parent.parent / "README.md"
READER_PLACES = ("pane", "reader", "app")
SCREENS = "\n### Keys inside the screens\n"
SCREEN_TABLES = {
    "The tag picker": ("tag-picker",),
    "The annotations list": ("annotations",),
    "The codebook": ("codebook",),
    "Memos": ("memo-list",),
    "Analysis": ("analysis",),
    "Compare coders": ("coders", "compare"),
    "Search every article": ("corpus-search", "corpus-search-hits"),
    "The note editor": ("note-editor",),
    "Export": ("export",),
    "The article picker": ("article-picker",),
    "Article details": ("article-details",),
    "Questions, names and colours": ("confirm", "text-prompt", "colour-chooser"),
}
"""Each README heading under SCREENS (before its `(key)`), and the table places it lists."""
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


def keys_section(text: str) -> str:
    return text.split("\n## Keys\n", 1)[1].split("\n## ", 1)[0]


def readme_key_rows(text: str) -> list[tuple[list[str], str]]:
    """(keys as Textual names, what it does) for each row of the reader's key table."""
    return table_rows(keys_section(text).split(SCREENS, 1)[0])


def readme_screen_rows(text: str) -> dict[str, list[tuple[list[str], str]]]:
    """Each screen's heading (without its `(key)`) -> the rows of its table."""
    screens = keys_section(text).split(SCREENS, 1)[1]
    tables = {}
    for part in screens.split("\n#### ")[1:]:
        heading, body = part.split("\n", 1)
        tables[heading.split(" (")[0]] = table_rows(body)
    return tables


def table_rows(section: str) -> list[tuple[list[str], str]]:
    """(keys as Textual names, what it does) for each row of the markdown tables here."""
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


def place_commands(places: tuple[str, ...]) -> list[Command]:
    return [command for place in places for command in commands_for(place)]


def test_every_screen_with_keys_has_a_readme_table() -> None:
    tables = readme_screen_rows(README.read_text(encoding="utf-8"))
    assert list(tables) == list(SCREEN_TABLES)
    listed = {place for places in SCREEN_TABLES.values() for place in places}
    assert set(SCREEN_PLACES) | {"tag-picker", "annotations", "codebook"} == listed


@pytest.mark.parametrize("heading", list(SCREEN_TABLES))
def test_a_screen_s_readme_keys_are_its_keys_in_the_table(heading: str) -> None:
    """Both ways, per screen: each key its README table lists is bound there, and each of
    its commands' first keys is listed."""
    rows = readme_screen_rows(README.read_text(encoding="utf-8"))[heading]
    commands = place_commands(SCREEN_TABLES[heading])
    bound = {key for command in commands for key in command.keys.split(",")}
    for keys, does in rows:
        unknown = [key for key in keys if key not in bound]
        assert not unknown, f"README ({heading}) lists {unknown} ({does[:40]}…), not bound there"
    listed = {key for keys, _ in rows for key in keys}
    missing = [c.id for c in commands if c.keys.split(",")[0] not in listed]
    assert not missing, f"README ({heading}) does not list {missing}"


def test_a_drifted_screen_table_is_caught() -> None:
    """A screen table naming a key the screen does not bind is found (the check can fail)."""
    text = (
        "x\n## Keys\n\n| key | does |\n|---|---|\n| `j` | next |\n"
        "\n### Keys inside the screens\n\n#### Memos (`M`)\n\n| key | does |\n|---|---|\n"
        "| `w` | warp |\n| esc, `q` | back |\n"
    )
    assert readme_key_rows(text) == [(["j"], "next")]
    rows = readme_screen_rows(text)["Memos"]
    assert rows == [(["w"], "warp"), (["q", "escape"], "back")]
    bound = {key for command in commands_for("memo-list") for key in command.keys.split(",")}
    assert "w" not in bound and {"q", "escape"} <= bound
