"""The article picker (`o`) and the corpus search screen with 10,000 articles.

    .venv/bin/python bench/picker_search.py [--articles 10000] [--runs 3]

Headless at 120x40 (Textual's Pilot), articles made in memory from the two seeds.
1. Picker: `o` pressed until the list has drawn, and one filter keystroke, with N articles
   and with the two seeds; goal (issue 15): N / two <= 2 for each.
2. Search screen: a word (with fewer hits than the screen keeps) entered until every hit is
   listed, against the same search run headless (`tui.corpus.search.search_articles`) over the
   same articles: what the screen adds (worker thread, batches, drawing) on top of the search.

Prints figures only; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual.widgets import Input  # noqa: E402

from tui.app.dialogs.article_picker import ArticlePicker  # noqa: E402
from tui.app.model.session import ReaderSession  # noqa: E402
from tui.app.reader import ReaderApp  # noqa: E402
from tui.app.screens.corpus_search import CorpusSearchScreen, open_corpus_search  # noqa: E402
from tui.config import BUNDLED_SEEDS  # noqa: E402
from tui.corpus import load_corpus  # noqa: E402
from tui.corpus.model import Article  # noqa: E402
from tui.corpus.search import compile_query, count_hits, search_articles  # noqa: E402
from tui.store import AnnotationStore  # noqa: E402

SIZE = (120, 40)
WORD = "Kremlin"


def corpus(count: int) -> list[Article]:
    seeds = list(load_corpus(BUNDLED_SEEDS, cache=None).articles)
    made = [
        replace(
            seeds[n % 2], id=f"{100 + n:05d}_made", title=f"Report {n:05d}: {seeds[n % 2].title}"
        )
        for n in range(max(0, count - 2))
    ]
    return seeds + made


def app_for(articles: list[Article], folder: Path) -> ReaderApp:
    db = folder / f"db-{len(articles)}" / "marginalia.json"
    return ReaderApp(ReaderSession(articles, AnnotationStore(db, "bench")), export_dir=db.parent)


async def picker_run(articles: list[Article], folder: Path) -> tuple[float, float]:
    app = app_for(articles, folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        start = time.perf_counter()
        await pilot.press("o")
        await pilot.pause()
        opened = time.perf_counter() - start
        assert isinstance(app.screen, ArticlePicker)
        start = time.perf_counter()
        await pilot.press("r")
        await pilot.pause()
        return opened, time.perf_counter() - start


async def search_run(articles: list[Article], folder: Path) -> tuple[float, int]:
    app = app_for(articles, folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        open_corpus_search(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CorpusSearchScreen)
        field = screen.query_one("#search-query", Input)
        start = time.perf_counter()
        field.value = WORD  # as typed at once (Pilot's key presses wait for an idle CPU)
        while not (screen.done and screen.searched > 0):
            await asyncio.sleep(0.005)
        return time.perf_counter() - start, len(screen.hits)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    big, small = corpus(args.articles), corpus(2)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        figures = {}
        for name, articles in (("two", small), ("many", big)):
            runs = [asyncio.run(picker_run(articles, work)) for _ in range(args.runs)]
            figures[name] = [statistics.median(column) for column in zip(*runs, strict=True)]
        print(f"article picker, {len(big):,} articles vs 2, median of {args.runs}")
        for index, label in enumerate(["open", "filter key"]):
            low, high = figures["two"][index], figures["many"][index]
            print(
                f"  {label:12} {low * 1000:8.1f} ms  {high * 1000:8.1f} ms  ratio {high / low:.2f}"
            )
        screen_runs = [asyncio.run(search_run(big, work)) for _ in range(args.runs)]
        screen_time = statistics.median(run[0] for run in screen_runs)
        query = compile_query(WORD)
        headless = []
        for _ in range(args.runs):
            start = time.perf_counter()
            hits = count_hits(search_articles(big, query))
            headless.append(time.perf_counter() - start)
    print(f"corpus search for {WORD!r}, {len(big):,} articles in memory, median of {args.runs}")
    print(f"  search screen, typed to every hit listed: {screen_time * 1000:8.1f} ms")
    print(
        f"  headless search_articles alone:           {statistics.median(headless) * 1000:8.1f} ms"
    )
    print(f"  hits: {screen_runs[0][1]:,} (headless: {hits:,})")


if __name__ == "__main__":
    main()
