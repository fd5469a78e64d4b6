"""The remembered pane choice: per user, atomic, and harmless when missing or broken."""

from __future__ import annotations

from pathlib import Path

from tui.app.model.pane_state import choose_panes, load_panes, save_panes, state_path_for


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


def test_the_state_file_is_private_unless_the_folder_is_shared(tmp_path: Path) -> None:
    import stat

    private = tmp_path / "private" / ".marginalia-state.json"
    save_panes(private, "alice", ["a"])
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    shared_folder = tmp_path / "shared"
    shared_folder.mkdir()
    shared_folder.chmod(0o2770)
    shared = shared_folder / ".marginalia-state.json"
    save_panes(shared, "alice", ["a"])
    save_panes(shared, "bob", ["b"])  # the second annotator adds to the same file
    assert stat.S_IMODE(shared.stat().st_mode) == 0o660
