"""The reader driven by keys through Pilot, at 80x24 and 160x48, on the real seeds.

Assertions are on state (store contents, cursor, selection) and on the lines the panes draw.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pytest
from test_app_support import (
    LEFT,
    RIGHT,
    SIZES,
    USER,
    make_app,
    screen_lines,
    seed_articles,
    sync,
    views,
    wait_for,
)
from textual import events
from textual.containers import VerticalScroll
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from tui.app.dialogs.tag_picker import TagPicker
from tui.app.reader import ReaderApp
from tui.app.screens.annotations_screen import AnnotationsScreen
from tui.app.screens.help_screen import HelpRows, HelpScreen
from tui.app.widgets.article_view import NO_SOURCE, ArticleView, pane_title, word_ends
from tui.app.widgets.quoting import QuotePreview, quoted
from tui.app.widgets.status_line import StatusLine
from tui.store import AnnotationStore

both_sizes = pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
small_only = pytest.mark.parametrize("size", SIZES[:1], ids=lambda s: f"{s[0]}x{s[1]}")


def stored(db: Path) -> list:
    return AnnotationStore(db, "someone-else").annotations()


@both_sizes
@sync
async def test_opens_both_seeds_side_by_side(db: Path, size: tuple[int, int]) -> None:
    app = make_app(db)
    async with app.run_test(size=size):
        left, right = views(app)
        assert (left.article.id, right.article.id) == (LEFT, RIGHT)
        assert app.focused is left
        assert left.size.width == right.size.width
        assert left.size.width >= size[0] // 2 - 2
        # Each pane draws the opening of its article, wrapped to its width.
        first_words = " ".join(left.article.text.split()[:3])
        assert first_words in screen_lines(left)[0]
        assert all(len(line) == left.scrollable_content_region.width for line in screen_lines(left))
        assert "Kennan Institute" in str(right.border_subtitle)
        assert str(left.border_subtitle) == NO_SOURCE  # seed 000 names no source
        assert right.article.title.split()[0] in str(right.border_title)


@both_sizes
@sync
async def test_cursor_moves_by_sentence_paragraph_page_and_ends(
    db: Path, size: tuple[int, int]
) -> None:
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        left = views(app)[0]
        sentences = left.article.sentences
        await pilot.press("j", "j", "down")
        assert left.cursor == 3
        await pilot.press("k", "up")
        assert left.cursor == 1
        await pilot.press("J")
        start = left.cursor_range[0]
        assert any(block.start == start for block in left.article.blocks)
        await pilot.press("K")
        assert left.cursor_range[0] < start
        await pilot.press("right_square_bracket")
        assert left.cursor_range[0] == start
        await pilot.press("left_square_bracket")
        assert left.cursor_range[0] < start
        await pilot.press("end")
        assert left.cursor == len(sentences) - 1
        await pilot.press("home", "pagedown")
        assert left.cursor_line > 0
        await pilot.press("pageup")
        assert left.cursor == 0
        await pilot.press("G")
        assert left.cursor == len(sentences) - 1
        assert round(left.scroll_y) > 0  # scrolled to keep the cursor on screen
        assert any(line.startswith("▌") for line in screen_lines(left))
        await pilot.press("g")
        assert (left.cursor, round(left.scroll_y)) == (0, 0)
        await pilot.press("space")
        page = left.scrollable_content_region.height
        assert left.cursor_line >= page // 2
        assert left.cursor_line - page < round(left.scroll_y) <= left.cursor_line
        await pilot.press("b")
        assert left.cursor == 0


@both_sizes
@sync
async def test_select_by_sentences_and_words_then_tag(db: Path, size: tuple[int, int]) -> None:
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        left = views(app)[0]
        sentences = left.article.sentences
        await pilot.press("j", "v", "j")
        assert left.selection == (sentences[1][0], sentences[2][1])
        await pilot.press("l")
        ends = word_ends(left.article)
        assert left.selection == (sentences[1][0], next(e for e in ends if e > sentences[2][1]))
        await pilot.press("h")  # back to the sentence's end, its full stop included
        assert left.selection == (sentences[1][0], sentences[2][1])
        await pilot.press("left")
        assert left.selection == (sentences[1][0], [e for e in ends if e < sentences[2][1]][-1])
        selected = left.selection
        await pilot.press("t")
        assert isinstance(app.screen, TagPicker)
        await pilot.press(*"Russian war aims", "enter")
        assert left.selection is None  # tagging ends the selection
        [annotation] = stored(db)
        assert (annotation.start, annotation.end) == selected
        assert annotation.tags == ("Russian war aims",)
        assert annotation.author == USER
        assert annotation.quote == left.article.text[selected[0] : selected[1]]


@both_sizes
@sync
async def test_tag_picker_then_number_key(db: Path, size: tuple[int, int]) -> None:
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        left = views(app)[0]
        await pilot.press("t", *"sanctions", "enter")
        tag = AnnotationStore(db, "x").tag("sanctions")
        assert tag is not None and tag.key == 1 and tag.color  # a new tag gets key and colour
        await pilot.press("j", "j", "1")
        spans = sorted((a.start, a.end, a.tags) for a in stored(db))
        sentences = left.article.sentences
        assert spans == [
            (*sentences[0], ("sanctions",)),
            (*sentences[2], ("sanctions",)),
        ]
        # The highlighted sentence is drawn with the tag's background colour.
        strip = left.render_line(0)
        assert any(seg.style and seg.style.bgcolor for seg in list(strip)[1:] if seg.text.strip())
        await pilot.press("9")  # no tag on 9: nothing happens but a message
        assert len(stored(db)) == 2


@small_only
@sync
async def test_picker_applies_several_marked_tags_and_filters(
    db: Path, size: tuple[int, int]
) -> None:
    store = AnnotationStore(db, "setup")
    for name in ("NATO", "negotiating positions", "security guarantees"):
        store.create_tag(name)
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        await pilot.press("t", *"secur")
        picker = app.screen
        assert isinstance(picker, TagPicker)
        options = picker.query_one("#tag-options")
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert "security guarantees" in prompts[0]
        assert not any("NATO" in p for p in prompts)
        await pilot.press("tab")  # mark "security guarantees"
        for _ in "secur":
            await pilot.press("backspace")
        await pilot.press(*"nato", "tab", "enter")
        [annotation] = stored(db)
        assert set(annotation.tags) == {"security guarantees", "NATO"}


@small_only
@sync
async def test_enter_applies_a_tag_containing_the_text_else_creates_the_new_name(
    db: Path, size: tuple[int, int]
) -> None:
    store = AnnotationStore(db, "setup")
    for name in ("Economic leverage/sanctions", "Economic leverage/tariffs", "Costs of war"):
        store.create_tag(name)
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        await pilot.press("t", *"sanct", "enter")  # contained in a tag: that tag
        await pilot.press("j", "t", *"cost of wars", "enter")  # only a look-alike: a new tag
        assert [a.tags for a in stored(db)] == [
            ("Economic leverage/sanctions",),
            ("cost of wars",),
        ]


@small_only
@sync
async def test_choosing_an_applied_tag_takes_it_off(db: Path, size: tuple[int, int]) -> None:
    store = AnnotationStore(db, "setup")
    for name in ("NATO", "Sanctions"):
        store.create_tag(name)
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        await pilot.press("t", *"NATO", "tab", *["backspace"] * 4, *"Sanctions", "tab", "enter")
        assert [a.tags for a in stored(db)] == [("NATO", "Sanctions")]
        await pilot.press("t", *"NATO")
        # The dialog covers the text at 80x24: it shows what is being tagged itself.
        passage = str(app.screen.query_one(QuotePreview).render())
        assert passage.startswith("“" + views(app)[0].article.text[:20])
        prompt = str(app.screen.query_one("#tag-options").get_option_at_index(0).prompt)
        assert prompt.startswith("○ NATO") and "(applied: enter takes it off)" in prompt
        await pilot.press("enter")
        assert [a.tags for a in stored(db)] == [("Sanctions",)]
        await pilot.press("t", *"Sanctions", "enter")  # the last tag, and no note
        assert stored(db) == []
        await pilot.press("u")
        assert [a.tags for a in stored(db)] == [("Sanctions",)]


@small_only
@sync
async def test_a_tag_on_the_passage_around_a_sentence_is_not_nested_again(
    db: Path, size: tuple[int, int]
) -> None:
    AnnotationStore(db, "setup").create_tag("NATO", key=1)
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        left = views(app)[0]
        await pilot.press("v", "j", "1")  # a two-sentence passage
        [passage] = stored(db)
        await pilot.press("g", "j")  # the second sentence, inside it
        assert left.cursor == 1
        await pilot.press("1")
        await pilot.pause()
        assert app._notifications and list(app._notifications)[-1].message == (
            "Already on the passage around this: NATO."
        )
        await pilot.press("t", *"NATO")
        prompt = str(app.screen.query_one("#tag-options").get_option_at_index(0).prompt)
        assert "(on the passage around this)" in prompt
        await pilot.press("enter")
        assert stored(db) == [passage]


@small_only
@sync
async def test_the_new_tag_line_says_its_key_and_the_focus_picker_makes_none(
    db: Path, size: tuple[int, int]
) -> None:
    AnnotationStore(db, "setup").create_tag("NATO", key=1)
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        await pilot.press("t", *"Brand new")
        options = app.screen.query_one("#tag-options")
        assert str(options.get_option_at_index(0).prompt) == "+ new tag Brand new  [2]"
        await pilot.press("escape", "t", *"NATO/US")  # a slash nests: said before enter
        options = app.screen.query_one("#tag-options")
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert "+ new tag NATO/US  [2]  (/ nests: a child of 'NATO')" in prompts
        await pilot.press("ctrl+u", *"US/EU")  # the parent would be new too
        options = app.screen.query_one("#tag-options")
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert "+ new tag US/EU  [2]  (/ nests: a child of 'US', new too)" in prompts
        await pilot.press("escape", "t", *"nato")  # NATO in other capitals: not a new tag
        options = app.screen.query_one("#tag-options")
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert prompts[0].startswith("○ NATO") and not any("new tag" in p for p in prompts)
        assert "'nato' would differ from 'NATO' only in capitals" in prompts[-1]
        await pilot.press("escape", "f", *"Brand new")
        picker = app.screen
        assert isinstance(picker, TagPicker)
        options = picker.query_one("#tag-options")
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert not any("new tag" in prompt for prompt in prompts)
        assert "enter choose" in str(picker.query_one(".hint").render())


@small_only
@sync
async def test_a_parent_that_is_only_a_path_can_be_applied_and_becomes_a_tag(
    db: Path, size: tuple[int, int]
) -> None:
    store = AnnotationStore(db, "setup")
    for name in ("Economic leverage/sanctions", "Economic leverage/tariffs"):
        store.create_tag(name)
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        await pilot.press("t", *"Economic leverage")
        picker = app.screen
        assert isinstance(picker, TagPicker)
        options = picker.query_one("#tag-options")
        first = str(options.get_option_at_index(0).prompt)
        assert first.startswith("○ Economic leverage  (parent")
        await pilot.press("enter")
        [annotation] = stored(db)
        assert annotation.tags == ("Economic leverage",)
        assert AnnotationStore(db, "x").tag("Economic leverage") is not None


@small_only
@sync
async def test_picker_keeps_keys_in_order_when_they_arrive_in_a_burst(
    db: Path, size: tuple[int, int]
) -> None:
    """Over SSH keys come in bursts: enter applies what was typed before it, not a stale filter."""
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        await pilot.press("t", *"sanct")
        burst = ["backspace"] * 5 + list("NATO") + ["tab", "enter"]
        for key in burst:  # all queued before any is handled, as a terminal delivers a burst
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause()
        await wait_for(pilot, lambda: bool(stored(db)))
        assert [a.tags for a in stored(db)] == [("NATO",)]


def burst(app: ReaderApp, keys: list[str]) -> None:
    """Keys all queued before any is handled, as a terminal delivers one read over SSH."""
    for key in keys:
        if key == " ":
            app.post_message(events.Key("space", " "))
        else:
            app.post_message(events.Key(key, key if len(key) == 1 else None))


@small_only
@sync
async def test_keys_typed_with_the_key_that_opens_a_dialog_reach_the_dialog(
    db: Path, size: tuple[int, int]
) -> None:
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        left = views(app)[0]
        burst(app, ["t", *"NATO", "enter"])
        assert await wait_for(pilot, lambda: bool(stored(db)))
        assert [a.tags for a in stored(db)] == [("NATO",)]
        burst(app, ["m", *"typed ahead", "ctrl+s"])
        assert await wait_for(pilot, lambda: stored(db)[0].note == "typed ahead")
        burst(app, ["slash", *"Zelensky", "enter"])
        assert await wait_for(pilot, lambda: left.search_query == "Zelensky")
        assert left.matches
        burst(app, ["a", *"@nobody"])

        def filtered() -> str:
            screen = app.screen
            return screen.filter_text if isinstance(screen, AnnotationsScreen) else ""

        assert await wait_for(pilot, lambda: filtered() == "@nobody")


@pytest.mark.parametrize("chunk", [2, 3, 5, 11])
@small_only
@sync
async def test_keys_reaching_a_dialog_in_several_reads_keep_their_order(
    db: Path, size: tuple[int, int], chunk: int
) -> None:
    """A name typed over SSH arrives in pieces; no key may overtake one held before it."""
    import asyncio

    typed = "domestic politics and more"
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        await pilot.press("t")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TagPicker))
        for start in range(0, len(typed), chunk):
            burst(app, list(typed[start : start + chunk]))
            for _ in range(chunk % 4):  # let the dialog handle some keys between reads
                await asyncio.sleep(0)

        def filter_text() -> str:
            screen = app.screen
            return screen.filter_text if isinstance(screen, TagPicker) else ""

        assert await wait_for(pilot, lambda: filter_text() == typed), filter_text()


@small_only
@sync
async def test_keys_typed_with_the_key_that_closes_a_dialog_reach_the_reader(
    db: Path, size: tuple[int, int]
) -> None:
    """`esc j j` in one read: the j's move the cursor, not type into the closing picker."""
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        left, right = views(app)
        await pilot.press("t")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TagPicker))
        burst(app, ["escape", "j", "j"])
        assert await wait_for(pilot, lambda: left.cursor == 2)
        # Esc then j inside the escape delay reaches the app as the bytes of Alt+j.
        await pilot.press("t")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TagPicker))
        app.post_message(events.Key("alt+j", "j"))
        app.post_message(events.Key("j", "j"))
        assert await wait_for(pilot, lambda: left.cursor == 4 and not app.screen.is_modal)
        await pilot.press("k", "k")
        await pilot.press("m")
        assert await wait_for(pilot, lambda: app.screen.is_modal)
        burst(app, ["escape", "tab", "j"])
        assert await wait_for(pilot, lambda: app.focused is right and right.cursor == 1)
        assert not stored(db)  # nothing was tagged or noted on the way
        # Enter closes a dialog through the Input.Submitted it posts: the j's still wait.
        burst(app, ["shift+tab", "t", *"NATO", "enter", "j", "j"])
        assert await wait_for(pilot, lambda: left.cursor == 4)
        assert [(a.tags, a.start) for a in stored(db)] == [
            (("NATO",), left.article.sentences[2][0])
        ]
        burst(app, ["slash", *"the", "enter", "j"])
        assert await wait_for(pilot, lambda: left.search_query == "the" and not app.screen.is_modal)
        sentence_four = left.article.sentences[4][0]
        first = next(start for start, _end in left.matches if start >= sentence_four)
        assert await wait_for(pilot, lambda: left.cursor == left.sentence_at(first) + 1)


