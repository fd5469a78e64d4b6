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
which breaks multi-process use, is never consulted.

A file that is not valid JSON or not our schema is never written to: every path that could
overwrite it first loads it, and loading raises StoreError naming the file and the backup.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from tui.atomic import PRIVATE_MODE, SHARED_MODE, new_file_mode, replace_file
from tui.safe_read import UnsafeFile, open_regular, read_open
from tui.store.errors import StoreError, StoreWriteError
from tui.store.migrations import migrate, migrate_unversioned, pre_migration_copy_path
from tui.store.schema import (
    ANNOTATIONS_TABLE,
    ARTICLES_TABLE,
    FORMAT_NAME,
    MEMOS_TABLE,
    META_ID,
    META_TABLE,
    OUR_TABLES,
    SCHEMA_VERSION,
    TAGS_TABLE,
)
from tui.wording import counted

if TYPE_CHECKING:
    import filelock

JOURNAL_VERSION = 1
# Compact when the journal is larger than COMPACTION_RATIO x the snapshot, and at least
# MIN_COMPACTION_BYTES: replay stays cheap and the rewrite cost is spread over many adds.
MIN_COMPACTION_BYTES = 1 << 20
COMPACTION_RATIO = 1.0
# A snapshot starts with its `_meta` table, so its generation is within these first bytes.
SNAPSHOT_HEAD_BYTES = 512
GENERATION_PATTERN = re.compile(rb'"generation":"([0-9a-f]{32})"')
# No store file is read past this: a journal swapped for a link to /dev/zero, or grown without
# end, is refused rather than read until memory runs out. 10,000 annotations take ~3 MB.
STORE_FILE_LIMIT = 1 << 30
# Store files are never followed through a symlink, and opening one never blocks on a FIFO.
_PROBE_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC

Tables = dict[str, dict[str, dict[str, Any]]]
# One change: (table, document id, the whole new document or None for a deletion).
Op = tuple[str, str, dict[str, Any] | None]
# The document a change was made from, when the caller did not say: replayed unconditionally.
UNCHECKED: Any = object()
# A change waiting to be written: an Op plus the document it replaced (or UNCHECKED).
PendingOp = tuple[str, str, dict[str, Any] | None, Any]


def json_problem(error: orjson.JSONDecodeError) -> str:
    """What is wrong with a file that did not parse, in words for the person who owns it."""
    if "UTF-8" in error.msg:
        return "is not valid JSON (it is not UTF-8 text)"
    return f"is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"


@dataclass(frozen=True, slots=True)
class FileIdentity:
    """Enough of `stat` to tell that another process replaced or changed a file."""

    inode: int
    size: int
    mtime_ns: int
    device: int = 0

    @classmethod
    def of(cls, result: os.stat_result) -> FileIdentity:
        return cls(result.st_ino, result.st_size, result.st_mtime_ns, result.st_dev)


def file_stat(path: Path) -> os.stat_result | None:
    """The file itself, not what a symlink put in its place points at."""
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def _open_probe(path: Path) -> int | None:
    """A descriptor for a small bounded pread on a store file; None if it cannot be opened.

    No fstat (this runs at every poll): the read is bounded, a link is refused by O_NOFOLLOW,
    a FIFO neither blocks the open (O_NONBLOCK) nor supports pread (OSError, caught).
    """
    try:
        return os.open(path, _PROBE_FLAGS)
    except OSError:
        return None


def _same_document(left: dict[str, Any] | None, right: dict[str, Any] | None) -> bool:
    """Equal as stored: a document read back from JSON has lists where the caller had tuples."""
    if left == right:
        return True
    if left is None or right is None:
        return False
    return orjson.dumps(left, option=orjson.OPT_SORT_KEYS) == orjson.dumps(
        right, option=orjson.OPT_SORT_KEYS
    )


def apply_ops(tables: Tables, ops: list[Op]) -> None:
    for table, doc_id, doc in ops:
        if doc is None:
            tables.get(table, {}).pop(doc_id, None)
        else:
            tables.setdefault(table, {})[doc_id] = doc


