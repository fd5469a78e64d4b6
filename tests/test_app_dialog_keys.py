"""The dialogs' keys are command-table places: a user's keys.yaml moves them, their hint lines
say the moved key, and `?` (f1 where a field takes `?`) lists them as the user has them."""

from __future__ import annotations

from pathlib import Path

from test_app_support import LEFT, seed_articles, sync, views, wait_for
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Static, TextArea

from tui.app.dialogs.article_details import ArticleDetailsEditor
from tui.app.dialogs.article_picker import ArticlePicker
from tui.app.dialogs.export_dialog import ExportScreen
from tui.app.dialogs.memo_list import MemoList
from tui.app.dialogs.note_editor import NoteEditor
from tui.app.dialogs.prompts import ColorChooser, ConfirmDialog, TextPrompt
from tui.app.model.pane_state import state_path_for
from tui.app.model.session import ReaderSession
from tui.app.reader import ReaderApp
from tui.app.screens.analysis_screen import AnalysisScreen
from tui.app.screens.annotations_screen import AnnotationsScreen
from tui.app.screens.help_screen import HelpScreen
from tui.app.screens.reader_screen import ReaderScreen
from tui.store import AnnotationStore
from tui.store.memos import PROJECT

SIZE = (80, 24)


def keymapped_app(tmp_path: Path, keymap: str) -> ReaderApp:
    path = tmp_path / "config" / "marginalia" / "keys.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(keymap, encoding="utf-8")
    db = tmp_path / "db.json"
    return ReaderApp(
        ReaderSession(seed_articles(), AnnotationStore(db, "alice")),
        state_path=state_path_for(db),
        export_dir=tmp_path / "out",
        keymap_path=path,
    )


def hint_of(screen: Screen[object]) -> str:
    return screen.query(".hint").last(Static).render().plain  # type: ignore[union-attr]


async def keys_listed(pilot: Pilot[None], key: str) -> dict[str, str]:
    """Press `key` (the dialog's `?` or f1): the help's rows, what each does -> its keys;
    then close the help again."""
    app = pilot.app
    under = app.screen
    await pilot.press(key)
    assert await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
    help_screen = app.screen
    assert isinstance(help_screen, HelpScreen)
    rows = {text: keys for _, keys, text in help_screen._rows}
    await pilot.press("escape")
    assert await wait_for(pilot, lambda: app.screen is under)
    return rows


@sync
async def test_the_note_editor_s_keys_move_with_the_keymap(tmp_path: Path) -> None:
    app = keymapped_app(tmp_path, "note-save: f4\nnote-cancel: f9\n")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert hint_of(editor) == "f4 / f2 save · f1 keys · f9 cancel"
        await pilot.press(*"framing?")  # `?` is text here
        assert editor.query_one(TextArea).text == "framing?"
        rows = await keys_listed(pilot, "f1")
        assert rows == {
            "save what you wrote": "f4 / f2",
            "the keys of this screen": "f1",
            "close, save nothing": "f9",
        }
        await pilot.press("ctrl+s")  # the table's key, replaced: nothing
        assert app.screen is editor
        await pilot.press("f4")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        notes = [a.note for a in app.session.store.annotations()]
        assert notes == ["framing?"]
        await pilot.press("m", "escape")  # esc is no longer cancel
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("f9")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))


@sync
async def test_the_yes_no_name_and_colour_prompts_keys_move_with_the_keymap(
    tmp_path: Path,
) -> None:
    app = keymapped_app(
        tmp_path, "confirm-yes: j\nprompt-cancel: ctrl+g\ncolor-cancel: x\ncolour-chooser-help: h\n"
    )
    answers: list[object] = []
    async with app.run_test(size=SIZE) as pilot:
        dialog = ConfirmDialog("Delete tag", "Delete NATO?")
        app.push_screen(dialog, answers.append)
        await pilot.pause()
        assert hint_of(dialog) == "j yes · n / esc no · ? / f1 keys"
        rows = await keys_listed(pilot, "question_mark")
        assert rows["yes: do what it asks"] == "j"
        assert rows["no: leave things as they are"] == "n / esc"
        await pilot.press("y")  # no longer yes
        assert app.screen is dialog and answers == []
        await pilot.press("j")
        assert await wait_for(pilot, lambda: answers == [True])

        prompt = TextPrompt("New tag")
        app.push_screen(prompt, answers.append)
        await pilot.pause()
        assert hint_of(prompt) == "enter save · f1 keys · ctrl+g cancel"
        await pilot.press("question_mark")  # typed into the name
        assert prompt.query_one(Input).value == "?"
        rows = await keys_listed(pilot, "f1")
        assert rows["close, change nothing"] == "ctrl+g"
        await pilot.press("escape")
        assert app.screen is prompt
        await pilot.press("ctrl+g")
        assert await wait_for(pilot, lambda: answers == [True, None])

        chooser = ColorChooser("NATO", "ansi_red")
        app.push_screen(chooser, answers.append)
        await pilot.pause()
        assert hint_of(chooser) == "enter choose · h keys · x cancel"
        rows = await keys_listed(pilot, "h")
        assert rows == {"the keys of this screen": "h", "close, change nothing": "x"}
        await pilot.press("escape")
        assert app.screen is chooser
        await pilot.press("x")
        assert await wait_for(pilot, lambda: answers == [True, None, None])


