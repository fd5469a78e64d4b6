"""What a new user's trial hit in the reader's dialogs and screens (round 6): marked tags
that vanished from the tag picker, the memo list's and the codebook's `?`, and passages cut
to 60 characters whatever the width."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from test_app_dialog_keys import keymapped_app, keys_listed
from test_app_support import LEFT, make_app, seed_articles, sync, wait_for
from textual.app import App
from textual.widgets import OptionList

from tui.app.dialogs.memo_list import MemoList
from tui.app.dialogs.note_editor import NoteEditor
from tui.app.dialogs.tag_picker import PickedTags, TagPicker
from tui.app.model.key_table import commands_for
from tui.app.screens.annotations_screen import AnnotationsScreen
from tui.app.screens.codebook_screen import CodebookScreen
from tui.app.screens.help_screen import HelpScreen
from tui.store import AnnotationStore
from tui.store.model import Tag


class PickerHost(App[None]):
    """Just enough app to push the tag picker and keep what it returns."""

    def __init__(self, tags: Sequence[Tag]) -> None:
        super().__init__()
        self.tags = list(tags)
        self.picked: list[PickedTags | None] = []

    def on_mount(self) -> None:
        self.push_screen(TagPicker(self.tags), self.picked.append)


def listed(picker: TagPicker) -> list[str]:
    options = picker.query_one("#tag-options", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def highlighted(picker: TagPicker) -> str:
    option = picker.query_one("#tag-options", OptionList).highlighted_option
    return str(option.prompt) if option is not None else ""


TAGS = [Tag(name) for name in ("NATO", "Sanctions", "security guarantees", "Russia/war aims")]


@sync
async def test_marked_tags_stay_listed_first_whatever_the_filter() -> None:
    app = PickerHost(TAGS)
    async with app.run_test(size=(80, 24)) as pilot:
        picker = app.screen
        assert isinstance(picker, TagPicker)
        await pilot.press(*"secur", "tab")
        await pilot.press(*["backspace"] * 5, *"nato")
        await pilot.pause()
        rows = listed(picker)
        # The marked tag the filter no longer matches is still there, first, and says so.
        assert rows[0].startswith("● security guarantees") and "filter hides it" in rows[0]
        assert rows[1].startswith("○ NATO")
        assert highlighted(picker).startswith("○ NATO")  # typing then tab marks the match
        await pilot.press("tab")
        await pilot.pause()
        assert [row[:6] for row in listed(picker)[:2]] == ["● secu", "● NATO"]
        # An empty filter lists every tag, the marked ones first.
        await pilot.press(*["backspace"] * 4)
        await pilot.pause()
        rows = listed(picker)
        assert [row.startswith("●") for row in rows] == [True, True] + [False] * (len(rows) - 2)
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: bool(app.picked))
        assert app.picked[0] == PickedTags(("security guarantees", "NATO"), ())


def listed_ids(picker: TagPicker) -> list[str | None]:
    options = picker.query_one("#tag-options", OptionList)
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


@sync
async def test_tab_marks_and_moves_on_to_the_next_row() -> None:
    app = PickerHost(TAGS)
    async with app.run_test(size=(80, 24)) as pilot:
        picker = app.screen
        assert isinstance(picker, TagPicker)
        await pilot.pause()
        before = listed_ids(picker)
        await pilot.press("down", "tab")
        await pilot.pause()
        # The second row moved to the top, marked; the cursor is on the row that followed it.
        assert listed_ids(picker)[0] == before[1] and listed(picker)[0].startswith("●")
        options = picker.query_one("#tag-options", OptionList)
        assert options.highlighted_option is not None
        assert options.highlighted_option.id == before[2]
        await pilot.press("tab", "enter")
        assert await wait_for(pilot, lambda: bool(app.picked))
        picked = app.picked[0]
        assert picked is not None
        assert picked.names == (before[1], before[2])


@sync
async def test_the_memo_list_s_keys_say_that_enter_edits(tmp_path: Path) -> None:
    app = keymapped_app(tmp_path, "")
    async with app.run_test(size=(80, 24)) as pilot:
        app.session.add_memo(LEFT, "Check the Davos quote against the transcript.")
        memos = MemoList(app.session, LEFT, "Trump and Zelensky")
        app.push_screen(memos)
        await pilot.pause()
        rows = await keys_listed(pilot, "question_mark")
        assert rows["edit the highlighted memo (in the note editor)"] == "⏎"  # enter
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor))


@sync
async def test_the_memo_list_s_edit_key_moves_with_the_keymap(tmp_path: Path) -> None:
    app = keymapped_app(tmp_path, "memo-edit: e\n")
    async with app.run_test(size=(80, 24)) as pilot:
        app.session.add_memo(None, "Code frames, not events.")
        memos = MemoList(app.session, LEFT, "Trump and Zelensky")
        app.push_screen(memos)
        await pilot.pause()
        rows = await keys_listed(pilot, "f1")
        assert rows["edit the highlighted memo (in the note editor)"] == "e"
        await pilot.press("e")
        assert await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor))


@sync
async def test_the_codebook_has_its_keys_on_question_mark_and_f1(tmp_path: Path) -> None:
    app = keymapped_app(tmp_path, "codebook-new: N\n")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        codebook = app.screen
        assert isinstance(codebook, CodebookScreen)
        for key in ("question_mark", "f1"):
            rows = await keys_listed(pilot, key)
            assert set(rows) == {entry.help for entry in commands_for("codebook")}
            assert rows["a new tag ('/' in the name nests it)"] == "N"  # as the user has it
            assert app.screen is codebook
        await pilot.press("question_mark")
        assert await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert {section for section, _keys, _text in help_screen._rows} == {"Codebook (c)"}


LONG_TAGS = ["Economic leverage/sanctions", "Ukraine/sovereignty", "Russia/war aims"]


def passage_rows(screen: AnnotationsScreen) -> list[str]:
    tree = screen.tree
    lines = [tree.render_line(y).text for y in range(tree.scrollable_content_region.height)]
    return [line.rstrip() for line in lines if "“" in line]


def quote_shown(row: str, quote: str) -> int:
    """How many of the quote's characters the row shows."""
    shown = row.split("“", 1)[1]
    pairs = enumerate(zip(shown, quote, strict=False))
    return next((i for i, (a, b) in pairs if a != b), min(len(shown), len(quote)))


