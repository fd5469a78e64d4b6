"""Titles are stored whole and cut only when drawn (issue 13, item 14).

The cleaner used to cut a title derived from the lead sentence at 60 characters with "…", and
every export cited that cut version. A corpus outside the repo, with a copy of a seed and a
page whose lead is one long unpunctuated run, shows what is kept now.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tui.app.widgets.article_view import pane_title
from tui.cli import main
from tui.config import BUNDLED_SEEDS
from tui.corpus import load_article
from tui.corpus.title import MAX_TITLE
from tui.store import AnnotationStore

SEED = "000_812b4db44989ec20"
LEAD = (
    "U.S. President Donald Trump did not, as promised on the campaign trail, manage to broker "
    "an end to the war in Ukraine on day one of his return to the White House"
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(BUNDLED_SEEDS / f"{SEED}.txt", folder / f"{SEED}.txt")
    return folder


def test_the_lead_sentence_is_the_whole_title(corpus: Path, tmp_path: Path) -> None:
    article = load_article(corpus / f"{SEED}.txt", cache=tmp_path / "cache")
    assert article.title == LEAD
    assert pane_title(article) == LEAD  # the pane's border cuts what does not fit


def test_a_run_without_a_full_stop_is_cut_at_a_word_past_the_limit(tmp_path: Path) -> None:
    words = "the talks in Riyadh went on and on without an end in sight " * 12
    page = tmp_path / "run.txt"
    page.write_text(words + "\n\nA second paragraph.\n", encoding="utf-8")
    title = load_article(page, cache=None).title
    assert title.endswith("…") and len(title) <= MAX_TITLE + 1
    assert words.startswith(title[:-1]) and title[-2] != " "


def test_exports_cite_the_whole_title(
    corpus: Path, workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = workspace / "store" / "s.json"
    text = load_article(corpus / f"{SEED}.txt", cache=None).text
    start = text.index("Davos")
    AnnotationStore(db, "alice").add(SEED, start, start + 5, text, ["Place"])
    common = ["--db", str(db), "--corpus", str(corpus)]
    out = workspace / "x.yaml"
    assert main(["export", "--format", "yaml", "-o", str(out), *common]) == 0
    document = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert document["articles"][0]["title"] == LEAD
    markdown = workspace / "x.md"
    assert main(["export", "--format", "markdown", "-o", str(markdown), *common]) == 0
    assert "White House" in markdown.read_text(encoding="utf-8")
