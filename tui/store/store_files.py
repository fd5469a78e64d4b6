"""The store's files as bytes: reading them safely, telling when another process changed
them, and the journal's line format (header, ops, appending one line).

Apart from `storage.py`, which decides when to read, write and compact (the snapshot, the lock,
the queue of unwritten changes): this module knows only files and bytes, so each of its rules
(never follow a link, never block on a FIFO, never read past a limit, never leave half a line)
is written once and read in one place.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from tui.safe_read import UnsafeFile, open_regular, read_open
from tui.store.errors import StoreError

JOURNAL_VERSION = 1
# No store file is read past this: a journal swapped for a link to /dev/zero, or grown without
# end, is refused rather than read until memory runs out. 10,000 annotations take ~3 MB.
STORE_FILE_LIMIT = 1 << 30
# Store files are never followed through a symlink, and opening one never blocks on a FIFO.
_PROBE_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC

Tables = dict[str, dict[str, dict[str, Any]]]
# One change: (table, document id, the whole new document or None for a deletion).
Op = tuple[str, str, dict[str, Any] | None]
# What a refusal says, given the reason and the file: the storage adds the backup's place.
Refuse = Callable[[str, Path], StoreError]


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


def open_probe(path: Path) -> int | None:
    """A descriptor for a small bounded pread on a store file; None if it cannot be opened.

    No fstat (this runs at every poll): the read is bounded, a link is refused by O_NOFOLLOW,
    a FIFO neither blocks the open (O_NONBLOCK) nor supports pread (OSError, caught).
    """
    try:
        return os.open(path, _PROBE_FLAGS)
    except OSError:
        return None


def same_document(left: dict[str, Any] | None, right: dict[str, Any] | None) -> bool:
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


def read_store_file(path: Path, refuse: Refuse, *, main: bool) -> tuple[bytes, FileIdentity] | None:
    """The bytes of a store file and the identity of what was read; None if missing.

    A symlink, a FIFO, a device or a file over STORE_FILE_LIMIT is refused (StoreError)
    without blocking or reading it: someone who can write the shared folder must not be
    able to make us read, or later truncate, another file. `main`: the snapshot (a folder
    given there is a mistaken `--db`).
    """
    try:
        fd = open_regular(path, follow_links=False)
    except FileNotFoundError:
        return None
    except UnsafeFile as error:
        if main and path.is_dir() and not path.is_symlink():
            raise refuse("is a folder, not a store file (give --db a file)", path) from None
        raise StoreError(f"{error}; the file was left untouched") from None
    except OSError as error:
        raise refuse(f"cannot be read ({error.strerror})", path) from error
    try:
        identity = FileIdentity.of(os.fstat(fd))
        raw = read_open(fd, path, STORE_FILE_LIMIT, what="a store file")
    except UnsafeFile as error:
        raise StoreError(f"{error}; the file was left untouched") from None
    except OSError as error:
        raise refuse(f"cannot be read ({error.strerror})", path) from error
    finally:
        os.close(fd)
    return raw, identity


# -- the journal's lines ------------------------------------------------------------------------


def journal_header(generation: str) -> bytes:
    """The first line of a journal: which snapshot generation its changes apply to."""
    return orjson.dumps({"journal": JOURNAL_VERSION, "base": generation}) + b"\n"


def is_header_of(header: dict[str, Any], generation: str) -> bool:
    return header.get("journal") == JOURNAL_VERSION and header.get("base") == generation


def parse_line(
    line: bytes, number: int, refuse: Callable[[str], StoreError], snapshot: Path
) -> dict[str, Any]:
    """One journal line as JSON, or the refusal naming its line number."""
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as error:
        raise refuse(
            f"line {number} {json_problem(error)}; moving the journal aside opens the "
            f"store as it was at its last compaction ({snapshot})"
        ) from error
    if not isinstance(value, dict):
        raise refuse(f"line {number} is not a journal entry")
    return value


def parse_ops(
    raw: bytes, first_line: int, refuse: Callable[[str], StoreError], snapshot: Path
) -> list[Op]:
    """The ops of whole journal lines, numbered from `first_line` for messages."""
    ops: list[Op] = []
    for index, line in enumerate(raw.splitlines()):
        number = first_line + index
        entry = parse_line(line, number, refuse, snapshot)
        try:
            for table, doc_id, doc in entry["ops"]:
                if not isinstance(table, str) or not isinstance(doc_id, str):
                    raise TypeError
                if doc is not None and not isinstance(doc, dict):
                    raise TypeError
                ops.append((table, doc_id, doc))
        except (KeyError, TypeError, ValueError) as error:
            raise refuse(f"line {number} is not a journal entry") from error
    return ops


def append_line(fd: int, line: bytes, offset: int) -> None:
    """Write one whole line at `offset` (the end of what was read) and fsync it; a torn line
    left by a killed writer is cut first, and a line that could not be written whole is cut
    again, so the next writer never glues onto half a line."""
    if os.fstat(fd).st_size != offset:
        os.ftruncate(fd, offset)  # a torn line from a killed writer
    written = 0
    try:
        view = memoryview(line)
        while view:
            count = os.write(fd, view)
            written += count
            view = view[count:]
        os.fsync(fd)
    except OSError:
        if written:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, offset)
        raise


def open_for_append(path: Path, expected: FileIdentity | None) -> int:
    """The journal just read, opened for appending, or OSError (the change stays queued).

    The folder may be writable by others: between our sync and this open the journal may
    have been swapped for a symlink, a FIFO or another file. So the open never follows a
    link or blocks, and the descriptor must be the very regular file we read (device and
    inode) before anything is truncated or written through it.
    """
    flags = os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.ENXIO):
            raise _replaced(path) from None
        raise
    info = os.fstat(fd)
    if (
        not stat.S_ISREG(info.st_mode)
        or expected is None
        or (info.st_dev, info.st_ino) != (expected.device, expected.inode)
    ):
        os.close(fd)
        raise _replaced(path)
    os.set_blocking(fd, True)
    return fd


def _replaced(path: Path) -> OSError:
    return OSError(
        errno.EPERM,
        f"{path} was replaced by something other than the journal just read "
        "(a link, a FIFO or another file); nothing was written to it",
    )
