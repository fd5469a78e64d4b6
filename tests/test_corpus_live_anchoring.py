"""An article rewritten on disk while it is annotated: the rescan sees it, its annotations are
placed again in the new text, those not placed exactly need checking, and none is dropped."""

from __future__ import annotations

import os
from pathlib import Path

from tui.corpus import load_article
from tui.corpus.live_corpus import LiveCorpus
from tui.store import AnnotationStore
from tui.store.anchoring import NEEDS_CHECKING

SEED = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))[0]


def _paragraphs() -> list[str]:
    return [p for p in load_article(SEED).text.split("\n\n") if len(p) > 120][:5]


def _write(path: Path, paragraphs: list[str]) -> None:
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))  # a new mtime even on a coarse clock


def _first_sentence(paragraph: str) -> str:
    return paragraph[: paragraph.index(". ") + 1]


def test_changed_article_is_reanchored_and_nothing_is_dropped(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    one, two, three, four, five = _paragraphs()
    _write(folder / "story.txt", [one, two, three, four, five])
    corpus = LiveCorpus(folder, tmp_path / "cache")
    store = AnnotationStore(tmp_path / "db.json", "ana")
    old = corpus.show(["story"])[0]
    for paragraph in (one, three, four, five):
        start = old.text.index(_first_sentence(paragraph))
        store.add("story", start, start + len(_first_sentence(paragraph)), old.text, ["t"])
    assert not store.reanchored("story", old.text).needs_checking

    edited = four.replace(_first_sentence(four), _first_sentence(four).replace(" the ", " a ", 2))
    assert edited != four
    _write(folder / "story.txt", [one, three, two, edited])  # moved, edited, five deleted
    changes = corpus.rescan()
    assert changes.changed == ["story"] and not changes.added and not changes.removed
    new = corpus.article("story")
    assert new.text != old.text

    placed = store.reanchored("story", new.text)
    assert len(placed.annotations) == 4  # nothing dropped
    by_quote = {a.quote[:30]: a.anchor for a in placed.annotations}
    assert by_quote[_first_sentence(one)[:30]] == "exact"  # still first, same context
    assert by_quote[_first_sentence(three)[:30]] == "moved"
    statuses = sorted(a.anchor for a in placed.needs_checking)
    assert statuses == ["fuzzy", "orphaned"]
    assert {a.anchor for a in placed.needs_checking} == NEEDS_CHECKING
    assert placed.counts() == {"exact": 1, "moved": 1, "fuzzy": 1, "orphaned": 1}
    fuzzy = next(a for a in placed.annotations if a.anchor == "fuzzy")
    assert new.text[fuzzy.start : fuzzy.end] == fuzzy.quote
    assert fuzzy.quote.startswith(_first_sentence(edited)[:20])
    assert len(store.annotations(article="story")) == 4  # the store keeps every one as made
