"""Tag focus across both panes, re-anchoring an orphan by hand, and the browser's notes and
author filter, driven by keys at 80x24."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.color import ColorType
from rich.style import Style
from test_app_codebook import style_at
from test_app_support import LEFT, RIGHT, make_app, seed_articles, sync, views, wait_for
from textual.widgets import Static

from tui.app.screens.annotations_screen import AnnotationsScreen
from tui.app.widgets.focus_bar import FocusBar
from tui.app.widgets.status_line import StatusLine
from tui.store import AnnotationStore
from tui.store.model import Annotation

SIZE = (80, 24)


def is_dimmed(style: Style) -> bool:
    """Dim, on the pane's own background rather than a tag's terminal colour."""
    return bool(style.dim) and (style.bgcolor is None or style.bgcolor.type != ColorType.STANDARD)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    db = tmp_path / "annotations" / "marginalia.json"
    store = AnnotationStore(db, "alice")
    store.create_tag("Russia", color="ansi_bright_yellow")
    store.create_tag("NATO", color="ansi_bright_cyan")
    left, right = seed_articles()
    store.add(LEFT, *left.sentences[3], left.text, ["Russia/war aims"])
    store.add(LEFT, *left.sentences[5], left.text, ["NATO"])
    store.add(LEFT, *left.sentences[10], left.text, ["Russia"])
    store.add(RIGHT, *right.sentences[2], right.text, ["Russia/China ties", "NATO"])
    store.add(RIGHT, *right.sentences[9], right.text, ["Russia"])
    return db


def listed(browser: AnnotationsScreen) -> list[Annotation]:
    """The annotations the browser's tree lists now, in tree order."""
    found: list[Annotation] = []

    def walk(node) -> None:  # type: ignore[no-untyped-def]
        for child in node.children:
            if isinstance(child.data, Annotation):
                found.append(child.data)
            walk(child)

    walk(browser.tree.root)
    return found


def span(sentence: tuple[int, int]) -> int:
    return sentence[1] - sentence[0]


@sync
async def test_tag_focus_dims_steps_across_panes_and_sums_up(db: Path) -> None:
    left_article, right_article = seed_articles()
    # A phrase inside a passage already counted: one more passage, no more characters.
    store = AnnotationStore(db, "alice")
    inner = left_article.sentences[3][0]
    store.add(LEFT, inner, inner + 12, left_article.text, ["Russia/war aims"], note="inner")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        left, right = views(app)
        await pilot.press("f", *"Russia", "enter")
        screen = app.reader_screen
        assert screen.focus_tag == "Russia"
        # Children are included; another tag's passage and untagged text are dimmed.
        assert not is_dimmed(style_at(left, left_article.sentences[3][0] + 20))
        assert is_dimmed(style_at(left, left_article.sentences[5][0]))
        assert is_dimmed(style_at(left, left_article.sentences[7][0]))
        # Tagged NATO too, but drawn in the colour of its tag under the focus.
        china = style_at(right, right_article.sentences[2][0]).bgcolor
        assert china == app.tag_style("Russia/China ties").bgcolor
        assert china != app.tag_style("NATO").bgcolor

        bar = str(app.screen.query_one(FocusBar).render())
        left_chars = span(left_article.sentences[3]) + span(left_article.sentences[10])
        right_chars = span(right_article.sentences[2]) + span(right_article.sentences[9])
        assert f"left 3 passages, {left_chars:,} chars" in bar
        assert f"right 2 passages, {right_chars:,} chars" in bar

        # Reading order from the top: the left article's passages, the right's, round again.
        await pilot.press("g")
        visited = []
        for _ in range(6):
            await pilot.press("full_stop")
            view = screen.view
            visited.append((views(app).index(view), view.cursor))
        # Sentence 3 holds two passages (the sentence, a phrase in it): each is a step.
        assert visited == [(0, 3), (0, 3), (0, 10), (1, 2), (1, 9), (0, 3)]
        assert " 1/5 " in str(app.screen.query_one(FocusBar).render())
        assert app.focused is left
        await pilot.press("comma")
        assert (screen.view, screen.view.cursor) == (right, 9)
        assert app.focused is right

        await pilot.press("escape")
        assert screen.focus_tag is None
        assert not is_dimmed(style_at(left, left_article.sentences[5][0]))
        assert not app.screen.query_one(FocusBar).has_class("-shown")
        await pilot.press("shift+tab", "g", *"j" * 10)  # the left pane's Russia passage
        assert (screen.view, left.cursor) == (left, 10)
        await pilot.press("f", "enter")  # the picker starts on the tag under the cursor
        assert screen.focus_tag == "Russia"
        await pilot.press("f")  # f again clears it too
        assert screen.focus_tag is None


