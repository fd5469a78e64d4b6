"""Store files in a folder others can write: links, FIFOs and devices swapped in for them are
refused, never followed, blocked on or read without end, and never truncated (issue 11)."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.config import BUNDLED_SEEDS
from tui.store import AnnotationStore, StoreError, StoreWriteError
from tui.store import storage as storage_module

ARTICLE = "001_5b2a99fe7e84453b"
TEXT = (BUNDLED_SEEDS / f"{ARTICLE}.txt").read_text(encoding="utf-8")
VICTIM_TEXT = b"Someone's own notes, which the store must never touch.\n" * 20


def add_one(store: AnnotationStore, phrase: str, tag: str = "Source") -> object:
    start = TEXT.index(phrase)
    return store.add(ARTICLE, start, start + len(phrase), TEXT, [tag])


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    path = tmp_path / "victim.txt"
    path.write_bytes(VICTIM_TEXT)
    return path


def test_journal_swapped_for_a_link_between_sync_and_append_leaves_the_target_untouched(
    db: Path, victim: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = AnnotationStore(db, "alice")
    add_one(store, "Kennan Institute")
    journal = store.journal_path
    persist = storage_module.JournalStorage._persist

    def swap_then_persist(self: storage_module.JournalStorage) -> str | None:
        # The attacker's moment: after the writer's sync under the lock, before its append.
        journal.unlink()
        journal.symlink_to(victim)
        return persist(self)

    monkeypatch.setattr(storage_module.JournalStorage, "_persist", swap_then_persist)
    with pytest.raises(StoreWriteError, match="replaced by something other than the journal"):
        add_one(store, "Ukraine", "Place")
    assert victim.read_bytes() == VICTIM_TEXT
    assert store.pending_writes == 1


def test_journal_swapped_for_another_file_is_not_truncated(
    db: Path, victim: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = AnnotationStore(db, "alice")
    add_one(store, "Kennan Institute")
    journal = store.journal_path
    persist = storage_module.JournalStorage._persist

    def swap_then_persist(self: storage_module.JournalStorage) -> str | None:
        os.replace(victim, journal)  # a longer regular file, not the one we read
        return persist(self)

    monkeypatch.setattr(storage_module.JournalStorage, "_persist", swap_then_persist)
    with pytest.raises(StoreWriteError):
        add_one(store, "Ukraine", "Place")
    assert journal.read_bytes() == VICTIM_TEXT


def open_elsewhere(db: Path) -> subprocess.CompletedProcess[str]:
    """Open the store in a child with a time and memory bound: a hang or an endless read
    fails the test instead of stalling or exhausting the machine running it."""
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 31, 1 << 31))\n"
        "from tui.store import AnnotationStore, StoreError\n"
        "try:\n    AnnotationStore(sys.argv[1], 'bob').annotations()\n"
        "except StoreError as error:\n    print(error)\n    sys.exit(2)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(db)],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )


@pytest.mark.parametrize("which", ["snapshot", "journal"])
def test_a_store_file_that_is_a_link_to_dev_zero_is_refused(db: Path, which: str) -> None:
    store = AnnotationStore(db, "alice")
    add_one(store, "Kennan Institute")
    path = db if which == "snapshot" else store.journal_path
    path.unlink()
    path.symlink_to("/dev/zero")
    done = open_elsewhere(db)
    assert done.returncode == 2
    assert "symbolic link" in done.stdout and str(path) in done.stdout


def test_a_journal_replaced_by_a_fifo_is_refused_without_blocking(db: Path) -> None:
    store = AnnotationStore(db, "alice")
    add_one(store, "Kennan Institute")
    store.journal_path.unlink()
    os.mkfifo(store.journal_path)
    done = open_elsewhere(db)
    assert done.returncode == 2
    assert "not a regular file" in done.stdout and str(store.journal_path) in done.stdout
    with pytest.raises(StoreError, match="not a regular file"):
        store.refresh()  # the process that had it open notices too, without blocking


def test_db_given_as_a_fifo_is_a_one_line_error_and_exit_2(tmp_path: Path) -> None:
    fifo = tmp_path / "store.json"
    os.mkfifo(fifo)
    env = dict(os.environ, MARGINALIA_CACHE=str(tmp_path / "cache"), MARGINALIA_USER="alice")
    env["MARGINALIA_CORPUS"] = str(BUNDLED_SEEDS)
    env.pop("MARGINALIA_DB", None)
    code = "import sys\nfrom tui.cli import main\nsys.exit(main(['list', '--db', sys.argv[1]]))"
    done = subprocess.run(
        [sys.executable, "-c", code, str(fifo)],
        capture_output=True,
        text=True,
        timeout=20,
        env=env,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
    assert str(fifo) in done.stderr and "not a regular file" in done.stderr


def test_garbage_appended_while_open_names_its_real_line_number(db: Path) -> None:
    store = AnnotationStore(db, "alice")
    add_one(store, "Kennan Institute")
    add_one(store, "Ukraine", "Place")
    assert store.annotations()
    lines_before = store.journal_path.read_bytes().count(b"\n")
    with store.journal_path.open("ab") as journal:
        journal.write(b"this is not json at all\n")
    with pytest.raises(StoreError) as caught:
        store.refresh()
    assert f"line {lines_before + 1} is not valid JSON" in str(caught.value)
    assert str(store.journal_path) in str(caught.value)


def test_a_failed_compaction_leaves_no_backup_link_behind(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = AnnotationStore(db, "alice")
    add_one(store, "Kennan Institute")
    store.flush()
    replace = os.replace

    def full_disk(source: object, target: object) -> None:
        if str(target).endswith(".bak"):
            raise OSError(errno.ENOSPC, "No space left on device")
        replace(source, target)

    monkeypatch.setattr(storage_module.os, "replace", full_disk)
    monkeypatch.setattr(storage_module, "MIN_COMPACTION_BYTES", 0)
    monkeypatch.setattr(storage_module, "COMPACTION_RATIO", 0.0)
    add_one(store, "Ukraine", "Place")  # the append works; only the compaction fails
    leftovers = [path.name for path in db.parent.iterdir() if ".bak." in path.name]
    assert leftovers == []
