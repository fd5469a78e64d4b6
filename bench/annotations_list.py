"""The annotations list (`a`) at scale: opening it and one filter keystroke, 20,000 / 100.

    .venv/bin/python bench/annotations_list.py [--big 20000] [--small 100] [--runs 5]

A store of N annotations (exact anchors, five tags, a note on every third) is opened in the
reader, headless at 120x40 (Textual's Pilot). The annotations are spread over 50 copies of the
seed articles, not over the two the panes show: the panes then draw the same in both runs (a
pane under 20,000 highlights is the reader's own cost, measured by bench/reader.py), and what
differs is the list. Timed, wall clock and
CPU: `a` pressed until the list has drawn; one letter typed into its filter until the list has
drawn again. The medians of several runs; goal (issue 15): big / small <= 2 for each.

Prints figures only; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.app.model.session import ReaderSession  # noqa: E402
from tui.app.reader import ReaderApp  # noqa: E402
from tui.app.screens.annotations_screen import AnnotationsScreen  # noqa: E402
from tui.config import BUNDLED_SEEDS  # noqa: E402
from tui.corpus import load_corpus  # noqa: E402
from tui.corpus.model import Article  # noqa: E402
from tui.store import AnnotationStore  # noqa: E402
from tui.store.anchoring import context_around, text_digest  # noqa: E402
from tui.store.model import Annotation  # noqa: E402

TAGS = ["Russia/war aims", "Economic leverage", "Ukraine", "US policy", "Peace talks"]
SIZE = (120, 40)


def record(n: int, article: Article, digest: str) -> Annotation:
    text = article.text
    start = (n * 37) % (len(text) - 200)
    end = start + 40 + n % 150
    prefix, suffix = context_around(text, start, end)
    return Annotation(
        id=uuid.uuid4().hex,
        article=article.id,
        start=start,
        end=end,
        quote=text[start:end],
        prefix=prefix,
        suffix=suffix,
        tags=(TAGS[n % 5], TAGS[(n + 2) % 5]),
        note="a short note" if n % 3 == 0 else "",
        author=("alice", "bob", "carol")[n % 3],
        created="2026-11-22T03:00:00.000000Z",
        updated="2026-11-22T03:00:00.000000Z",
        text_hash=digest,
    )


COPIES = 50


def corpus() -> list[Article]:
    """The two seeds (shown in the panes), then COPIES articles made from them."""
    seeds = list(load_corpus(BUNDLED_SEEDS, cache=None).articles)
    copies = [
        replace(
            seeds[n % 2], id=f"{100 + n:03d}_copy{n:04d}", title=f"Copy {n}: {seeds[n % 2].title}"
        )
        for n in range(COPIES)
    ]
    return seeds + copies


def make_store(folder: Path, count: int, articles: list[Article]) -> Path:
    db = folder / f"store-{count}" / "marginalia.json"
    copies = articles[2:]
    digests = [text_digest(article.text) for article in copies]
    AnnotationStore(db, "bench").import_records(
        record(n, copies[n % len(copies)], digests[n % len(copies)]) for n in range(count)
    )
    return db


async def one_run(db: Path, articles: list[Article]) -> tuple[float, float, float, float]:
    """(open wall, open CPU, keystroke wall, keystroke CPU) in seconds."""
    app = ReaderApp(ReaderSession(articles, AnnotationStore(db, "bench")), export_dir=db.parent)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        wall, cpu = time.perf_counter(), time.process_time()
        await pilot.press("a")
        await pilot.pause()
        opened = time.perf_counter() - wall, time.process_time() - cpu
        assert isinstance(app.screen, AnnotationsScreen)
        wall, cpu = time.perf_counter(), time.process_time()
        await pilot.press("w")
        await pilot.pause()
        typed = time.perf_counter() - wall, time.process_time() - cpu
        assert app.screen.filter_text == "w"
    return (*opened, *typed)


def medians(db: Path, articles: list[Article], runs: int) -> list[float]:
    results = [asyncio.run(one_run(db, articles)) for _ in range(runs)]
    return [statistics.median(column) for column in zip(*results, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--big", type=int, default=20_000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    articles = corpus()
    with tempfile.TemporaryDirectory() as folder:
        small = medians(make_store(Path(folder), args.small, articles), articles, args.runs)
        big = medians(make_store(Path(folder), args.big, articles), articles, args.runs)
    names = ["open (wall)", "open (CPU)", "filter key (wall)", "filter key (CPU)"]
    print(f"annotations list, {args.big:,} vs {args.small:,} annotations, median of {args.runs}")
    for name, low, high in zip(names, small, big, strict=True):
        ratio = high / low if low else float("inf")
        print(f"  {name:18} {low * 1000:8.1f} ms  {high * 1000:8.1f} ms  ratio {ratio:.2f}")


if __name__ == "__main__":
    main()
