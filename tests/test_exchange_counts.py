"""One counting rule for "passages under a tag and its children" (issue 13, item 11).

The trial saw "Economic leverage (3)" in the codebook and "(4)" in the list for the same data:
one count added the passages of each tag below the parent, so a passage carrying the parent
and a child counted twice. Every count a reader sees comes from `passages_under` now.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from tui.cli import main
from tui.config import BUNDLED_SEEDS
from tui.store import AnnotationStore
from tui.store.hierarchy import passages_under

SEED = "001_5b2a99fe7e84453b"
TEXT = (BUNDLED_SEEDS / f"{SEED}.txt").read_text(encoding="utf-8")
PARENT = "Economic leverage"


def span(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


@pytest.fixture
def db(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    db = workspace / "store" / "s.json"
    alice = AnnotationStore(db, "alice")
    alice.add(SEED, *span("Putin"), TEXT, [PARENT, f"{PARENT}/sanctions"])  # parent and child
    alice.add(SEED, *span("Moscow"), TEXT, [f"{PARENT}/sanctions"])
    alice.add(SEED, *span("Xi Jinping"), TEXT, [f"{PARENT}/energy", "China"])
    AnnotationStore(db, "bob").add(SEED, *span("Putin"), TEXT, [PARENT])  # bob's own coding
    return db


def run(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> str:
    capsys.readouterr()
    assert main([*argv, "--db", str(db)]) == 0
    return capsys.readouterr().out


def test_a_passage_with_a_parent_and_a_child_counts_once() -> None:
    totals = passages_under([("A", "A/b"), ("A/b",), ("A/c/d",), ()])
    assert totals == {"A": 3, "A/b": 2, "A/c": 1, "A/c/d": 1}


def test_the_codebook_the_list_and_the_exports_agree(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = AnnotationStore(db, "carol")
    listed = run(capsys, db, "list", "--tag", PARENT).splitlines()
    expected = len(listed)
    # The sum of each tag's own count is what the list screen showed: one more than there are.
    assert sum(n for name, n in store.tag_counts().items() if name.startswith(PARENT)) > expected
    assert store.tag_totals()[PARENT] == expected == len(store.annotations(tag=PARENT))
    tree = run(capsys, db, "tags")
    assert f"{PARENT}  {expected} annotations" in tree
    records = json.loads(run(capsys, db, "tags", "--json"))
    assert {r["name"]: r["count"] for r in records}[PARENT] == expected
    out = db.parent / "excerpts.md"
    run(capsys, db, "export", "--format", "markdown", "-o", str(out))
    markdown = out.read_text(encoding="utf-8")
    section = markdown.split(f"## {PARENT}\n", 1)[1]
    shown = re.match(r"\s*(\d+) excerpts? with this tag or one below it, (\d+) in", section)
    assert shown is not None and int(shown[1]) == expected
    assert int(shown[2]) == sum(PARENT in a.tags for a in store.annotations())
