"""A cold corpus cleaned one article at a time against a pool of worker processes.

    .venv/bin/python bench/clean_rest.py [--articles 2000] [--workers 2] [--pages 0] [--no-pool]

`marginalia articles` on a folder nobody has opened cleans every article through
`CorpusIndex.clean_rest`, one after another (about 8 ms each). This times that, on a fresh
cache, against the same folder cleaned by a process pool (each worker cleans and writes the
cache entry; the parent records the index), also on a fresh cache, and prints both and their
ratio. The articles are distinct (the seeds' paragraphs, chosen and varied); --pages makes
that many of them saved web pages. Asserts nothing.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.corpus import clean_bytes  # noqa: E402
from tui.corpus.index import CorpusIndex, IndexEntry  # noqa: E402
from tui.corpus.loader import load_article  # noqa: E402
from tui.errors import UserError  # noqa: E402

NAMES = ["Putin", "Trump", "Zelensky", "Xi", "Macron", "Scholz", "Erdoğan", "Lula"]
PAGE = (
    "<!doctype html><html><head><title>{title}</title></head><body><nav>Home | World</nav>"
    "<article><h1>{title}</h1>{body}</article><footer>© 2024 Example</footer></body></html>"
)


def write_corpus(folder: Path, count: int, pages: int, rng: random.Random) -> None:
    paragraphs: list[str] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        article = clean_bytes(path.read_bytes(), path.stem)
        paragraphs += [article.text[b.start : b.end] for b in article.blocks if b.kind != "heading"]
    for n in range(count):
        chosen = rng.sample(paragraphs, min(len(paragraphs), rng.randint(4, 12)))
        varied = []
        for paragraph in chosen:
            for name in rng.sample(NAMES, 2):
                paragraph = paragraph.replace(rng.choice(NAMES), name, 1)
            varied.append(f"{paragraph} ({n})")
        if n < pages:
            body = "".join(f"<p>{escape(p)}</p>" for p in varied)
            page = PAGE.format(title=escape(" ".join(varied[0].split()[:8])), body=body)
            (folder / f"a{n:05}.html").write_text(page, encoding="utf-8")
        else:
            (folder / f"a{n:05}.txt").write_text("\n".join(varied), encoding="utf-8")


def cpu() -> float:
    """CPU seconds of this process and of its children waited for (the pool's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def serial(folder: Path, cache: Path) -> tuple[float, float, int]:
    start, used = time.perf_counter(), cpu()
    index = CorpusIndex(folder, cache)
    count = sum(1 for _ in index.clean_rest())
    return time.perf_counter() - start, cpu() - used, count


def _summary(path: Path, cache: Path) -> tuple[str, str, str, int, str] | str:
    """What the index keeps of one article, cleaned in a worker (the cache written there)."""
    try:
        article = load_article(path, cache)
    except UserError as error:
        return str(error)
    date = article.metadata.get("date", "")
    return article.title, article.source or "", date, len(article.text), article.raw_hash


def pooled(folder: Path, cache: Path, workers: int, context: str) -> tuple[float, float, int]:
    start, used = time.perf_counter(), cpu()
    index = CorpusIndex(folder, cache)
    todo = index.unknown()
    paths = [index.path(article_id) for article_id in todo]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(context)) as pool:
        chunk = max(1, len(todo) // (workers * 8))
        for article_id, found in zip(
            todo, pool.map(_summary, paths, [cache] * len(paths), chunksize=chunk), strict=True
        ):
            if isinstance(found, str):
                entry = IndexEntry(article_id, "", "", "", 0, "", found)
            else:
                entry = IndexEntry(article_id, *found)
            index._record(article_id, entry)
    index.save()
    return time.perf_counter() - start, cpu() - used, len(todo)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pages", type=int, default=0)
    parser.add_argument("--context", default="forkserver", choices=["fork", "forkserver", "spawn"])
    parser.add_argument("--no-pool", action="store_true", help="time one at a time only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        write_corpus(folder, args.articles, args.pages, random.Random(6))
        one, one_cpu, count = serial(folder, Path(tmp) / "cache-serial")
        load = os.getloadavg()[0]
        print(f"{count} articles ({args.pages} pages), {os.cpu_count()} cores, load {load:.1f}")
        print(f"  one at a time (clean_rest): {one:6.1f} s wall, {one_cpu:6.1f} s CPU")
        if args.no_pool:
            return
        many, many_cpu, pooled_count = pooled(
            folder, Path(tmp) / "cache-pool", args.workers, args.context
        )
        entries = sorted(os.listdir(Path(tmp) / "cache-serial"))
        same = entries == sorted(os.listdir(Path(tmp) / "cache-pool"))
        print(
            f"  pool of {args.workers} ({args.context}):{many:12.1f} s wall, {many_cpu:6.1f} s CPU"
            "  (workers counted: fork, spawn)"
        )
        print(
            f"  wall ratio one/pool {one / many:4.2f}; CPU ratio pool/one {many_cpu / one_cpu:4.2f}"
        )
        print(f"  same articles and cache entries: {same and pooled_count == count}")


if __name__ == "__main__":
    main()