@small_only
@sync
async def test_a_colleagues_annotation_stays_theirs(db: Path, size: tuple[int, int]) -> None:
    from tui.app.dialogs.prompts import ConfirmDialog

    left_article = seed_articles()[0]
    bob = AnnotationStore(db, "bob")
    theirs = bob.add(LEFT, *left_article.sentences[0], left_article.text, ["NATO"], note="bob's")
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        await pilot.press("t", *"Sanctions", "enter")  # same sentence: a new one, mine
        await pilot.press("m", *"mine", "ctrl+s")
        by_author = {a.author: a for a in stored(db)}
        assert by_author["bob"] == theirs  # tags and note untouched
        assert by_author[USER].tags == ("Sanctions",) and by_author[USER].note == "mine"
        await pilot.press("x")  # mine goes first, without a question
        assert [a.author for a in stored(db)] == ["bob"]
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert [a.author for a in stored(db)] == ["bob"]
        await pilot.press("x", "y")
        assert stored(db) == []


@small_only
@sync
async def test_with_one_article_in_both_panes_a_change_shows_in_both(
    db: Path, size: tuple[int, int]
) -> None:
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        left, right = views(app)
        app.reader_screen.open_article(right, left.article.id)
        await pilot.press("t", *"NATO", "enter")
        [annotation] = stored(db)
        assert annotation.id in left.highlights and annotation.id in right.highlights
        await pilot.press("x")
        assert annotation.id not in right.highlights


