"""Team coding in the reader, through Pilot (issue 16): blind mode (panes, status line, list,
export), two app instances on one store with one blind, and the compare screen (stepping,
adjudication into the consensus layer, undo)."""

from __future__ import annotations

from pathlib import Path

from test_app_support import LEFT, make_app, screen_lines, sync, views, wait_for

from tui.app.screens.compare_screen import CoderPicker, CompareScreen, start_compare
from tui.app.widgets.status_line import StatusLine
from tui.cli import build_parser
from tui.store import AnnotationStore


def code(db: Path, user: str, sentence: int, *tags: str) -> None:
    """`user` tags sentence number `sentence` of the left seed."""
    from test_app_support import seed_articles

    article = next(a for a in seed_articles() if a.id == LEFT)
    start, end = article.sentences[sentence]
    AnnotationStore(db, user).add(LEFT, start, end, article.text, list(tags))


def shared_store(db: Path) -> Path:
    code(db, "alice", 0, "Russia")
    code(db, "bob", 0, "Russia")
    code(db, "alice", 1, "China")
    code(db, "bob", 2, "Economy")
    return db


def status_text(app: object) -> str:
    return str(app.reader_screen.query_one(StatusLine).content)  # type: ignore[attr-defined]


def test_the_reader_takes_blind_from_the_command_line() -> None:
    assert build_parser().parse_args(["--blind"]).blind is True
    assert build_parser().parse_args([]).blind is False


@sync
async def test_blind_mode_shows_only_mine_and_says_others_are_hidden(db: Path) -> None:
    shared_store(db)
    app = make_app(db, user="bob")
    async with app.run_test(size=(120, 36)) as pilot:
        left = views(app)[0]
        assert {a.author for a in left.highlights.all()} == {"alice", "bob"}
        assert "blind" not in status_text(app)
        app.session.set_blind(True)
        await pilot.pause()
        assert await wait_for(pilot, lambda: "blind: others hidden" in status_text(app))
        assert {a.author for a in left.highlights.all()} == {"bob"}
        assert app.session.annotation_count() == 2
        app.session.set_blind(False)
        assert await wait_for(pilot, lambda: len(left.highlights.all()) == 4)
        assert "blind" not in status_text(app)


@sync
async def test_two_instances_on_one_store_one_blind(db: Path) -> None:
    shared_store(db)
    blind = make_app(db, user="alice", poll_seconds=0.1)
    open_eyes = make_app(db, user="carol", poll_seconds=0.1)
    blind.session.set_blind(True)
    async with (
        blind.run_test(size=(120, 36)) as blind_pilot,
        open_eyes.run_test(size=(120, 36)) as open_pilot,
    ):
        seen_blind = views(blind)[0]
        seen_open = views(open_eyes)[0]
        assert {a.author for a in seen_blind.highlights.all()} == {"alice"}
        assert {a.author for a in seen_open.highlights.all()} == {"alice", "bob"}
        code(db, "bob", 3, "Energy")  # another coder writes meanwhile
        assert await wait_for(open_pilot, lambda: len(seen_open.highlights.all()) == 5)
        code(db, "alice", 4, "Energy")  # and the blind coder's own work from elsewhere
        assert await wait_for(blind_pilot, lambda: len(seen_blind.highlights.all()) == 3)
        assert {a.author for a in seen_blind.highlights.all()} == {"alice"}
        assert "blind: others hidden" in status_text(blind)
        assert "blind" not in status_text(open_eyes)


