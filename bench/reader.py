"""Reader speed: launch to first frame, and CPU per cursor move and per highlight added.

    /work/venv/bin/python bench/reader.py [--runs 5] [--keys 200]

1. Launch: a fresh process runs the reader (corpus loaded from a warm cache, store opened) or
   a minimal Textual app, headless, and reports the moment the first frame was composed with
   the article text in it. Medians of several runs; goal: reader / minimal <= 1.5.
2. Per key: CPU time (`time.process_time`) for a cursor move (`j`: the view's work plus drawing
   the lines it invalidated) and for a highlight added (store write, pane update, redraw), on
   the seeds and on a 1 MB article with 5,000 highlights. Goal: big / seeds < 2 per key.

Prints figures only; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import sys, time, json
mode, db, cache = sys.argv[1], sys.argv[2], sys.argv[3]
if mode == "minimal":
    from textual.app import App
    from textual.widgets import Static

    class Minimal(App):
        def compose(self):
            yield Static("U.S. President Donald Trump did not")

        def on_mount(self):
            self.call_after_refresh(self.done)

        def done(self):
            print(json.dumps({"first_frame": time.time(), "text": True}))
            self.exit()

    Minimal().run(headless=True)
else:
    from pathlib import Path
    from tui.config import BUNDLED_SEEDS
    from tui.corpus import load_corpus
    from tui.store import AnnotationStore
    from tui.app.reader import ReaderApp
    from tui.app.session import ReaderSession

    corpus = load_corpus(BUNDLED_SEEDS, cache=Path(cache))
    store = AnnotationStore(Path(db), "bench")
    store.refresh()

    class Timed(ReaderApp):
        def on_mount(self):
            super().on_mount()
            self.call_after_refresh(self.done)

        def done(self):
            view = self.reader_screen.views[0]
            shown = "".join(view.render_line(y).text for y in range(3))
            print(json.dumps({"first_frame": time.time(), "text": "President" in shown}))
            self.exit()

    Timed(ReaderSession(corpus.articles, store)).run(headless=True)
"""


def launch_seconds(mode: str, db: Path, cache: Path) -> tuple[float, bool]:
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(db), str(cache)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return report["first_frame"] - started, report["text"]