@both_sizes
@sync
async def test_note_delete_undo_redo(db: Path, size: tuple[int, int]) -> None:
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        left = views(app)[0]
        await pilot.press("j", "m")
        await pilot.press(*"check the quote", "enter", *"line two", "ctrl+s")
        [annotation] = stored(db)
        assert annotation.note == "check the quote\nline two"
        assert (annotation.start, annotation.end) == left.article.sentences[1]
        status = app.reader_screen.query_one("#status").content.plain
        assert "check the quote line two" in status and USER in status
        await pilot.press("m", "end", *" (edited)", "ctrl+s")
        assert stored(db)[0].note == "check the quote\nline two (edited)"
        await pilot.press("m", *"ignored", "escape")
        assert stored(db)[0].note.endswith("(edited)")
        await pilot.press("x")
        assert stored(db) == []
        assert left.annotations_under_cursor() == []
        await pilot.press("u")
        assert [a.id for a in stored(db)] == [annotation.id]
        assert [a.id for a in left.annotations_under_cursor()] == [annotation.id]
        await pilot.press("U")
        assert stored(db) == []
        await pilot.press("ctrl+r")  # nothing left to redo
        assert stored(db) == []


@both_sizes
@sync
async def test_search_next_and_previous(db: Path, size: tuple[int, int]) -> None:
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        right = views(app)[1]
        await pilot.press("tab")
        assert app.focused is right
        await pilot.press("slash", *"putin", "enter")
        text = right.article.text
        starts = [i for i in range(len(text)) if text[i : i + 5].lower() == "putin"]
        assert [m[0] for m in right.matches] == starts
        first = right.cursor
        assert right.cursor_range[0] <= starts[0] < right.cursor_range[1]
        await pilot.press("n")
        assert right.cursor > first
        assert any(right.cursor_range[0] <= s < right.cursor_range[1] for s in starts)
        await pilot.press("N")
        assert right.cursor == first
        await pilot.press("N")  # before the first match: round to the last, and said so
        await pilot.pause()
        assert any("Wrapped round to the last match" in n.message for n in app._notifications)
        await pilot.press("slash", *"no such words here", "enter")
        assert right.matches == []