@sync
async def test_compare_steps_through_differences_and_settles_them_undoably(db: Path) -> None:
    shared_store(db)
    app = make_app(db, user="carol")
    async with app.run_test(size=(140, 40)) as pilot:
        article = views(app)[0].article
        screen = CompareScreen(article, "alice", "bob")
        await app.push_screen(screen)
        await pilot.pause()
        left, right = screen.views
        assert {a.author for a in left.highlights.all()} == {"alice"}
        assert {a.author for a in right.highlights.all()} == {"bob"}
        # alice alone coded sentence 1 (China), bob alone sentence 2 (Economy).
        assert [d.tag for d in screen.differences] == ["China", "Economy"]
        assert left.matches == [(d.start, d.end) for d in screen.differences]
        bar = str(screen.query_one("#compare-bar").content)
        assert "difference 1 of 2: China, only alice (A) coded it" in bar
        assert "agreement by sentence" in bar
        assert left.cursor == 1  # on the first difference
        await pilot.press("full_stop")
        assert screen.current == 1 and left.cursor == 2
        await pilot.press("comma")
        assert screen.current == 0

        await pilot.press("1")  # keep A's China
        await pilot.pause()
        consensus = AnnotationStore(db, "x").annotations(author="consensus")
        assert [(a.start, a.end, a.tags) for a in consensus] == [
            (*article.sentences[1], ("China",))
        ]
        assert screen.current == 1  # moved on to the next difference
        await pilot.press("3")  # both: bob's Economy too
        await pilot.pause()
        assert len(AnnotationStore(db, "x").annotations(author="consensus")) == 2
        await pilot.press("u")
        await pilot.pause()
        assert [a.tags for a in AnnotationStore(db, "x").annotations(author="consensus")] == [
            ("China",)
        ]
        await pilot.press("u")
        await pilot.pause()
        assert AnnotationStore(db, "x").annotations(author="consensus") == []
        originals = AnnotationStore(db, "x").annotations()
        assert {a.author for a in originals} == {"alice", "bob"} and len(originals) == 4
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.reader_screen
        assert screen_lines(views(app)[0])  # the reader draws again


@sync
async def test_coder_picker_needs_exactly_two(db: Path) -> None:
    shared_store(db)
    app = make_app(db, user="carol")
    async with app.run_test(size=(100, 30)) as pilot:
        chosen: list[tuple[str, str] | None] = []
        app.push_screen(CoderPicker(["alice", "bob", "dan"]), chosen.append)
        await pilot.pause()
        await pilot.press("space", "enter")
        assert chosen == []  # one marked: asks for two
        await pilot.press("down", "space", "enter")
        await pilot.pause()
        assert chosen == [("alice", "bob")]


@sync
async def test_start_compare_picks_the_coders_or_says_why_not(db: Path) -> None:
    code(db, "alice", 0, "Russia")
    app = make_app(db, user="carol")
    async with app.run_test(size=(120, 36)) as pilot:
        article = views(app)[0].article
        start_compare(app, article)
        await pilot.pause()
        assert app.screen is app.reader_screen  # one coder: nothing to compare
        assert any("only alice has annotated" in str(n.message) for n in app._notifications)
        code(db, "bob", 0, "Russia")
        start_compare(app, article)
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen) and app.screen.coders == ("alice", "bob")
        await pilot.press("escape")
        code(db, "dan", 1, "China")
        start_compare(app, article)
        await pilot.pause()
        assert isinstance(app.screen, CoderPicker)
        await pilot.press("escape")
        app.session.set_blind(True)
        start_compare(app, article)
        await pilot.pause()
        assert app.screen is app.reader_screen
        assert any("Press B to show them" in str(n.message) for n in app._notifications)


@sync
async def test_keys_b_and_c_toggle_blind_coding_and_open_the_comparison(db: Path) -> None:
    """The reader's own keys for team coding: B hides the others (and says so), B again
    shows them; C compares the two coders on the focused article."""
    shared_store(db)
    app = make_app(db, user="bob")
    async with app.run_test(size=(120, 36)) as pilot:
        left = views(app)[0]
        await pilot.press("B")
        assert await wait_for(pilot, lambda: "blind: others hidden" in status_text(app))
        assert {a.author for a in left.highlights.all()} == {"bob"}
        await pilot.press("C")  # refused while blind: comparing shows everyone's work
        await pilot.pause()
        assert not isinstance(app.screen, CompareScreen)
        await pilot.press("B")
        assert await wait_for(pilot, lambda: len(left.highlights.all()) == 4)
        await pilot.press("C")
        assert await wait_for(pilot, lambda: isinstance(app.screen, CompareScreen))
