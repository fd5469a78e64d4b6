"""The reader with hostile text, more articles, a failing disk and a broken store."""

from __future__ import annotations

import errno
import os
import shutil
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

from tui.app.dialogs.article_picker import ArticlePicker
from tui.app.model.pane_state import load_panes, state_path_for
from tui.app.widgets.article_view import ArticleView
from tui.cli import main
from tui.config import BUNDLED_SEEDS
from tui.corpus import load_corpus
from tui.corpus.model import Article, Block
from tui.store import AnnotationStore
from tui.store import storage as storage_module

HOSTILE = [
    "A headline with [bold]markup[/bold] in it",
    "The reader saw [/] and [@click=app.quit]x[/] in the text, and \x1b[31mred\x1b[0m too.",
    "A second paragraph keeps [link=https://example.com]a link[/link] as text.",
]


def hostile_corpus(folder: Path) -> tuple[Article, ...]:
    folder.mkdir()
    (folder / "evil.txt").write_text("\n\n".join(HOSTILE) + "\n", encoding="utf-8")
    shutil.copy(BUNDLED_SEEDS / f"{LEFT}.txt", folder)
    return tuple(load_corpus(folder, cache=None).articles)


@sync
async def test_markup_in_text_tags_and_notes_is_shown_literally(tmp_path: Path, db: Path) -> None:
    articles = hostile_corpus(tmp_path / "corpus")
    evil = next(article for article in articles if article.id == "evil")
    app = make_app(db, articles=(evil, *articles), problems=("bad file [/] here [bold]",))
    async with app.run_test(size=(100, 30)) as pilot:
        left = views(app)[0]
        assert left.article.id == "evil"
        drawn = "".join(line.strip() for line in screen_lines(left))
        assert "[@click=app.quit]x[/]" in drawn.replace("  ", " ")
        assert "\x1b" not in drawn
        await pilot.press("j", "t", *"[@click=app.quit]x[/]", "enter")
        await pilot.press("m", *"[/] [bold]", "ctrl+s")
        [annotation] = AnnotationStore(db, "x").annotations()
        assert annotation.tags == ("[@click=app.quit]x[/]",)
        assert annotation.note == "[/] [bold]"
        status = app.reader_screen.query_one("#status").content.plain
        assert "[@click=app.quit]x[/]" in status and "[/] [bold]" in status
        await pilot.press("question_mark", "escape", "j")
        assert app.is_running and isinstance(app.focused, ArticleView)


@sync
async def test_control_characters_never_reach_the_terminal(db: Path) -> None:
    # The corpus strips them at ingest; the pane does not rely on it.
    text = "Before \x1b]0;pwned\x07 after \x9b31m and\ttab."
    block = (Block("paragraph", 0, len(text)),)
    article = Article("raw", "raw \x1b[2J title", text, block, ((0, len(text)),), (), ())
    app = make_app(db, articles=(article,))
    async with app.run_test(size=(80, 24)):
        [view] = views(app)
        drawn = screen_lines(view)[0]
        assert drawn.startswith("▌ Before ␛]0;pwned␇ after \ufffd31m and tab.")
        assert not any(
            ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in "".join(screen_lines(view))
        )


@sync
async def test_o_chooses_the_article_and_it_is_remembered(tmp_path: Path, db: Path) -> None:
    corpus = tmp_path / "corpus"
    articles = hostile_corpus(corpus)
    shutil.copy(BUNDLED_SEEDS / f"{RIGHT}.txt", corpus)
    articles = tuple(load_corpus(corpus, cache=None).articles)
    assert len(articles) == 3
    app = make_app(db, articles=articles)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("tab", "o")
        assert isinstance(app.screen, ArticlePicker)
        await pilot.press(*"markup", "enter")
        assert views(app)[1].article.id == "evil"
        assert app.focused is views(app)[1]
    assert load_panes(state_path_for(db), "tester")[1] == "evil"
    again = make_app(db, articles=articles)
    async with again.run_test(size=(80, 24)):
        assert [view.article.id for view in views(again)] == load_panes(
            state_path_for(db), "tester"
        )