@small_only
@sync
async def test_search_finds_curly_quotes_typed_straight(db: Path, size: tuple[int, int]) -> None:
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        left = views(app)[0]
        await pilot.press("slash", *"russia's", "enter")
        assert [left.article.text[start:end] for start, end in left.matches] == ["Russia’s"]
        await pilot.pause()
        status = str(app.reader_screen.query_one(StatusLine).content)
        assert "· 1 match" in status and "1 matches" not in status


@both_sizes
@sync
async def test_panes_switch_and_keep_their_own_cursor(db: Path, size: tuple[int, int]) -> None:
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        left, right = views(app)
        await pilot.press("j", "tab", "j", "j", "j")
        assert (left.cursor, right.cursor) == (1, 3)
        assert app.focused is right
        await pilot.press("shift+tab", "k")
        assert (left.cursor, right.cursor) == (0, 3)
        await pilot.press("tab", "t", *"Russia-China ties", "enter")
        [annotation] = stored(db)
        assert annotation.article == RIGHT


@both_sizes
@sync
async def test_space_and_b_move_a_screenful(db: Path, size: tuple[int, int]) -> None:
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        left = views(app)[0]
        height = left.scrollable_content_region.height
        bottom = left.virtual_size.height - height
        tops = [0]
        while tops[-1] < bottom:
            await pilot.press("space")
            tops.append(round(left.scroll_y))
            # The cursor is on a sentence in the new view, not one line further on.
            assert tops[-1] <= left.cursor_line < tops[-1] + height
        assert tops == [min(n * (height - 2), bottom) for n in range(len(tops))]
        await pilot.press("space")
        assert left.cursor == len(left.article.sentences) - 1  # at the end: the last one
        await pilot.press("b")
        assert round(left.scroll_y) == max(0, bottom - (height - 2))