def bench_launch(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "marginalia.json"
        cache = Path(folder) / "cache"
        launch_seconds("reader", db, cache)  # warm the corpus cache and the OS file cache
        launch_seconds("minimal", db, cache)
        minimal, reader = [], []
        for _ in range(runs):
            minimal.append(launch_seconds("minimal", db, cache)[0])
            seconds, has_text = launch_seconds("reader", db, cache)
            assert has_text, "the first frame did not show the article"
            reader.append(seconds)
    low, high = statistics.median(minimal), statistics.median(reader)
    print(f"launch to first frame with article text (headless, median of {runs})")
    print(f"  minimal Textual app  {low * 1000:7.0f} ms")
    print(f"  reader on the seeds  {high * 1000:7.0f} ms")
    print(f"  ratio                {high / low:7.2f}   (goal <= 1.5)")


def big_article(target_bytes: int = 1_000_000):
    """The seed article repeated to 1 MB, with its real blocks, sentences and words shifted."""
    from tui.config import BUNDLED_SEEDS
    from tui.corpus import load_corpus

    seed = load_corpus(BUNDLED_SEEDS, cache=None).articles[0]
    copies = max(1, target_bytes // len(seed.text.encode("utf-8")) + 1)
    step = len(seed.text) + 2
    text = "\n\n".join([seed.text] * copies)

    def shifted(spans):
        return tuple((s + i * step, e + i * step) for i in range(copies) for s, e in spans)

    blocks = tuple(
        replace(block, start=block.start + i * step, end=block.end + i * step)
        for i in range(copies)
        for block in seed.blocks
    )
    return replace(
        seed,
        id="big",
        text=text,
        blocks=blocks,
        sentences=shifted(seed.sentences),
        words=shifted(seed.words),
        report=(),
        text_hash="",
    )


def highlights(article, count: int):
    from tui.store import Annotation, text_digest

    names = ["Russian war aims", "sanctions", "NATO", "costs of war", "economic leverage"]
    digest = text_digest(article.text)
    made = []
    for index, (start, end) in enumerate(article.sentences[:count]):
        if index % 10 == 5:  # every tenth an inner phrase overlapping its sentence
            end = min(end, start + 30)
        made.append(
            Annotation(
                id=f"{article.id}-{index}",
                article=article.id,
                start=start,
                end=end,
                quote=article.text[start:end],
                tags=(names[index % len(names)],),
                author="bench",
                created="2026-11-22T00:00:00Z",
                updated="2026-11-22T00:00:00Z",
                text_hash=digest,
            )
        )
    return made


async def per_key(articles, db: Path, keys: int) -> tuple[float, float, float]:
    """CPU seconds per cursor move (view), per key through Textual, per highlight added."""
    from tui.app.reader import ReaderApp
    from tui.app.session import ReaderSession
    from tui.app.tag_picker import PickedTags
    from tui.store import AnnotationStore

    app = ReaderApp(ReaderSession(articles, AnnotationStore(db, "bench")), poll_seconds=3600)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = app.reader_screen
        view = screen.views[0]
        height = view.scrollable_content_region.height

        def draw() -> None:
            for y in range(height):
                view.render_line(y)

        # Down and back up again, so no key lands on the last sentence and does nothing.
        span = len(view.article.sentences) - 1
        strokes = [("j" if (n // span) % 2 == 0 else "k") for n in range(keys)]

        draw()
        start = time.process_time()
        for stroke in strokes:
            if stroke == "j":
                view.action_next_sentence()
            else:
                view.action_previous_sentence()
            draw()
        move = (time.process_time() - start) / keys

        view.action_top()
        start = time.process_time()
        for stroke in strokes[: keys // 4]:
            await pilot.press(stroke)
        through_textual = (time.process_time() - start) / (keys // 4)

        start = time.process_time()
        added = keys // 4
        for index in range(added):
            view.move_cursor(index % span)  # a new sentence each time
            screen._apply_tags(view, PickedTags(("bench tag",), ()))
            draw()
        add = (time.process_time() - start) / added
    return move, through_textual, add


def bench_keys(keys: int) -> None:
    from tui.config import BUNDLED_SEEDS
    from tui.corpus import load_corpus
    from tui.store import AnnotationStore

    seeds = load_corpus(BUNDLED_SEEDS, cache=None).articles
    big = big_article()
    with tempfile.TemporaryDirectory() as folder:
        seeds_db = Path(folder) / "seeds.json"
        big_db = Path(folder) / "big.json"
        setup = AnnotationStore(big_db, "setup")
        setup.import_records(highlights(big, 5000))
        # The seeds get the same density (a highlight on nearly every sentence), so the ratio
        # shows what size costs, not what highlights cost.
        AnnotationStore(seeds_db, "setup").import_records(
            [*highlights(seeds[0], 5000), *highlights(seeds[1], 5000)]
        )
        small = asyncio.run(per_key(seeds, seeds_db, keys))
        large = asyncio.run(per_key([big, seeds[1]], big_db, keys))
    size = len(big.text.encode("utf-8")) / 1e6
    print(f"CPU per key: seeds (highlighted alike) vs a {size:.1f} MB article, 5,000 highlights")
    labels = [
        "cursor move (view + redraw)",
        "cursor move (key through Textual)",
        "tag added (store write + redraw)",
    ]
    for label, a, b in zip(labels, small, large, strict=True):
        print(f"  {label:34} {a * 1000:7.2f} ms  {b * 1000:7.2f} ms  ratio {b / a:5.2f}")
    print("  (goal: ratio < 2)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="launches per app (default 5)")
    parser.add_argument("--keys", type=int, default=200, help="cursor moves per article")
    args = parser.parse_args()
    bench_launch(args.runs)
    print()
    bench_keys(args.keys)


if __name__ == "__main__":
    main()
