"""Time to add one annotation, by store size: our storage against TinyDB's default.

    /work/venv/bin/python bench/store.py [--sizes 100,1000,10000,50000] [--adds 200]

For each size the store is filled with that many annotations, then `--adds` annotations are
added one at a time and each add is timed: median and 95th percentile, in milliseconds.
Then what the reader pays while it runs: opening the store, a `refresh()` poll that finds
nothing new, and fetching one article's annotations.

- marginalia: `AnnotationStore.add` end to end (lock, catch-up check, journal append, fsync).
- snapshot-only: the same store with the journal compacted on every add, i.e. rewriting the
  whole file atomically per add (what a plain "orjson + temp file + rename" storage costs).
- tinydb-json: `TinyDB(path).table(...).insert(record)` with TinyDB's default JSONStorage
  (no lock, no fsync, no atomic rename: it does less than we do, and is still the slowest).

Goals from issue 3, printed at the end: at 10,000 annotations marginalia is at least 5 times
faster than tinydb-json, and marginalia's add at 10,000 costs under 3 times its add at 100.
Figures come from this run only; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from tinydb import TinyDB

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.store import Annotation, AnnotationStore, text_digest  # noqa: E402
from tui.store import storage as storage_module  # noqa: E402
from tui.store.anchoring import context_around  # noqa: E402

TEXT = (ROOT / "seeds" / "000_812b4db44989ec20.txt").read_text(encoding="utf-8")
DIGEST = text_digest(TEXT)
TAGS = ["Russia/war aims", "Europe", "Ukraine", "US policy", "Peace talks"]


def record(n: int) -> Annotation:
    """A realistic annotation (~500 bytes of JSON) on the seed text."""
    start = (n * 37) % (len(TEXT) - 200)
    end = start + 40 + n % 150
    prefix, suffix = context_around(TEXT, start, end)
    return Annotation(
        id=uuid.uuid4().hex,
        article=f"article_{n % 300:03d}",
        start=start,
        end=end,
        quote=TEXT[start:end],
        prefix=prefix,
        suffix=suffix,
        tags=(TAGS[n % 5], TAGS[(n + 2) % 5]),
        note="a short note" if n % 3 == 0 else "",
        author="bench",
        created="2026-11-22T03:00:00.000000Z",
        updated="2026-11-22T03:00:00.000000Z",
        text_hash=DIGEST,
    )


def time_adds(add: Callable[[int], object], count: int, first: int) -> list[float]:
    times = []
    for n in range(first, first + count):
        began = time.perf_counter()
        add(n)
        times.append(time.perf_counter() - began)
    return times


def ours(folder: Path, size: int, adds: int, *, compact_every_add: bool) -> list[float]:
    path = folder / f"ours-{size}-{compact_every_add}.json"
    AnnotationStore(path, "bench").import_records(record(n) for n in range(size))
    saved = storage_module.MIN_COMPACTION_BYTES, storage_module.COMPACTION_RATIO
    if compact_every_add:
        storage_module.MIN_COMPACTION_BYTES, storage_module.COMPACTION_RATIO = -1, 0.0
    try:
        store = AnnotationStore(path, "bench")
        store.refresh()  # load before timing, as the app does at start

        def add(n: int) -> None:
            start = (n * 53) % (len(TEXT) - 100)
            store.add(f"article_{n % 300:03d}", start, start + 60, TEXT, [TAGS[n % 5]])

        return time_adds(add, adds, size)
    finally:
        storage_module.MIN_COMPACTION_BYTES, storage_module.COMPACTION_RATIO = saved


def polling(folder: Path, size: int) -> tuple[float, float, float, float]:
    """What the app pays: first load, refresh() with nothing new or one annotation new from
    another session, and fetching one article's annotations."""
    path = folder / f"ours-{size}-False.json"
    began = time.perf_counter()
    store = AnnotationStore(path, "bench")
    store.refresh()
    load = time.perf_counter() - began
    refresh = statistics.median(
        time_adds(lambda n: store.refresh(), 200, 0)  # timing a no-op refresh, not an add
    )
    query = statistics.median(
        time_adds(lambda n: store.annotations(article=f"article_{n % 300:03d}"), 200, 0)
    )
    other = AnnotationStore(path, "colleague")  # another session on the same files
    catch_up = []
    for n in range(50):
        start = (n * 71) % (len(TEXT) - 100)
        other.add("article_000", start, start + 30, TEXT, ["Europe"])
        began = time.perf_counter()
        store.refresh()
        catch_up.append(time.perf_counter() - began)
    return load * 1000, refresh * 1e6, statistics.median(catch_up) * 1e6, query * 1e6


