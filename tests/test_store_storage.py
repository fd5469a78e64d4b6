"""The files under the store: bad stores refused untouched, schema versions, permissions,
backups, the journal, and writes that fail and are retried."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from tui.config import BUNDLED_SEEDS
from tui.store import AnnotationStore, StoreError, StoreWriteError
from tui.store import storage as storage_module

ARTICLE = "001_5b2a99fe7e84453b"
TEXT = (BUNDLED_SEEDS / f"{ARTICLE}.txt").read_text(encoding="utf-8")


def span(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


def add_one(store: AnnotationStore, phrase: str = "Kennan Institute", tag: str = "Source"):
    return store.add(ARTICLE, *span(phrase), TEXT, [tag])


def assert_refused(db: Path, match: str) -> StoreError:
    """Reading and writing both refuse, and neither changes a byte of the file."""
    before = db.read_bytes()
    journal = db.with_name(db.name + ".journal")
    journal_before = journal.read_bytes() if journal.exists() else None
    store = AnnotationStore(db, "alice")
    with pytest.raises(StoreError, match=match) as caught:
        store.annotations()
    with pytest.raises(StoreError, match=match):
        add_one(store)
    with pytest.raises(StoreError, match=match):
        store.refresh()
    assert db.read_bytes() == before
    assert (journal.read_bytes() if journal.exists() else None) == journal_before
    assert str(db.name) in str(caught.value)
    assert caught.value.exit_code == 2
    return caught.value


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (
            b'{"annotations": {"1": {"id": "x", "arti',
            r"not valid JSON \(line 1, column 40: unexpected end of data\)",
        ),
        (b"\x00\x01garbage", "not valid JSON"),
        (b'\xff\xfe{"x": 1}', r"not valid JSON \(it is not UTF-8 text\)"),
        (b"[1, 2, 3]", "not a marginalia store"),
        (b'{"_default": {"1": {"name": "a shopping list"}}}', "not a marginalia store"),
        (b'{"_meta": {"schema": {"format": "someone-else", "version": 1}}}', "unknown format"),
        (b'{"annotations": {"1": "not a document"}}', "not a marginalia store"),
    ],
)
def test_bad_store_is_refused_and_left_untouched(db: Path, content: bytes, match: str) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(content)
    error = assert_refused(db, match)
    assert "left untouched" in str(error)
    assert "no backup" in str(error)


def test_a_folder_given_as_the_store_is_named_as_such(db: Path) -> None:
    db.mkdir(parents=True)
    with pytest.raises(StoreError, match=r"is a folder, not a store file \(give --db a file\)"):
        AnnotationStore(db, "alice").annotations()


def test_newer_schema_is_refused_with_advice(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(b'{"_meta": {"schema": {"format": "marginalia-store", "version": 99}}}')
    error = assert_refused(db, "newer marginalia")
    assert "schema 99" in str(error) and "upgrade" in str(error)


def test_message_names_the_backup_when_there_is_one(db: Path) -> None:
    store = AnnotationStore(db, "alice")
    add_one(store)
    store.compact()  # a compaction keeps the previous snapshot as .bak
    assert store.backup_path.exists()
    db.write_bytes(b"{broken")
    error = assert_refused(db, "not valid JSON")
    assert str(store.backup_path) in str(error)


def test_empty_file_is_a_new_store_unless_a_backup_exists(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(b"")
    store = AnnotationStore(db, "alice")
    assert store.annotations() == []
    added = add_one(store)
    assert AnnotationStore(db, "bob").get(added.id) == added
    store.compact()
    db.write_bytes(b"")
    assert_refused(db, "is empty")


def test_corrupt_journal_line_is_refused_naming_the_journal(db: Path) -> None:
    store = AnnotationStore(db, "alice")
    add_one(store)
    add_one(store, "Kremlin", "Place") if "Kremlin" in TEXT else add_one(store, "Ukraine", "X")
    journal = store.journal_path
    lines = journal.read_bytes().splitlines(keepends=True)
    lines[1] = b'{"ops": [["annotations", 5]]}\n'
    journal.write_bytes(b"".join(lines))
    error = assert_refused(db, "line 2 is not a journal entry")
    assert str(journal) in str(error)


def test_torn_last_journal_line_is_ignored_then_cut_by_the_next_writer(db: Path) -> None:
    store = AnnotationStore(db, "alice")
    kept = add_one(store)
    journal = store.journal_path
    intact = journal.read_bytes()
    with journal.open("ab") as handle:  # a writer killed mid-append
        handle.write(b'{"ops": [["annotations", "abc", {"id": "abc", "art')
    reader = AnnotationStore(db, "bob")
    assert reader.annotations() == [kept]
    second = add_one(reader, "Ukraine", "Country")
    assert journal.read_bytes().startswith(intact)
    assert b'"art{' not in journal.read_bytes()
    assert {a.id for a in AnnotationStore(db, "carol").annotations()} == {kept.id, second.id}


def test_stale_journal_after_a_crash_mid_compaction_is_ignored(db: Path) -> None:
    """Snapshot renamed in, journal not yet reset: its changes are already in the snapshot."""
    store = AnnotationStore(db, "alice")
    first = add_one(store)
    old_journal = store.journal_path.read_bytes()
    store.update(first.id, note="in the snapshot")
    store.compact()
    store.journal_path.write_bytes(old_journal)  # the old generation's journal is still there
    fresh = AnnotationStore(db, "bob")
    assert fresh.get(first.id).note == "in the snapshot"
    second = add_one(fresh, "Ukraine", "Country")
    assert AnnotationStore(db, "carol").annotations() == sorted(
        [fresh.get(first.id), second], key=lambda a: a.start
    )


def test_compaction_keeps_previous_snapshot_as_backup(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage_module, "MIN_COMPACTION_BYTES", 0)
    store = AnnotationStore(db, "alice")
    added = [add_one(store)]
    snapshot_before = db.read_bytes()
    for phrase in ("Ukraine", "Moscow", "Beijing"):  # the journal soon outgrows the snapshot
        added.append(add_one(store, phrase, "Place"))
        if db.read_bytes() != snapshot_before:
            break
    assert store.backup_path.read_bytes() == snapshot_before
    assert len(store.journal_path.read_bytes().splitlines()) == 1  # just the new header
    data = json.loads(db.read_text())
    assert set(data["annotations"]) == {a.id for a in added}
    assert data["_meta"]["schema"]["version"] == storage_module.SCHEMA_VERSION
    assert not [p for p in db.parent.iterdir() if p.name.endswith(".tmp")]


def test_compaction_removes_temp_files_of_killed_writers(db: Path) -> None:
    store = AnnotationStore(db, "alice")
    add_one(store)
    leftovers = [
        db.with_name(f".{db.name}.0123456789ab.tmp"),
        db.with_name(f".{db.name}.journal.0123456789ab.tmp"),
        db.with_name(f".{db.name}.bak.0123456789ab"),
    ]
    for leftover in leftovers:
        leftover.write_bytes(b"half written")
    store.compact()
    assert not any(leftover.exists() for leftover in leftovers)
    assert len(AnnotationStore(db, "bob").annotations()) == 1


def test_snapshot_is_a_tinydb_json_file(db: Path) -> None:
    from tui.store.storage import RecordDatabase

    store = AnnotationStore(db, "alice")
    added = add_one(store)
    store.compact()
    with RecordDatabase(db, access_mode="r") as plain:  # TinyDB's own JSONStorage
        assert [doc["quote"] for doc in plain.table("annotations").all()] == [added.quote]


def test_unversioned_store_is_migrated_with_a_backup_first(db: Path) -> None:
    db.parent.mkdir(parents=True)
    start, end = span("Kennan Institute")
    old = {
        "annotations": {
            "1": {"id": "a" * 32, "article": ARTICLE, "start": start, "end": end,
                  "quote": "Kennan Institute", "tags": ["Source"], "author": "old"}
        },
        "tags": {"1": {"name": "Source", "color": "red", "key": 2, "description": ""}},
    }  # fmt: skip
    original = json.dumps(old).encode()
    db.write_bytes(original)
    store = AnnotationStore(db, "alice")
    assert [a.id for a in store.annotations()] == ["a" * 32]
    assert store.tag("Source").key == 2
    assert db.read_bytes() == original  # reading alone never writes
    add_one(store, "Ukraine", "Country")
    assert db.with_name(db.name + ".v0.bak").read_bytes() == original
    migrated = orjson.loads(db.read_bytes())
    assert migrated["_meta"]["schema"]["version"] == storage_module.SCHEMA_VERSION
    assert "a" * 32 in migrated["annotations"]
    assert len(AnnotationStore(db, "bob").annotations()) == 2


def file_mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_store_is_private(db: Path) -> None:
    add_one(AnnotationStore(db, "alice"))
    assert file_mode(db) == 0o600
    assert file_mode(db.with_name(db.name + ".journal")) == 0o600


def test_shared_flag_makes_the_store_group_writable(db: Path) -> None:
    add_one(AnnotationStore(db, "alice", shared=True))
    assert file_mode(db) == 0o660
    assert file_mode(db.with_name(db.name + ".journal")) == 0o660
    assert file_mode(db.with_name(db.name + ".lock")) == 0o660
    assert file_mode(db.parent) == 0o770 | stat.S_ISGID  # the folder it created is shared too


def test_setgid_folder_means_shared(db: Path) -> None:
    db.parent.mkdir()
    os.chmod(db.parent, 0o2775)
    add_one(AnnotationStore(db, "alice"))
    assert file_mode(db) == 0o660
    assert file_mode(db.parent) & stat.S_ISGID


def test_existing_mode_is_kept_across_compaction(db: Path) -> None:
    store = AnnotationStore(db, "alice")
    add_one(store)
    os.chmod(db, 0o640)
    store.compact()
    assert file_mode(db) == 0o640


def fail_writes(monkeypatch: pytest.MonkeyPatch, code: int = errno.ENOSPC) -> None:
    def refuse(*args: object) -> int:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(storage_module.os, "write", refuse)


def test_failed_write_is_reported_kept_in_memory_and_written_later(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = AnnotationStore(db, "alice")
    stored = add_one(store)
    store.refresh()
    on_disk = (db.read_bytes(), store.journal_path.read_bytes())
    with monkeypatch.context() as patch:
        fail_writes(patch)
        with pytest.raises(StoreWriteError, match="No space left") as caught:
            add_one(store, "Ukraine", "Country")
        kept = caught.value.result
        assert kept is not None and kept.quote == "Ukraine"
        assert store.pending_writes == 1
        assert "No space left" in (store.write_error or "")
        assert store.get(kept.id) == kept  # the user still sees what they did
        assert store.refresh() is False  # still failing: no exception, still pending
        assert store.pending_writes == 1
        assert (db.read_bytes(), store.journal_path.read_bytes()) == on_disk
        assert AnnotationStore(db, "bob").annotations() == [stored]
    assert store.refresh() is False
    assert store.pending_writes == 0 and store.write_error is None
    assert {a.id for a in AnnotationStore(db, "bob").annotations()} == {stored.id, kept.id}


def test_pending_change_survives_another_process_writing_meanwhile(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = AnnotationStore(db, "alice")
    add_one(store)
    with monkeypatch.context() as patch:
        fail_writes(patch)
        with pytest.raises(StoreWriteError):
            add_one(store, "Ukraine", "Country")
    bob = AnnotationStore(db, "bob")
    add_one(bob, "Moscow", "Place")
    store.refresh()  # sees bob's change, keeps and writes its own
    assert len(store.annotations()) == 3
    assert len(AnnotationStore(db, "carol").annotations()) == 3


def test_failed_first_write_creates_nothing_broken(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = AnnotationStore(db, "alice")
    with monkeypatch.context() as patch:
        fail_writes(patch, errno.EROFS)
        with pytest.raises(StoreWriteError, match="Read-only"):
            add_one(store)
    assert not db.exists() and [p.name for p in db.parent.iterdir()] in ([], [db.name + ".lock"])
    store.flush()
    assert len(AnnotationStore(db, "bob").annotations()) == 1


def _modes_are_enforced() -> bool:
    """False when running as root (or with CAP_DAC_OVERRIDE): then chmod stops no write."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / "probe"
        probe.write_bytes(b"")
        probe.chmod(0o400)
        try:
            probe.open("ab").close()
        except PermissionError:
            return True
        return False


