"""Real corpora: search, web-page extraction, listing; each figure beside a baseline in the run.

    .venv/bin/python bench/corpus.py [--articles 10000] [--pages 60]

1. Corpus search: `tui.corpus.search` over N clean articles in memory (words, then a regex),
   in ms, against `grep -c -i` over the same texts as files (grep counts lines, we count
   hits: the point is the order of magnitude, not the same number).
2. HTML extraction: pages/s of `marginalia`'s page reading (trafilatura + the cleaning
   pipeline) against plain `trafilatura.extract` on the same pages.
3. Listing: opening a `CorpusIndex` on N files with a warm index against one on 2 files.
   (The reader's launch figure will be measured once the app uses the index.)

Articles are built from the seeds' paragraphs, varied; pages wrap them in news-site furniture
(nav, cookie banner, related links, comments, JSON-LD). Asserts nothing; other helpers add
sections here (one function per figure, each printing its own baseline).
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
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
    print("3. listing with a warm index")
    print(
        f"   {count:,} files {timings[count] * 1000:8.1f} ms   2 files "
        f"{timings[2] * 1000:6.2f} ms   ratio {timings[count] / timings[2]:7.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--pages", type=int, default=60)
    args = parser.parse_args()
    rng = random.Random(15)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bench_search(args.articles, work, rng)
        bench_pages(args.pages, rng)
        bench_listing(args.articles, work, rng)


if __name__ == "__main__":
    main()
