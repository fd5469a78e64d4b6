"""replace_file: the one way every layer replaces a file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tui.atomic import replace_file


def test_replaces_the_content_with_the_mode_asked_whatever_the_umask(tmp_path: Path) -> None:
    target = tmp_path / "store.json"
    target.write_bytes(b"old")
    previous = os.umask(0o077)
    try:
        replace_file(target, b"new", mode=0o644)
    finally:
        os.umask(previous)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["store.json"]


@pytest.mark.parametrize("durable", [True, False])
def test_a_failed_write_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, durable: bool
) -> None:
    target = tmp_path / "export.yaml"
    target.write_bytes(b"old")

    def no_space(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", no_space)
    with pytest.raises(OSError, match="No space"):
        replace_file(target, b"new" * 1000, mode=0o600, durable=durable)
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["export.yaml"]


def test_a_failed_rename_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a-folder-in-the-way"
    target.mkdir()
    with pytest.raises(OSError):
        replace_file(target, b"data", mode=0o600)
    assert [p.name for p in tmp_path.iterdir()] == ["a-folder-in-the-way"]
