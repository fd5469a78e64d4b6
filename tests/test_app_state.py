"""The remembered pane choice: per user, atomic, and harmless when missing or broken."""

from __future__ import annotations

from pathlib import Path

from tui.app.state import choose_panes, load_panes, save_panes, state_path_for


def test_panes_are_remembered_per_user(tmp_path: Path) -> None:
    path = state_path_for(tmp_path / "annotations" / "marginalia.json")
    assert path.parent == tmp_path / "annotations"
    save_panes(path, "alice", ["002", "000"])
    save_panes(path, "bob", ["001"])
    assert load_panes(path, "alice") == ["002", "000"]
    assert load_panes(path, "bob") == ["001"]
    assert load_panes(path, "carol") == []
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left behind


def test_a_broken_state_file_is_ignored_and_replaced(tmp_path: Path) -> None:
    path = tmp_path / ".marginalia-state.json"
    path.write_text("{not json", encoding="utf-8")
    assert load_panes(path, "alice") == []
    save_panes(path, "alice", ["001"])
    assert load_panes(path, "alice") == ["001"]


def test_choose_panes_keeps_remembered_articles_that_still_exist() -> None:
    available = ["000", "001", "002"]
    assert choose_panes([], available) == ["000", "001"]
    assert choose_panes(["002"], available) == ["002", "000"]
    assert choose_panes(["gone", "001", "002"], available) == ["001", "002"]
    assert choose_panes(["000"], ["000"], count=1) == ["000"]
