"""The codebook screen (`c`) and the article details dialog (`i`), driven by keys at 80x24.

Every edit is checked where the reader sees it: the highlights in the panes behind the dialog
(tag names and colours), the pane titles, and the store.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.style import Style
from test_app_support import LEFT, RIGHT, make_app, seed_articles, sync, views, wait_for
from textual.widgets import Static

from tui.app.dialogs.article_details import ArticleDetailsEditor
from tui.app.dialogs.prompts import ConfirmDialog, TextPrompt
from tui.app.reader import ReaderApp
from tui.app.screens.codebook_screen import CodebookScreen
from tui.app.widgets.article_view import GUTTER, ArticleView, pane_title
from tui.store import AnnotationStore

SIZE = (80, 24)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    db = tmp_path / "annotations" / "marginalia.json"
    store = AnnotationStore(db, "alice")
    store.create_tag("NATO", color="ansi_bright_cyan", key=1)
    store.create_tag("sanctions", color="ansi_bright_magenta", key=2)
    store.create_tag(
        "Russia/war aims",
        color="ansi_bright_yellow",
        key=3,
        description="what Moscow says it wants",
    )
    left, right = seed_articles()
    store.add(LEFT, *left.sentences[0], left.text, ["sanctions"])
    store.add(LEFT, *left.sentences[2], left.text, ["Russia/war aims"])
    store.add(RIGHT, *right.sentences[0], right.text, ["sanctions"], note="both sides")
    return db


def style_at(view: ArticleView, offset: int) -> Style:
    """The style the pane draws the character at `offset` with (the view is moved there)."""
    view.move_to_offset(offset)
    line_map = view._line_map
    assert line_map is not None
    index = line_map.line_of(offset)
    strip = view.render_line(index - round(view.scroll_y))
    column = GUTTER + offset - line_map.lines[index].start
    cells = 0
    for segment in strip:
        cells += len(segment.text)
        if cells > column:
            return segment.style or Style()
    raise AssertionError(f"offset {offset} is not drawn")


def highlight_tags(view: ArticleView) -> list[tuple[str, ...]]:
    return [annotation.tags for annotation in view.highlights.all()]


async def open_codebook(app: ReaderApp, pilot, select: str) -> CodebookScreen:  # type: ignore[no-untyped-def]
    await pilot.press("c")
    screen = app.screen
    assert isinstance(screen, CodebookScreen)
    await pilot.pause()
    for _ in range(10):
        if screen.selected == select:
            return screen
        await pilot.press("down")
    raise AssertionError(f"{select} is not in the codebook tree")


@sync
async def test_codebook_rename_and_merge_show_in_the_highlights_at_once(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        left, right = views(app)
        screen = await open_codebook(app, pilot, "sanctions")
        labels = [str(node.label) for node in screen.tree.root.children]
        assert any("sanctions (2)" in label for label in labels)
        assert any("Russia (1)" in label for label in labels)  # an implied parent, with its count
        await pilot.press("R")
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("ctrl+u", *"economic pressure", "enter")
        assert app.screen is screen  # the codebook stays open on the renamed tag
        assert screen.selected == "economic pressure"
        assert ("economic pressure",) in highlight_tags(left)
        assert highlight_tags(right) == [("economic pressure",)]
        magenta = style_at(right, right.article.sentences[0][0]).bgcolor
        assert magenta is not None and magenta.name == "bright_magenta"

        # Merge it into NATO (picked by typing in the tag picker): both panes take NATO's colour.
        await pilot.press("M", *"NATO", "enter")
        assert app.screen is screen
        assert highlight_tags(right) == [("NATO",)]
        assert ("NATO",) in highlight_tags(left)
        cyan = style_at(right, right.article.sentences[0][0]).bgcolor
        assert cyan is not None and cyan.name == "bright_cyan"
        assert app.session.store.tag("economic pressure") is None

        await pilot.press("u")  # undo the merge: the rename is back in the panes too
        assert highlight_tags(right) == [("economic pressure",)]


@sync
async def test_codebook_recolour_and_bind_keys(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        left = views(app)[0]
        await open_codebook(app, pilot, "sanctions")
        await pilot.press("C", "end", "up", "enter")  # the codebook colours end red, blue
        store = app.session.store
        assert store.tag("sanctions").color == "ansi_red"  # type: ignore[union-attr]
        red = style_at(left, left.article.sentences[0][0]).bgcolor
        assert red is not None and red.name == "red"

        await pilot.press("1")  # take key 1 from NATO
        assert store.tag("sanctions").key == 1  # type: ignore[union-attr]
        assert store.tag("NATO").key is None  # type: ignore[union-attr]
        await pilot.press("1")  # the same key again unbinds it
        assert store.tag("sanctions").key is None  # type: ignore[union-attr]
        await pilot.press("4", "0")
        assert store.tag("sanctions").key is None  # type: ignore[union-attr]


@sync
async def test_codebook_delete_asks_with_the_count_first(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        right = views(app)[1]
        await open_codebook(app, pilot, "sanctions")
        await pilot.press("D")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "on 2 annotations" in str(dialog.query_one(".message", Static).render())
        await pilot.press("n")  # declined: nothing changes
        assert app.session.store.tag("sanctions") is not None
        await pilot.press("delete", "y")
        assert isinstance(app.screen, CodebookScreen)
        assert app.session.store.tag("sanctions") is None
        assert highlight_tags(right) == [()]  # the annotation stays, untagged, note kept
        assert len(app.session.store.annotations()) == 3
        await pilot.press("escape")
        assert not isinstance(app.screen, CodebookScreen)


@sync
async def test_codebook_new_tag_refuses_a_bad_name_in_the_dialog(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_codebook(app, pilot, "NATO")
        await pilot.press("n", *"costs//war", "enter")
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)  # still open, saying why
        error = prompt.query_one("#prompt-error", Static)
        assert "empty part" in str(error.render())
        await pilot.press("backspace", "backspace", "backspace", "backspace", *"war", "enter")
        screen = app.screen
        assert isinstance(screen, CodebookScreen)
        assert screen.selected == "costs/war"
        assert app.session.store.tag("costs/war") is not None


@sync
async def test_article_details_edit_shows_in_the_pane_title_and_session(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        left = views(app)[0]
        await pilot.press("i")
        assert isinstance(app.screen, ArticleDetailsEditor)
        await pilot.press("ctrl+u", *"Talks at Davos", "enter")  # title, then on to source
        await pilot.press("ctrl+u", *"Wilson Center", "enter", "enter", "enter")  # to url
        await pilot.press(*"e.org", "enter")
        editor = app.screen
        assert isinstance(editor, ArticleDetailsEditor)  # refused, and says why
        assert "not an http" in str(editor.query_one("#details-error", Static).render())
        await pilot.press("ctrl+u", *"https://e.org/d", "ctrl+s")
        assert not isinstance(app.screen, ArticleDetailsEditor)
        assert str(left.border_title) == "Talks at Davos"
        assert str(left.border_subtitle) == "Wilson Center"
        article = app.session.article(LEFT)
        assert article is not None and article.title == "Talks at Davos"
        assert article.metadata["url"] == "https://e.org/d"
        assert app.session.articles[0].title == "Talks at Davos"  # what exports are given
        await pilot.press("u")
        assert await wait_for(pilot, lambda: str(left.border_title) != "Talks at Davos")
        assert str(left.border_title) == pane_title(seed_articles()[0])


@sync
async def test_codebook_rows_fit_their_width_and_always_show_the_count(db: Path) -> None:
    store = AnnotationStore(db, "alice")
    store.create_tag("A very long tag name that goes on and on about the economic consequences")
    store.create_tag("Costs", description="Human, military and economic costs " * 4)
    app = make_app(db, user="alice")
    for size in (SIZE, (160, 48)):
        async with app.run_test(size=size) as pilot:
            screen = await open_codebook(app, pilot, "Costs")
            tree = screen.tree
            rows = [str(tree.get_node_at_line(line).label) for line in range(tree.last_line + 1)]
            long_name = next(row for row in rows if "A very long" in row)
            assert long_name.endswith("… (0)")
            costs = next(row for row in rows if "Costs (0)" in row)
            assert costs.endswith("…")
            width = tree.scrollable_content_region.width
            assert all(len(row) + 2 <= width for row in rows)
        app = make_app(db, user="alice")


def test_codebook_snapshot(snap_compare, db: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(db, user="alice"), press=["c", "down"], terminal_size=SIZE)


@sync
async def test_codebook_from_the_palette_follows_another_writer(db: Path) -> None:
    app = make_app(db, poll_seconds=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"Codebook")
        await pilot.pause(0.3)
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, CodebookScreen))
        screen = app.screen
        assert isinstance(screen, CodebookScreen)
        AnnotationStore(db, "bob").create_tag("costs of war", description="bob's")

        def listed() -> bool:
            return any("costs of war" in str(node.label) for node in screen.tree.root.children)

        assert await wait_for(pilot, listed)


def test_session_articles_are_the_effective_ones(db: Path) -> None:
    from tui.app.model.session import ReaderSession

    store = AnnotationStore(db, "alice")
    store.set_article_meta(RIGHT, author="Jane Doe")
    session = ReaderSession(seed_articles(), store)
    shown = session.articles  # what the export dialog and the palette hold on to
    assert session.article(RIGHT).author == "Jane Doe"  # type: ignore[union-attr]
    session.set_article_details(LEFT, title="Talks", date="2025-01-29")
    assert shown[0].title == "Talks" and shown[0].metadata["date"] == "2025-01-29"
    session.set_article_details(LEFT, title="")  # emptied: cleaning's title comes back
    assert shown[0].title == seed_articles()[0].title
    assert shown[0].text == seed_articles()[0].text
