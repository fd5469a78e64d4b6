"""Whether the reader's terminal is still there.

When an SSH connection drops, or a tmux server is killed, the terminal hangs up. The reader
normally gets SIGHUP and ends; when it does not (the terminal was not its controlling one),
Textual's input thread reads end-of-file in a loop and the process spins, on a host shared
with colleagues, until someone kills it. The reader asks this twice a second and quits.
"""

from __future__ import annotations

import os
import select
import sys

HANGUP = select.POLLHUP | select.POLLERR | select.POLLNVAL


def terminal_fd() -> int | None:
    """The file descriptor of the terminal the reader reads keys from; None if it has none
    (headless, tests, input from a pipe)."""
    stream = sys.__stdin__
    try:
        fd = stream.fileno() if stream is not None else -1
    except (OSError, ValueError):
        return None
    return fd if fd >= 0 and os.isatty(fd) else None


def hung_up(fd: int) -> bool:
    """True once the terminal on `fd` has gone away (POLLHUP); never blocks."""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return any(events & HANGUP for _fd, events in poller.poll(0))
