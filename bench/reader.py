"""Reader speed: launch to first frame, and CPU per cursor move and per highlight added.

    /work/venv/bin/python bench/reader.py [--runs 5] [--keys 200]

1. Launch: `marginalia` (the real command: CLI, corpus from a warm cache, store) or a
   minimal Textual app is started on a pseudo-terminal of 80x24, as a user starts it, and
   timed until the first article words reach the terminal. Medians of several runs; goal:
   marginalia / minimal <= 1.5. Both load compiled bytecode: Textual's was compiled when pip
   installed it, and tui's is compiled here first, as any earlier run would have done
   (machines that set PYTHONDONTWRITEBYTECODE would otherwise recompile tui on every launch,
   about 40 ms).
2. Per key: CPU time (`time.process_time`) for a cursor move (`j`: the view's work plus drawing
   the lines it invalidated) and for a highlight added (store write, pane update, redraw), on
   the seeds and on a 1 MB article with 5,000 highlights. Goal: big / seeds < 2 per key.

Prints figures only; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MINIMAL = r"""
from textual.app import App
from textual.widgets import Static


class Minimal(App):
    def compose(self):
        yield Static("U.S. President Donald Trump did not, as promised")


Minimal().run()
"""
TEXT = b"as promised"
"""Words from the first article's body (not its title, which the pane's border shows a frame
earlier): their arrival on the terminal, escape sequences aside, is the first frame."""
ESCAPE = re.compile(rb"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")
QUIT = {"reader": b"q", "minimal": b"\x11"}  # q, and Textual's default ctrl+q
CLEAN_ENVIRONMENT = {name: value for name, value in os.environ.items() if "MARGINALIA_" not in name}
"""No MARGINALIA_CORPUS or _DB of the caller's: the reader opens the seeds and a fresh store."""
TIMEOUT_SECONDS = 60.0
"""A launch that has not shown the text and quit by then is killed and reported."""


def launch_seconds(mode: str, db: Path, cache: Path) -> float:
    """Seconds from spawning the app on a fresh 80x24 pseudo-terminal to the moment the article
    text reaches the terminal. The reader is the real `marginalia` command, CLI included."""
    if mode == "reader":
        command = [sys.executable, "-m", "tui", "--db", str(db), "--user", "bench"]
    else:
        command = [sys.executable, "-c", MINIMAL]
    screen, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    started = time.perf_counter()
    child = subprocess.Popen(
        command,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env={**CLEAN_ENVIRONMENT, "TERM": "xterm-256color", "MARGINALIA_CACHE": str(cache)},
        cwd=ROOT,  # its ./seeds are the corpus
        start_new_session=True,
    )
    os.close(terminal)
    written, seen = b"", None
    deadline = started + TIMEOUT_SECONDS
    while True:  # read everything, so the app never blocks writing its frames
        left = deadline - time.perf_counter()
        if left <= 0 or not select.select([screen], [], [], left)[0]:
            os.killpg(child.pid, signal.SIGKILL)  # hung: stop it, and say so below
            child.wait()
            break
        try:
            chunk = os.read(screen, 65536)
        except OSError:  # EIO: the app exited and closed the terminal
            break
        if not chunk:
            break
        if seen is None:
            written += chunk
            if TEXT in ESCAPE.sub(b"", written):
                seen = time.perf_counter() - started
                os.write(screen, QUIT[mode])
    os.close(screen)
    if child.wait() != 0 or seen is None:
        raise RuntimeError(f"the {mode} app exited with {child.returncode} (text seen: {seen})")
    return seen


def bench_launch(runs: int) -> None:
    compileall.compile_dir(ROOT / "tui", quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "marginalia.json"
        cache = Path(folder) / "cache"
        launch_seconds("reader", db, cache)  # a new store and corpus cache, the OS file cache
        launch_seconds("minimal", db, cache)
        minimal, reader = [], []
        for _ in range(runs):
            minimal.append(launch_seconds("minimal", db, cache))
            reader.append(launch_seconds("reader", db, cache))
    low, high = statistics.median(minimal), statistics.median(reader)
    # Each reader launch beside the minimal one just before it: on a shared VM the speed of
    # the machine drifts between runs, and a pair sees the same drift.
    paired = statistics.median(r / m for m, r in zip(minimal, reader, strict=True))
    print(f"launch to first frame with article text (80x24 pseudo-terminal, median of {runs})")
    print(f"  minimal Textual app     {low * 1000:7.0f} ms")
    print(f"  marginalia on the seeds {high * 1000:7.0f} ms")
    print(f"  ratio of the medians    {high / low:7.2f}   (goal <= 1.5)")
    print(f"  median of paired ratios {paired:7.2f}")


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
    from tui.app.dialogs.tag_picker import PickedTags
    from tui.app.model.session import ReaderSession
    from tui.app.reader import ReaderApp
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
