"""The cache: a second load is served from disk, keyed by raw bytes and cleaner version."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import orjson
import pytest

from tui.corpus import CLEANER_VERSION, Article, load_article, load_corpus, pipeline
from tui.corpus import loader as corpus_loader

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_001 = SEEDS / "001_5b2a99fe7e84453b.txt"


def entry_for(cache: Path, raw: bytes, version: str = CLEANER_VERSION) -> Path:
    return cache / f"{hashlib.sha256(raw).hexdigest()}-v{version}.json"


def forbid_cleaning(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> Article:
        raise AssertionError("cleaned again instead of reading the cache")

    monkeypatch.setattr(pipeline, "clean_bytes", refuse)  # the loader imports it on a miss


def test_second_load_comes_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    first = load_article(SEED_001, cache)
    entry = entry_for(cache, SEED_001.read_bytes())
    assert entry.is_file()
    assert orjson.loads(entry.read_bytes())["article"]["text"] == first.text
    assert [p.name for p in cache.iterdir()] == [entry.name]  # no temp files left behind
    forbid_cleaning(monkeypatch)
    assert load_article(SEED_001, cache) == first


def test_same_bytes_under_another_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    load_article(SEED_001, cache)
    copy = tmp_path / "renamed.txt"
    shutil.copy(SEED_001, copy)
    forbid_cleaning(monkeypatch)
    article = load_article(copy, cache)
    assert article.id == "renamed"
    assert article.text_hash == load_article(SEED_001, cache).text_hash


@pytest.mark.parametrize(
    "garbage", [b"{not json", b"", b'{"format": 2, "article": {"id": 3}}', b"[1, 2]", "floats"]
)
def test_corrupt_entry_is_rebuilt(tmp_path: Path, garbage: bytes | str) -> None:
    cache = tmp_path / "cache"
    fresh = load_article(SEED_001, cache)
    entry = entry_for(cache, SEED_001.read_bytes())
    if garbage == "floats":  # well-formed, but offsets that would break slicing
        data = orjson.loads(entry.read_bytes())
        data["article"]["words"][1] = 2.5
        garbage = orjson.dumps(data)
    entry.write_bytes(garbage)
    assert load_article(SEED_001, cache) == fresh
    assert orjson.loads(entry.read_bytes())["article"]["id"] == fresh.id


def test_new_cleaner_version_cleans_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    load_article(SEED_001, cache)
    monkeypatch.setattr(corpus_loader, "CLEANER_VERSION", "next")
    load_article(SEED_001, cache)
    assert entry_for(cache, SEED_001.read_bytes(), "next").is_file()
    assert not entry_for(cache, SEED_001.read_bytes()).exists(), "the stale entry is removed"
    assert len(list(cache.iterdir())) == 1


def test_unwritable_cache_only_costs_time(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    assert load_article(SEED_001, blocker / "cache").id == SEED_001.stem


def test_corpus_progress_order_and_lookup(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    corpus = load_corpus(SEEDS, tmp_path / "cache", progress=lambda d, t: calls.append((d, t)))
    assert calls == [(1, 2), (2, 2)]
    assert [a.id for a in corpus.articles] == sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert corpus.problems == []
    found = corpus.get("001_5b2a99fe7e84453b")
    assert found is not None and found.source == "Kennan Institute"
    assert corpus.get("nope") is None