@both_sizes
@sync
async def test_position_column_shows_where_the_view_is(db: Path, size: tuple[int, int]) -> None:
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        left = views(app)[0]
        height = left.scrollable_content_region.height

        def thumb_rows() -> list[int]:
            return [y for y, line in enumerate(screen_lines(left)) if line.endswith("▐")]

        at_top = thumb_rows()
        assert at_top and at_top[0] == 0
        # As tall as the share of the article in view, give or take rounding.
        assert abs(len(at_top) - height * height / left.virtual_size.height) <= 1
        await pilot.press("G")
        assert thumb_rows()[-1] == height - 1
        assert all(len(line) == left.scrollable_content_region.width for line in screen_lines(left))


@small_only
@sync
async def test_keys_typed_right_after_tab_move_the_new_pane(
    db: Path, size: tuple[int, int]
) -> None:
    """Tab then j j in one burst (one SSH packet): the j's belong to the pane tab went to."""
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        left, right = views(app)
        for key in ["tab", "j", "j", "shift+tab", "j"]:  # all queued before any is handled
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause()
        await wait_for(pilot, lambda: (left.cursor, right.cursor) == (1, 2))
        assert (left.cursor, right.cursor) == (1, 2)
        assert app.focused is left


@both_sizes
@sync
async def test_annotation_from_another_process_appears(db: Path, size: tuple[int, int]) -> None:
    app = make_app(db, poll_seconds=0.2)
    async with app.run_test(size=size) as pilot:
        right = views(app)[1]
        colleague = AnnotationStore(db, "colleague")
        start, end = right.article.sentences[0]
        added = colleague.add(RIGHT, start, end, right.article.text, ["economic leverage"])
        assert await wait_for(pilot, lambda: added.id in right.highlights)
        await pilot.press("tab")

        def status() -> str:
            return app.reader_screen.query_one("#status").content.plain

        # The status line follows the focus a message later: wait for it, not a fixed time.
        assert await wait_for(pilot, lambda: "economic leverage" in status()), status()
        assert "colleague" in status()