@sync
async def test_a_failed_write_is_shown_and_written_later(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(db, poll_seconds=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        with monkeypatch.context() as patch:

            def disk_full(*args: object) -> int:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

            patch.setattr(storage_module.os, "write", disk_full)
            await pilot.press("t", *"NATO", "enter")
            errors = [n for n in app._notifications if n.severity == "error"]
            assert errors and "No space left" in errors[-1].message
            assert app.session.store.pending_writes
            assert views(app)[0].annotations_under_cursor()  # still shown
            status = app.reader_screen.query_one("#status").content.plain
            pending = app.session.store.pending_writes  # the new tag and the annotation
            assert f"⚠ {pending} change{'s' * (pending != 1)} not saved yet" in status
            assert AnnotationStore(db, "x").annotations() == []
        # The poll retries the write.
        assert await wait_for(pilot, lambda: app.session.store.pending_writes == 0)
        assert "not saved" not in app.reader_screen.query_one("#status").content.plain
        [annotation] = AnnotationStore(db, "x").annotations()
        assert annotation.tags == ("NATO",)


@sync
async def test_a_waiting_change_overtaken_by_another_session_is_reported(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(db, poll_seconds=3600)  # polled by hand below
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t", *"NATO", "enter")
        [annotation] = AnnotationStore(db, "x").annotations()
        with monkeypatch.context() as patch:

            def disk_full(*args: object) -> int:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

            patch.setattr(storage_module.os, "write", disk_full)
            await pilot.press("x")  # the delete waits in memory
            assert app.session.store.pending_writes
        # Meanwhile a colleague edits the same annotation, and that is saved.
        AnnotationStore(db, "colleague").update(annotation.id, note="keep this")
        app.poll_store()
        await pilot.pause()
        warning = [n for n in app._notifications if n.severity == "warning"][-1]
        assert warning.title == "Store"
        assert AnnotationStore(db, "x").get(annotation.id).note == "keep this"


def test_a_broken_store_exits_2_before_the_app_opens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "marginalia.json"
    bad.write_text("{this is not json", encoding="utf-8")
    code = main(["--corpus", str(BUNDLED_SEEDS), "--db", str(bad), "--user", "t"])
    assert code == 2
    message = capsys.readouterr().err
    assert str(bad) in message and message.count("\n") == 1
    assert bad.read_text(encoding="utf-8") == "{this is not json"


def test_an_empty_corpus_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["--corpus", str(empty), "--db", str(tmp_path / "db.json")]) == 2
    assert str(empty) in capsys.readouterr().err


def test_seeds_load_for_the_reader() -> None:
    assert [article.id for article in seed_articles()] == [LEFT, RIGHT]


@sync
async def test_deleting_what_another_process_just_deleted(db: Path) -> None:
    app = make_app(db, poll_seconds=3600)  # no poll: the app has not seen the deletion yet
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t", *"NATO", "enter")
        [annotation] = AnnotationStore(db, "x").annotations()
        AnnotationStore(db, "colleague").delete(annotation.id)
        await pilot.press("x")
        errors = [n for n in app._notifications if n.severity == "error"]
        assert errors and f"no annotation with id {annotation.id!r}" in errors[-1].message
        assert views(app)[0].annotations_under_cursor() == []
        assert app.is_running


@sync
async def test_a_store_broken_while_open_is_reported_and_not_overwritten(db: Path) -> None:
    app = make_app(db, poll_seconds=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t", *"NATO", "enter")
        db.write_text("{broken by hand", encoding="utf-8")

        def reported() -> bool:
            errors = [n for n in app._notifications if n.severity == "error"]
            return bool(errors) and str(db) in errors[-1].message

        assert await wait_for(pilot, reported)
        await pilot.press("j", "t", *"sanctions", "enter", "x", "u")
        assert app.is_running
        assert views(app)[0].highlights  # what was shown stays shown
    assert db.read_text(encoding="utf-8") == "{broken by hand"


def test_the_reader_starts_from_the_starter_codebook_and_corrected_titles(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`marginalia` seeds a new store's codebook and shows the titles the reader set."""
    from tui.app.reader import ReaderApp

    AnnotationStore(db, "setup").set_article_meta(LEFT, title="Trump's first week", source="FP")
    opened: list[ReaderApp] = []
    monkeypatch.setattr(ReaderApp, "run", lambda app, **_: opened.append(app))
    assert main(["--corpus", str(BUNDLED_SEEDS), "--db", str(db), "--user", "t"]) == 0
    [app] = opened
    left = app.session.article(LEFT)
    assert (left.title, left.source) == ("Trump's first week", "FP")
    assert app.session.article(RIGHT).title == seed_articles()[1].title
    starter = {tag.name for tag in AnnotationStore(db, "t").tags()}
    assert len(starter) >= 8 and any("/" in name for name in starter)


def test_a_malformed_codebook_is_reported_and_the_reader_still_opens(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.app.reader import ReaderApp

    db.parent.mkdir(parents=True)
    (db.parent / "codebook.yaml").write_text("tags: [unclosed\n", encoding="utf-8")
    opened: list[ReaderApp] = []
    monkeypatch.setattr(ReaderApp, "run", lambda app, **_: opened.append(app))
    assert main(["--corpus", str(BUNDLED_SEEDS), "--db", str(db), "--user", "t"]) == 0
    [app] = opened
    assert any("codebook.yaml" in problem for problem in app.problems)
    assert AnnotationStore(db, "t").tags() == []


HEADLESS_RUN = """
import sys
from pathlib import Path
from tui.config import BUNDLED_SEEDS
from tui.corpus import load_corpus
from tui.store import AnnotationStore
from tui.app.reader import ReaderApp
from tui.app.model.session import ReaderSession

class FirstFrame(ReaderApp):
    def on_mount(self):
        super().on_mount()
        self.call_after_refresh(self.done)

    def done(self):
        print("first frame")
        # Run on a while: a layout that keeps resizing itself never gets to the exit.
        self.set_timer(1.0, self.exit)

corpus = load_corpus(BUNDLED_SEEDS, cache=Path(sys.argv[2]))
store = AnnotationStore(Path(sys.argv[1]), "t")
store.refresh()
FirstFrame(ReaderSession(corpus.articles, store)).run(headless=True)
"""


def test_the_reader_runs_headless_to_its_first_frame(db: Path) -> None:
    """Headless, at the driver's own size (the console says 80x25, the driver 80x24), the
    status line once refitted on every Resize and the layout never settled: the app spun
    and never reached its exit. It has to exit a second after its first frame."""
    import os
    import subprocess
    import sys

    # Without COLUMNS/LINES (pytest sets them), as in a plain shell: the sizes then disagree.
    env = {name: value for name, value in os.environ.items() if name not in ("COLUMNS", "LINES")}
    done = subprocess.run(
        [sys.executable, "-c", HEADLESS_RUN, str(db), str(db.parent / "cache")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,  # a hang, not a speed: it exits in about a second
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "first frame"
