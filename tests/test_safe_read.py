"""The one way files are read: regular files only, never past the limit, links on request."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tui.safe_read import UnsafeFile, read_regular


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"hello")
    assert read_regular(path, 5) == b"hello"


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "export.yaml"
    os.mkfifo(fifo)
    result: list[BaseException] = []

    def read() -> None:
        try:
            read_regular(fifo, 100)
        except UnsafeFile as error:
            result.append(error)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(5)
    assert not reader.is_alive(), "reading a FIFO blocked"
    assert "not a regular file" in str(result[0])


def test_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    with pytest.raises(UnsafeFile, match="not a regular file"):
        read_regular(link, 100)


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big"
    path.write_bytes(b"x" * 101)
    with pytest.raises(UnsafeFile, match="too large for an export"):
        read_regular(path, 100, what="an export")


def test_a_symlink_is_refused_when_links_are_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "victim"
    target.write_bytes(b"secret")
    link = tmp_path / "store.json"
    link.symlink_to(target)
    assert read_regular(link, 100) == b"secret"
    with pytest.raises(UnsafeFile, match="symbolic link"):
        read_regular(link, 100, follow_links=False)


def test_a_missing_file_passes_its_oserror_through(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_regular(tmp_path / "nothing", 100)
