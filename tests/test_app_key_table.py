"""One command table: bindings, palette, `?` and the codebook hint all come from it (issue 12)."""

from __future__ import annotations

import ast
from pathlib import Path

from tui.app.dialogs.article_details import ArticleDetailsEditor
from tui.app.dialogs.article_picker import ArticlePicker
from tui.app.dialogs.export_dialog import ExportScreen
from tui.app.dialogs.memo_list import MemoList
from tui.app.dialogs.note_editor import NoteEditor
from tui.app.dialogs.prompts import ColorChooser, ConfirmDialog, TextPrompt
from tui.app.dialogs.tag_picker import TagPicker
from tui.app.key_bindings import bindings_for, hint_line
from tui.app.model.key_table import (
    COMMANDS,
    PLACE_TITLES,
    PLACES,
    SCREEN_PLACES,
    SHOWN_WITH,
    command,
    commands_for,
    keys_of,
)
from tui.app.reader import ReaderApp, reader_help_rows
from tui.app.screens.analysis_screen import AnalysisScreen
from tui.app.screens.annotations_screen import AnnotationsScreen
from tui.app.screens.codebook_screen import CodebookScreen
from tui.app.screens.compare_screen import CoderPicker, CompareScreen
from tui.app.screens.corpus_search import CorpusSearchScreen, HitList
from tui.app.screens.help_screen import HelpScreen, help_rows
from tui.app.screens.reader_screen import ReaderScreen
from tui.app.widgets.article_view import ArticleView

APP = Path(__file__).parent.parent / "tui" / "app"


def test_every_command_has_a_unique_id_and_keys() -> None:
    ids = [entry.id for entry in COMMANDS]
    assert len(ids) == len(set(ids))
    assert all(entry.keys and entry.action and entry.title and entry.help for entry in COMMANDS)
    assert keys_of("redo") == ["U", "ctrl+r"]
    assert command("next-passage").action == "step_passage(1)"


def test_screens_take_their_bindings_from_the_table() -> None:
    for holder, where in [
        (ArticleView, "pane"),
        (ReaderScreen, "reader"),
        (CodebookScreen, "codebook"),
        (HelpScreen, "help"),
        (ReaderApp, "app"),
        (AnnotationsScreen, "annotations"),
        (TagPicker, "tag-picker"),
        (MemoList, "memo-list"),
        (AnalysisScreen, "analysis"),
        (CoderPicker, "coders"),
        (CompareScreen, "compare"),
        (CorpusSearchScreen, "corpus-search"),
        (HitList, "corpus-search-hits"),
        (NoteEditor, "note-editor"),
        (ExportScreen, "export"),
        (ArticlePicker, "article-picker"),
        (ArticleDetailsEditor, "article-details"),
        (ConfirmDialog, "confirm"),
        (TextPrompt, "text-prompt"),
        (ColorChooser, "colour-chooser"),
    ]:
        ids = [binding.id for binding in holder.BINDINGS]  # type: ignore[union-attr]
        assert ids == [entry.id for entry in commands_for(where)], holder


def test_no_binding_is_written_by_hand_in_the_table_s_screens() -> None:
    """A `Binding(` call in one of these modules would be a key the table does not know."""
    for module in ["reader.py", "screens/reader_screen.py", "screens/codebook_screen.py",
                   "screens/help_screen.py", "widgets/article_view.py",
                   "screens/annotations_screen.py", "dialogs/tag_picker.py",
                   "dialogs/memo_list.py", "screens/analysis_screen.py",
                   "screens/compare_screen.py", "screens/corpus_search.py",
                   "dialogs/note_editor.py", "dialogs/export_dialog.py",
                   "dialogs/article_picker.py", "dialogs/article_details.py",
                   "dialogs/prompts.py"]:  # fmt: skip
        tree = ast.parse((APP / module).read_text(encoding="utf-8"))
        calls = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Binding"
        ]
        assert not calls, module


def test_help_rows_list_every_listed_place_and_each_reader_command() -> None:
    rows = reader_help_rows()
    assert [title for title in dict.fromkeys(section for section, _, _ in rows)] == list(
        PLACES.values()
    )
    texts = {text for _, _, text in rows}
    for where in ("pane", "reader", "codebook", "app"):
        assert {entry.help for entry in commands_for(where)} <= texts


def test_the_codebook_hint_line_comes_from_the_table() -> None:
    line = hint_line("codebook")
    assert line.startswith("n new · R rename")
    assert "1-9 key · 0 unbind" in line and line.endswith("esc close")


def test_bindings_keep_footer_and_key_display() -> None:
    by_id = {binding.id: binding for binding in bindings_for("pane")}  # type: ignore[union-attr]
    assert by_id["word-forward"].key_display == "h/l"
    assert by_id["word-back"].show is False
    assert by_id["select"].show is True


def test_every_screen_with_keys_has_a_help_key_and_a_title() -> None:
    """Each place `?` can be opened in names its section, and has a key that opens it."""
    for where in [*SCREEN_PLACES, "annotations", "tag-picker"]:
        assert where in PLACE_TITLES
        if where in {place for shown in SHOWN_WITH.values() for place in shown}:
            continue  # listed with its screen's
        helps = [entry for entry in commands_for(where) if entry.action.startswith("app.show_keys")]
        assert len(helps) == 1, where
        assert helps[0].action == f"app.show_keys('{where}')"


def test_the_user_s_keys_show_in_a_hint_line() -> None:
    line = hint_line("tag-picker", user_keys={"picker-mark": "ctrl+k", "picker-cancel": "q"})
    assert line == "enter apply · ctrl+k mark several · f1 keys · q cancel"
    assert hint_line("tag-picker") == "enter apply · tab mark several · f1 keys · esc cancel"


def test_the_dialogs_keep_their_binding_ids() -> None:
    """A keys.yaml written for the dialogs' hand-made bindings still names their commands."""
    for command_id in ["note-save", "note-save-f2", "note-cancel", "export-run", "export-close",
                       "articles-open", "articles-sort", "articles-cancel", "articles-down",
                       "articles-page-up", "details-save", "details-cancel", "confirm-yes",
                       "confirm-no", "prompt-cancel", "color-cancel"]:  # fmt: skip
        assert command(command_id).id == command_id
    assert keys_of("confirm-yes") == ["y", "enter"] and keys_of("details-save") == ["ctrl+s", "f2"]


def test_a_dialog_s_hint_line_can_name_every_key_of_a_command() -> None:
    assert hint_line("confirm", every_key=True) == "y / enter yes · n / esc no · ? / f1 keys"
    assert hint_line("note-editor", every_key=True) == "ctrl+s / f2 save · f1 keys · esc cancel"
    mine = {"confirm-yes": "j", "note-save-f2": "f3", "note-cancel": "ctrl+q"}
    assert hint_line("confirm", user_keys=mine, every_key=True).startswith("j yes · n / esc no")
    assert hint_line("note-editor", user_keys=mine, every_key=True) == (
        "ctrl+s / f3 save · f1 keys · ctrl+q cancel"
    )


def test_the_analysis_screen_s_keys_list_enter() -> None:
    rows = {text: keys for _, keys, text in help_rows([("A", bindings_for("analysis"))])}
    assert rows["the passages behind the figure under the cursor"] == "⏎"
