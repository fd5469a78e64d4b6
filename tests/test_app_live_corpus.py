"""The reader on a live corpus: only shown articles cleaned at launch; the folder watched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import tui.corpus.index as index_module
from tests.test_app_support import LEFT, USER, sync, views, wait_for
from tui.app.model.pane_state import state_path_for
from tui.app.model.session import ReaderSession
from tui.app.reader import ReaderApp
from tui.config import BUNDLED_SEEDS
from tui.corpus.live_corpus import LiveCorpus
from tui.store import AnnotationStore


def _folder(tmp_path: Path, extra: int) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(BUNDLED_SEEDS, folder)
    text = (BUNDLED_SEEDS / sorted(p.name for p in BUNDLED_SEEDS.iterdir())[0]).read_text()
    for n in range(extra):
        (folder / f"g{n:03}.txt").write_text(text.replace("Davos", f"Town{n}"))
    return folder


def _app(folder: Path, db: Path) -> ReaderApp:
    corpus = LiveCorpus(folder, db.parent / "cache")
    session = ReaderSession(corpus, AnnotationStore(db, USER))
    return ReaderApp(session, state_path=state_path_for(db), export_dir=db.parent)


@sync
async def test_launch_cleans_only_the_shown_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path, 6)
    cleaned: list[str] = []
    real = index_module.load_article

    def counting(path: Path, cache: Path | None):  # type: ignore[no-untyped-def]
        cleaned.append(path.name)
        return real(path, cache)

    monkeypatch.setattr(index_module, "load_article", counting)
    app = _app(folder, tmp_path / "db.json")
    app.corpus_watch.start = lambda: None  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert len(views(app)) == 2
        assert len(set(cleaned)) == 2  # the two panes, not the 8 articles
        assert len(app.session.articles) == 8  # listed all the same


@sync
async def test_background_cleaning_and_a_file_added_changed_removed(tmp_path: Path) -> None:
    folder = _folder(tmp_path, 4)
    app = _app(folder, tmp_path / "db.json")
    async with app.run_test(size=(80, 24)) as pilot:
        live = app.session.corpus.live
        assert live is not None
        assert await wait_for(pilot, lambda: live.pending() == 0)
        assert await wait_for(pilot, lambda: app.corpus_watch.status == "")
        assert all(entry.title for entry in app.session.articles)
        left = views(app)[0]
        text = left.article.text
        app.session.tag_span(left.article, 0, 20, ["Russia"])
        (folder / "g900.txt").write_text("A new article arrived.\n\nIt has words.")
        (folder / "g000.txt").unlink()
        seed = next(p for p in folder.iterdir() if p.name.startswith(LEFT[:4]))
        seed.write_text("Inserted lead.\n\n" + seed.read_text())
        changes = app.corpus_watch.rescan_now()
        await pilot.pause()
        assert "g900" in " ".join(changes.added) and changes.removed and changes.changed
        assert any("g900" in entry.id for entry in app.session.articles)
        # cleaned in the background, so lists show its title rather than its file name
        assert await wait_for(
            pilot, lambda: any(e.title == "A new article arrived" for e in app.session.articles)
        )
        assert views(app)[0].article.text != text  # the changed article reloaded
        shown = views(app)[0].highlights.all()
        assert len(shown) == 1  # its annotation re-anchored, not dropped
        assert app.session.needs_checking(LEFT) == [] or shown[0].anchor != "exact"
