"""Search across the corpus in the reader (issue 15): hits as they come, open at a hit, a
regular expression, and "code all hits" as one undoable change."""

from __future__ import annotations

from pathlib import Path

from test_app_support import LEFT, RIGHT, make_app, seed_articles, sync, views, wait_for
from textual.pilot import Pilot

from tui.app.reader import ReaderApp
from tui.app.screens.corpus_search import CorpusSearchScreen, open_corpus_search
from tui.corpus.search import Hit, compile_query, search_articles
from tui.store import AnnotationStore

SIZE = (120, 36)


def expected_hits(text: str, *, is_regex: bool = False) -> list[Hit]:
    query = compile_query(text, is_regex=is_regex)
    found = search_articles(seed_articles(), query, units=True)  # as the screen searches
    return [hit for hit in found if isinstance(hit, Hit)]


async def search(app: ReaderApp, pilot: Pilot[None], *keys: str) -> CorpusSearchScreen:
    if not isinstance(app.screen, CorpusSearchScreen):
        open_corpus_search(app)
        await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CorpusSearchScreen)
    await pilot.press(*keys)
    assert await wait_for(pilot, lambda: screen.done and screen.searched > 0)
    return screen


@sync
async def test_search_lists_every_hit_with_its_article_and_context(tmp_path: Path) -> None:
    app = make_app(tmp_path / "db.json")
    async with app.run_test(size=SIZE) as pilot:
        screen = await search(app, pilot, *"russia")
        wanted = expected_hits("russia")
        assert {hit.article_id for hit in wanted} == {LEFT, RIGHT}  # the fixture's premise
        assert screen.hits == wanted
        state = str(screen.query_one("#search-state").render())
        assert f"{len(wanted)} hits in 2 articles" in state
        hit_list = screen.hit_list
        assert hit_list.row_count == len(wanted)
        first = hit_list.render_line(0).text
        title = seed_articles()[0].title
        assert title[:10] in first and wanted[0].match in first
        assert wanted[0].after.split()[0] in first  # the words after the hit
        # The spaces beside the match stay: "with the Kremlin's", never "with theKremlin's".
        spaced = next(i for i, hit in enumerate(wanted) if hit.before[-1:].isspace())
        line = hit_list.render_line(spaced).text
        assert f"{wanted[spaced].before.split()[-1]} {wanted[spaced].match}" in line
        await pilot.press("ctrl+r", "ctrl+u", *"Russi(a|an)\\b")  # now a regular expression
        assert await wait_for(pilot, lambda: screen.done and screen.searched > 0)
        assert screen.hits == expected_hits("Russi(a|an)\\b", is_regex=True)
        await pilot.press("(")  # a pattern that does not compile: said, nothing searched
        assert "not a valid regular expression" in str(screen.query_one("#search-state").render())
        assert screen.hits == []


@sync
async def test_enter_opens_the_article_in_the_focused_pane_at_the_hit(tmp_path: Path) -> None:
    app = make_app(tmp_path / "db.json")
    async with app.run_test(size=SIZE) as pilot:
        await search(app, pilot, *"russia")
        wanted = expected_hits("russia")
        target = max(i for i, hit in enumerate(wanted) if hit.article_id == RIGHT)
        for _ in range(target):
            await pilot.press("down")
        await pilot.press("enter")
        assert not isinstance(app.screen, CorpusSearchScreen)
        view = app.reader_screen.view
        assert view.article.id == RIGHT
        start, end = view.article.sentences[view.cursor]
        assert start <= wanted[target].start < end


@sync
async def test_code_all_hits_tags_each_and_one_undo_takes_them_back(tmp_path: Path) -> None:
    db = tmp_path / "annotations" / "marginalia.json"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await search(app, pilot, *"sanctions")
        wanted = expected_hits("sanctions")
        assert len(wanted) >= 3
        await pilot.press("ctrl+t", *"Economic pressure", "enter")  # a new tag
        confirm = str(app.screen.query_one(".message").render())
        articles = len({hit.article_id for hit in wanted})
        assert f"Tag {len(wanted)} passages in {articles} article" in confirm
        await pilot.press("y")
        stored = AnnotationStore(db, "check").annotations()
        assert sorted((a.article, a.start, a.end) for a in stored) == sorted(
            (hit.article_id, hit.start, hit.end) for hit in wanted
        )
        assert all(a.tags == ("Economic pressure",) for a in stored)
        assert AnnotationStore(db, "check").tag("Economic pressure") is not None
        await pilot.press("escape")
        shown = [views(app)[0].highlights, views(app)[1].highlights]
        assert sum(len(h) for h in shown) == len(wanted)  # the panes show them at once
        await pilot.press("u")
        assert AnnotationStore(db, "check").annotations() == []
        assert screen.hits == wanted  # (the screen itself is gone; its hits were not touched)


