"""Real corpora: search, web-page extraction, listing; each figure beside a baseline in the run.

    .venv/bin/python bench/corpus.py [--articles 10000] [--pages 60] [--runs 5] [--only launch]

1. Corpus search: `tui.corpus.search` over N clean articles in memory (words, then a regex),
   in ms, against `grep -c -i` over the same texts as files (grep counts lines, we count
   hits: the point is the order of magnitude, not the same number).
2. HTML extraction: pages/s of `marginalia`'s page reading (trafilatura + the cleaning
   pipeline) against plain `trafilatura.extract` on the same pages.
3. Listing: opening a `CorpusIndex` on N files with a warm index against one on 2 files,
   and one `rescan()` of the N files (what the reader's 2-second timer costs).
4. Reader launch and memory: the real `marginalia` on an 80x24 pseudo-terminal, timed from
   spawn to the first article words on the terminal, and its resident memory (VmRSS) then
   and a second later; on the two seeds against the seeds plus N-2 generated articles, with
   the index warm (a first launch and a full clean of the folder done beforehand). The same
   two articles open in both. Goals: launch ratio <= 1.2, memory ratio <= 1.5.
5. The engine alone (what the reader's launch adds for its corpus): in a fresh process,
   `LiveCorpus(folder, cache)`, `show()` of the two seeds and `entries()` of all, timed, and
   the process's resident memory then; N articles against the two seeds, index warm.

Articles are built from the seeds' paragraphs, varied; pages wrap them in news-site furniture
(nav, cookie banner, related links, comments, JSON-LD). Asserts nothing; other helpers add
sections here (one function per figure, each printing its own baseline).
"""

from __future__ import annotations

import argparse
import compileall
import fcntl
import os
import pty
import random
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from dataclasses import replace
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.corpus import clean_bytes  # noqa: E402
from tui.corpus.model import Article  # noqa: E402

NAMES = ["Putin", "Trump", "Zelensky", "Xi", "Macron", "Scholz", "Erdoğan", "Lula"]
DISTINCT = 40  # articles really cleaned; the rest are copies under other ids


def seed_paragraphs() -> list[str]:
    paragraphs: list[str] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        article = clean_bytes(path.read_bytes(), path.stem)
        paragraphs += [article.text[b.start : b.end] for b in article.blocks if b.kind != "heading"]
    return paragraphs


def article_texts(count: int, rng: random.Random) -> list[str]:
    paragraphs = seed_paragraphs()
    texts = []
    for _ in range(count):
        chosen = rng.sample(paragraphs, min(len(paragraphs), rng.randint(4, 12)))
        texts.append("\n\n".join(_vary(p, rng) for p in chosen))
    return texts


def _vary(paragraph: str, rng: random.Random) -> str:
    for name in rng.sample(NAMES, 2):
        paragraph = paragraph.replace(rng.choice(NAMES), name, 1)
    return paragraph


