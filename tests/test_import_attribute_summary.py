"""Importing a file whose articles carry attributes says so in a few lines, however many
articles there are: what was taken (by name), what kept the store's newer value, what the
store's rules refused and why (r6 new-user trial: 1,000 articles printed 1,000 lines)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.cli import main
from tui.export.importer import LISTED, import_file
from tui.store import AnnotationStore

OLD = "2000-01-01T00:00:00Z"  # the file was written before any edit in the store
ARTICLES = [f"{n:03}_story" for n in range(30)]
STORE_NEWER = ARTICLES[:7]  # the store set `outlet` on these after the file was written
TWIN = ARTICLES[10:12]  # the file sets `stance` where the store already uses `Stance`


def _yaml(path: Path) -> Path:
    blocks = []
    for article in ARTICLES:
        attributes = f"{{outlet: 'Outlet {article}'"
        if article in TWIN:
            attributes += ", stance: hawkish"
        blocks.append(f"- id: {article}\n  attributes: {attributes}}}\n  excerpts: []\n")
    path.write_text(
        f"format: marginalia-excerpts/1\nexported: '{OLD}'\narticles:\n" + "".join(blocks),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def store(tmp_path: Path) -> AnnotationStore:
    store = AnnotationStore(tmp_path / "store.json", "alice")
    for article in STORE_NEWER:
        store.set_article_attributes(article, {"outlet": "Mine"})
    store.set_article_attributes(ARTICLES[29], {"Stance": "dovish"})
    return store


def test_the_summary_counts_instead_of_listing_every_article(
    store: AnnotationStore, tmp_path: Path
) -> None:
    report = import_file(_yaml(tmp_path / "work.yaml"), store, lambda _: None)
    lines = report.summary()
    taken = [a for a in ARTICLES if a not in STORE_NEWER]
    # A few lines, not one per article: the first, taken, kept (a few named), refused + reason.
    assert len(lines) <= 6 + LISTED
    text = "\n".join(lines)
    assert f"took the file's values for {len(taken)} articles: outlet ({len(taken)})" in text
    assert f"kept this store's values for {len(STORE_NEWER)} articles" in text
    first = STORE_NEWER[0]
    assert f"    {first}: outlet 'Mine' (the file's: 'Outlet {first}')" in lines
    assert f"    and {len(STORE_NEWER) - LISTED} more" in lines
    assert STORE_NEWER[-1] not in text
    assert f"refused by this store's rules, for {len(TWIN)} articles" in text
    (reason,) = [line for line in lines if line.startswith("    attribute")]
    assert reason.strip().startswith("attribute 'stance' differs from the existing 'Stance'")
    assert reason.endswith(": " + ", ".join(TWIN))
    # Honest: what the summary says is what the store holds.
    metas = store.article_metas()
    assert all(metas[a].attributes == {"outlet": "Mine"} for a in STORE_NEWER)
    assert all(metas[a].attributes["outlet"] == f"Outlet {a}" for a in taken)
    assert all(metas[a].attributes == {"outlet": f"Outlet {a}"} for a in TWIN)  # not stance


def test_the_attributes_go_in_as_one_undoable_write(store: AnnotationStore, tmp_path: Path) -> None:
    import_file(_yaml(tmp_path / "work.yaml"), store, lambda _: None)
    assert store.article_meta(ARTICLES[20]).attributes
    store.undo()
    assert not store.article_meta(ARTICLES[20]).attributes
    assert not store.article_meta(ARTICLES[7]).attributes
    assert store.article_meta(STORE_NEWER[0]).attributes == {"outlet": "Mine"}


def test_the_cli_prints_the_summary(
    store: AnnotationStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _yaml(tmp_path / "work.yaml")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    assert main(["import", str(path), "--db", str(store.path), "--corpus", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) <= 6 + LISTED
    assert "took the file's values for" in out
    assert not any(line.strip().startswith("article ") for line in out.splitlines())
