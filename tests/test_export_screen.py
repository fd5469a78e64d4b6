"""The export dialog, driven by keys only through Pilot on a minimal app holding a tmp store."""

from __future__ import annotations

import asyncio
import zipfile
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import yaml
from test_export_support import SEED_000, SEED_001, annotated_store
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, RadioSet, Select, Static

from tui.app.dialogs.export_dialog import ExportDone, ExportScreen
from tui.app.model.session import ReaderSession
from tui.app.reader import ReaderApp
from tui.config import BUNDLED_SEEDS
from tui.corpus import load_corpus
from tui.corpus.model import Article
from tui.store import AnnotationStore


class Host(App[None]):
    """Just enough app to push the dialog and keep what it returns."""

    def __init__(self, store: AnnotationStore, articles: list[Article], folder: Path) -> None:
        super().__init__()
        self.store = store
        self.articles = articles
        self.folder = folder
        self.returned: list[ExportDone | None] = []

    def on_mount(self) -> None:
        self.push_screen(ExportScreen(self.store, self.articles, self.folder), self.returned.append)


def _run(scenario: Callable[[Path], Coroutine[Any, Any, None]], tmp_path: Path) -> None:
    asyncio.run(scenario(tmp_path))


async def _finish(pilot: Pilot[None], screen: ExportScreen) -> None:
    await screen.workers.wait_for_complete()
    await pilot.pause()


def _outcome(screen: ExportScreen) -> str:
    return str(screen.query_one("#outcome", Static).visual)


def _notices(app: App[None]) -> str:
    """Every notice on screen now, one after another (never counted: they expire)."""
    return "\n".join(notice.message for notice in app._notifications)


def test_default_export_writes_yaml_under_the_folder_and_says_where(tmp_path: Path) -> None:
    async def scenario(tmp_path: Path) -> None:
        store, articles = annotated_store(tmp_path)
        app = Host(store, list(articles.values()), tmp_path / "annotations")
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            assert isinstance(screen, ExportScreen)
            path = Path(screen.query_one("#path", Input).value)
            assert path.parent == tmp_path / "annotations"
            assert path.name.startswith("export-") and path.suffix == ".yaml"
            # All of it fits the smallest supported terminal, the outcome line included.
            outcome = screen.query_one("#outcome", Static)
            hint = screen.query_one(".hint", Static)
            assert outcome.region.height >= 1 and hint.region.height == 1
            assert hint.region.bottom < 24
            await pilot.press("ctrl+s")
            await _finish(pilot, screen)
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
            assert [group["id"] for group in document["articles"]] == [SEED_000, SEED_001]
            # Written: the dialog closes by itself, and the notice says where the file went.
            assert app.returned == [ExportDone(path=path, count=4)]
            assert not isinstance(app.screen, ExportScreen)
            assert f"Wrote 4 excerpts to {path.resolve()}" in _notices(app)

    _run(scenario, tmp_path)


def test_keys_choose_format_and_filter_and_path_follows_format(tmp_path: Path) -> None:
    async def scenario(tmp_path: Path) -> None:
        store, articles = annotated_store(tmp_path)
        app = Host(store, list(articles.values()), tmp_path / "out")
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            assert isinstance(screen, ExportScreen)
            assert screen.focused is screen.query_one("#format", RadioSet)
            # The last format is REFI-QDA: move down to it and choose it with enter.
            await pilot.press("down", "down", "down", "down", "enter")
            await pilot.pause()
            assert screen.chosen_format == "refi"
            # Which format is chosen shows in the glyph too, for NO_COLOR and TERM=screen.
            glyphs = [str(button.render())[1] for button in screen.query("#format RadioButton")]
            assert glyphs == [" ", " ", " ", " ", "●"]
            assert screen.query_one("#path", Input).value.endswith(".qdpx")
            assert screen.query_one("#grouping", RadioSet).disabled
            # tab past the (disabled) grouping to the tag filter; open it, take "Russia".
            await pilot.press("tab")
            assert screen.focused is screen.query_one("#tag", Select)
            # Open the list; below "All tags" come 1e3, =SUM(A1), then Russia.
            await pilot.press("enter", "down", "down", "down", "enter")
            await pilot.pause()
            assert screen.query_one("#tag", Select).value == "Russia"
            await pilot.press("ctrl+s")
            await _finish(pilot, screen)
            path = tmp_path / "out"
            written = list(path.glob("*.qdpx"))
            assert len(written) == 1
            qde = zipfile.ZipFile(written[0]).read("project.qde").decode("utf-8")
            # Russia and its child Russia/war aims: two excerpts, one per seed.
            assert qde.count("<PlainTextSelection ") == 2
            assert "Wrote 2 excerpts" in _notices(app)

    _run(scenario, tmp_path)


def test_a_bad_path_is_reported_in_the_dialog_and_markup_stays_text(tmp_path: Path) -> None:
    async def scenario(tmp_path: Path) -> None:
        store, articles = annotated_store(tmp_path)
        store.create_tag("[bold]x[/]")
        (tmp_path / "taken").mkdir()
        app = Host(store, list(articles.values()), tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            assert isinstance(screen, ExportScreen)
            path_input = screen.query_one("#path", Input)
            path_input.focus()
            path_input.value = str(tmp_path / "taken")
            await pilot.press("enter")
            await _finish(pilot, screen)
            assert "is a folder" in _outcome(screen)
            assert screen.query_one("#outcome", Static).has_class("error")
            assert app.returned == []  # still open, nothing written
            # The tag named like markup is listed as its literal text.
            screen.query_one("#tag", Select).focus()
            await pilot.press("enter")
            await pilot.pause()
            listing = screen.query_one("#tag", Select).query_one(OptionList)
            lines = [
                "".join(segment.text for segment in listing.render_line(y))
                for y in range(listing.size.height)
            ]
            assert any("[bold]x[/]" in line for line in lines), lines
            # esc closes the open list first, then the dialog.
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ExportScreen)
            assert not screen.query_one("#tag", Select).expanded
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, ExportScreen)
            assert app.returned == [None]

    _run(scenario, tmp_path)


def test_e_in_the_reader_opens_the_dialog_on_the_store_and_folder(tmp_path: Path) -> None:
    async def scenario(tmp_path: Path) -> None:
        articles = load_corpus(BUNDLED_SEEDS, cache=None).articles
        store = AnnotationStore(tmp_path / "annotations" / "marginalia.json", "alice")
        app = ReaderApp(ReaderSession(articles, store), export_dir=tmp_path / "annotations")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("e")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ExportScreen)
            assert screen.store is store
            path = Path(screen.query_one("#path", Input).value)
            assert path.parent == tmp_path / "annotations"

    _run(scenario, tmp_path)