def timed(action: Callable[[], object], repeat: int = 3) -> tuple[float, object]:
    """Best wall time of `repeat` runs (seconds), and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result


def bench_search(count: int, work: Path, rng: random.Random) -> None:
    from tui.corpus.search import Hit, compile_query, search_articles

    texts = article_texts(DISTINCT, rng)
    bases = [clean_bytes(text.encode(), f"base{n}") for n, text in enumerate(texts)]
    articles: list[Article] = [replace(bases[n % DISTINCT], id=f"{n:05}") for n in range(count)]
    folder = work / "search"
    folder.mkdir()
    for article in articles:
        (folder / f"{article.id}.txt").write_text(article.text, encoding="utf-8")
    chars = sum(len(a.text) for a in articles) / 1e6
    print(f"1. search over {count:,} articles ({chars:.1f} M chars)")
    grep = shutil.which("grep") or "grep"
    for label, pattern, is_regex, grep_args in (
        ("words 'ukraine'", "ukraine", False, ["-c", "-i", "-F", "ukraine"]),
        (
            "regex 'presiden\\w+'",
            r"presiden\w+",
            True,
            ["-c", "-i", "-E", r"presiden[[:alnum:]_]+"],
        ),
    ):
        query = compile_query(pattern, is_regex=is_regex)
        seconds, hits = timed(
            lambda q=query: sum(isinstance(r, Hit) for r in search_articles(articles, q))
        )
        grep_s, _ = timed(
            lambda a=grep_args, g=grep: subprocess.run(
                [g, "-r", *a, str(folder)], capture_output=True, check=False
            )
        )
        print(
            f"   {label:24} marginalia {seconds * 1000:8.1f} ms ({hits:,} hits)   "
            f"grep -c -r {grep_s * 1000:8.1f} ms   ratio {seconds / grep_s:5.1f}x"
        )


PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | The Daily Example</title>
<link rel="canonical" href="https://daily.example/news/{n}">
<script type="application/ld+json">{{"@type":"NewsArticle","headline":"{title}",
"author":{{"@type":"Person","name":"Sam Writer"}},"datePublished":"2024-05-{day:02}"}}</script>
<script>window.ads=[];function t(){{return 1}}</script></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
<article><h1>{title}</h1>{body}</article>
<aside class="related"><h3>Related</h3><ul><li><a href="/1">Markets fall again</a></li>
<li><a href="/2">Storm warning issued</a></li></ul></aside>
<section class="comments"><h3>Comments</h3><p>First!</p><p>Great piece.</p></section>
<footer>© The Daily Example · Terms · Privacy</footer></body></html>"""


def bench_pages(count: int, rng: random.Random) -> None:
    import trafilatura

    from tui.corpus.page_article import clean_page

    pages = []
    for n, text in enumerate(article_texts(count, rng)):
        paragraphs = text.split("\n\n")
        body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs[1:])
        title = escape(" ".join(paragraphs[0].split()[:8]))
        pages.append(PAGE.format(title=title, n=n, day=n % 28 + 1, body=body).encode())
    size = sum(len(p) for p in pages) / 1e6
    ours, _ = timed(lambda: [clean_page(p, f"p{n}") for n, p in enumerate(pages)], repeat=2)
    plain, _ = timed(
        lambda: [trafilatura.extract(p, output_format="xml", with_metadata=True) for p in pages],
        repeat=2,
    )
    print(f"2. HTML extraction, {count} pages ({size:.2f} MB)")
    print(
        f"   marginalia (extract + clean) {count / ours:7.1f} pages/s   "
        f"plain trafilatura.extract {count / plain:7.1f} pages/s   ratio {plain / ours:4.2f}"
    )


def bench_listing(count: int, work: Path, rng: random.Random) -> None:
    from tui.corpus.index import CorpusIndex, IndexEntry

    seed = (ROOT / "seeds").glob("*.txt")
    raw = next(iter(sorted(seed))).read_bytes()
    timings = {}
    for size in (2, count):
        folder = work / f"list{size}"
        folder.mkdir()
        for n in range(size):
            (folder / f"{n:05}.txt").write_bytes(raw + f"\n\nCopy {n}.\n".encode())
        cache = work / f"cache{size}"
        index = CorpusIndex(folder, cache)
        for article_id in index.ids:  # a warm index without cleaning 10,000 articles
            index._record(article_id, IndexEntry(article_id, "Title", "Source", "", 1000, "0"))
        index.save()
        seconds, opened = timed(lambda f=folder, c=cache: CorpusIndex(f, c), repeat=5)
        assert not opened.unknown()  # type: ignore[union-attr]
        timings[size] = seconds
        if size == count:
            rescan, _ = timed(opened.refresh, repeat=5)  # type: ignore[union-attr]
    print("3. listing with a warm index")
    print(
        f"   {count:,} files {timings[count] * 1000:8.1f} ms   2 files "
        f"{timings[2] * 1000:6.2f} ms   ratio {timings[count] / timings[2]:7.1f}x"
    )
    print(f"   rescan of {count:,} unchanged files {rescan * 1000:8.1f} ms")