@small_only
@sync
async def test_help_lists_every_key(db: Path, size: tuple[int, int]) -> None:
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        rows = [row for section in app.screen.query(HelpRows) for row in section.rows]
        shown = [keys for keys, _text in rows]
        for label in [
            "j / ↓",
            "J / ]",
            "space / pgdn",
            "v",
            "t / ⏎",
            "1-9",
            "m",
            "x / del",
            "u",
            "U / ctrl+r",
            "/",
            "n",
            "N",
            "tab / shift+tab",
            "q",
            "?",
            "ctrl+p",
            "o",
            "e",
        ]:
            assert label in shown, label
        # The dialogs' own keys too: marking several tags, re-anchoring from the list.
        sections = [str(section.render()) for section in app.screen.query(".help-section")]
        assert "Tag picker (t)" in sections and "Annotations list (a)" in sections
        texts = [text for _keys, text in rows]
        assert any(text.startswith("mark the tag") for text in texts)
        assert any("select its passage by hand" in text for text in texts)
        await pilot.press("escape")
        assert isinstance(app.focused, ArticleView)


def footer_labels(app: ReaderApp) -> list[str]:
    """The footer's keys left to right, each as "key description"; all must fit on screen."""
    keys = sorted(app.screen.query(FooterKey), key=lambda key: key.region.x)
    width = app.size.width
    assert all(key.region.right <= width for key in keys)
    assert all(a.region.right <= b.region.x for a, b in pairwise(keys))
    return [f"{key.key_display} {key.description}" for key in keys]


