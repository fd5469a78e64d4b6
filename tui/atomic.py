"""Replacing a file so that no reader, and no crash, ever sees half of it.

The store's snapshot and journal header, exports, the corpus cache and the reader's
remembered panes are all written this way: a temp file beside the target, then a rename.
What mode a new file gets is decided here too, the same way for the store and the panes.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import uuid
from pathlib import Path

PRIVATE_MODE = 0o600
SHARED_MODE = 0o660
# Asked of the kernel for an ordinary document (an export): the umask then takes its share.
DOCUMENT_MODE = 0o666


def new_file_mode(folder: Path) -> int:
    """Private, unless the folder is shared by a group (setgid, as `--shared` and a team's
    store folder are): then the group reads and writes it too."""
    try:
        shared = bool(folder.stat().st_mode & stat.S_ISGID)
    except OSError:
        shared = False
    return SHARED_MODE if shared else PRIVATE_MODE


def replace_file(target: Path, data: bytes, *, mode: int | None, durable: bool = True) -> None:
    """Put `data` in `target` atomically: readers see the old content or the new, never a mix.

    The temp file is `.<name>.<random>.tmp` in the target's folder (a rename never crosses
    file systems) and has `mode` from its first byte, whatever the umask. `durable` also
    fsyncs the file and the folder, so the new content survives a power cut; a cache can skip
    that, since losing an entry only costs the work of remaking it. On any failure the temp
    file is removed and the target left as it was.

    `mode=None` is for a document the user asked for (an export): an existing file keeps its
    mode, a new one gets what the umask allows, as any editor would do. The temp file is
    created with O_EXCL|O_NOFOLLOW, so nothing placed at its name in a shared folder is
    written through; a symlink at `target` is replaced by the rename, never followed.
    """
    temp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(temp, flags, DOCUMENT_MODE if mode is None else mode)
    try:
        try:
            if mode is None:
                kept = _existing_mode(target)
                if kept is not None:
                    os.fchmod(fd, kept)
            else:
                os.fchmod(fd, mode)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    if durable:
        sync_folder(target.parent)


def _existing_mode(target: Path) -> int | None:
    """The permission bits of the regular file at `target` (not through a link), if any."""
    try:
        info = os.lstat(target)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return stat.S_IMODE(info.st_mode) & 0o777


def sync_folder(folder: Path) -> None:
    """fsync a folder, so that a rename or a new file in it is on disk too. File systems that
    cannot sync a folder (some network ones: EINVAL) are left to their own guarantees; the
    file itself was synced."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)