class RecordTable(Table):
    """A TinyDB table keyed by our own string ids, updated in place.

    TinyDB's `_update_table` rebuilds the whole table dict twice per write to convert ids
    between int and str; with str ids that conversion is the identity, so we skip it and a
    write costs the same at 100 and at 50,000 documents.
    """

    # TinyDB declares int ids; ours are str throughout, which its code never relies on.
    document_id_class = str  # type: ignore[assignment]

    def _get_next_id(self) -> str:
        raise TypeError("marginalia documents carry their own ids; insert a Document with doc_id")

    def _update_table(self, updater: Callable[[dict[int, Mapping[Any, Any]]], None]) -> None:
        tables = self._storage.read() or {}
        table = tables.setdefault(self.name, {})
        updater(cast("dict[int, Mapping[Any, Any]]", table))  # str ids: see document_id_class
        self._storage.write(tables)
        self.clear_cache()

    def insert_record(self, doc_id: str, doc: Mapping[str, Any]) -> None:
        """Add `doc` under our own id, which no document has."""
        self.insert(Document(dict(doc), doc_id=cast(int, doc_id)))  # str ids, as above

    def remove_record(self, doc_id: str) -> None:
        """Remove the document with our own id `doc_id`."""
        self.remove(doc_ids=[cast(int, doc_id)])  # str ids, as above


class RecordDatabase(TinyDB):
    table_class = RecordTable

    def record_table(self, name: str) -> RecordTable:
        """The table `name`, uncached: other processes change it under us."""
        table = self.table(name, cache_size=0)
        assert isinstance(table, RecordTable)
        return table


