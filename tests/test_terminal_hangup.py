"""The reader ends when its terminal goes away instead of spinning on a shared host.

A pseudo-terminal stands in for an SSH session: the reader starts on it, draws its first
frame, and then the other end is closed, as when the connection drops.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from tui.app.model.terminal import hung_up
from tui.config import BUNDLED_SEEDS, PROJECT_ROOT


def test_hung_up_sees_the_other_end_close() -> None:
    screen, terminal = pty.openpty()
    try:
        assert not hung_up(terminal)
        os.close(screen)
        assert hung_up(terminal)
    finally:
        os.close(terminal)


def test_the_reader_exits_when_its_terminal_hangs_up(tmp_path: Path) -> None:
    screen, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    command = [sys.executable, "-m", "tui", "--corpus", str(BUNDLED_SEEDS)]
    reader = subprocess.Popen(
        [*command, "--db", str(tmp_path / "db.json"), "--user", "t"],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        cwd=PROJECT_ROOT,
        env={**os.environ, "TERM": "xterm-256color", "MARGINALIA_CACHE": str(tmp_path)},
        start_new_session=True,  # not its controlling terminal: no SIGHUP will come
    )
    os.close(terminal)
    try:
        shown = b""
        deadline = time.monotonic() + 30
        while b"Kennan" not in shown and time.monotonic() < deadline:
            if select.select([screen], [], [], 0.5)[0]:
                shown += os.read(screen, 65536)
        assert b"Kennan" in shown, "the reader never drew its first frame"
        os.close(screen)  # the connection drops
        assert reader.wait(timeout=20) == 1  # a hang, not a speed: it ends within a second
    finally:
        if reader.poll() is None:
            reader.kill()
