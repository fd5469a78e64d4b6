"""The reader's other screens (annotations list, cleaning report, palette), resizing, NO_COLOR."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_app_support import (
    LEFT,
    RIGHT,
    make_app,
    screen_lines,
    seed_articles,
    sync,
    views,
    wait_for,
)
from textual.command import CommandList, CommandPalette
from textual.widgets import Input, Static

from tui.app.dialogs.article_picker import ArticleList, ArticlePicker
from tui.app.dialogs.export_dialog import ExportScreen
from tui.app.dialogs.tag_picker import TagPicker
from tui.app.screens.annotations_screen import AnnotationsScreen, Jump
from tui.app.screens.report_screen import ReportScreen
from tui.app.widgets.status_line import StatusLine
from tui.corpus import load_corpus
from tui.store import AnnotationStore


@pytest.fixture
def db(tmp_path: Path) -> Path:
    db = tmp_path / "annotations" / "marginalia.json"
    store = AnnotationStore(db, "alice")
    left, right = seed_articles()
    store.add(LEFT, *left.sentences[3], left.text, ["Russia/war aims"])
    store.add(LEFT, *left.sentences[5], left.text, ["Russia/war aims", "NATO"], note="compare")
    store.add(RIGHT, *right.sentences[7], right.text, ["Russia/China ties"])
    store.add("gone_article", 0, 4, "Gone with the text", ["NATO"])
    return db


def tree_labels(screen: AnnotationsScreen) -> list[str]:
    lines = []

    def walk(node, depth: int) -> None:  # type: ignore[no-untyped-def]
        for child in node.children:
            lines.append("  " * depth + str(child.label))
            walk(child, depth + 1)

    walk(screen.tree.root, 0)
    return lines


@sync
async def test_annotations_list_groups_filters_and_jumps(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a")
        screen = app.screen
        assert isinstance(screen, AnnotationsScreen)
        labels = tree_labels(screen)
        assert "NATO (1)" in labels
        assert "Russia (3)" in labels  # parent counts its children's annotations
        assert "  war aims (2)" in labels and "  China ties (1)" in labels
        checking = [label for label in labels if label.startswith("Needs checking")]
        assert checking == ["Needs checking: fuzzy or orphaned (1)"]
        await pilot.press("tab")  # by article
        labels = tree_labels(screen)
        assert sum(1 for label in labels if not label.startswith("  ")) == 3
        await pilot.press(*"China")
        labels = tree_labels(screen)
        assert len([label for label in labels if label.startswith("  ")]) == 1
        await pilot.press("down", "enter")
        assert not isinstance(app.screen, AnnotationsScreen)
        right = views(app)[1]
        assert app.reader_screen.view is right
        assert right.cursor == 7


def test_report_shows_raw_beside_clean_and_markup_as_text() -> None:
    from rich.console import Console

    from tui.app.screens.report_screen import change_prompt
    from tui.corpus.model import Change

    change = Change("gbk", "mojibake", "Russia鈥檚 [bold]", "Russia’s [bold]", 1.0, 72, 80, "GBK")
    console = Console(width=60, record=True, color_system=None)
    console.print(change_prompt(change))
    first, second = console.export_text().splitlines()[:2]
    raw_at, clean_at = first.index("Russia鈥檚 [bold]"), first.index("Russia’s [bold]")
    assert raw_at == 0 and clean_at >= 30 - 2  # the clean text in the right half (CJK: 2 cells)
    assert second.startswith("mojibake  100%  @72  GBK")


@sync
async def test_cleaning_report_lists_changes_and_jumps(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        right = views(app)[1]
        await pilot.press("tab", "r")
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        options = screen.query_one("#report-options")
        assert options.option_count == len(right.article.report)
        summary = str(screen.query_one(".summary", Static).render())
        assert summary.startswith("49 mojibake repairs, 12 guessed characters, 9 web furniture")
        assert "1 kicker line, 1 author line, 1 suspect passage" in summary
        # The last change with a place: far down the article, so the jump has to move.
        last = max(i for i, c in enumerate(right.article.report) if c.start is not None)
        target = right.article.report[last].start
        assert right.sentence_at(target) > 10  # type: ignore[arg-type]
        options.highlighted = last
        await pilot.press("enter")
        assert not isinstance(app.screen, ReportScreen)
        start, end = right.cursor_range
        assert start <= target < end  # type: ignore[operator]


@sync
async def test_palette_opens_an_article_in_the_focused_pane(tmp_path: Path) -> None:
    app = make_app(tmp_path / "db.json")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p", *"Open article Kennan")

        def found() -> bool:
            palette = app.screen
            return isinstance(palette, CommandPalette) and any(
                "Kennan" in str(option.prompt) for option in palette.query_one(CommandList).options
            )

        assert await wait_for(pilot, found)
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: views(app)[0].article.id == RIGHT)
        assert [view.article.id for view in views(app)] == [RIGHT, RIGHT]


@sync
async def test_resizing_rewraps_and_keeps_the_cursor_in_view(tmp_path: Path) -> None:
    app = make_app(tmp_path / "db.json")
    async with app.run_test(size=(160, 48)) as pilot:
        left = views(app)[0]
        await pilot.press("G")
        wide = left.text_width
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert left.text_width < wide
        assert all(len(line) == left.scrollable_content_region.width for line in screen_lines(left))
        top = round(left.scroll_y)
        assert top <= left.cursor_line < top + left.scrollable_content_region.height


@sync
async def test_without_colour_highlights_are_underlined(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.no_color
        await pilot.press("tab")  # the cursor is drawn in the focused pane only
        left = views(app)[0]
        start = left.article.sentences[3][0]
        line = left._line_map.line_of(start)  # type: ignore[union-attr]
        left.scroll_to(y=line, animate=False, immediate=True)
        await pilot.pause()
        strip = left.render_line(line - round(left.scroll_y))
        styled = [seg for seg in strip if seg.text.strip() and seg.style and seg.style.underline]
        assert styled  # the highlight shows without colour


@sync
async def test_a_click_moves_the_cursor_when_the_mouse_is_on(tmp_path: Path) -> None:
    app = make_app(tmp_path / "db.json")
    async with app.run_test(size=(100, 30)) as pilot:
        left, right = views(app)
        sentence = right.article.sentences[2]
        line = right._line_map.line_of(sentence[0] + 1)  # type: ignore[union-attr]
        column = next(x for x in range(2, 60) if right.offset_at(x, line) == sentence[0] + 1)
        await pilot.click(right, offset=(column + 1, line + 1))  # +1: the border
        assert app.reader_screen.view is right
        assert right.cursor == 2
        assert left.cursor == 0


async def marked_text(pilot, view, offset: int, flags: tuple[str, ...]) -> str:  # type: ignore[no-untyped-def]
    """The text drawn with all of `flags` on the screen line holding `offset`."""
    line = view._line_map.line_of(offset)
    view.scroll_to(y=line, animate=False, immediate=True)
    await pilot.pause()
    strip = view.render_line(line - round(view.scroll_y))
    return "".join(
        seg.text for seg in strip if seg.style and all(getattr(seg.style, f) for f in flags)
    )


@sync
async def test_guessed_characters_are_marked(tmp_path: Path) -> None:
    app = make_app(tmp_path / "db.json")
    async with app.run_test(size=(100, 30)) as pilot:
        right = views(app)[1]
        guessed = [c for c in right.article.report if c.kind == "lost-byte"]
        assert guessed
        for change in guessed[:3]:
            assert change.start is not None
            marked = await marked_text(pilot, right, change.start, ("underline", "dim"))
            assert marked == right.article.text[change.start : change.end]


@sync
async def test_injected_foreign_text_is_marked(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "talks.txt").write_text(
        "Talks in Geneva\n\nDiplomats met at the Woodrow 浪花直播 International Center on "
        "Monday to discuss a cease-fire. Both sides said the talks were useful.\n",
        encoding="utf-8",
    )
    article = load_corpus(corpus, cache=None).articles[0]
    app = make_app(tmp_path / "db.json", articles=(article,))
    async with app.run_test(size=(100, 30)) as pilot:
        [view] = views(app)
        offset = article.text.index("浪花直播")
        assert await marked_text(pilot, view, offset, ("italic", "dim")) == "浪花直播"


@sync
async def test_o_opens_the_chooser_with_two_articles_and_can_swap(tmp_path: Path) -> None:
    app = make_app(tmp_path / "db.json")
    async with app.run_test(size=(80, 24)) as pilot:
        left = views(app)[0]
        assert [view.article.id for view in views(app)] == [LEFT, RIGHT]
        await pilot.press("j", "j", "o")
        picker = app.screen
        assert isinstance(picker, ArticlePicker)
        options = picker.query_one("#article-options", ArticleList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(2)]
        assert prompts[0].endswith("(this pane)") and prompts[1].endswith("(the other pane)")
        await pilot.press("enter")  # the article it shows already: the place is kept
        assert left.article.id == LEFT and left.cursor == 2
        await pilot.press("o", *"Kennan", "enter")
        assert [view.article.id for view in views(app)] == [RIGHT, RIGHT]


@sync
async def test_o_with_a_single_article_says_there_is_nothing_to_choose(tmp_path: Path) -> None:
    app = make_app(tmp_path / "db.json", articles=seed_articles()[:1])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        assert not isinstance(app.screen, ArticlePicker)
        assert any("only this article" in str(n.message) for n in app._notifications)


@pytest.mark.parametrize(
    ("typed", "command"),
    [
        ("annot", "Annotations list"),
        ("report", "Cleaning report"),
        ("code", "Codebook"),
        ("export", "Export annotations"),
        ("details", "Article details"),
        ("focus", "Focus a tag"),
        ("help", "Help: all keys"),
        ("tag", "Tag…"),
        ("note", "Note…"),
        ("delete", "Delete annotation"),
        ("select", "Select"),
    ],
)
@sync
async def test_palette_finds_the_reader_commands_first(
    tmp_path: Path, typed: str, command: str
) -> None:
    app = make_app(tmp_path / "db.json")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p", *typed)

        def first() -> str:
            palette = app.screen
            if not isinstance(palette, CommandPalette):
                return ""
            options = palette.query_one(CommandList).options
            return str(options[0].prompt).split("\n")[0] if options else ""

        assert await wait_for(pilot, lambda: first().startswith(command)), first()


@sync
async def test_coding_works_from_the_palette_alone(tmp_path: Path) -> None:
    """Select, tag and delete by name, as someone who has not learned the keys yet would."""
    db = tmp_path / "db.json"
    app = make_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        left = views(app)[0]

        async def run(name: str) -> None:
            await pilot.press("ctrl+p", *name)
            assert await wait_for(
                pilot, lambda: bool(app.screen.query(CommandList).first().options)
            )
            await pilot.press("enter")
            await pilot.pause()

        await run("select")
        assert left.selection is not None
        await pilot.press("j")
        await run("tag")
        assert isinstance(app.screen, TagPicker)
        await pilot.press(*"NATO", "enter")
        [annotation] = AnnotationStore(db, "check").annotations()
        assert (annotation.start, annotation.end) == (
            left.article.sentences[0][0],
            left.article.sentences[1][1],
        )
        await run("delete annotation")
        assert await wait_for(pilot, lambda: AnnotationStore(db, "check").annotations() == [])


@sync
async def test_palette_leaves_out_textual_keys_panel_but_keeps_theme_and_quit(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path / "db.json")
    async with app.run_test(size=(100, 30)):
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert not {"Keys", "Maximize", "Screenshot"} & set(titles)
        assert {"Theme", "Quit", "Help: all keys", "Cleaning report", "Zoom pane"} <= set(titles)


@sync
async def test_z_zooms_the_focused_pane_and_tab_takes_the_zoom_along(tmp_path: Path) -> None:
    app = make_app(tmp_path / "db.json")
    async with app.run_test(size=(80, 24)) as pilot:
        left, right = views(app)
        await pilot.press("z")
        screen = app.reader_screen
        assert screen.maximized is left
        assert left.outer_size.width == 80
        assert not right.region  # not laid out while the other pane is zoomed
        await pilot.press("tab", "j")
        assert screen.maximized is right and right.cursor == 1
        await pilot.press("z")
        assert screen.maximized is None
        assert left.outer_size.width == right.outer_size.width == 40


@sync
async def test_zoomed_the_status_line_stays_and_esc_keeps_its_meaning(tmp_path: Path) -> None:
    app = make_app(tmp_path / "db.json")
    async with app.run_test(size=(80, 24)) as pilot:
        left, right = views(app)
        screen = app.reader_screen
        await pilot.press("z", "v", "j")
        assert left.selection is not None
        assert app.query_one(StatusLine).region.height == 1  # still on screen
        await pilot.press("escape")
        assert left.selection is None and screen.maximized is left  # esc dropped the selection
        screen._jump(Jump(RIGHT, right.article.sentences[3][0]))  # e.g. enter in the list
        await pilot.pause()
        assert screen.maximized is right and app.focused is right
        await pilot.press("j")
        assert right.cursor == 4


@sync
async def test_a_written_export_closes_the_dialog_and_the_notice_says_where(
    tmp_path: Path,
) -> None:
    """Written: the dialog closes (the next `e` opens a fresh one rather than exporting
    again in the old one) and one notice names the whole path."""
    app = make_app(tmp_path / "db.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        await pilot.press("ctrl+s")
        await screen.workers.wait_for_complete()
        assert await wait_for(pilot, lambda: not isinstance(app.screen, ExportScreen))
        written = next(tmp_path.glob("export-*"))
        notices = [n.message for n in app._notifications]
        assert f"Wrote 0 excerpts to {written.resolve()}" in notices
        await pilot.press("e")
        again = app.screen
        assert isinstance(again, ExportScreen) and again is not screen
        assert again.query_one("#path", Input).value != str(written)
        assert str(again.query_one("#outcome", Static).visual) == ""
