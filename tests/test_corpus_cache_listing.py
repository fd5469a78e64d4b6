"""Writing cache entries reads the cache folder once, not once per entry.

Each write removes the entries other cleaner versions left for the same bytes. Finding them
with a glob read the whole folder on every write: a cold corpus of 10,000 articles read a
folder growing to 10,000 names 10,000 times, which cost more than cleaning the articles.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.corpus import CLEANER_VERSION, load_article

SEED = Path(__file__).resolve().parent.parent / "seeds" / "001_5b2a99fe7e84453b.txt"
PARAGRAPH = (
    "Ecologists from the university started counting invertebrates in {year} and found mayfly "
    "larvae in places where none had been recorded for two generations."
)


def count_folder_reads(monkeypatch: pytest.MonkeyPatch, folder: Path) -> list[str]:
    reads: list[str] = []
    scandir = os.scandir

    def counted(path: os.PathLike[str] | str = ".") -> Iterator[os.DirEntry[str]]:
        if Path(path) == folder:
            reads.append(str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", counted)
    return reads


def test_a_cold_corpus_reads_the_cache_folder_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache, corpus = tmp_path / "cache", tmp_path / "corpus"
    corpus.mkdir()
    for year in range(1990, 2000):
        (corpus / f"a{year}.txt").write_text(PARAGRAPH.format(year=year), encoding="utf-8")
    reads = count_folder_reads(monkeypatch, cache)
    for path in sorted(corpus.iterdir()):
        load_article(path, cache)
    assert len(list(cache.iterdir())) == 10
    assert len(reads) <= 1


def test_entries_of_other_versions_found_at_first_write_are_removed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    raw_hash = hashlib.sha256(SEED.read_bytes()).hexdigest()
    stale = [cache / f"{raw_hash}-v{version}.json" for version in ("1", "19-page1", "old")]
    other = cache / f"{'0' * 64}-v1.json"  # other bytes: kept
    for path in [*stale, other]:
        path.write_bytes(b"{}")
    load_article(SEED, cache)
    assert sorted(cache.iterdir()) == sorted([other, cache / f"{raw_hash}-v{CLEANER_VERSION}.json"])
