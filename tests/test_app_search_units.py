"""The corpus search codes its hits by words, sentence or paragraph (ctrl+o): a sentence
holding two hits is coded once, one already coded so is left, the confirm names the unit,
and the rows show what will be coded."""

from __future__ import annotations

from pathlib import Path

from test_app_search import SIZE, expected_hits, search
from test_app_support import LEFT, USER, make_app, seed_articles, sync, wait_for
from textual.containers import Vertical
from textual.pilot import Pilot

from tui.app.reader import ReaderApp
from tui.app.screens.corpus_search import CorpusSearchScreen
from tui.corpus.model import Article
from tui.corpus.search import Hit
from tui.store import AnnotationStore

CODE = "War aims"


def by_id(article_id: str) -> Article:
    return next(article for article in seed_articles() if article.id == article_id)


def holding(hits: list[Hit], unit: str) -> list[tuple[str, int, int]]:
    """The sentences (blocks) holding the hits, each once: a plain scan of the article's
    units, apart from the screen's bisection and merging."""
    found: list[tuple[str, int, int]] = []
    for hit in hits:
        article = by_id(hit.article_id)
        spans = (
            article.sentences if unit == "sentence" else [(b.start, b.end) for b in article.blocks]
        )
        (span,) = [(s, e) for s, e in spans if s <= hit.start and hit.end <= e]
        if (hit.article_id, *span) not in found:
            found.append((hit.article_id, *span))
    return found


def state(screen: CorpusSearchScreen) -> str:
    return str(screen.query_one("#search-state").render())


def message(app: ReaderApp) -> str:
    return str(app.screen.query_one(".message").render())


def notes(app: ReaderApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def stored(db: Path, author: str = USER) -> list[tuple[str, int, int]]:
    return sorted(
        (a.article, a.start, a.end) for a in AnnotationStore(db, "check").annotations()
        if a.author == author
    )  # fmt: skip


async def code(app: ReaderApp, pilot: Pilot[None], name: str = CODE) -> None:
    """ctrl+t and the code's name in the tag picker: the confirm (or a notice) follows."""
    await pilot.press("ctrl+t", *name, "enter")
    await pilot.pause()


@sync
async def test_sentence_mode_codes_each_hit_s_sentence_once(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await search(app, pilot, *"Putin")
        assert "code as: words" in state(screen)
        await pilot.press("ctrl+o")
        assert screen.unit == "sentence" and "code as: sentence" in state(screen)
        hits = expected_hits("Putin")
        sentences = holding(hits, "sentence")
        assert len(sentences) < len(hits)  # the premise: some sentence holds two hits
        articles = len({article_id for article_id, _s, _e in sentences})
        await pilot.press("ctrl+t")
        await pilot.pause()
        picker = app.screen.query_one(Vertical)
        assert str(picker.border_title) == f"Tag {len(hits)} hits by sentence"
        await pilot.press(*CODE, "enter")
        await pilot.pause()
        asked = message(app)
        assert f"Tag {len(sentences)} sentences in {articles} articles with {CODE}?" in asked
        assert f"{len(hits)} hits in all: a sentence with several is coded once." in asked
        await pilot.press("y")
        assert stored(db) == sorted(sentences)
        for annotation in AnnotationStore(db, "check").annotations():
            text = by_id(annotation.article).text
            assert annotation.quote == text[annotation.start : annotation.end]
            assert "putin" in annotation.quote.lower() and annotation.tags == (CODE,)
        # The same again: nothing new, said, and no confirm.
        app.clear_notifications()
        await code(app, pilot)
        wanted = f"Nothing to tag: every sentence already carries {CODE}."
        assert await wait_for(pilot, lambda: wanted in notes(app))
        assert isinstance(app.screen, CorpusSearchScreen)
        assert stored(db) == sorted(sentences)


@sync
async def test_a_sentence_already_coded_is_left_and_others_coders_do_not_count(
    db: Path,
) -> None:
    hits = expected_hits("Putin")
    sentences = holding(hits, "sentence")
    left = by_id(LEFT)
    mine_first, bobs = [s for s in sentences if s[0] == LEFT][:2]
    text = left.text
    mine = AnnotationStore(db, USER).add(LEFT, *mine_first[1:], text, [CODE], note="kept")
    AnnotationStore(db, "bob").add(LEFT, *bobs[1:], text, [CODE])
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await search(app, pilot, *"Putin", "ctrl+o")
        await code(app, pilot)
        asked = message(app)
        assert f"Tag {len(sentences) - 1} sentences" in asked
        assert f"1 sentence already carries {CODE}: left as it is." in asked
        await pilot.press("y")
        assert stored(db) == sorted(sentences)  # one each, the one coded before included
        again = next(a for a in AnnotationStore(db, "check").annotations() if a.id == mine.id)
        assert again == mine  # untouched: not even its time
        assert stored(db, "bob") == [bobs]


@sync
async def test_paragraph_mode_marked_hits_and_s_reopens_on_the_unit(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await search(app, pilot, *"Putin", "ctrl+o", "ctrl+o")
        assert "code as: paragraph" in state(screen)
        hits = expected_hits("Putin")
        paragraphs = [holding([hit], "paragraph")[0] for hit in hits]
        first = next(i for i in range(len(hits) - 1) if paragraphs[i] == paragraphs[i + 1])
        screen.hit_list.move_cursor(first)
        screen.hit_list.focus()
        await pilot.press("space", "space")  # two hits of one paragraph
        await code(app, pilot)
        assert "Tag 1 paragraph in 1 article with" in message(app)
        assert str(app.screen.query_one(Vertical).border_title) == "Code the marked hits"
        await pilot.press("y")
        assert stored(db) == [paragraphs[first]]
        await pilot.press("escape")
        await pilot.pause()
        screen = await search(app, pilot)  # S again: the query and the unit as they were
        assert screen.unit == "paragraph" and "code as: paragraph" in state(screen)
        await pilot.press("ctrl+o")
        assert screen.unit == "words" and "code as: words" in state(screen)


@sync
async def test_a_row_dims_the_context_outside_the_sentence_to_be_coded(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await search(app, pilot, *"Putin")
        hits = expected_hits("Putin")
        # A hit whose sentence starts inside the context shown before it.
        row = next(
            i
            for i, hit in enumerate(hits)
            if hit.start - 20 < holding([hit], "sentence")[0][1] < hit.start
        )
        hit = hits[row]
        start = holding([hit], "sentence")[0][1]
        outside = hit.before[: len(hit.before) - (hit.start - start)]
        inside = hit.before[len(hit.before) - (hit.start - start) :]

        def dimmed() -> list[tuple[str, bool]]:
            """Each piece of the row's context (after the title's `│`), and whether dim."""
            strip = screen.hit_list.render_line(row - screen.hit_list.scroll_offset.y)
            pieces = [(seg.text, bool(seg.style and seg.style.dim)) for seg in strip]
            bar = next(i for i, (text, _dim) in enumerate(pieces) if "│" in text)
            return [piece for piece in pieces[bar + 1 :] if piece[0].strip()]

        assert not any(dim for _text, dim in dimmed())  # words: the context is all shown
        await pilot.press("ctrl+o")
        await pilot.pause()
        pieces = dimmed()
        shown = "".join(text for text, dim in pieces if not dim)
        last_word = outside.split()[-1]  # the end of the sentence before, as drawn
        assert "".join(text for text, dim in pieces if dim).rstrip().endswith(last_word)
        assert shown.startswith(inside + hit.match)  # the sentence from its first word