@sync
async def test_marked_hits_alone_are_coded(tmp_path: Path) -> None:
    db = tmp_path / "annotations" / "marginalia.json"
    AnnotationStore(db, "setup").create_tag("NATO")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await search(app, pilot, *"sanctions")
        wanted = expected_hits("sanctions")
        await pilot.press("tab", "space", "down", "space")  # the first and the third
        assert screen.marked == {0, 2}
        assert "2 marked" in str(screen.query_one("#search-state").render())
        await pilot.press("ctrl+t", *"NATO", "enter")
        assert "Tag 2 passages" in str(app.screen.query_one(".message").render())
        await pilot.press("enter")
        stored = AnnotationStore(db, "check").annotations()
        assert sorted((a.start, a.end) for a in stored) == sorted(
            (hit.start, hit.end) for hit in (wanted[0], wanted[2])
        )
        assert screen.marked == set()


@sync
async def test_typing_on_while_a_search_runs_keeps_only_the_newest_query(tmp_path: Path) -> None:
    articles = seed_articles() * 200  # 400 articles: the first query is still running
    app = make_app(tmp_path / "db.json", articles=seed_articles())
    async with app.run_test(size=SIZE) as pilot:
        screen = CorpusSearchScreen(articles)
        await app.push_screen(screen)
        await pilot.press(*"the", "backspace", "backspace", "backspace", *"Kennan")
        assert screen.query_text == "Kennan"
        assert await wait_for(pilot, lambda: screen.done and screen.searched == len(articles))
        assert len(screen.hits) == 200 * len(expected_hits("Kennan"))
        assert all(hit.match.casefold() == "kennan" for hit in screen.hits)


@sync
async def test_hits_in_hostile_text_are_drawn_as_text(tmp_path: Path) -> None:
    from test_app_robust import hostile_corpus

    articles = hostile_corpus(tmp_path / "corpus")
    app = make_app(tmp_path / "db.json", articles=articles)
    async with app.run_test(size=SIZE) as pilot:
        screen = await search(app, pilot, *"click")
        assert screen.hits
        line = screen.hit_list.render_line(0).text
        assert "[@click=app.quit]" in line  # markup shown, not obeyed
        assert app.is_running
        await pilot.press("ctrl+u", *"red")
        assert await wait_for(pilot, lambda: screen.done and bool(screen.hits))
        drawn = [screen.hit_list.render_line(y).text for y in range(len(screen.hits))]
        assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in "".join(drawn))


def test_tagging_many_spans_joins_twins_and_is_one_undo(tmp_path: Path) -> None:
    """`ReaderSession.tag_hits`: each span as `t` would tag it (the same span again joins
    that annotation), all in one undoable change; a hit outside the corpus is left."""
    from tui.app.model.session import ReaderSession

    left, right = seed_articles()
    store = AnnotationStore(tmp_path / "db.json", "alice")
    twin = store.add(LEFT, *left.sentences[2], left.text, ["NATO"], note="kept")
    session = ReaderSession(seed_articles(), store)
    spans = [(LEFT, *left.sentences[2]), (RIGHT, *right.sentences[4]), ("gone", 0, 4)]
    done = session.tag_hits(spans, ["Talks", "NATO"])
    assert [(a.article, a.start) for a in done] == [(LEFT, twin.start), (RIGHT, spans[1][1])]
    assert done[0].id == twin.id and done[0].tags == ("NATO", "Talks") and done[0].note == "kept"
    assert done[1].tags == ("Talks", "NATO")
    assert store.tag("Talks") is not None
    assert session.undo() is not None
    assert store.annotations() == [twin]
    assert store.tag("Talks") is None  # the new code went with them


@sync
async def test_capital_s_opens_the_corpus_search_from_the_reader(tmp_path: Path) -> None:
    app = make_app(tmp_path / "db.json")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        assert isinstance(app.screen, CorpusSearchScreen)
        await pilot.press("escape", "ctrl+f")
        assert isinstance(app.screen, CorpusSearchScreen)


@sync
async def test_the_search_reopens_on_its_last_query_and_typing_replaces_it(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path / "db.json")
    async with app.run_test(size=SIZE) as pilot:
        await search(app, pilot, "ctrl+r", *"Russi(a|an)\\b")  # a regular expression
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CorpusSearchScreen)
        screen = await search(app, pilot)  # reopened: searched again at once
        assert screen.query_text == "Russi(a|an)\\b" and screen.last_query[1]
        assert screen.hits == expected_hits("Russi(a|an)\\b", is_regex=True)
        await pilot.press(*"Kremlin")  # the old query is selected: typing replaces it
        assert await wait_for(pilot, lambda: screen.done and screen.query_text == "Kremlin")
        assert screen.hits == expected_hits("Kremlin", is_regex=True)
