"""Several processes on one store, and writers killed at random moments: nothing is lost.

Writers are forked from the test process (no interpreter start-up per writer), so the whole
file runs in a few seconds while still using real separate processes, locks and files.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

import orjson

from tui.store import AnnotationStore
from tui.store import storage as storage_module

TEXT = "".join(f"Sentence {n} of a long test article about the war. " for n in range(400))
fork = multiprocessing.get_context("fork")


def write_many(db: str, writer: int, count: int) -> None:
    store = AnnotationStore(Path(db), f"writer{writer}")
    for n in range(count):
        store.add(f"article{writer}", n, n + 20, TEXT, [f"tag{n % 7}", f"writer{writer}"])


def test_four_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "shared.json"
    writers = [fork.Process(target=write_many, args=(str(db), w, 100)) for w in range(4)]
    for process in writers:
        process.start()
    for process in writers:
        process.join(60)
        assert process.exitcode == 0
    store = AnnotationStore(db, "reader")
    annotations = store.annotations()
    assert len(annotations) == 400
    assert {(a.author, a.start) for a in annotations} == {
        (f"writer{w}", n) for w in range(4) for n in range(100)
    }
    orjson.loads(db.read_bytes())  # the snapshot is valid JSON
    for line in store.journal_path.read_bytes().splitlines():
        orjson.loads(line)
    assert len(AnnotationStore(db, "again").annotations()) == 400


def write_until_killed(db: str, report_fd: int, seed: int) -> None:
    """Add, change and delete; report each id once its add has returned."""
    storage_module.MIN_COMPACTION_BYTES = 4096  # compact often, so kills land mid-compaction
    rng = random.Random(seed)
    store = AnnotationStore(Path(db), "victim")
    while True:
        start = rng.randrange(0, len(TEXT) - 50)
        added = store.add("article", start, start + rng.randrange(1, 50), TEXT, ["killed"])
        os.write(report_fd, added.id.encode() + b"\n")
        if rng.random() < 0.2:
            store.update(added.id, note="noted")


def test_writer_killed_at_random_moments_never_loses_a_returned_add(tmp_path: Path) -> None:
    db = tmp_path / "victim.json"
    rng = random.Random(20261122)
    reported: set[str] = set()
    for round_number in range(20):
        read_fd, write_fd = os.pipe()
        child = fork.Process(target=write_until_killed, args=(str(db), write_fd, round_number))
        child.start()
        os.close(write_fd)
        with os.fdopen(read_fd, "rb") as reports:
            first = reports.readline()  # the child is writing now
            time.sleep(rng.uniform(0, 0.04))
            os.kill(child.pid, signal.SIGKILL)
            child.join()
            lines = [first, *reports.readlines()]
        assert child.exitcode == -signal.SIGKILL
        reported |= {line[:32].decode() for line in lines if len(line) == 33}
        stored = {a.id for a in AnnotationStore(db, "checker").annotations()}
        missing = reported - stored
        assert not missing, f"round {round_number}: {len(missing)} returned adds lost"
    assert len(reported) > 20
    # After all that, a normal writer still works on the store.
    survivor = AnnotationStore(db, "survivor")
    survivor.add("article", 0, 10, TEXT, ["after"])
    assert len(AnnotationStore(db, "checker").annotations()) == len(stored) + 1


def test_a_polling_reader_ends_up_with_everything(tmp_path: Path) -> None:
    """Lock-free reads while two processes write and compact: never an error, nothing missed."""
    storage_module.MIN_COMPACTION_BYTES, saved = 4096, storage_module.MIN_COMPACTION_BYTES
    writers = 2
    db = tmp_path / "polled.json"
    reader = AnnotationStore(db, "reader")
    reader.refresh()
    processes = [fork.Process(target=write_many, args=(str(db), w, 30)) for w in range(writers)]
    for process in processes:
        process.start()
    try:
        counts = []
        while any(p.is_alive() for p in processes):
            reader.refresh()
            counts.append(len(reader.annotations()))
    finally:
        storage_module.MIN_COMPACTION_BYTES = saved
    for process in processes:
        process.join()
    reader.refresh()
    assert counts == sorted(counts)  # what a reader saw never went backwards
    assert len(reader.annotations()) == writers * 30
