"""Writing the store's files: a new snapshot generation (keeping the one it replaces as the
backup, and an older schema's file as it was), and one journal line per change.

Apart from `storage.py`, which decides when to write (under the lock, inside a transaction,
with the queue of changes not yet on disk) and reads the files back. This is the part of
`JournalStorage` that puts bytes on disk; it owns none of the state it writes from.
"""

from __future__ import annotations

import contextlib
import errno
import os
import uuid
from pathlib import Path
from typing import Any

import orjson

from tui.atomic import replace_file
from tui.store.migrations import pre_migration_copy_path
from tui.store.schema import FORMAT_NAME, META_ID, META_TABLE, SCHEMA_VERSION
from tui.store.store_files import (
    FileIdentity,
    Op,
    Tables,
    append_line,
    apply_ops,
    journal_header,
    open_for_append,
)


class SnapshotWriting:
    """The snapshot and journal writes of `JournalStorage` (whose state they use)."""

    path: Path
    backup_path: Path
    journal_path: Path
    _data: Tables
    _older_schema: int | None
    _snapshot: FileIdentity | None
    _journal: FileIdentity | None
    _generation: str
    _needs_snapshot: bool
    _journal_current: bool
    _journal_offset: int
    _journal_lines: int
    _last_line: bytes
    _pending: list[Any]

    def _file_mode(self) -> int:
        raise NotImplementedError

    def _read_store_file(self, path: Path) -> tuple[bytes, FileIdentity] | None:
        raise NotImplementedError

    def _read_journal(
        self, generation: str
    ) -> tuple[list[Op], FileIdentity | None, int, bool, bytes]:
        raise NotImplementedError

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
        header = journal_header(generation)
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
            header = journal_header(self._generation)
            replace_file(self.journal_path, header, mode=self._file_mode())
            self._journal = FileIdentity.of(os.lstat(self.journal_path))
            self._journal_offset = len(header)
            self._last_line = header
            self._journal_lines = 1
            self._journal_current = True
        line = orjson.dumps({"ops": ops}) + b"\n"
        fd = open_for_append(self.journal_path, self._journal)
        try:
            append_line(fd, line, self._journal_offset)
            self._journal = FileIdentity.of(os.fstat(fd))
            self._journal_offset += len(line)
            self._last_line = line
            self._journal_lines += 1
        finally:
            os.close(fd)