@pytest.mark.skipif(
    not _modes_are_enforced(),
    reason="running as root: chmod does not stop root's writes; the OSError injection tests "
    "above cover the same code path",
)
def test_read_only_folder_then_writable_again(db: Path) -> None:
    store = AnnotationStore(db, "alice")
    stored = add_one(store)
    os.chmod(db.parent, 0o500)
    os.chmod(db, 0o400)
    os.chmod(store.journal_path, 0o400)
    try:
        with pytest.raises(StoreWriteError) as caught:
            add_one(store, "Ukraine", "Country")
        assert store.pending_writes == 1
        assert AnnotationStore(db, "bob").annotations() == [stored]
    finally:
        os.chmod(db.parent, 0o700)
        os.chmod(db, 0o600)
        os.chmod(store.journal_path, 0o600)
    store.refresh()
    assert store.pending_writes == 0
    assert caught.value.result.id in {a.id for a in AnnotationStore(db, "bob").annotations()}


def test_lock_held_elsewhere_times_out_as_a_write_error(db: Path) -> None:
    """filelock is reentrant within a process, so another process holds the lock."""
    store = AnnotationStore(db, "alice", lock_timeout=0.05)
    add_one(store)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import filelock,sys,time; l=filelock.FileLock(sys.argv[1]); l.acquire(); "
         "print('held', flush=True); time.sleep(30)", str(db) + ".lock"],
        stdout=subprocess.PIPE,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"held"
        with pytest.raises(StoreWriteError, match="locked by another process"):
            add_one(store, "Ukraine", "Country")
        assert store.pending_writes == 1
    finally:
        holder.kill()
        holder.wait()
    store.flush()
    assert len(AnnotationStore(db, "bob").annotations()) == 2


