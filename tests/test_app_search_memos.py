"""Memos in the reader's corpus search (issue 17): memo hits listed after the articles' hits,
enter edits the memo as the memo list does, and a memo hit is never marked or coded."""

from __future__ import annotations

from pathlib import Path

from test_app_search import SIZE, expected_hits, search
from test_app_support import LEFT, RIGHT, make_app, seed_articles, sync, wait_for
from textual.widgets import TextArea

from tui.app.dialogs.note_editor import NoteEditor
from tui.app.dialogs.tag_picker import TagPicker
from tui.app.screens.corpus_search import NOT_CODED, CorpusSearchScreen
from tui.corpus.search import compile_query
from tui.store import AnnotationStore
from tui.store.memo_search import MemoHit, search_memos
from tui.store.memos import PROJECT
from tui.store.model import Memo

ON_LEFT = "Sanctions framing: compare [bold]x[/] with the other outlet."
ON_PROJECT = "Codebook v2: code sanctions as economic pressure."


def with_memos(db: Path, author: str = "tester") -> AnnotationStore:
    store = AnnotationStore(db, author)
    store.memos.add(LEFT, ON_LEFT)
    store.memos.add(PROJECT, ON_PROJECT)
    return store


def state(screen: CorpusSearchScreen) -> str:
    return str(screen.query_one("#search-state").render())


def row(screen: CorpusSearchScreen, index: int) -> str:
    return screen.hit_list.render_line(index - (screen.hit_list.scroll_offset.y)).text


def go_to(screen: CorpusSearchScreen, index: int) -> None:
    """The cursor on row `index`, the hits focused (as tab and the arrows would leave it)."""
    screen.hit_list.move_cursor(index)
    screen.hit_list.focus()


def notes(app: object) -> list[str]:
    return [n.message for n in app._notifications]  # type: ignore[attr-defined]


