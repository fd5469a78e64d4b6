"""The live corpus: listed at once from the index, loaded on demand into a bounded LRU with the
shown articles pinned, the rest cleaned step by step without blocking, the folder rescanned."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tui.corpus import live_corpus, load_article
from tui.corpus.live_corpus import LiveCorpus, cleaning_status
from tui.errors import UserError

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
HTML = Path(__file__).resolve().parent / "corpus_fixtures" / "html"
SEED_FILES = sorted(SEEDS.glob("*.txt"))[:2]


def _paragraphs() -> list[str]:
    text = load_article(SEED_FILES[0]).text
    return [p for p in text.split("\n\n") if len(p) > 80]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Six small articles made from seed prose, one page, and a file of another type."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    paragraphs = _paragraphs()
    for number in range(6):
        chosen = paragraphs[number : number + 3]
        (corpus / f"art{number}.txt").write_text("\n\n".join(chosen) + "\n", encoding="utf-8")
    shutil.copy(HTML / "paywall-teaser.html", corpus / "harbour.html")
    (corpus / "notes.docx").write_bytes(b"PK\x03\x04")
    return corpus


def test_entries_are_known_at_once_from_a_warm_index(
    folder: Path, tmp_path: Path, cleaned: list[str]
) -> None:
    cache = tmp_path / "cache"
    first = LiveCorpus(folder, cache)
    assert [e.known for e in first.entries()] == [False] * 7  # nothing opened yet
    assert cleaned == []
    list(first.clean_pending())
    assert len(cleaned) == 7
    cleaned.clear()
    warm = LiveCorpus(folder, cache)
    entries = warm.entries()
    assert cleaned == [] and warm.loaded() == []
    assert [e.id for e in entries] == [*(f"art{n}" for n in range(6)), "harbour"]
    page = warm.entry("harbour")
    assert page.title == "Harbour expansion splits the council"
    assert page.source == "The Coastal Herald" and page.date == "2023-11-02"
    article = warm.article("art2")
    assert entries[2].size == len(article.text) and entries[2].content_hash == article.raw_hash
    assert cleaned == []  # from the cache
    assert warm.problems == [
        f"{folder / 'notes.docx'}: not an article type marginalia reads (.txt, .html, .htm)"
    ]


def test_memory_is_bounded_and_shown_articles_stay(folder: Path, tmp_path: Path) -> None:
    corpus = LiveCorpus(folder, tmp_path / "cache", keep=2)
    shown = corpus.show(["art0", "art1"])
    assert [a.id for a in shown] == ["art0", "art1"]
    for article_id in ("art2", "art3", "art4"):
        corpus.article(article_id)
    loaded = corpus.loaded()
    assert {"art0", "art1"} <= set(loaded)  # pinned: on screen, never dropped
    assert "art2" not in loaded and "art3" not in loaded
    assert corpus.article("art0") is shown[0]
    corpus.show(["art4"])  # the panes moved on: the old ones may go
    corpus.article("art5")
    assert len(corpus.loaded()) == 2 and "art4" in corpus.loaded()


def test_clean_pending_reports_progress_and_can_stop(folder: Path, tmp_path: Path) -> None:
    corpus = LiveCorpus(folder, tmp_path / "cache")
    corpus.article("art0")  # shown first: not cleaned again
    steps = corpus.clean_pending()
    assert next(steps) == (1, 6)
    assert corpus.pending() == 5  # art0 and art1 done
    rest = list(steps)
    assert rest[-1] == (6, 6) and len(rest) == 5
    assert corpus.pending() == 0
    assert corpus.loaded() == ["art0"]  # background cleaning keeps nothing in memory
    assert cleaning_status(1234, 10000) == "cleaning 1,234 of 10,000"


def test_background_cleaning_never_holds_the_lock_a_key_needs(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a file is being cleaned, another thread lists, opens and rescans freely."""
    corpus = LiveCorpus(folder, tmp_path / "cache")
    corpus.article("art5")
    real = live_corpus.CorpusIndex.__init__.__globals__["load_article"]
    answered: list[object] = []

    def slow_clean(path: Path, cache: Path | None) -> Any:
        def key_press() -> None:
            answered.append(len(corpus.entries()))
            answered.append(corpus.article("art5").id)
            answered.append(bool(corpus.rescan()))

        other = threading.Thread(target=key_press)
        other.start()
        other.join(timeout=5)
        return real(path, cache)

    monkeypatch.setitem(live_corpus.CorpusIndex.__init__.__globals__, "load_article", slow_clean)
    steps = corpus.clean_pending()
    next(steps)
    assert answered == [7, "art5", False]


def _modified(path: Path, data: bytes) -> None:
    stat = path.stat()
    path.write_bytes(data)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))


def test_rescan_reports_added_changed_removed_by_content(folder: Path, tmp_path: Path) -> None:
    corpus = LiveCorpus(folder, tmp_path / "cache")
    list(corpus.clean_pending())
    old = corpus.article("art0")
    assert not corpus.rescan()
    shutil.copy(SEED_FILES[1], folder / "zz_new.txt")
    (folder / "art1.txt").unlink()
    _modified(folder / "art0.txt", (folder / "art0.txt").read_bytes() + b"\nA new paragraph.\n")
    same = folder / "art2.txt"
    _modified(same, same.read_bytes())  # rewritten with the same bytes: no change
    os.utime(folder / "art3.txt", ns=(1, 1))  # touched: no change
    changes = corpus.rescan()
    assert (changes.added, changes.changed, changes.removed) == (["zz_new"], ["art0"], ["art1"])
    assert "art0" not in corpus.loaded() and not corpus.entry("art0").known
    assert corpus.article("art0").text == old.text + "\n\nA new paragraph."
    assert corpus.entry("art2").known and corpus.entry("art3").known  # still indexed
    assert "art1" not in corpus and "zz_new" in corpus
    assert not corpus.rescan()
    again = LiveCorpus(folder, tmp_path / "cache")
    assert again.pending() == 1  # only the new file; the touched ones stay indexed


