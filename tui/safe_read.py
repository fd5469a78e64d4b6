"""Reading a file that someone else may have swapped: the one way every layer reads one.

A path in a shared folder, or named on the command line, may be a FIFO (opening it blocks
until a writer comes), a link to `/dev/zero` (reading never ends), or a symlink put there
between our check and our open. So a file is opened without blocking, checked on the open
descriptor (a regular file, under the size limit), and read no further than the limit even
if it grows meanwhile. `follow_links=False` refuses a symlink outright (store files);
files a user names themselves (an article, an export to import) may be links.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from tui.errors import UserError


class UnsafeFile(UserError):
    """The path is not a regular file we may read: a message names it and says why.

    `reason` is one of "link", "directory", "special" (FIFO, device, socket) or "size", for
    callers that word the refusal their own way (the corpus loader).
    """

    def __init__(self, message: str, reason: str = "special") -> None:
        super().__init__(message)
        self.reason = reason


def open_regular(path: Path, *, follow_links: bool = True, flags: int = os.O_RDONLY) -> int:
    """An open descriptor on `path`, checked to be a regular file; UnsafeFile otherwise.

    O_NONBLOCK keeps a FIFO from blocking the open; it is cleared again once the descriptor
    is known to be a regular file. FileNotFoundError and PermissionError pass through, for
    callers that treat a missing file as empty.
    """
    flags |= os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= os.O_NOFOLLOW
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP and not follow_links:
            raise UnsafeFile(
                f"{path}: is a symbolic link, which is not followed here", "link"
            ) from None
        if error.errno == errno.ENXIO:  # a FIFO opened for writing with no reader
            raise UnsafeFile(f"{path}: not a regular file") from None
        raise
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UnsafeFile(f"{path}: is a directory, not a file", "directory")
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(f"{path}: not a regular file")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: Path, limit: int, *, follow_links: bool = True, what: str = "") -> bytes:
    """The bytes of a regular file of at most `limit` bytes; UnsafeFile naming it otherwise.

    `what` names the kind of file in the size message ("an export", "a store journal").
    OSError (missing, permission) passes through for the caller to word.
    """
    fd = open_regular(path, follow_links=follow_links)
    try:
        return read_open(fd, path, limit, what=what)
    finally:
        os.close(fd)


def read_open(fd: int, path: Path, limit: int, *, what: str = "") -> bytes:
    """The rest of an open regular file from its current offset, at most `limit` bytes;
    UnsafeFile if it is larger. For callers that fstat the descriptor they read (the store)."""
    size = os.fstat(fd).st_size - os.lseek(fd, 0, os.SEEK_CUR)
    if size > limit:
        raise UnsafeFile(_too_large(path, size, limit, what), "size")
    chunks: list[bytes] = []
    left = limit + 1
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    raw = b"".join(chunks)
    if len(raw) > limit:  # it grew while we read
        raise UnsafeFile(_too_large(path, len(raw), limit, what), "size")
    return raw


def _too_large(path: Path, size: int, limit: int, what: str) -> str:
    kind = f" for {what}" if what else ""
    return f"{path}: {size:,} bytes or more is too large{kind} ({limit:,} bytes at most)"