@sync
async def test_memo_hits_follow_the_article_hits_with_their_article_or_project(
    db: Path,
) -> None:
    store = with_memos(db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await search(app, pilot, *"sanctions")
        assert screen.hits == expected_hits("sanctions")  # the articles' hits as before
        wanted = [
            hit
            for hit in search_memos(store.memos.list(), compile_query("sanctions"))
            if isinstance(hit, MemoHit)
        ]
        assert len(wanted) == 2  # the fixture's premise: one on LEFT, one on the project
        assert screen.memo_hits == wanted
        assert screen.hit_list.row_count == len(screen.hits) + 2
        assert "· 2 memo hits" in state(screen)
        first = len(screen.hits)
        go_to(screen, first + 1)
        await pilot.pause()
        title = seed_articles()[0].title
        by_memo = {screen.memo_hits[i].memo.article: row(screen, first + i) for i in (0, 1)}
        assert by_memo[LEFT].lstrip().startswith(f"memo: {title[:8]}")
        assert "Sanctions framing" in by_memo[LEFT]
        assert "[bold]x[/]" in by_memo[LEFT]  # memo text is drawn as text, not markup
        assert by_memo[PROJECT].split("│")[0].split() == ["memo:", "project"]
        assert "code sanctions as economic" in by_memo[PROJECT]


@sync
async def test_enter_on_a_memo_hit_edits_it_and_the_hits_follow(db: Path) -> None:
    store = with_memos(db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await search(app, pilot, *"codebook")
        assert screen.hits == [] and [h.memo.text for h in screen.memo_hits] == [ON_PROJECT]
        await pilot.press("tab", "enter")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.query_one("#note-text", TextArea).text == ON_PROJECT
        await pilot.press("escape")  # cancelled: nothing changes, back to the hits
        assert await wait_for(pilot, lambda: app.screen is screen)
        assert [m.text for m in store.memos.list(PROJECT)] == [ON_PROJECT]
        await pilot.press("enter", *" Codebook v3 too.", "ctrl+s")
        assert await wait_for(pilot, lambda: app.screen is screen)
        edited = f"{ON_PROJECT} Codebook v3 too."
        assert [m.text for m in AnnotationStore(db, "check").memos.list(PROJECT)] == [edited]
        assert [h.start for h in screen.memo_hits] == [0, len(ON_PROJECT) + 1]  # searched again
        assert "· 2 memo hits" in state(screen)
        await pilot.press("escape", "u")  # one undoable change, as in the memo list
        assert await wait_for(pilot, lambda: store.memos.list(PROJECT)[0].text == ON_PROJECT)


@sync
async def test_a_memo_hit_is_neither_marked_nor_coded(db: Path) -> None:
    with_memos(db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await search(app, pilot, *"sanctions")
        articles = expected_hits("sanctions")
        go_to(screen, len(articles))  # the first memo hit
        await pilot.press("space")
        assert screen.marked == set()
        assert await wait_for(pilot, lambda: NOT_CODED in notes(app))
        assert app.screen is screen
        await pilot.press("ctrl+t", *"Economic pressure", "enter")
        confirm = str(app.screen.query_one(".message").render())
        assert f"Tag {len(articles)} passages" in confirm
        assert "2 memo hits left: memos are not coded." in confirm
        await pilot.press("y")
        stored = AnnotationStore(db, "check").annotations()
        assert sorted((a.article, a.start, a.end) for a in stored) == sorted(
            (hit.article_id, hit.start, hit.end) for hit in articles
        )

        screen.query_one("#search-query").focus()
        await pilot.press("ctrl+u", *"codebook")  # memo hits only: nothing to code
        assert await wait_for(pilot, lambda: screen.done and len(screen.memo_hits) == 1)
        # Earlier notices expire on their own timer (5 s, easily passed under load), so a
        # count of notices is no measure: start from none and wait for this one.
        app.clear_notifications()
        await pilot.press("ctrl+t")
        assert await wait_for(pilot, lambda: notes(app) == [NOT_CODED])
        assert not isinstance(app.screen, TagPicker)
        assert len(AnnotationStore(db, "check").annotations()) == len(articles)


@sync
async def test_hostile_memos_and_titles_are_drawn_as_text(db: Path, tmp_path: Path) -> None:
    """The store drops control characters from a memo it writes, but a memo may come from a
    file written elsewhere: the screen draws whatever it is given inertly."""
    from test_app_robust import hostile_corpus

    articles = hostile_corpus(tmp_path / "corpus")
    evil = Memo("e1", "evil", "red \x1b[31m[bold]x[/] \x1b]0;title\x07 done", "\x1b[2Jmallory")
    project = Memo("e2", "", "[@click=app.quit]red[/]", "[bold]eve")
    app = make_app(db, articles=articles)
    async with app.run_test(size=SIZE) as pilot:
        screen = CorpusSearchScreen(articles, memos=lambda: [evil, project])
        await app.push_screen(screen)
        await pilot.press(*"red")
        assert await wait_for(pilot, lambda: screen.done and len(screen.memo_hits) == 2)
        first = len(screen.hits)
        go_to(screen, first + 1)
        await pilot.pause()
        drawn = [row(screen, first), row(screen, first + 1)]
        text = "".join(drawn)
        assert "[bold]x[/]" in text and "[@click=app.quit]" in text
        assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in text)
        assert "memo: A headline with [bold]" in drawn[0]  # the article's hostile title too
        assert app.is_running


@sync
async def test_blind_coding_hides_annotations_not_memos(db: Path) -> None:
    """As the memo list (`M`) does: another coder's memo is found while blind."""
    with_memos(db, author="bob")
    AnnotationStore(db, "bob").memos.add(RIGHT, "bob thinks sanctions dominate")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("B")
        assert app.session.blind
        screen = await search(app, pilot, *"sanctions")
        assert {hit.memo.author for hit in screen.memo_hits} == {"bob"}
        assert len(screen.memo_hits) == 3