@sync
async def test_reanchoring_an_orphan_by_hand(db: Path) -> None:
    left_article = seed_articles()[0]
    store = AnnotationStore(db, "alice")
    lost = Annotation(
        id="lost",
        article=LEFT,
        start=40,
        end=80,
        quote="a sentence the cleaner no longer produces anywhere",
        prefix="nothing like this ",
        suffix=" either",
        tags=("NATO",),
        author="alice",
        created="2026-01-01T00:00:00.000000Z",
        updated="2026-01-01T00:00:00.000000Z",
        text_hash="0" * 16,
    )
    store.import_records([lost])
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        left = views(app)[0]
        assert "lost" not in left.highlights  # orphaned: listed, never drawn

        async def choose_orphan() -> None:
            await pilot.press("a")
            browser = app.screen
            assert isinstance(browser, AnnotationsScreen)
            await pilot.press(*"@al longer")  # a word of the quote and the author
            await pilot.press("down")
            node = browser.tree.cursor_node
            assert node is not None and node.data is not None and node.data.id == "lost"
            await pilot.press("ctrl+r")

        await choose_orphan()
        status = app.screen.query_one(StatusLine)
        assert "RE-ANCHOR" in status.content.plain
        await pilot.press("escape")  # cancelled: nothing changes
        assert "RE-ANCHOR" not in status.content.plain
        assert app.session.store.get("lost").start == 40  # type: ignore[union-attr]

        await choose_orphan()
        await pilot.press("G", "v", "h", "enter")  # the last sentence but its last word
        sentence = left_article.sentences[-1]
        moved = app.session.store.get("lost")
        assert moved is not None and moved.start == sentence[0]
        assert moved.quote == left_article.text[moved.start : moved.end]
        assert sentence[0] < moved.end < sentence[1]
        assert await wait_for(pilot, lambda: "lost" in left.highlights)
        assert left.highlights.get("lost").anchor == "exact"  # type: ignore[union-attr]
        assert "RE-ANCHOR" not in status.content.plain


@sync
async def test_browser_shows_whole_notes_and_filters_by_author(db: Path) -> None:
    right_article = seed_articles()[1]
    bob = AnnotationStore(db, "bob")
    bob.add(
        RIGHT,
        *right_article.sentences[4],
        right_article.text,
        ["NATO"],
        note="first line of the note\nsecond line\nthird line\nfourth line",
    )
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        browser = app.screen
        assert isinstance(browser, AnnotationsScreen)
        await pilot.press(*"@bob")
        assert [annotation.author for annotation in listed(browser)] == ["bob"]
        await pilot.press("down")
        detail = str(browser.query_one("#annotations-detail", Static).render())
        assert "first line of the note\nsecond line\nthird line …" in detail
        assert "fourth line" not in detail
        # The article by its whole lead-sentence title and its source, cut in the list.
        assert "in Throughout his campaign, President Donald Trump repeatedly to end" in detail
        assert "· Kennan Institute" in detail
        await pilot.press("ctrl+u", *"@nobody")
        assert listed(browser) == []


def test_characters_coded_count_overlaps_once() -> None:
    from tui.app.model.session import covered

    assert covered([]) == 0
    assert covered([(0, 10), (2, 5), (8, 12), (20, 21)]) == 13
    assert covered([(5, 9), (5, 9)]) == 4


@sync
async def test_focus_a_parent_that_only_a_path_implies(tmp_path: Path) -> None:
    db = tmp_path / "annotations" / "marginalia.json"
    left = seed_articles()[0]
    AnnotationStore(db, "alice").add(LEFT, *left.sentences[2], left.text, ["Russia/war aims"])
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f", *"Russia", "enter")
        assert app.reader_screen.focus_tag == "Russia"
        await pilot.press("full_stop")
        assert views(app)[0].cursor == 2


@sync
async def test_focus_ends_with_a_word_when_its_tag_goes_away(db: Path) -> None:
    app = make_app(db, poll_seconds=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f", *"NATO", "enter")
        screen = app.reader_screen
        assert screen.focus_tag == "NATO"
        AnnotationStore(db, "bob").rename_tag("NATO", "Alliance")  # a colleague, meanwhile
        assert await wait_for(pilot, lambda: screen.focus_tag is None)
        # notify() posts a message: the toast is there a moment after the focus ends.
        assert await wait_for(
            pilot, lambda: any("Tag focus ended: NATO" in n.message for n in app._notifications)
        )
        assert not app.query_one(FocusBar).has_class("-shown")


@sync
async def test_focusing_on_a_passage_counts_it_as_the_first_and_dot_moves_on(db: Path) -> None:
    """The cursor on a NATO passage when NATO is focused: the bar says 1/2 at once, and the
    first `.` goes to the second passage instead of staying put."""
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        right = views(app)[1]
        await pilot.press(*"jjjjj")  # sentence 5: tagged NATO
        await pilot.press("f", *"NATO", "enter")
        assert " 1/2 " in str(app.screen.query_one(FocusBar).render())
        await pilot.press("full_stop")
        assert app.focused is right and right.cursor == 2
        assert " 2/2 " in str(app.screen.query_one(FocusBar).render())