class JournalStorage(Storage):
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
        fd = _open_probe(self.path)
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
        fd = _open_probe(self.journal_path)
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
                if _same_document(current, doc):
                    continue
                if before is not UNCHECKED and not _same_document(current, before):
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
        """The bytes of a store file and the identity of what was read; None if missing.

        A symlink, a FIFO, a device or a file over STORE_FILE_LIMIT is refused (StoreError)
        without blocking or reading it: someone who can write the shared folder must not be
        able to make us read, or later truncate, another file.
        """
        try:
            fd = open_regular(path, follow_links=False)
        except FileNotFoundError:
            return None
        except UnsafeFile as error:
            if path == self.path and path.is_dir() and not path.is_symlink():
                raise self._bad_store("is a folder, not a store file (give --db a file)") from None
            raise StoreError(f"{error}; the file was left untouched") from None
        except OSError as error:
            raise self._bad_store(f"cannot be read ({error.strerror})", file=path) from error
        try:
            identity = FileIdentity.of(os.fstat(fd))
            raw = read_open(fd, path, STORE_FILE_LIMIT, what="a store file")
        except UnsafeFile as error:
            raise StoreError(f"{error}; the file was left untouched") from None
        except OSError as error:
            raise self._bad_store(f"cannot be read ({error.strerror})", file=path) from error
        finally:
            os.close(fd)
        return raw, identity

    def _read_snapshot(self) -> tuple[Tables, FileIdentity | None]:
        found = self._read_store_file(self.path)
        if found is None:
            return self._empty_tables(), None
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
            return self._empty_tables(), identity
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as error:
            raise self._bad_store(json_problem(error)) from error
        return self._check_schema(data, raw), identity

    def _empty_tables(self) -> Tables:
        return {
            META_TABLE: {META_ID: {"format": FORMAT_NAME, "version": SCHEMA_VERSION}},
            ANNOTATIONS_TABLE: {},
            TAGS_TABLE: {},
            ARTICLES_TABLE: {},
            MEMOS_TABLE: {},
        }

    def _check_schema(self, data: Any, raw: bytes) -> Tables:
        if not isinstance(data, dict) or not all(
            isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
            for table in data.values()
        ):
            raise self._bad_store("is not a marginalia store (not a TinyDB file of tables)")
        meta = data.get(META_TABLE, {}).get(META_ID)
        if meta is None:
            migrated = migrate_unversioned(data)
            if migrated is None:
                raise self._bad_store("is not a marginalia store (no schema version in it)")
            self._older_schema = 0
            self._needs_snapshot = True
            return migrated
        version = meta.get("version")
        if meta.get("format") != FORMAT_NAME or not isinstance(version, int):
            raise self._bad_store("is not a marginalia store (unknown format in _meta)")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: written by a newer marginalia (store schema {version}, this "
                f"version reads up to {SCHEMA_VERSION}); upgrade marginalia to open it. "
                "The file was left untouched"
            )
        if version < SCHEMA_VERSION:
            self._older_schema = version
            self._needs_snapshot = True
            data = migrate(data, version)
        unknown = set(data) - set(OUR_TABLES)
        if unknown:
            raise self._bad_store(f"is not a marginalia store (unknown tables {sorted(unknown)})")
        tables: Tables = data  # checked above: a dict of tables of documents
        for table in OUR_TABLES:
            tables.setdefault(table, {})
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
        header = self._parse_line(raw[:header_end], 1)
        if header.get("journal") != JOURNAL_VERSION or header.get("base") != generation:
            return [], identity, end, False, last_line
        ops = self._parse_ops(raw[header_end:end], first_line=2)
        return ops, identity, end, True, last_line

    def _read_journal_tail(self, journal: FileIdentity) -> bool:
        if self._pending:  # rare (writing failed): check queued changes against the disk
            self._load_all()
            return True
        fd = _open_probe(self.journal_path)
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
        ops = self._parse_ops(raw[:end], first_line=self._journal_lines + 1)
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

    def _parse_line(self, line: bytes, number: int) -> dict[str, Any]:
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as error:
            raise self._bad_store(
                f"line {number} {json_problem(error)}; moving the journal aside opens the "
                f"store as it was at its last compaction ({self.path})",
                file=self.journal_path,
            ) from error
        if not isinstance(value, dict):
            raise self._bad_store(f"line {number} is not a journal entry", file=self.journal_path)
        return value

    def _parse_ops(self, raw: bytes, *, first_line: int) -> list[Op]:
        ops: list[Op] = []
        for index, line in enumerate(raw.splitlines()):
            number = first_line + index
            entry = self._parse_line(line, number)
            try:
                for table, doc_id, doc in entry["ops"]:
                    if not isinstance(table, str) or not isinstance(doc_id, str):
                        raise TypeError
                    if doc is not None and not isinstance(doc, dict):
                        raise TypeError
                    ops.append((table, doc_id, doc))
            except (KeyError, TypeError, ValueError) as error:
                raise self._bad_store(
                    f"line {number} is not a journal entry", file=self.journal_path
                ) from error
        return ops

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

    def _keep_backup(self) -> None:
        """Make `<name>.bak` the current snapshot, by a hard link (no copy), atomically."""
        if not self.path.exists():
            return
        temp = self.backup_path.with_name(f".{self.backup_path.name}.{uuid.uuid4().hex[:12]}")
        try:
            os.link(self.path, temp)
        except OSError as error:
            if error.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EMLINK):
                raise
            # A copy instead, created with the store's mode before any data is in it.
            replace_file(self.backup_path, self._snapshot_bytes(), mode=self._file_mode())
            return
        try:
            os.replace(temp, self.backup_path)
        except BaseException:
            with contextlib.suppress(OSError):  # no stray link to the old snapshot is left
                os.unlink(temp)
            raise

    def _snapshot_bytes(self) -> bytes:
        """The snapshot as it is on disk, read like every store file (no link, no FIFO)."""
        found = self._read_store_file(self.path)
        if found is None:
            raise FileNotFoundError(errno.ENOENT, "the store file is gone", str(self.path))
        return found[0]

    def compact(self) -> None:
        """Fold the journal into a new snapshot now, under the lock (done by itself when the
        journal outgrows the snapshot); the snapshot it replaces is kept as the backup."""
        with self.transaction():
            self._compact()

    def _compact(self) -> None:
        """Write the whole state as a new snapshot generation and start an empty journal."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._remove_leftover_temp_files()
        mode = self._file_mode()
        if self._older_schema is not None and self.path.exists():
            self._keep_pre_migration_copy(self._older_schema, mode)
        generation = uuid.uuid4().hex
        meta = dict(self._data.get(META_TABLE, {}).get(META_ID, {}))
        meta.update(format=FORMAT_NAME, version=SCHEMA_VERSION, generation=generation)
        # The schema record first in `_meta` first: readers find the generation at the head.
        others = {key: doc for key, doc in self._data.get(META_TABLE, {}).items() if key != META_ID}
        self._data[META_TABLE] = {META_ID: meta, **others}
        payload = orjson.dumps({META_TABLE: self._data[META_TABLE], **self._data})
        self._keep_backup()
        replace_file(self.path, payload, mode=mode)
        # The snapshot now holds every queued change: none may be replayed again, even if the
        # new journal cannot be written (the old one no longer matches and is ignored by all;
        # the next append starts a journal for this generation).
        self._snapshot = FileIdentity.of(os.lstat(self.path))
        self._generation = generation
        self._needs_snapshot = False
        self._older_schema = None
        self._pending.clear()
        self._journal_current = False
        header = orjson.dumps({"journal": JOURNAL_VERSION, "base": generation}) + b"\n"
        with contextlib.suppress(OSError):
            replace_file(self.journal_path, header, mode=mode)
            self._journal = FileIdentity.of(os.lstat(self.journal_path))
            self._journal_offset = len(header)
            self._last_line = header
            self._journal_lines = 1
            self._journal_current = True

    def _keep_pre_migration_copy(self, version: int, mode: int) -> None:
        """Keep the store as the older version left it, as one file that version opens.

        The older version's journal (schema 1 had one) is about to be replaced, so its changes
        are merged into the copy; with no journal the copy is the snapshot byte for byte. The
        copy is written like a snapshot: created with the store's mode, before any data.
        """
        target = pre_migration_copy_path(self.path, version)
        if target.exists():
            return
        raw = self._snapshot_bytes()
        payload = raw
        data = orjson.loads(raw)  # parsed once already: loading refused it otherwise
        meta = data.get(META_TABLE, {}).get(META_ID, {})
        ops = self._read_journal(str(meta.get("generation", "")))[0]
        if ops:
            apply_ops(data, ops)
            payload = orjson.dumps(data)
        replace_file(target, payload, mode=mode)

    def _remove_leftover_temp_files(self) -> None:
        """Temp files of writers killed mid-write (only lock holders write them: safe now)."""
        folder = self.path.parent
        for pattern in (f".{self.path.name}.*.tmp", f".{self.backup_path.name}.*"):
            for leftover in folder.glob(pattern):
                with contextlib.suppress(OSError):
                    leftover.unlink()

    def _append(self, ops: list[Op]) -> None:
        if not self._journal_current or self._journal is None:
            header = orjson.dumps({"journal": JOURNAL_VERSION, "base": self._generation})
            replace_file(self.journal_path, header + b"\n", mode=self._file_mode())
            self._journal = FileIdentity.of(os.lstat(self.journal_path))
            self._journal_offset = len(header) + 1
            self._last_line = header + b"\n"
            self._journal_lines = 1
            self._journal_current = True
        line = orjson.dumps({"ops": ops}) + b"\n"
        fd = self._open_journal_for_append()
        try:
            if os.fstat(fd).st_size != self._journal_offset:
                os.ftruncate(fd, self._journal_offset)  # a torn line from a killed writer
            written = 0
            try:
                view = memoryview(line)
                while view:
                    count = os.write(fd, view)
                    written += count
                    view = view[count:]
                os.fsync(fd)
            except OSError:
                if written:  # never leave half a line for the next writer to glue onto
                    with contextlib.suppress(OSError):
                        os.ftruncate(fd, self._journal_offset)
                raise
            self._journal = FileIdentity.of(os.fstat(fd))
            self._journal_offset += len(line)
            self._last_line = line
            self._journal_lines += 1
        finally:
            os.close(fd)

    def _open_journal_for_append(self) -> int:
        """The journal we just read, opened for appending, or OSError (the change stays queued).

        The folder may be writable by others: between our sync and this open the journal may
        have been swapped for a symlink, a FIFO or another file. So the open never follows a
        link or blocks, and the descriptor must be the very regular file we read (device and
        inode) before anything is truncated or written through it.
        """
        flags = os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        try:
            fd = os.open(self.journal_path, flags)
        except OSError as error:
            if error.errno in (errno.ELOOP, errno.ENXIO):
                raise self._journal_replaced() from None
            raise
        info = os.fstat(fd)
        expected = self._journal
        if (
            not stat.S_ISREG(info.st_mode)
            or expected is None
            or (info.st_dev, info.st_ino) != (expected.device, expected.inode)
        ):
            os.close(fd)
            raise self._journal_replaced()
        os.set_blocking(fd, True)
        return fd

    def _journal_replaced(self) -> OSError:
        return OSError(
            errno.EPERM,
            f"{self.journal_path} was replaced by something other than the journal just read "
            "(a link, a FIFO or another file); nothing was written to it",
        )