def tinydb_default(folder: Path, size: int, adds: int) -> list[float]:
    with TinyDB(folder / f"tinydb-{size}.json") as db:
        table = db.table("annotations")
        table.insert_multiple(record(n).to_record() for n in range(size))
        return time_adds(lambda n: table.insert(record(n).to_record()), adds, size)


def fsync_floor(folder: Path, count: int) -> tuple[float, float]:
    """Appending 500 bytes and fsyncing them: the disk's share of every durable add."""
    path = folder / "fsync-probe"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:

        def append(n: int) -> None:
            os.write(fd, b"x" * 499 + b"\n")
            os.fsync(fd)

        return summary(time_adds(append, count, 0))
    finally:
        os.close(fd)


def summary(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000,50000")
    parser.add_argument("--adds", type=int, default=200)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    results: dict[str, dict[int, tuple[float, float]]] = {}
    print(f"ms per add: median / p95 over {args.adds} adds")
    print(f"{'store size':>10}  {'marginalia':>17}  {'snapshot-only':>17}  {'tinydb-json':>17}")
    with tempfile.TemporaryDirectory(prefix="marginalia-bench-") as temp:
        folder = Path(temp)
        for size in sizes:
            row = {
                "marginalia": summary(ours(folder, size, args.adds, compact_every_add=False)),
                "snapshot-only": summary(ours(folder, size, args.adds, compact_every_add=True)),
                "tinydb-json": summary(tinydb_default(folder, size, args.adds)),
            }
            for name, figures in row.items():
                results.setdefault(name, {})[size] = figures
            cells = "  ".join(f"{m:8.3f} / {p:6.3f}" for m, p in row.values())
            print(f"{size:>10}  {cells}", flush=True)
        print()
        for size in sizes:
            load, refresh, catch_up, query = polling(folder, size)
            print(
                f"at {size:>6}: open+load {load:7.1f} ms; refresh(): nothing new "
                f"{refresh:6.1f} us, another session's add {catch_up:6.1f} us; "
                f"one article's annotations {query:7.1f} us"
            )
        floor = fsync_floor(folder, args.adds)
    print()
    print(f"append + fsync of 500 bytes on this disk: {floor[0]:.3f} / {floor[1]:.3f} ms")
    ours_by_size = results["marginalia"]
    for size in sizes:
        speedup = results["tinydb-json"][size][0] / ours_by_size[size][0]
        print(f"at {size:>6}: marginalia is {speedup:7.1f}x faster than tinydb-json (median)")
    if 100 in ours_by_size:
        for size in sizes:
            growth = ours_by_size[size][0] / ours_by_size[100][0]
            print(f"marginalia add at {size:>6} / add at 100: {growth:5.2f}x (median)")
    if 100 in ours_by_size and 10000 in ours_by_size:
        speedup = results["tinydb-json"][10000][0] / ours_by_size[10000][0]
        growth = ours_by_size[10000][0] / ours_by_size[100][0]
        print(
            f"goals: >=5x faster at 10k: {'met' if speedup >= 5 else 'NOT met'} "
            f"({speedup:.1f}x); add@10k < 3x add@100: {'met' if growth < 3 else 'NOT met'} "
            f"({growth:.2f}x)"
        )


if __name__ == "__main__":
    main()