@sync
async def test_a_passage_s_quote_takes_the_width_and_tag_names_give_way_first(
    tmp_path: Path,
) -> None:
    db = tmp_path / "annotations" / "marginalia.json"
    left = seed_articles()[0]
    longest, second = sorted(left.sentences, key=lambda sentence: sentence[0] - sentence[1])[:2]
    start, end = longest
    quote = " ".join(left.text[start:end].split())
    other = " ".join(left.text[second[0] : second[1]].split())
    assert len(quote) > 150 and len(other) > 130
    store = AnnotationStore(db, "alice")
    store.add(LEFT, start, end, left.text, LONG_TAGS, note="a note")
    store.add(LEFT, *second, left.text, ["NATO"])
    app = make_app(db)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("a", "tab")  # by article: each row names its tags
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AnnotationsScreen)
        [row] = [row for row in passage_rows(screen) if "Russia/war aims" in row]
        [nato] = [row for row in passage_rows(screen) if "NATO" in row]
        # Wide: every tag whole, the note's words, and the quote takes the rest (not 60).
        assert ", ".join(LONG_TAGS) in row and "✎ a note" in row and "— alice" in row
        width = screen.tree.scrollable_content_region.width
        assert quote_shown(row, quote) > width - len(", ".join(LONG_TAGS)) - 30
        assert quote_shown(nato, other) >= min(len(other), width - 30) > 100
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        [row] = [row for row in passage_rows(screen) if "Economic" in row]
        width = screen.tree.scrollable_content_region.width
        # Narrow: redrawn to the new width; the quote keeps a readable start; the tag names
        # are cut first (the first one's start, and how many more), the note to its mark.
        assert len(row) <= width and row.endswith("— alice")
        assert quote_shown(row, quote) >= 28
        assert LONG_TAGS[1] not in row and " +2" in row and row.count("✎") == 1