@sync
async def test_footer_fits_80_columns_in_every_mode(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")  # an annotation under the cursor: x Delete shows
        await pilot.pause()
        assert "o Open" in footer_labels(app)
        await pilot.press("v")
        await pilot.pause()
        selecting = footer_labels(app)
        assert "h/l Word" in selecting and "esc Cancel" in selecting
        assert "v Select" not in selecting  # v now drops it, as esc does
        assert "/ Search" not in selecting and "q Quit" not in selecting
        assert "^p Commands" in selecting
        await pilot.press("escape", "slash", *"the", "enter")
        await pilot.pause()
        assert "n/N Match" in footer_labels(app)
        await pilot.press("q")  # hidden from the footer, still a key
        assert await wait_for(pilot, lambda: app.return_code is not None)


@sync
async def test_help_scrolls_with_the_reader_movement_keys(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        box = app.screen.query_one(VerticalScroll)
        assert box.max_scroll_y > box.scrollable_content_region.height  # more than a page
        await pilot.press("j", "j")
        assert box.scroll_y == 2
        await pilot.press("k")
        assert box.scroll_y == 1
        await pilot.press("space")
        assert box.scroll_y > 2
        paged = box.scroll_y
        await pilot.press("b")
        assert box.scroll_y < paged
        await pilot.press("G")
        assert box.scroll_y == box.max_scroll_y
        await pilot.press("g")
        assert box.scroll_y == 0


@sync
async def test_x_with_nothing_to_delete_says_so(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x")
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["Nothing to delete here."]


@sync
async def test_keys_of_a_mode_not_on_say_what_starts_it(db: Path) -> None:
    """n, h and . outside a search, a selection or a focus: a word, not silence."""
    AnnotationStore(db, "setup").create_tag("NATO", key=1)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        left = views(app)[0]
        assert not {"n/N Match", "h/l Word", ". Next"} & set(footer_labels(app))
        await pilot.press("n", "l", "full_stop")
        await pilot.pause()
        assert [n.message for n in app._notifications] == [
            "No search yet: / searches.",
            "h and l move the end of a selection by words; v starts one.",
            "No tag is focused: f chooses one, then . and , step through it.",
        ]
        assert left.cursor == 0 and left.selection is None
        await pilot.press("slash", *"no such words", "enter", "n")
        await pilot.pause()
        assert [n.message for n in app._notifications][-1] == "Not found: no such words"
        await pilot.press("escape", "1", "1")
        await pilot.pause()
        assert [n.message for n in app._notifications][-1].startswith("Already tagged ")
        assert len(stored(db)) == 1


@sync
async def test_escape_clears_the_search(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        left = views(app)[0]
        await pilot.press("slash", *"the", "enter")
        assert left.matches
        assert "matches" in str(app.reader_screen.query_one(StatusLine).content)
        await pilot.press("escape")
        await pilot.pause()
        assert left.matches == [] and left.search_query == ""
        assert "matches" not in str(app.reader_screen.query_one(StatusLine).content)


@sync
async def test_status_line_shortens_a_long_note_but_keeps_author_and_position(db: Path) -> None:
    left = seed_articles()[0]
    note = "I think this passage reframes the whole negotiation as a contest of deadlines " * 2
    AnnotationStore(db, USER).add(LEFT, *left.sentences[0], left.text, ["Russia/war aims"], note)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        line = app.reader_screen.query_one(StatusLine)
        await pilot.pause()
        shown = line.content
        assert shown.cell_length <= line.content_region.width
        text = str(shown)
        assert text.endswith(f"1/{len(left.sentences)}")
        assert f"— {USER}" in text
        assert "…”" in text and "I think this passage" in text
        await pilot.resize_terminal(160, 24)
        await pilot.pause()
        await pilot.pause()
        assert len(str(line.content)) > len(text)  # the wider line shows more of the note


def test_quoted_adds_marks_only_where_the_passage_has_none() -> None:
    assert quoted("Plain words.") == "“Plain words.”"
    assert quoted("“I think so,” he said.") == "“I think so,” he said."
    assert quoted("“Quoted whole.”") == "“Quoted whole.”"
    assert quoted("") == "“”"


@sync
async def test_note_dialog_does_not_double_the_passage_quote_marks(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        left = views(app)[0]
        left.move_cursor(45)  # “I think one has to assume …
        await pilot.press("m")
        await pilot.pause()
        shown = str(app.screen.query_one(".quote", Static).render())
        assert shown.startswith("“I think") and "““" not in shown


@sync
async def test_word_steps_keep_the_punctuation_and_closing_quote_of_the_word(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        left = views(app)[0]
        text = left.article.text
        start, end = left.article.sentences[0]
        await pilot.press("v", "l", "h")  # a word into the next sentence, then back
        assert left.selection == (start, end) and text[end - 1] == "."
        await pilot.press("escape")
        left.move_cursor(33)  # “Western hopes rest on a false assumption,” Alexander …
        start, end = left.cursor_range
        await pilot.press("v")
        target = "“Western hopes rest on a false assumption,”"
        for _step in range(30):  # back a word at a time until the quotation's end
            assert left.selection is not None and left.selection[1] > start + len(target) - 2
            if text[start : left.selection[1]] == target:
                break
            await pilot.press("h")
        await pilot.press("t", *"Quote", "enter")
        await pilot.pause()
        assert stored(db)[-1].quote == target


def test_pane_title_gives_a_cut_title_whole_and_keeps_a_given_one() -> None:
    left = seed_articles()[0]
    assert not left.title.endswith("…") and pane_title(left) == left.title  # kept whole now
    cut = replace(left, title="U.S. President Donald Trump did not…")  # as older caches hold it
    whole = pane_title(cut)
    assert whole == left.title and len(whole) > len(cut.title)
    assert "as promised on the campaign trail" in whole and not whole.endswith(".")
    given = replace(left, title="Trump’s first week…")  # a title of its own, not the lead
    assert pane_title(given) == "Trump’s first week…"


def test_a_long_quote_is_cut_to_its_lines_with_a_visible_end() -> None:
    from tui.app.widgets.quoting import first_lines

    passage = "“" + "word " * 40 + "end.”"
    shown = first_lines(passage, 30, 3).splitlines()
    assert len(shown) == 3 and all(len(line) <= 30 for line in shown)
    assert shown[-1].endswith("word…”")
    assert first_lines("“Short.”", 30, 3) == "“Short.”"


@small_only
@sync
async def test_the_note_dialog_shows_a_long_passage_cut_with_an_ellipsis(
    db: Path, size: tuple[int, int]
) -> None:

    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        await pilot.press("v", "j", "j", "j", "j", "m")
        preview = app.screen.query_one(QuotePreview)
        await pilot.pause()
        lines = str(preview.render()).splitlines()
        assert len(lines) == preview.lines == 3 and lines[-1].endswith("…”")


@sync
async def test_without_colour_the_highlighted_row_of_a_list_stands_out(db: Path) -> None:
    """NO_COLOR turns Textual's row highlight into a near-invisible grey: ours is inverted."""
    store = AnnotationStore(db, "setup")
    store.create_tag("NATO")
    store.create_tag("Sanctions")
    app = make_app(db)
    app.no_color = True  # as NO_COLOR in the environment makes it
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        options = app.screen.query_one("#tag-options")
        highlighted = options.get_visual_style("option-list--option-highlighted")
        plain = options.get_visual_style()
        assert highlighted.background == plain.foreground


@sync
async def test_the_picker_lists_tags_in_the_codebooks_order(db: Path) -> None:
    store = AnnotationStore(db, "setup")
    for name in ("Russia-China ties", "Russia/war aims", "NATO"):
        store.create_tag(name)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        options = app.screen.query_one("#tag-options")
        names = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert [name.split("  ")[0] for name in names] == [
            "○ NATO",
            "○ Russia",  # the parent, right before its child
            "○ Russia/war aims",
            "○ Russia-China ties",
        ]