LAUNCH_TEXT = b"as promised"
"""Words from the body of seed 000, the first article in both folders (see bench/reader.py)."""
ESCAPE = re.compile(rb"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def launch(corpus: Path, db: Path, cache: Path) -> tuple[float, float, float]:
    """(seconds to first frame, MiB resident then, MiB resident one second later)."""
    command = [sys.executable, "-m", "tui", "--corpus", str(corpus), "--db", str(db)]
    env = {k: v for k, v in os.environ.items() if "MARGINALIA_" not in k}
    env |= {"TERM": "xterm-256color", "MARGINALIA_CACHE": str(cache), "MARGINALIA_USER": "b"}
    screen, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    started = time.perf_counter()
    child = subprocess.Popen(
        command, stdin=terminal, stdout=terminal, stderr=terminal, env=env, cwd=ROOT,
        start_new_session=True,
    )  # fmt: skip
    os.close(terminal)
    written, seen, rss, later = b"", None, float("nan"), float("nan")
    deadline = started + 300
    while time.perf_counter() < deadline:
        if not select.select([screen], [], [], 0.05)[0]:
            if seen is not None and time.perf_counter() - started > seen + 1 and later != later:
                later = rss_mib(child.pid)
                os.write(screen, b"q")
            continue
        try:
            chunk = os.read(screen, 65536)
        except OSError:
            break
        if not chunk:
            break
        if seen is None:
            written += chunk
            if LAUNCH_TEXT in ESCAPE.sub(b"", written):
                seen = time.perf_counter() - started
                rss = rss_mib(child.pid)
    else:
        os.killpg(child.pid, signal.SIGKILL)
    os.close(screen)
    if child.wait() != 0 or seen is None:
        raise RuntimeError(f"the reader exited with {child.returncode} (text seen: {seen})")
    return seen, rss, later


def bench_launch(count: int, runs: int, work: Path, rng: random.Random) -> None:
    from tui.corpus.live_corpus import LiveCorpus

    compileall.compile_dir(ROOT / "tui", quiet=1)
    seeds = work / "seeds2"
    shutil.copytree(ROOT / "seeds", seeds)
    big = work / f"seeds{count}"
    shutil.copytree(ROOT / "seeds", big)
    texts = article_texts(DISTINCT * 10, rng)
    for n in range(count - 2):  # ids sort after the seeds: the same two open first
        (big / f"g{n:05}.txt").write_text(texts[n % len(texts)], encoding="utf-8")
    cache = work / "launch-cache"
    started = time.perf_counter()
    corpus = LiveCorpus(big, cache)
    for _step in corpus.clean_pending():
        pass
    print(f"4. reader launch, {count:,} articles against the 2 seeds (index warm)")
    print(f"   (warming: cleaned {count:,} articles in {time.perf_counter() - started:.0f} s)")
    figures: dict[Path, list[tuple[float, float, float]]] = {seeds: [], big: []}
    for folder in figures:
        launch(folder, work / f"{folder.name}.json", cache)  # first launch: OS caches, index
    for _ in range(runs):
        for folder, found in figures.items():
            found.append(launch(folder, work / f"{folder.name}.json", cache))
    (small_s, small_m, small_l), (big_s, big_m, big_l) = (
        tuple(statistics.median(f[i] for f in found) for i in range(3))
        for found in figures.values()
    )
    print(
        f"   first frame  2 seeds {small_s * 1000:7.0f} ms   {count:,} {big_s * 1000:7.0f} ms"
        f"   ratio {big_s / small_s:5.2f}  (goal <= 1.2; median of {runs})"
    )
    print(
        f"   memory then  2 seeds {small_m:7.1f} MiB  {count:,} {big_m:7.1f} MiB"
        f"  ratio {big_m / small_m:5.2f}  (goal <= 1.5)"
    )
    print(
        f"   memory +1 s  2 seeds {small_l:7.1f} MiB  {count:,} {big_l:7.1f} MiB"
        f"  ratio {big_l / small_l:5.2f}"
    )


ENGINE = """
import sys, time
from pathlib import Path
def rss():
    status = Path("/proc/self/status").read_text().splitlines()
    return int(next(l for l in status if l.startswith("VmRSS")).split()[1]) / 1024
from tui.corpus.live_corpus import LiveCorpus
start = time.perf_counter()
corpus = LiveCorpus(Path(sys.argv[1]), Path(sys.argv[2]))
shown = corpus.show(corpus.ids[:2])
opened = time.perf_counter()
memory = rss()
entries = corpus.entries()
listed = time.perf_counter()
print(opened - start, memory, listed - opened, rss(), len(shown))
"""


def engine_open(folder: Path, cache: Path) -> tuple[float, float, float, float]:
    """Opening the live corpus in a fresh interpreter (its modules already imported):
    seconds to open it and load the two shown articles, MiB resident then; seconds to list
    every entry (what the picker does), MiB resident then."""
    done = subprocess.run(
        [sys.executable, "-c", ENGINE, str(folder), str(cache)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    *figures, shown = done.stdout.split()
    assert shown == "2", done.stdout
    opened, memory, listed, listed_memory = map(float, figures)
    return opened, memory, listed, listed_memory


def bench_engine(count: int, runs: int, work: Path, rng: random.Random) -> None:
    from tui.corpus.live_corpus import LiveCorpus

    folders = [work / "engine2", work / f"engine{count}"]
    for folder in folders:
        shutil.copytree(ROOT / "seeds", folder)
    texts = article_texts(DISTINCT * 10, rng)
    for n in range(count - 2):
        (folders[1] / f"g{n:05}.txt").write_text(texts[n % len(texts)], encoding="utf-8")
    cache = work / "engine-cache"
    for folder in folders:
        for _step in LiveCorpus(folder, cache).clean_pending():
            pass
        engine_open(folder, cache)
    found: dict[Path, list[tuple[float, float, float, float]]] = {f: [] for f in folders}
    for _ in range(runs):
        for folder in folders:
            found[folder].append(engine_open(folder, cache))
    small, big = (
        [statistics.median(run[i] for run in runs_) for i in range(4)] for runs_ in found.values()
    )
    print(f"5. engine alone, {count:,} articles against the 2 seeds (median of {runs})")
    print(
        f"   open + show 2   2 seeds {small[0] * 1000:6.1f} ms  {count:,} {big[0] * 1000:6.1f} ms"
        f"   added {(big[0] - small[0]) * 1000:5.1f} ms"
    )
    print(
        f"   memory then     2 seeds {small[1]:6.1f} MiB {count:,} {big[1]:6.1f} MiB"
        f"  added {big[1] - small[1]:5.1f} MiB"
    )
    print(
        f"   list all        2 seeds {small[2] * 1000:6.1f} ms  {count:,} {big[2] * 1000:6.1f} ms"
        f"   memory then {big[3]:5.1f} MiB (added {big[3] - small[3]:4.1f})"
    )
    best = [min(run[0] for run in runs_) * 1000 for runs_ in found.values()]
    print(f"   open + show 2, best of {runs}: 2 seeds {best[0]:.1f} ms, {count:,} {best[1]:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5, help="launches per folder")
    parser.add_argument(
        "--only",
        choices=["search", "pages", "listing", "launch", "engine"],
        action="append",
        default=[],
    )
    args = parser.parse_args()
    rng = random.Random(15)
    wanted = args.only or ["search", "pages", "listing", "launch", "engine"]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if "search" in wanted:
            bench_search(args.articles, work, rng)
        if "pages" in wanted:
            bench_pages(args.pages, rng)
        if "listing" in wanted:
            bench_listing(args.articles, work, rng)
        if "launch" in wanted:
            bench_launch(args.articles, args.runs, work, rng)
        if "engine" in wanted:
            bench_engine(args.articles, args.runs, work, rng)


if __name__ == "__main__":
    main()
