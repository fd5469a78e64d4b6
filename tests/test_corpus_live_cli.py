"""A command about one article cleans that article only, whatever the size of the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.cli import main
from tui.corpus import load_article

SEED = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))[0]
QUOTE_WORDS = 6


@pytest.fixture
def corpus(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Eight articles made from seed prose, one a web page, in the workspace's corpus."""
    folder = workspace / "corpus"
    folder.mkdir()
    paragraphs = [p for p in load_article(SEED).text.split("\n\n") if len(p) > 80]
    for number in range(7):
        text = "\n\n".join(paragraphs[number : number + 3])
        (folder / f"art{number}.txt").write_text(text + "\n", encoding="utf-8")
    body = "".join(f"<p>{p}</p>" for p in paragraphs[-3:])
    (folder / "page.html").write_text(
        f"<!DOCTYPE html><html><head><title>A page</title></head><body><nav>Home</nav>"
        f"<article><h1>A page</h1>{body}</article></body></html>",
        encoding="utf-8",
    )
    monkeypatch.setenv("MARGINALIA_CORPUS", str(folder))
    return folder


def _quote(folder: Path, article_id: str) -> str:
    text = load_article(folder / f"{article_id}.txt").text
    return " ".join(text.split()[:QUOTE_WORDS])


def test_commands_on_one_article_clean_only_that_one(
    corpus: Path, workspace: Path, cleaned: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(workspace / "db.json")
    quote = _quote(corpus, "art3")
    cleaned.clear()
    assert main(["tag", "art3", "--db", db, "--quote", quote, "--tag", "x"]) == 0
    assert cleaned == ["art3"]
    cleaned.clear()  # from here on the cache has it: nothing is cleaned at all
    assert main(["article", "art3", "--db", db]) == 0
    assert main(["list", "--db", db]) == 0
    assert main(["list", "--anchors", "--article", "art3", "--db", db]) == 0
    assert main(["export", "--article", "art3", "--db", db]) == 0
    assert main(["export", "--db", db]) == 0
    assert main(["search", quote.split()[-1], "--article", "art3"]) == 0
    assert cleaned == []
    out = capsys.readouterr().out
    assert "art3" in out and quote in out
    assert main(["article", "page", "--db", db]) == 0
    assert cleaned == ["page"]
