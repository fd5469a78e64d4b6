"""A user keymap (`keys.yaml`: command id -> keys) through Textual's set_keymap (issue 12)."""

from __future__ import annotations

import os
from pathlib import Path

from test_app_support import make_app, seed_articles, sync, views, wait_for
from textual.screen import Screen
from textual.widgets import Input, Static

from tui.app.dialogs.memo_list import MemoList
from tui.app.key_bindings import hint_line
from tui.app.model.key_table import commands_for
from tui.app.model.pane_state import state_path_for
from tui.app.model.session import ReaderSession
from tui.app.model.user_keymap import keymap_path, load_keymap
from tui.app.reader import ReaderApp
from tui.app.screens.annotations_screen import AnnotationsScreen
from tui.app.screens.help_screen import HelpScreen
from tui.app.screens.reader_screen import ReaderScreen
from tui.app.widgets.status_line import StatusLine
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
    # Which is which (a trial could not tell): the ids no command has, then the bad keys.
    assert "left out no command warp, 7 " in keymap.problem
    assert "not Textual key names: note: 'm!'; search: " in keymap.problem


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


def keymapped_app(tmp_path: Path, keymap: str) -> ReaderApp:
    db = tmp_path / "db.json"
    return ReaderApp(
        ReaderSession(seed_articles(), AnnotationStore(db, "alice")),
        state_path=state_path_for(db),
        keymap_path=write(tmp_path, keymap),
    )


def hint_of(screen: Screen[object]) -> str:
    return screen.query_one(".hint", Static).render().plain  # type: ignore[union-attr]


@sync
async def test_a_remapped_key_shows_in_a_screen_s_hint_line_and_in_the_notices(
    tmp_path: Path,
) -> None:
    """The annotations list's re-anchor key, the reader's select, cancel and undo keys,
    remapped: the list's hint line, the re-anchor notice and status line, and the notice of
    a removal say the user's keys, and the old re-anchor key no longer does it."""
    app = keymapped_app(
        tmp_path,
        "annotations-reanchor: ctrl+o\nselect: s\ncancel-mode: ctrl+g\nundo: ctrl+z\n",
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("t", *"NATO", "enter")  # tags the first sentence
        await pilot.press("a")
        browser = app.screen
        assert isinstance(browser, AnnotationsScreen)
        hint = hint_of(browser)
        assert "ctrl+o re-anchor" in hint and "ctrl+r" not in hint
        await pilot.press("down")  # from the tag to its annotation
        node = browser.tree.cursor_node
        assert node is not None and node.data is not None
        await pilot.press("ctrl+r")  # the old key: nothing
        assert app.screen is browser
        await pilot.press("ctrl+o")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        status = app.screen.query_one(StatusLine).content.plain
        assert "RE-ANCHOR: select the passage (s, j/k, h/l), enter confirms, ctrl+g cancels" in (
            status
        )
        messages = [n.message for n in app._notifications]
        assert any("(s, j/k, h/l) and press enter; ctrl+g cancels" in m for m in messages)
        await pilot.press("ctrl+g")
        assert "RE-ANCHOR" not in app.screen.query_one(StatusLine).content.plain
        await pilot.press("x")  # remove the annotation: the notice names the user's undo
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("Annotation removed; ctrl+z undoes") for m in messages)


@sync
async def test_help_inside_a_screen_lists_its_own_keys_as_the_user_has_them(
    tmp_path: Path,
) -> None:
    """f1 in the annotations list (its filter takes `?`) and `?` in the memos list: each
    lists that screen's keys from the table, with a remapped key as remapped."""
    app = keymapped_app(tmp_path, "annotations-group: ctrl+g\nmemo-new: N\n")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a", "question_mark")  # typed into the filter, as before
        browser = app.screen
        assert isinstance(browser, AnnotationsScreen)
        assert browser.query_one(Input).value == "?"
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        rows = {text: keys for _, keys, text in app.screen._rows}
        wanted = {entry.help for entry in commands_for("annotations")}
        assert set(rows) == wanted
        assert rows["group by tag or by article (type to filter; @name: by author)"] == "ctrl+g"
        assert "tab" in hint_line("annotations") and "ctrl+g by tag" in hint_of(browser)
        await pilot.press("escape", "escape", "M")
        assert isinstance(app.screen, MemoList)
        assert hint_of(app.screen).startswith("enter edit · N new · p new on the project")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        rows = {text: keys for _, keys, text in app.screen._rows}
        assert set(rows) == {entry.help for entry in commands_for("memo-list")}
        assert rows["a new memo on the article"] == "N"
