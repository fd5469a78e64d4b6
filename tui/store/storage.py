"""The TinyDB storage under the annotation store: a JSON snapshot plus an append-only journal.

Why not rewrite the whole file per change, as TinyDB's JSONStorage does: serialising and
writing a 3 MB file costs tens of milliseconds at 10,000 annotations and grows with the store,
and TinyDB's own `Table._update_table` copies the whole table twice per write. `bench/store.py`
measures it (quiet machine, median per add): TinyDB's JSONStorage 1.9 ms at 100 annotations
and 100 ms at 10,000; an atomic whole-file rewrite with orjson 2.3 ms and 21 ms; this design
0.5 ms at both, because an add appends one line whatever the store's size. So:

- `<name>` is the snapshot: the TinyDB tables as one JSON object, with the schema version and a
  `generation` id in the `_meta` table. It is only ever replaced whole, atomically (temp file in
  the same folder, fsync, rename, fsync of the folder), and the version it replaces is kept as
  `<name>.bak` (a hard link, so keeping it costs no copy).
- `<name>.journal` holds the changes since that snapshot, one JSON line per write: a header
  line `{"journal": 1, "base": GENERATION}` and then `{"ops": [[table, id, doc-or-null], ...]}`.
  A write appends one line and fsyncs it, so its cost does not depend on the store's size. All
  ops are absolute (put a document, delete an id), so replaying them is idempotent. A line
  without its newline is a write that was cut off (a killed process, a full disk): readers
  ignore it and the next writer truncates it before appending.
- A writer whose fsync fails truncates its (whole) line away again and keeps the change queued;
  a reader may have applied that line meanwhile. So every reader keeps the bytes of the last
  line it applied and, at each sync, checks they are still at the same place (one small
  pread); if not, it reloads. That is enough: writers append under the lock and roll back only
  the line they just wrote, so a rolled-back line is always the last one a reader applied,
  and no other line can hold the same bytes at the same place (a line's only newline is its
  last byte). Every write syncs under the lock first, so no write is ever based on a line
  that was rolled back; a display may show it until the next poll.
- A change that could not be written stays queued with the document it replaced. It is
  replayed only onto that same document: if another process changed or deleted the record
  meanwhile, the queued change is dropped and reported (`dropped_error`), never forced over.
- When the journal outgrows the snapshot it is compacted: a new snapshot with a new generation,
  then a new empty journal for that generation. A crash between the two leaves a journal whose
  base no longer matches the snapshot; it is ignored, its changes already being in the snapshot.
- `<name>.lock` is the inter-process lock (filelock) held around every read-modify-write, so
  the writer always appends to the state it has just re-read.
- Other processes notice changes by `stat`: the snapshot's inode, size and mtime, and the
  journal's inode and size; plus the snapshot's generation, read from its first bytes (a new
  snapshot can reuse the old inode, size and, with coarse timestamps, mtime), and the
  last-line check above. A grown journal is read from
  where we stopped, not from the start.

Document ids are strings (annotation uuid4 hex, tag names), so TinyDB's cached "next id",
which breaks multi-process use, is never consulted (`tinydb_tables.py`).

A file that is not valid JSON or not our schema is never written to: every path that could
overwrite it first loads it, and loading raises StoreError naming the file and the backup.

This module decides when to read and write (sync, the lock, transactions, the queue of changes
not yet on disk); `store_files.py` reads files safely and holds the journal's line format,
`snapshot_writing.py` writes a snapshot generation and a journal line, and `migrations.py`
checks a file's schema and brings older ones up.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from tinydb.storages import Storage

from tui.atomic import PRIVATE_MODE, SHARED_MODE, new_file_mode
from tui.store.errors import StoreError, StoreWriteError
from tui.store.migrations import NewerStore, NotOurStore, current_tables
from tui.store.schema import META_ID, META_TABLE, SCHEMA_VERSION, empty_tables
from tui.store.snapshot_writing import SnapshotWriting

# Re-exported: the records and older imports read them from here.
from tui.store.store_files import STORE_FILE_LIMIT as STORE_FILE_LIMIT
from tui.store.store_files import (
    FileIdentity,
    Op,
    Tables,
    apply_ops,
    file_stat,
    is_header_of,
    json_problem,
    open_probe,
    parse_line,
    parse_ops,
    read_store_file,
    same_document,
)
from tui.store.tinydb_tables import RecordDatabase as RecordDatabase
from tui.store.tinydb_tables import RecordTable as RecordTable
from tui.wording import counted

if TYPE_CHECKING:
    import filelock

# Compact when the journal is larger than COMPACTION_RATIO x the snapshot, and at least
# MIN_COMPACTION_BYTES: replay stays cheap and the rewrite cost is spread over many adds.
MIN_COMPACTION_BYTES = 1 << 20
COMPACTION_RATIO = 1.0
# A snapshot starts with its `_meta` table, so its generation is within these first bytes.
SNAPSHOT_HEAD_BYTES = 512
GENERATION_PATTERN = re.compile(rb'"generation":"([0-9a-f]{32})"')
# The document a change was made from, when the caller did not say: replayed unconditionally.
UNCHECKED: Any = object()
# A change waiting to be written: an Op plus the document it replaced (or UNCHECKED).
PendingOp = tuple[str, str, dict[str, Any] | None, Any]


class JournalStorage(SnapshotWriting, Storage):
    """A TinyDB Storage over snapshot + journal, safe for several processes on one host."""

    def __init__(
        self, path: Path, *, shared: bool | None = None, lock_timeout: float = 10.0
    ) -> None:
        self.path = Path(path)
        self.journal_path = self.path.with_name(self.path.name + ".journal")
        self.backup_path = self.path.with_name(self.path.name + ".bak")
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._shared = shared
        self._lock_timeout = lock_timeout
        self._lock: filelock.BaseFileLock | None = None
        self._data: Tables = {}
        self._loaded = False
        self._snapshot: FileIdentity | None = None
        self._journal: FileIdentity | None = None
        self._journal_offset = 0  # bytes of the journal applied, always at a line boundary
        self._last_line = b""  # the journal line that ends at _journal_offset, as we read it
        self._journal_lines = 0  # lines up to _journal_offset, for the line number of an error
        self._journal_current = False  # the journal's base matches the loaded snapshot
        self._generation = ""
        self._needs_snapshot = False  # migration or a plain TinyDB write: rewrite, don't append
        self._older_schema: int | None = None
        self._in_transaction = False
        self._ops: list[PendingOp] = []
        self._pending: list[list[PendingOp]] = []  # one entry per change not on disk yet
        self.write_error: str | None = None
        # Why queued changes were dropped (someone else changed their records meanwhile).
        self.dropped_error: str | None = None
        self.dropped_writes = 0
        # Bumped when the whole state was (re)loaded from disk: indexes must be rebuilt.
        self.disk_version = 0
        # Bumped on every change read from disk, whole or journal tail: "something is new".
        self.change_version = 0
        # Told about the ops read from a journal tail, so indexes are updated, not rebuilt.
        self.on_ops: Callable[[list[Op]], None] | None = None

    # -- TinyDB's Storage interface -------------------------------------------------------

    def read(self) -> Tables:
        if not self._loaded:
            self.sync()
        return self._data

    def write(self, data: Mapping[str, Mapping[str, Any]]) -> None:
        """Called by TinyDB after changing `data` in memory.

        Inside a transaction the caller has recorded the ops, which are appended when the
        transaction ends. A write made through TinyDB directly, outside one, has no ops and so
        is persisted as a whole new snapshot.
        """
        self._data = data  # type: ignore[assignment]
        if not self._in_transaction:
            self._needs_snapshot = True
            with self.transaction(sync=False):
                pass

    def close(self) -> None:
        self._lock = None

    # -- state ----------------------------------------------------------------------------

    @property
    def pending_writes(self) -> int:
        return len(self._pending)

    @property
    def exists(self) -> bool:
        return self.path.exists()

    def sync(self) -> bool:
        """Load what other processes wrote since we last looked. Cheap when nothing changed.

        Reads take no lock: snapshots are replaced atomically and a torn journal line is
        ignored, so any moment's files describe a valid state. Returns True if state changed.
        """
        snapshot_stat = file_stat(self.path)
        snapshot = FileIdentity.of(snapshot_stat) if snapshot_stat else None
        if not self._loaded or snapshot != self._snapshot or self._other_generation():
            self._load_all()
            return True
        journal_stat = file_stat(self.journal_path)
        journal = FileIdentity.of(journal_stat) if journal_stat else None
        intact = not self._journal_current or self._last_line_intact()
        if journal == self._journal and intact:
            return False
        if (
            not intact
            or journal is None
            or self._journal is None
            or journal.inode != self._journal.inode
            or journal.size < self._journal_offset
            or not self._journal_current
        ):
            self._load_all()
            return True
        return self._read_journal_tail(journal)

    def _other_generation(self) -> bool:
        """Whether the snapshot on disk is another generation than the one we loaded.

        `stat` alone can miss a compaction: a new snapshot may get the inode just freed, the
        same size and, on a filesystem with 1-second timestamps, the same mtime. The
        generation is at the head of every snapshot we write, so one small read settles it.
        """
        if self._snapshot is None:
            return False
        fd = open_probe(self.path)
        if fd is None:  # gone (seen at the next sync) or not a file any more: reload refuses it
            return file_stat(self.path) is not None
        try:
            head = os.pread(fd, SNAPSHOT_HEAD_BYTES, 0)
        except OSError:
            return True  # not a file any more: reloading refuses it with a message
        finally:
            os.close(fd)
        found = GENERATION_PATTERN.search(head)
        return found is not None and found.group(1).decode() != self._generation

    def _last_line_intact(self) -> bool:
        """Whether the journal line we applied last is still there, byte for byte.

        If a writer rolled back a line we had read (its fsync failed), it is gone or another
        line now sits where it was, and we must reload. Writers append under the lock and roll
        back only the line they just wrote, so a rolled-back line is always the last one we
        read; and a different line cannot hold the same bytes at the same place without being
        that same line, as a line has one newline, at its end.
        """
        length = len(self._last_line)
        fd = open_probe(self.journal_path)
        if fd is None:
            return False
        try:
            return os.pread(fd, length, self._journal_offset - length) == self._last_line
        except OSError:
            return False
        finally:
            os.close(fd)

    def _load_all(self) -> None:
        attempts = 5
        for attempt in range(attempts):
            if self._load_once(accept_race=attempt == attempts - 1):
                break
        self.disk_version += 1
        self.change_version += 1

    def _load_once(self, *, accept_race: bool = False) -> bool:
        """Read snapshot then journal; False if a compaction raced us (then try again).

        After a race the snapshot read is older than the journal, which is then ignored; the
        last attempt accepts that slightly old state rather than none (the next sync fixes it).
        """
        self._needs_snapshot = False
        self._older_schema = None
        data, snapshot = self._read_snapshot()
        meta = data.get(META_TABLE, {}).get(META_ID, {})
        generation = str(meta.get("generation", ""))
        ops, journal, offset, current, last_line = self._read_journal(generation)
        if snapshot is None and journal is not None and journal.size > 0:
            # Never made by us (the snapshot is always written first): someone removed it.
            raise StoreError(
                f"{self.path} is missing but its journal {self.journal_path} is not; restore "
                f"the store (or {self.backup_path.name}) or move the journal away"
            )
        if not current and snapshot is not None and not accept_race:
            now = file_stat(self.path)
            if now is None or FileIdentity.of(now) != snapshot:
                return False
        apply_ops(data, ops)
        self._data = data
        self._snapshot = snapshot
        self._journal = journal
        self._journal_offset = offset
        self._last_line = last_line
        self._journal_current = current
        self._generation = generation
        self._loaded = True
        self._reapply_pending()
        return True

    def _reapply_pending(self) -> None:
        """Put queued changes back on top of the state just read from disk, checking each.

        A queued op is replayed only if its record on disk is still the document it was made
        from (as undo and redo do); if another process changed or deleted the record since,
        the op is dropped and counted in `dropped_writes`, so that a late retry never reverts
        someone's saved change or brings back what they deleted. An op whose result is already
        on disk (a compaction that replaced the snapshot before failing) is done, not queued.
        """
        kept: list[list[PendingOp]] = []
        dropped = 0
        for change in self._pending:
            still: list[PendingOp] = []
            for table, doc_id, doc, before in change:
                current = self._data.get(table, {}).get(doc_id)
                if same_document(current, doc):
                    continue
                if before is not UNCHECKED and not same_document(current, before):
                    dropped += 1
                    continue
                apply_ops(self._data, [(table, doc_id, doc)])
                still.append((table, doc_id, doc, before))
            if still:
                kept.append(still)
        self._pending = kept
        if dropped:
            self.dropped_writes += dropped
            self.dropped_error = (
                f"{self.path}: dropped unsaved changes to {counted(dropped, 'record')}: "
                "someone else changed them first, and their version stands"
            )

    def _describe_backup(self) -> str:
        if self.backup_path.exists():
            return f"; the previous version is in {self.backup_path}"
        return "; there is no backup"

    def _bad_store(self, reason: str, *, file: Path | None = None) -> StoreError:
        file = file or self.path
        return StoreError(f"{file}: {reason}; the file was left untouched{self._describe_backup()}")

    def _read_store_file(self, path: Path) -> tuple[bytes, FileIdentity] | None:
        return read_store_file(
            path, lambda reason, file: self._bad_store(reason, file=file), main=path == self.path
        )

    def _refuse_journal(self, reason: str) -> StoreError:
        return self._bad_store(reason, file=self.journal_path)

    def _read_snapshot(self) -> tuple[Tables, FileIdentity | None]:
        found = self._read_store_file(self.path)
        if found is None:
            return empty_tables(), None
        raw, identity = found
        if not raw.strip():
            if self.backup_path.exists():
                raise self._bad_store("is empty")
            journal = file_stat(self.journal_path)
            if journal is not None and journal.st_size > 0:
                # Never made by us (a snapshot is written whole before its journal): opening
                # it as a new store would let the next write replace that journal.
                raise StoreError(
                    f"{self.path} is empty but its journal {self.journal_path} is not; restore "
                    "the store or move the journal away. Both files were left untouched"
                )
            self._needs_snapshot = True
            return empty_tables(), identity
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as error:
            raise self._bad_store(json_problem(error)) from error
        return self._check_schema(data), identity

    def _check_schema(self, data: Any) -> Tables:
        """The tables at the current schema; an older store is migrated (and rewritten, with
        a copy of the original kept, at the next write)."""
        try:
            tables, older = current_tables(data)
        except NewerStore as newer:
            raise StoreError(
                f"{self.path}: written by a newer marginalia (store schema {newer.version}, "
                f"this version reads up to {SCHEMA_VERSION}); upgrade marginalia to open it. "
                "The file was left untouched"
            ) from None
        except NotOurStore as problem:
            raise self._bad_store(f"is not a marginalia store ({problem})") from None
        if older is not None:
            self._older_schema = older
            self._needs_snapshot = True
        return tables

    def _read_journal(
        self, generation: str
    ) -> tuple[list[Op], FileIdentity | None, int, bool, bytes]:
        """The ops of the journal if it belongs to `generation`, its identity, the bytes used,
        whether it belongs, and its last whole line."""
        found = self._read_store_file(self.journal_path)
        if found is None:
            self._journal_lines = 0
            return [], None, 0, False, b""
        raw, identity = found
        end = raw.rfind(b"\n") + 1
        self._journal_lines = raw.count(b"\n", 0, end)
        if end == 0:
            return [], identity, 0, False, b""
        last_line = raw[raw.rfind(b"\n", 0, end - 1) + 1 : end]
        header_end = raw.index(b"\n") + 1
        header = parse_line(raw[:header_end], 1, self._refuse_journal, self.path)
        if not is_header_of(header, generation):
            return [], identity, end, False, last_line
        ops = parse_ops(raw[header_end:end], 2, self._refuse_journal, self.path)
        return ops, identity, end, True, last_line

    def _read_journal_tail(self, journal: FileIdentity) -> bool:
        if self._pending:  # rare (writing failed): check queued changes against the disk
            self._load_all()
            return True
        fd = open_probe(self.journal_path)
        if fd is None:  # gone, or swapped for something that is not a file: reload says which
            self._load_all()
            return True
        try:
            if os.fstat(fd).st_ino != journal.inode:
                self._load_all()  # compacted meanwhile: a new journal
                return True
            # Read our last line again with the new ones: if it was rolled back, reload.
            start = self._journal_offset - len(self._last_line)
            raw = os.pread(fd, journal.size - start, start)
        finally:
            os.close(fd)
        if not raw.startswith(self._last_line):
            self._load_all()
            return True
        raw = raw[len(self._last_line) :]
        end = raw.rfind(b"\n") + 1
        if end == 0:
            return False
        # Line numbers count from the journal's first line, as an editor shows them.
        ops = parse_ops(raw[:end], self._journal_lines + 1, self._refuse_journal, self.path)
        self._journal_lines += raw.count(b"\n", 0, end)
        apply_ops(self._data, ops)
        self._last_line = raw[raw.rfind(b"\n", 0, end - 1) + 1 : end]
        self._journal_offset += end
        self._journal = journal
        self.change_version += 1
        if self.on_ops is None:
            self.disk_version += 1
        else:
            self.on_ops(ops)
        return True

    # -- writing --------------------------------------------------------------------------

    def record(
        self,
        table: str,
        doc_id: str,
        doc: Mapping[str, Any] | None,
        before: Mapping[str, Any] | None = UNCHECKED,
    ) -> None:
        """Declare one change made through TinyDB in the current transaction.

        `before` is the document the change replaced (None: there was none); if writing fails
        and the change is retried later, it is dropped should the record no longer be that.
        """
        if not self._in_transaction:
            raise RuntimeError("record() outside a transaction")
        if before is not UNCHECKED and before is not None:
            before = dict(before)
        self._ops.append((table, doc_id, None if doc is None else dict(doc), before))

    @contextlib.contextmanager
    def transaction(self, *, sync: bool = True) -> Iterator[None]:
        """Lock, catch up with other processes, run the body, persist what it recorded.

        If the lock or the write fails, the change stays applied in memory and queued, and
        StoreWriteError is raised after the body ran; the next transaction or `flush` retries,
        dropping (and reporting in `dropped_error`) any op whose record someone else changed.
        If the body raises, the in-memory state is reloaded from disk (plus queued changes).
        """
        if self._in_transaction:
            yield
            return
        lock_error: str | None = None
        lock = self._get_lock()
        from filelock import Timeout  # loaded with the lock, on the first write

        try:
            self._make_folder()
            lock.acquire(timeout=self._lock_timeout)
        except Timeout:
            lock_error = f"the store is locked by another process ({self.lock_path})"
        except OSError as error:
            lock_error = f"cannot create the lock file {self.lock_path} ({error.strerror})"
        held = lock_error is None
        try:
            if sync:
                self.sync()
            self._in_transaction = True
            self._ops = []
            try:
                yield
            except BaseException:
                self._ops = []
                self._loaded = False  # the body may have half-changed memory: reload
                raise
            finally:
                self._in_transaction = False
            if self._ops:
                self._pending.append(self._ops)
            self._ops = []
            if lock_error is None:
                lock_error = self._persist()
        finally:
            if held:
                lock.release()
        if lock_error is not None:
            self.write_error = lock_error
            raise StoreWriteError(
                f"{self.path}: could not save ({lock_error}); "
                f"{counted(len(self._pending), 'change')} kept in memory, to be saved when "
                "writing works again"
            )

    def flush(self) -> bool:
        """Retry queued writes now. True if nothing is left queued."""
        if not self._pending:
            return True
        with contextlib.suppress(StoreWriteError), self.transaction():
            pass
        return not self._pending

    def _make_folder(self) -> None:
        """Create the store's folder; for a shared store, one the group can write to as well
        (setgid, so files made in it by any annotator belong to the group)."""
        folder = self.path.parent
        if folder.exists():
            return
        folder.mkdir(parents=True, exist_ok=True)
        if self._shared:
            os.chmod(folder, 0o2770)

    def _get_lock(self) -> filelock.BaseFileLock:
        if self._lock is None:
            # Imported here: a reader that only reads never needs it, and it is a tenth of
            # the store's import time.
            import filelock

            self._lock = filelock.FileLock(self.lock_path, mode=self._file_mode())
        return self._lock

    def _persist(self) -> str | None:
        """Write queued ops (lock held). Returns the reason if writing failed."""
        try:
            if self._needs_snapshot or self._snapshot is None:
                if self._pending or self._needs_snapshot:
                    self._compact()
            elif self._pending:
                self._append([op[:3] for ops in self._pending for op in ops])
                journal_bytes = self._journal.size if self._journal else 0
                snapshot_bytes = self._snapshot.size if self._snapshot else 0
                if journal_bytes > max(MIN_COMPACTION_BYTES, COMPACTION_RATIO * snapshot_bytes):
                    # The ops are safe in the journal; a failed compaction only costs speed.
                    with contextlib.suppress(OSError):
                        self._compact()
        except OSError as error:
            return error.strerror or str(error)
        self._pending.clear()
        self.write_error = None
        return None

    def _file_mode(self) -> int:
        """Existing files keep their mode; new ones are private unless sharing was asked for."""
        current = file_stat(self.path)
        if current is not None:
            return stat.S_IMODE(current.st_mode)
        if self._shared is True:
            return SHARED_MODE
        if self._shared is None:
            return new_file_mode(self.path.parent)
        return PRIVATE_MODE

    def compact(self) -> None:
        """Fold the journal into a new snapshot now, under the lock (done by itself when the
        journal outgrows the snapshot); the snapshot it replaces is kept as the backup."""
        with self.transaction():
            self._compact()