def test_journal_without_its_snapshot_is_refused(db: Path) -> None:
    store = AnnotationStore(db, "alice")
    add_one(store)
    add_one(store, "Ukraine", "Country")
    journal = store.journal_path.read_bytes()
    db.unlink()
    with pytest.raises(StoreError, match="missing but its journal"):
        AnnotationStore(db, "bob").annotations()
    with pytest.raises(StoreError, match="missing but its journal"):
        add_one(AnnotationStore(db, "bob"), "Moscow", "Place")
    assert store.journal_path.read_bytes() == journal and not db.exists()


def test_queued_edit_is_dropped_not_replayed_over_a_deletion_made_meanwhile(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = AnnotationStore(db, "alice")
    stored = add_one(alice)
    with monkeypatch.context() as patch:
        fail_writes(patch)
        with pytest.raises(StoreWriteError):
            alice.update(stored.id, note="alice's note")
    bob = AnnotationStore(db, "bob")
    bob.delete(stored.id)
    alice.refresh()
    assert alice.pending_writes == 0
    assert alice.get(stored.id) is None
    assert AnnotationStore(db, "carol").get(stored.id) is None  # bob's delete stands
    assert alice.dropped_writes == 1
    assert "dropped" in (alice.write_error or "")
    assert "dropped" in (alice.take_dropped() or "") and alice.write_error is None


def test_queued_change_already_in_a_new_snapshot_is_not_replayed_later(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first write compacts: the snapshot lands, then the journal cannot be written."""
    alice = AnnotationStore(db, "alice")
    real_replace = os.replace

    def replace(source: object, target: object) -> None:
        if str(target).endswith(".journal"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_replace(source, target)

    with monkeypatch.context() as patch:
        patch.setattr(storage_module.os, "replace", replace)
        stored = add_one(alice)
    assert alice.pending_writes == 0
    bob = AnnotationStore(db, "bob")
    bob.update(stored.id, note="bob's later note")
    alice.refresh()
    assert AnnotationStore(db, "carol").get(stored.id).note == "bob's later note"
    assert alice.get(stored.id).note == "bob's later note" and alice.dropped_writes == 0


def test_reader_drops_a_journal_line_the_writer_rolled_back(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader polls between the writer's append and its failed fsync; then another writer
    appends a line of the same length where the rolled-back one was."""
    alice = AnnotationStore(db, "alice")
    first = add_one(alice)
    second = add_one(alice, "Ukraine", "Country")
    reader = AnnotationStore(db, "reader")
    bob = AnnotationStore(db, "bob")
    assert reader.get(first.id) and bob.get(second.id)

    seen_mid_write: list[bool] = []

    def fsync_fails_after_a_poll(fd: int) -> None:
        reader.refresh()  # the line is in the file for now: the reader applies it
        seen_mid_write.append(reader.get(first.id) is None)
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    with monkeypatch.context() as patch:
        patch.setattr(storage_module.os, "fsync", fsync_fails_after_a_poll)
        with pytest.raises(StoreWriteError):
            alice.delete(first.id)
    assert seen_mid_write == [True]  # the reader applied the line that is now rolled back
    bob.delete(second.id)  # the same length as alice's line, at the same place
    reader.refresh()
    assert reader.get(first.id) is not None and reader.get(second.id) is None
    reader.rename_tag("Source", "Origin")  # a write from the reader's state keeps bob's delete
    assert AnnotationStore(db, "carol").get(second.id) is None


def test_empty_snapshot_with_a_journal_is_refused(db: Path) -> None:
    store = AnnotationStore(db, "alice")
    add_one(store)
    add_one(store, "Ukraine", "Country")
    journal = store.journal_path.read_bytes()
    db.write_bytes(b"")
    with pytest.raises(StoreError, match="is empty but its journal"):
        AnnotationStore(db, "bob").annotations()
    with pytest.raises(StoreError, match="is empty but its journal"):
        AnnotationStore(db, "bob").create_tag("Place")
    assert store.journal_path.read_bytes() == journal and db.read_bytes() == b""


def test_schema_1_copy_before_migrating_keeps_the_journal_and_is_private_from_the_start(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db.parent.mkdir(parents=True)
    start, end = span("Kennan Institute")
    record = {"article": ARTICLE, "start": start, "end": end, "quote": "Kennan Institute",
              "tags": ["Source"], "author": "old"}  # fmt: skip
    meta = {"format": "marginalia-store", "version": 1, "generation": "g1"}
    db.write_bytes(orjson.dumps({"_meta": {"schema": meta}, "annotations": {"a" * 32: record}}))
    os.chmod(db, 0o600)
    journal = db.with_name(db.name + ".journal")  # schema 1 kept recent changes here
    journal.write_bytes(
        b'{"journal": 1, "base": "g1"}\n'
        + orjson.dumps({"ops": [["annotations", "b" * 32, dict(record, author="later")]]})
        + b"\n"
    )
    modes_while_writing: list[int] = []
    real_write = os.write

    def write(fd: int, data: bytes) -> int:
        modes_while_writing.append(stat.S_IMODE(os.fstat(fd).st_mode))
        return real_write(fd, data)

    store = AnnotationStore(db, "alice")
    assert len(store.annotations()) == 2
    with monkeypatch.context() as patch:
        patch.setattr(storage_module.os, "write", write)
        add_one(store, "Ukraine", "Country")
    copy = orjson.loads(db.with_name(db.name + ".v1.bak").read_bytes())
    assert copy["_meta"]["schema"]["version"] == 1
    assert set(copy["annotations"]) == {"a" * 32, "b" * 32}
    assert file_mode(db.with_name(db.name + ".v1.bak")) == 0o600
    assert modes_while_writing and set(modes_while_writing) == {0o600}


def test_new_snapshot_that_stat_cannot_tell_from_the_old_is_still_read(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer replaced the snapshot (a migration, its journal not written: the disk filled);
    the new file got the old inode, size and 1-second mtime, so stat says 'unchanged'."""
    db.parent.mkdir(parents=True)
    meta = {"format": "marginalia-store", "version": 1, "generation": "g1"}
    db.write_bytes(orjson.dumps({"_meta": {"schema": meta}, "annotations": {}, "tags": {}}))
    reader = AnnotationStore(db, "reader")
    assert reader.annotations() == []
    old_stat = db.stat()
    real_replace = os.replace

    def replace(source: object, target: object) -> None:
        if str(target).endswith(".journal"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_replace(source, target)

    with monkeypatch.context() as patch:
        patch.setattr(storage_module.os, "replace", replace)
        added = add_one(AnnotationStore(db, "writer"))
    real_stat = storage_module.file_stat
    monkeypatch.setattr(
        storage_module, "file_stat", lambda path: old_stat if path == db else real_stat(path)
    )
    reader.refresh()
    assert [a.id for a in reader.annotations()] == [added.id]
