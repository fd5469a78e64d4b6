"""An export is an ordinary document: it gets the mode the umask allows, keeps the mode of
the file it replaces, and never writes through a link placed in a shared folder (issue 11)."""

from __future__ import annotations

import os
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui import atomic
from tui.export.render import write_atomically

EXPORT = b"# Codes\n\n- Source: Kennan Institute\n"
VICTIM_TEXT = b"Someone's own notes, which no export may touch.\n"


@pytest.fixture
def umask_077() -> Iterator[None]:
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_export_under_umask_077_is_private(tmp_path: Path, umask_077: None) -> None:
    target = tmp_path / "codes.md"
    write_atomically(target, EXPORT)
    assert target.read_bytes() == EXPORT
    assert mode_of(target) == 0o600


def test_a_new_export_under_umask_022_is_readable_by_others(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        write_atomically(tmp_path / "codes.md", EXPORT)
    finally:
        os.umask(previous)
    assert mode_of(tmp_path / "codes.md") == 0o644


@pytest.mark.parametrize("existing_mode", [0o640, 0o600])
def test_an_export_over_an_existing_file_keeps_its_mode(tmp_path: Path, existing_mode: int) -> None:
    target = tmp_path / "codes.md"
    target.write_bytes(b"old export\n")
    target.chmod(existing_mode)
    write_atomically(target, EXPORT)
    assert target.read_bytes() == EXPORT
    assert mode_of(target) == existing_mode


def test_an_export_over_a_link_replaces_the_link_not_its_target(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(VICTIM_TEXT)
    victim.chmod(0o640)
    target = tmp_path / "codes.md"
    target.symlink_to(victim)
    write_atomically(target, EXPORT)
    assert victim.read_bytes() == VICTIM_TEXT
    assert not target.is_symlink() and target.read_bytes() == EXPORT


def test_a_link_placed_at_the_temp_name_is_never_written_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(VICTIM_TEXT)
    fixed = uuid.UUID(int=0xABC)
    monkeypatch.setattr(atomic.uuid, "uuid4", lambda: fixed)
    target = tmp_path / "codes.md"
    (tmp_path / f".codes.md.{fixed.hex[:12]}.tmp").symlink_to(victim)
    with pytest.raises(FileExistsError):
        atomic.replace_file(target, EXPORT, mode=None)
    assert victim.read_bytes() == VICTIM_TEXT
    assert not target.exists()
