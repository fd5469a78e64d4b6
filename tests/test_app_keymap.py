"""A user keymap (`keys.yaml`: command id -> keys) through Textual's set_keymap (issue 12)."""

from __future__ import annotations

import os
from pathlib import Path

from test_app_support import make_app, seed_articles, sync, views

from tui.app.model.pane_state import state_path_for
from tui.app.model.session import ReaderSession
from tui.app.model.user_keymap import keymap_path, load_keymap
from tui.app.reader import ReaderApp
from tui.store import AnnotationStore


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "marginalia" / "keys.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_keymap_lives_under_xdg_config_home(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert keymap_path() == tmp_path / "marginalia" / "keys.yaml"


def test_good_entries_apply_and_bad_ones_are_named_in_one_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "undo: ctrl+z\nnext-sentence: [j, s]\nwarp: w\nnote: 'm!'\n7: x\nsearch: {a: b}\n",
    )
    keymap = load_keymap(path)
    assert keymap.keys == {"undo": "ctrl+z", "next-sentence": "j,s"}
    assert "\n" not in keymap.problem
    for bad in ("warp", "note", "7", "search"):
        assert bad in keymap.problem
    assert "undo" not in keymap.problem


def test_no_file_is_no_keymap_and_a_bad_file_is_one_line(tmp_path: Path) -> None:
    assert load_keymap(tmp_path / "none.yaml").keys == {}
    assert load_keymap(tmp_path / "none.yaml").problem == ""
    assert "not YAML" in load_keymap(write(tmp_path, "undo: [unclosed\n")).problem
    assert "not a mapping" in load_keymap(write(tmp_path, "- undo\n")).problem
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    assert load_keymap(fifo).problem  # not a regular file: never blocks on it
    big = write(tmp_path, "undo: u\n" + "#" * 70_000 + "\n")
    assert load_keymap(big).keys == {} and load_keymap(big).problem


@sync
async def test_a_remapped_key_moves_and_the_help_shows_it(tmp_path: Path) -> None:
    path = write(tmp_path, "next-sentence: s\nwarp: w\n")
    db = tmp_path / "db.json"
    app = ReaderApp(
        ReaderSession(seed_articles(), AnnotationStore(db, "alice")),
        state_path=state_path_for(db),
        keymap_path=path,
    )
    async with app.run_test(size=(100, 30)) as pilot:
        left = views(app)[0]
        await pilot.press("s")
        assert left.cursor == 1
        await pilot.press("j")  # replaced, not added to
        assert left.cursor == 1
        warnings = [n.message for n in app._notifications if n.severity == "warning"]
        assert any("warp" in message for message in warnings)
        rows = {text: keys for _, keys, text in app.key_help()}
        assert rows["next sentence (the cursor is a sentence)"] == "s"


@sync
async def test_without_a_keymap_the_keys_are_the_table_s(tmp_path: Path) -> None:
    app = make_app(tmp_path / "db.json")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j")
        assert views(app)[0].cursor == 1
