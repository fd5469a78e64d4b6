"""The corpus index: listing by stat, articles on demand in a bounded LRU, the rest in the
background, an index file that survives, and refresh reporting what changed on disk."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tui.corpus import index as index_module
from tui.corpus import load_article
from tui.corpus.index import CorpusIndex
from tui.errors import UserError

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
HTML = Path(__file__).resolve().parent / "corpus_fixtures" / "html"
SEED_FILES = [*sorted(SEEDS.glob("*.txt"))[:2], HTML / "saved-as-text.txt"]
PAGE = HTML / "paywall-teaser.html"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number, seed in enumerate(SEED_FILES):
        shutil.copy(seed, corpus / f"a{number}.txt")
    shutil.copy(PAGE, corpus / "page.html")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "scan.pdf").write_bytes(b"%PDF")
    return corpus


def test_listing_opens_no_article(folder: Path, tmp_path: Path, monkeypatch) -> None:
    calls: list[Path] = []
    monkeypatch.setattr(index_module, "load_article", lambda p, c: calls.append(p))
    index = CorpusIndex(folder, tmp_path / "cache")
    assert index.ids == ["a0", "a1", "a2", "empty", "page"]
    assert calls == []
    assert index.entry("a0") is None
    assert index.problems == [
        f"{folder / 'scan.pdf'}: not an article type marginalia reads (.txt, .html, .htm)"
    ]


def test_article_on_demand_and_bounded(folder: Path, tmp_path: Path) -> None:
    index = CorpusIndex(folder, tmp_path / "cache", keep=2)
    first = index.article("a0")
    assert first == load_article(folder / "a0.txt")
    assert index.article("a0") is first  # kept
    index.article("a1")
    index.article("page")
    assert index.loaded() == ["a1", "page"]  # a0 dropped: memory is bounded
    entry = index.entry("page")
    assert entry is not None and entry.source == "The Coastal Herald"
    assert entry.date == "2023-11-02" and entry.size == len(index.article("page").text)
    with pytest.raises(UserError, match="empty"):
        index.article("empty")
    assert any("empty.txt: empty file" in line for line in index.problems)


def test_clean_rest_then_a_warm_index_needs_no_cleaning(
    folder: Path, tmp_path: Path, monkeypatch
) -> None:
    cache = tmp_path / "cache"
    index = CorpusIndex(folder, cache)
    seen: list[tuple[int, int]] = []
    assert list(index.clean_rest(lambda done, total: seen.append((done, total)))) == [
        "a0",
        "a1",
        "a2",
        "empty",
        "page",
    ]
    assert seen[-1] == (5, 5)
    assert index.loaded() == []  # background cleaning keeps nothing in memory
    warm_calls: list[Path] = []
    monkeypatch.setattr(index_module, "load_article", lambda p, c: warm_calls.append(p))
    warm = CorpusIndex(folder, cache)
    assert warm.unknown() == []
    assert warm.entry("a1") == index.entry("a1")
    assert any("empty.txt" in line for line in warm.problems)
    assert warm_calls == []


def test_changed_file_is_not_taken_from_the_index(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    list(CorpusIndex(folder, cache).clean_rest())
    shutil.copy(SEED_FILES[2], folder / "a0.txt")  # new content, same name
    again = CorpusIndex(folder, cache)
    assert again.unknown() == ["a0"]


def test_refresh_reports_added_changed_removed(folder: Path, tmp_path: Path) -> None:
    index = CorpusIndex(folder, tmp_path / "cache")
    old = index.article("a0")
    assert not index.refresh()
    (folder / "a1.txt").unlink()
    shutil.copy(SEED_FILES[0], folder / "new.txt")
    with (folder / "a0.txt").open("ab") as handle:
        handle.write(b"\n\nOne more paragraph, added while the reader was open.\n")
    os.utime(folder / "a0.txt", ns=(1, 1))
    changes = index.refresh()
    assert (changes.added, changes.changed, changes.removed) == (["new"], ["a0"], ["a1"])
    assert "a0" not in index.loaded() and index.entry("a0") is None
    assert index.article("a0") != old


def test_damaged_index_file_is_rebuilt(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    index = CorpusIndex(folder, cache)
    list(index.clean_rest())
    path = index.index_path()
    assert path is not None and path.exists()
    path.write_bytes(b'{"format": 1, "version": "x", "entries": [')
    assert CorpusIndex(folder, cache).unknown() == index.ids
