"""The memo list dialog, driven by keys at 80x24: write, edit and delete memos on the focused
article and the project, every change through the session and undoable; and the app's export
dialog carrying attributes and memos."""

from __future__ import annotations

from pathlib import Path

import yaml
from test_app_support import LEFT, RIGHT, make_app, sync, wait_for
from test_export_support import SEED_001, annotated_store
from textual.app import App
from textual.widgets import Input, OptionList, Static, TextArea

from tui.app.dialogs.export_dialog import ExportScreen
from tui.app.dialogs.memo_list import MemoList
from tui.app.dialogs.note_editor import NoteEditor
from tui.app.dialogs.prompts import ConfirmDialog
from tui.corpus.model import Article
from tui.store import AnnotationStore
from tui.store.memos import PROJECT

SIZE = (80, 24)


def rows(dialog: MemoList) -> list[str]:
    options = dialog.query_one("#memo-rows", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


@sync
async def test_write_edit_and_delete_memos(db: Path) -> None:
    other = AnnotationStore(db, "bob")
    other.memos.add(RIGHT, "on the other article: not listed here")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        dialog = MemoList(app.session, LEFT, "Trump and Zelensky")
        app.push_screen(dialog)
        await pilot.pause()
        assert "No memos yet" in rows(dialog)[0]
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"Framing: a deal", "enter", *"second line", "ctrl+s")
        assert await wait_for(pilot, lambda: app.screen is dialog and len(dialog.memos) == 1)
        await pilot.press("p", *"Codebook v2", "ctrl+s")
        assert await wait_for(pilot, lambda: app.screen is dialog and len(dialog.memos) == 2)
        listed = rows(dialog)
        hint = dialog.query_one(".hint", Static)  # the whole dialog fits 80x24
        assert hint.region.height == 1 and hint.region.bottom < SIZE[1]
        assert listed[0].startswith("Trump and Zelensky · tester · ")
        assert listed[0].endswith("Framing: a deal second line")
        assert listed[1].startswith("project · tester")
        store = app.session.store
        assert [m.text for m in store.memos.list(LEFT)] == ["Framing: a deal\nsecond line"]
        assert [m.text for m in store.memos.list(PROJECT)] == ["Codebook v2"]

        dialog.query_one("#memo-rows", OptionList).highlighted = 0
        await pilot.press("enter")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.query_one("#note-text", TextArea).text == "Framing: a deal\nsecond line"
        await pilot.press(*" (edited)", "ctrl+s")
        assert await wait_for(pilot, lambda: app.screen is dialog)
        assert store.memos.list(LEFT)[0].text == "Framing: a deal\nsecond line (edited)"

        dialog.query_one("#memo-rows", OptionList).highlighted = 1
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # declined: nothing goes
        assert await wait_for(pilot, lambda: app.screen is dialog)
        assert len(store.memos.list()) == 3
        await pilot.press("d", "y")
        assert await wait_for(pilot, lambda: len(dialog.memos) == 1)
        assert store.memos.list(PROJECT) == []
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, MemoList))
        await pilot.press("u")  # the delete is one change, undone in the reader
        assert await wait_for(pilot, lambda: len(store.memos.list(PROJECT)) == 1)


@sync
async def test_an_emptied_memo_is_not_saved_and_says_so(db: Path) -> None:
    AnnotationStore(db, "tester").memos.add(LEFT, "keep me")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        dialog = MemoList(app.session, LEFT, "T")
        app.push_screen(dialog)
        await pilot.pause()
        await pilot.press("enter", "ctrl+a", "ctrl+k", "ctrl+s")  # cleared in the editor
        assert await wait_for(pilot, lambda: app.screen is dialog)
        assert "d deletes it" in str(dialog.query_one("#memo-notice", Static).render())
        assert [m.text for m in app.session.store.memos.list()] == ["keep me"]


class ExportHost(App[None]):
    """Just enough app to push the export dialog on a store."""

    def __init__(self, store: AnnotationStore, articles: list[Article], folder: Path) -> None:
        super().__init__()
        self.store, self.articles, self.folder = store, articles, folder

    def on_mount(self) -> None:
        self.push_screen(ExportScreen(self.store, self.articles, self.folder))


@sync
async def test_the_export_dialog_carries_attributes_and_memos(tmp_path: Path) -> None:
    store, articles = annotated_store(tmp_path)
    store.set_article_attributes(SEED_001, {"outlet": "Wilson Center"})
    store.memos.add(PROJECT, "project memo")
    app = ExportHost(store, list(articles.values()), tmp_path / "out")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        path = Path(screen.query_one("#path", Input).value)
        await pilot.press("ctrl+s")
        await screen.workers.wait_for_complete()
        await pilot.pause()
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    blocks = {group["id"]: group for group in document["articles"]}
    assert blocks[SEED_001]["attributes"] == {"outlet": "Wilson Center"}
    assert [memo["text"] for memo in document["memos"]] == ["project memo"]


@sync
async def test_the_list_follows_other_writers_and_undo(db: Path) -> None:
    app = make_app(db, poll_seconds=0.1)
    async with app.run_test(size=SIZE) as pilot:
        dialog = MemoList(app.session, LEFT, "T")
        app.push_screen(dialog)
        await pilot.pause()
        AnnotationStore(db, "bob").memos.add(LEFT, "bob's memo, written elsewhere")
        assert await wait_for(pilot, lambda: len(dialog.memos) == 1)  # the poll brought it
        assert "bob" in rows(dialog)[0]