def _sparse(path: Path, size: int) -> None:
    with path.open("wb") as handle:
        handle.truncate(size)  # refused by its size before it is read


BAD_PAGES: dict[str, Callable[[Path], None]] = {
    "empty-body.html": lambda p: p.write_bytes(
        b"<!DOCTYPE html><html><head><title>Nothing</title></head><body></body></html>"
    ),
    "only-scripts.html": lambda p: p.write_bytes(
        b"<html><body><script>var a = 1;</script><script>track('x')</script></body></html>"
    ),
    "huge.html": lambda p: _sparse(p, 50 * 1024 * 1024),
    "binary.html": lambda p: p.write_bytes(bytes(range(256)) * 8),
}
BAD_LINES = {
    "empty-body.html": "no article text found in the page",
    "only-scripts.html": "no article text found in the page",
    "huge.html": "file is 50.0 MiB; articles are limited to",
    "binary.html": "not a web page (binary content under an HTML name)",
}


def test_bad_pages_each_give_one_line_and_the_rest_load(folder: Path, tmp_path: Path) -> None:
    for name, make in BAD_PAGES.items():
        make(folder / name)
    page = (HTML / "paywall-teaser.html").read_bytes()
    broken = page.replace(b"</p>", b"").replace(b"</div>", b"<div").replace(b"</html>", b"")
    (folder / "broken.html").write_bytes(broken[: broken.index(b"<aside>")])
    corpus = LiveCorpus(folder, tmp_path / "cache")
    list(corpus.clean_pending())
    lines = [line for line in corpus.problems if not line.endswith("(.txt, .html, .htm)")]
    assert len(lines) == len(BAD_PAGES)
    for name, words in BAD_LINES.items():
        [line] = [line for line in lines if f"/{name}:" in line]
        assert words in line and "\n" not in line, line
        with pytest.raises(UserError):
            corpus.article(name.removesuffix(".html"))
    assert "four hundred jobs" in corpus.article("broken").text
    for number in range(6):
        assert corpus.get(f"art{number}") is not None
    assert corpus.get("binary") is None and corpus.get("missing") is None


def test_paywall_teaser_stays_in_the_article(tmp_path: Path) -> None:
    """A paywall's teaser is part of what the reader saw; only the button link goes."""
    article = load_article(HTML / "paywall-teaser.html")
    assert "Subscribe to keep reading" in article.text
    assert "Get unlimited access to The Coastal Herald for just £1 a week." in article.text
    assert "Subscribe now" not in article.text


def test_start_trusts_the_index_until_the_first_rescan(
    folder: Path, tmp_path: Path, cleaned: list[str]
) -> None:
    """Launch stats no file; the first rescan finds what changed while the reader was shut."""
    cache = tmp_path / "cache"
    list(LiveCorpus(folder, cache).clean_pending())
    old_title = LiveCorpus(folder, cache).entry("art1").title
    _modified(folder / "art1.txt", b"A new first paragraph, long enough to be the article.\n")
    os.utime(folder / "art2.txt", ns=(1, 1))  # touched only
    (folder / "art3.txt").unlink()
    cleaned.clear()
    corpus = LiveCorpus(folder, cache)
    assert corpus.entry("art1").title == old_title  # as indexed, until the rescan
    assert corpus.pending() == 0 and cleaned == []
    shown = corpus.show(["art0"])  # a shown article is read from its file, whatever the index
    assert shown[0].id == "art0"
    changes = corpus.rescan()
    assert (changes.added, changes.changed, changes.removed) == ([], ["art1"], [])
    assert "art3" not in corpus  # gone before the start: never listed
    assert not corpus.entry("art1").known and corpus.entry("art2").known
    assert corpus.pending() == 1
    assert not corpus.rescan()
    list(corpus.clean_pending())
    assert corpus.entry("art1").title.startswith("A new first paragraph")
    fresh = LiveCorpus(folder, cache)
    assert not fresh.rescan() and fresh.pending() == 0  # the saved index holds the new keys


def test_a_folder_emptied_is_all_removed_and_a_folder_gone_is_one_line(
    folder: Path, tmp_path: Path
) -> None:
    corpus = LiveCorpus(folder, tmp_path / "cache")
    ids = corpus.ids
    for path in folder.iterdir():
        path.unlink()
    changes = corpus.rescan()
    assert changes.removed == ids and not changes.added and len(corpus) == 0
    folder.rmdir()
    with pytest.raises(UserError, match="no such folder"):
        corpus.rescan()


def test_a_bad_file_fixed_on_disk_loses_its_problem_line(folder: Path, tmp_path: Path) -> None:
    (folder / "late.txt").write_bytes(b"")
    corpus = LiveCorpus(folder, tmp_path / "cache")
    list(corpus.clean_pending())
    assert any("late.txt: empty file" in line for line in corpus.problems)
    _modified(folder / "late.txt", b"The article arrived after all, a whole sentence of it.\n")
    assert corpus.rescan().changed == ["late"]
    assert not any("late.txt" in line for line in corpus.problems)
    assert corpus.article("late").text.startswith("The article arrived")
