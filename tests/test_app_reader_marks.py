"""Issue 13 in the reader: which search match the cursor is on, a passage's second code beside
the line, and a rename field that starts with the cursor after the name."""

from __future__ import annotations

from pathlib import Path

from rich.color import Color
from test_app_support import LEFT, make_app, seed_articles, sync, views

from tui.app.dialogs.prompts import TextPrompt
from tui.app.screens.codebook_screen import CodebookScreen
from tui.app.widgets.article_view import ArticleView
from tui.app.widgets.status_line import StatusLine
from tui.store import AnnotationStore


def status(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.reader_screen.query_one(StatusLine).content)


def gutter_cells(view: ArticleView, offset: int) -> list[tuple[str, Color | None]]:
    """The two gutter cells of the line drawing `offset`, with their foreground colours."""
    line_map = view._line_map
    assert line_map is not None
    index = line_map.line_of(offset)
    strip = view.render_line(index - round(view.scroll_y))
    cells: list[tuple[str, Color | None]] = []
    for segment in strip:
        for char in segment.text:
            cells.append((char, segment.style.color if segment.style else None))
            if len(cells) == 2:
                return cells
    raise AssertionError("no gutter drawn")


@sync
async def test_the_status_line_says_which_match_n_went_to(tmp_path: Path) -> None:
    app = make_app(tmp_path / "db.json")
    async with app.run_test(size=(160, 30)) as pilot:
        left = views(app)[0]
        await pilot.press("slash", *"the", "enter")
        await pilot.pause()
        total = len(left.matches)
        assert total > 3
        assert f"1 of {total} matches" in status(app)
        sentence_end = left.cursor_range[1]
        await pilot.press("n")  # to the first match after the cursor sentence
        await pilot.pause()
        went = next(i for i, (start, _) in enumerate(left.matches) if start >= sentence_end)
        assert f"{went + 1} of {total} matches" in status(app)
        await pilot.press("g")
        await pilot.press("n", "N", "N")  # back past the first: wraps to the last
        await pilot.pause()
        assert f"{total} of {total} matches" in status(app)
        await pilot.press("g")  # away from it: only how many
        await pilot.pause()
        if left.current_match is None:
            assert f"· {total} matches" in status(app)


@sync
async def test_a_passage_with_two_codes_shows_the_second_beside_the_line(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    store = AnnotationStore(db, "alice")
    store.create_tag("sanctions", color="#ff0000")
    store.create_tag("NATO", color="#0000ff")
    left_article = seed_articles()[0]
    first, second = left_article.sentences[1], left_article.sentences[4]
    store.add(LEFT, *first, left_article.text, ["sanctions", "NATO"])
    store.add(LEFT, *second, left_article.text, ["sanctions"])
    store.flush()
    app = make_app(db)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        left = views(app)[0]
        blue = Color.parse("#0000ff").get_truecolor()
        two = gutter_cells(left, first[0])
        assert two[1][0] == "▐"
        assert two[1][1] is not None and two[1][1].get_truecolor() == blue
        one = gutter_cells(left, second[0])
        assert one[1][0] == " "  # one code: the gutter is as it was


@sync
async def test_rename_starts_with_the_cursor_after_the_name(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    AnnotationStore(db, "alice").create_tag("sanctions")
    app = make_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, CodebookScreen)
        await pilot.press("R")
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        await pilot.pause()
        field = prompt.query_one("#prompt-value")
        assert field.cursor_position == len("sanctions")
        assert field.selection.is_empty
        await pilot.press(*" on oil", "enter")
        await pilot.pause()
        assert AnnotationStore(db, "check").tag("sanctions on oil") is not None
