"""The seeds' starter codebook belongs to their workspace (issue 13, item 17).

A new store used to get the twelve seed-topic codes, keys 1-9 taken, wherever it was. Now a
store with a corpus of one's own starts empty, or from `--codebook FILE`, or from a
`codebook.yaml` beside it; the bundled seeds still start from their codes.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from tui.cli import main
from tui.config import BUNDLED_SEEDS, STARTER_CODEBOOK, Workspace, starter_codebook
from tui.errors import UserError
from tui.export.codebook import read_codebook
from tui.store import AnnotationStore

SEED = "001_5b2a99fe7e84453b"


@pytest.fixture
def own_corpus(tmp_path: Path, workspace: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A corpus outside the repo: a copy of a seed under a name of its own."""
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    folder = tmp_path / "my-news"
    folder.mkdir()
    shutil.copy(BUNDLED_SEEDS / f"{SEED}.txt", folder / "kennan.txt")
    monkeypatch.setenv("MARGINALIA_CORPUS", str(folder))
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_a_store_with_a_corpus_of_ones_own_starts_empty(
    own_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "project" / "annotations" / "marginalia.json"
    assert run(capsys, "tags", "--db", str(db)) == ""
    run(capsys, "tag", "kennan", "--quote", "Putin", "--tag", "Leaders", "--db", str(db))
    tags = AnnotationStore(db, "x").tags()
    assert [(t.name, t.key) for t in tags] == [("Leaders", 1)]  # key 1 was free


def test_codebook_flag_gives_a_new_store_its_codes(
    own_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "format: marginalia-codebook/1\ncodebook:\n- {name: Energy, color: ansi_cyan, key: 2}\n",
        encoding="utf-8",
    )
    db = tmp_path / "s.json"
    out = run(capsys, "tags", "--db", str(db), "--codebook", str(mine))
    assert out.splitlines() == ["2  Energy  0 annotations  ansi_cyan"]
    with pytest.raises(UserError, match="no such codebook file"):
        starter_codebook(Workspace(own_corpus, db, "x", tmp_path), tmp_path / "missing.yaml")


def test_the_bundled_seeds_keep_their_starter_codebook(tmp_path: Path) -> None:
    space = Workspace(BUNDLED_SEEDS, tmp_path / "s.json", "x", tmp_path / "cache")
    assert starter_codebook(space) == STARTER_CODEBOOK
    assert len(read_codebook(STARTER_CODEBOOK)) == 12
    # This repo's own store has the starter beside it, whatever the corpus.
    repo_store = Workspace(tmp_path, STARTER_CODEBOOK.parent / "marginalia.json", "x", tmp_path)
    assert starter_codebook(repo_store) == STARTER_CODEBOOK
    elsewhere = Workspace(tmp_path, tmp_path / "s.json", "x", tmp_path)
    assert starter_codebook(elsewhere) is None


def test_the_reader_loads_codebook_into_a_new_store_and_says_when_it_does_not(
    own_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.app.reader import ReaderApp

    shown: list[list[str]] = []
    monkeypatch.setattr(ReaderApp, "run", lambda app, **_: shown.append(app.problems))
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "format: marginalia-codebook/1\ncodebook:\n- {name: Energy, color: ansi_cyan}\n",
        encoding="utf-8",
    )
    db = tmp_path / "s.json"
    argv = ["--db", str(db), "--codebook", str(mine)]
    assert main(argv) == 0
    assert [t.name for t in AnnotationStore(db, "x").tags()] == ["Energy"]
    assert not any("not loaded" in problem for problem in shown[-1])
    AnnotationStore(db, "x").create_tag("Mine")
    assert main(argv) == 0
    assert any(problem.startswith(f"{mine}: not loaded") for problem in shown[-1])
    assert [t.name for t in AnnotationStore(db, "x").tags()] == ["Energy", "Mine"]
