"""SVG snapshots of the reader: the main screen with highlights, the tag picker, the key help.

Deterministic: the seeds, a fresh store with fixed content, a fixed user, no blinking cursor.
Update with `pytest tests/test_app_snapshots.py --snapshot-update` after checking the change.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_app_support import LEFT, RIGHT, make_app, seed_articles

from tui.app.reader import ReaderApp
from tui.store import AnnotationStore


def annotated_app(tmp_path: Path) -> ReaderApp:
    db = tmp_path / "annotations" / "marginalia.json"
    store = AnnotationStore(db, "alice")
    store.create_tag("Russian war aims", color="ansi_bright_yellow", key=1)
    store.create_tag("negotiating positions", color="ansi_bright_cyan", key=2)
    store.create_tag("sanctions", color="ansi_bright_magenta", key=3)
    left, right = seed_articles()
    assert (left.id, right.id) == (LEFT, RIGHT)
    first, second, third = left.sentences[:3]
    store.add(LEFT, *second, left.text, ["negotiating positions"])
    # Two overlapping highlights: the second sentence and a phrase inside it.
    phrase = left.text.index("Trump and the presidents")
    store.add(LEFT, phrase, phrase + 24, left.text, ["Russian war aims"], note="who speaks")
    store.add(RIGHT, *right.sentences[1], right.text, ["sanctions"])
    del first, third
    return make_app(db, user="alice")


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_main_screen(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(annotated_app(tmp_path), press=["j"], terminal_size=size)


def test_tag_picker(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(annotated_app(tmp_path), press=["j", "j", "t", "s", "a"])


def test_help(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(annotated_app(tmp_path), press=["question_mark"], terminal_size=(100, 40))
