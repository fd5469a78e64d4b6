"""The corpus cache and the reader's panes file, replaced by a FIFO or a link to /dev/zero in
a folder others can write: ignored and remade, never blocked on or read without end."""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import orjson

from tui.app.model.pane_state import load_panes, save_panes
from tui.corpus import CLEANER_VERSION, load_article

SEED_001 = Path(__file__).resolve().parent.parent / "seeds" / "001_5b2a99fe7e84453b.txt"
T = TypeVar("T")


def within_seconds(call: Callable[[], T], fifo: Path, seconds: float = 20) -> T:
    """`call()`'s result; the test fails, rather than hangs, if it blocks on `fifo`."""
    result: list[T] = []
    worker = threading.Thread(target=lambda: result.append(call()), daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():  # let the blocked open return, so the thread can end
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(5)
        raise AssertionError(f"blocked on the FIFO {fifo}")
    assert result, "the call raised (see the thread's traceback)"
    return result[0]


def test_a_fifo_in_place_of_a_cache_entry_is_ignored_and_the_article_still_loads(
    tmp_path: Path,
) -> None:
    cache = tmp_path / "cache"
    fresh = load_article(SEED_001, cache)
    entry = cache / f"{hashlib.sha256(SEED_001.read_bytes()).hexdigest()}-v{CLEANER_VERSION}.json"
    entry.unlink()
    os.mkfifo(entry)
    assert within_seconds(lambda: load_article(SEED_001, cache), entry) == fresh
    assert orjson.loads(entry.read_bytes())["article"]["id"] == fresh.id  # remade


def test_a_cache_entry_linked_to_dev_zero_is_not_read(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    fresh = load_article(SEED_001, cache)
    entry = cache / f"{hashlib.sha256(SEED_001.read_bytes()).hexdigest()}-v{CLEANER_VERSION}.json"
    entry.unlink()
    entry.symlink_to("/dev/zero")
    # In a child bounded in time and memory: an endless read fails it, not the machine.
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 31, 1 << 31))\n"
        "from pathlib import Path\nfrom tui.corpus import load_article\n"
        "print(load_article(Path(sys.argv[1]), Path(sys.argv[2])).text_hash)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(SEED_001), str(cache)],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == fresh.text_hash
    assert not entry.is_symlink()


def test_a_fifo_in_place_of_the_panes_file_means_no_panes_and_is_replaced(
    tmp_path: Path,
) -> None:
    state = tmp_path / ".marginalia-state.json"
    os.mkfifo(state)
    assert within_seconds(lambda: load_panes(state, "alice"), state) == []
    within_seconds(lambda: save_panes(state, "alice", ["001_5b2a99fe7e84453b"]), state)
    assert load_panes(state, "alice") == ["001_5b2a99fe7e84453b"]