@sync
async def test_the_export_dialog_s_keys_move_with_the_keymap(tmp_path: Path) -> None:
    app = keymapped_app(tmp_path, "export-run: ctrl+o\nexport-close: f9\n")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", *"NATO", "enter", "e")
        export = app.screen
        assert isinstance(export, ExportScreen)
        hint = hint_of(export)
        assert hint.endswith("ctrl+o export · f1 keys · f9 close")
        assert export.query_one(".hint", Static).region.height == 1  # fits 80 columns
        rows = await keys_listed(pilot, "f1")
        assert rows["write the file (enter in the path field does too)"] == "ctrl+o"
        await pilot.press("ctrl+s")  # no longer exports
        await pilot.pause()
        assert not (tmp_path / "out").exists()
        await pilot.press("escape")
        assert app.screen is export
        await pilot.press("f9")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        # A written file closes the dialog by itself.
        await pilot.press("e")
        export = app.screen
        assert isinstance(export, ExportScreen)
        await pilot.press("ctrl+o")
        assert await wait_for(pilot, lambda: export.result is not None)
        assert export.result is not None and export.result.path.exists()
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))


@sync
async def test_the_article_picker_s_keys_move_with_the_keymap(tmp_path: Path) -> None:
    app = keymapped_app(tmp_path, "articles-sort: ctrl+o\narticles-cancel: ctrl+g\n")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        picker = app.screen
        assert isinstance(picker, ArticlePicker)
        assert hint_of(picker) == "ctrl+o sort · enter open · f1 keys · ctrl+g cancel"
        assert str(picker.query_one("Vertical").border_subtitle).endswith("ctrl+o sorts")
        rows = await keys_listed(pilot, "f1")
        assert rows["order by corpus, title, date, source or coded passages"] == "ctrl+o"
        assert rows["page down / up"] == "pgdn / pgup"
        await pilot.press("ctrl+o")
        assert picker._sort == "title"
        await pilot.press("escape")  # no longer cancels
        assert app.screen is picker
        await pilot.press("ctrl+g")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))


@sync
async def test_the_article_details_keys_move_with_the_keymap(tmp_path: Path) -> None:
    app = keymapped_app(tmp_path, "details-save: f5\ndetails-cancel: f9\n")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        editor = app.screen
        assert isinstance(editor, ArticleDetailsEditor)
        assert hint_of(editor).endswith(" · f5 save · f1 keys · f9 cancel")
        hint = editor.query(".hint").last(Static)
        assert hint.region.bottom < SIZE[1]  # fields, attributes and keys fit 80x24
        rows = await keys_listed(pilot, "f1")
        assert rows["save the details and attributes"] == "f5"
        field = editor.query_one("#details-title", Input)
        field.value = "A title of my own"
        await pilot.press("ctrl+s", "escape")  # neither saves nor cancels now
        assert app.screen is editor
        await pilot.press("f5")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        assert app.session.store.article_meta(views(app)[0].article.id).title == (
            "A title of my own"
        )


@sync
async def test_the_analysis_screen_s_passages_key_moves_with_the_keymap(tmp_path: Path) -> None:
    """enter is the chart's own key too; the table's `analysis-passages`, moved to `p`,
    lists the passages behind the bar under the cursor, and `?` says so."""
    app = keymapped_app(tmp_path, "analysis-passages: p\n")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", *"NATO", "enter", "A")
        analysis = app.screen
        assert isinstance(analysis, AnalysisScreen)
        rows = await keys_listed(pilot, "question_mark")
        assert rows["the passages behind the figure under the cursor"] == "p"
        await pilot.press("p")
        assert await wait_for(pilot, lambda: isinstance(app.screen, AnnotationsScreen))


# -- the note editor says which control characters it left out -------------------------------

PASTED = "Framing: \x1b[31mdeal\x1b[0m\x07 at\tonce\nsecond\u200b line"
"""A note with a terminal colour, a bell and a web page's zero-width space pasted in: four
characters the store drops (the tab and the line break it keeps)."""


async def write_in_editor(pilot: Pilot[None], text: str) -> NoteEditor:
    editor = pilot.app.screen
    assert isinstance(editor, NoteEditor)
    editor.query_one(TextArea).insert(text)  # as a paste puts it there
    await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.press("ctrl+s")
    return editor


def notices(app: ReaderApp) -> list[str]:
    return [str(notice.message) for notice in app._notifications]


@sync
async def test_control_characters_left_out_of_a_note_are_named_in_one_notice(
    tmp_path: Path,
) -> None:
    app = keymapped_app(tmp_path, "")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await write_in_editor(pilot, PASTED)
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        assert await wait_for(pilot, lambda: any("control" in n for n in notices(app)))
        said = [n for n in notices(app) if "control" in n]
        assert len(said) == 1
        assert said[0].startswith(
            "Left out 4 control or invisible characters "
            "(U+001B ESC, U+0007 BEL, U+200B ZERO WIDTH SPACE)"
        )
        stored = [a.note for a in app.session.store.annotations()]
        assert stored == ["Framing: [31mdeal[0m at\tonce\nsecond line"]

        await pilot.press("m", "ctrl+u")  # a clean note: no such notice
        await write_in_editor(pilot, "plain words")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        await pilot.pause(0.2)
        assert not any("control" in n for n in notices(app))


@sync
async def test_control_characters_left_out_of_a_memo_are_named_too(tmp_path: Path) -> None:
    app = keymapped_app(tmp_path, "")
    async with app.run_test(size=SIZE) as pilot:
        memos = MemoList(app.session, LEFT, "Trump and Zelensky")
        app.push_screen(memos)
        await pilot.pause()
        await pilot.press("p")  # a memo on the project
        await write_in_editor(pilot, "\x1b]0;title\x07Codebook v2")
        assert await wait_for(pilot, lambda: app.screen is memos and len(memos.memos) == 1)
        assert await wait_for(pilot, lambda: any("control" in n for n in notices(app)))
        assert any(n.startswith("Left out 2 control or invisible") for n in notices(app))
        assert [m.text for m in app.session.store.memos.list(PROJECT)] == ["]0;titleCodebook v2"]
