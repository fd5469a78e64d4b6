"""Cleaner throughput against ftfy.fix_text, on the same ~20 MB of damaged news text.

    .venv/bin/python bench/clean.py [--mb 20] [--corpus 1000] [--per-mb 0.1,1,10]

Articles are built from clean news paragraphs (the seeds' bodies and the tests' samples),
varied, and damaged the seeds' ways:
UTF-8 read as GBK with errors="ignore", UTF-8 read as windows-1252, repeated paragraphs, web
furniture around the body. Every stage of the pipeline runs on every article. Prints MB/s for
both and their ratio (goal: at least 0.5), how many lost-byte guesses match the undamaged
text, and how long a corpus takes to open, cleaning and then from the cache; then seconds per
MB for one long article of each size in --per-mb (goal: the largest at most 1.5x the smallest),
and its peak memory as a multiple of the text. Asserts nothing.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path

import ftfy
import ftfy.bad_codecs  # registers sloppy-windows-1252

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.corpus import clean_bytes, load_corpus  # noqa: E402

FURNITURE_ABOVE = ["A blog of the Kennan Institute", "By Jane Doe", "January 24, 2025"]
FURNITURE_BELOW = [
    "The opinions expressed in this article are those solely of the author.",
    "Author",
    "",
    "Editor-at-Large, Meduza",
    "Related articles",
    "A World Ready for Realignment?",
    "Share this article",
]
_BATCH = 50
NAMES = ["Putin", "Trump", "Zelensky", "Xi", "Macron", "Scholz", "Erdoğan", "Lula"]


def seed_paragraphs() -> list[str]:
    """Clean news paragraphs: the seeds' bodies (as cleaned) and the tests' clean samples."""
    paragraphs = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        article = clean_bytes(path.read_bytes(), path.stem)
        paragraphs += [article.text[b.start : b.end] for b in article.blocks]
    for name in ("english.txt", "typography.txt"):
        text = (ROOT / "tests" / "corpus_fixtures" / name).read_text(encoding="utf-8")
        paragraphs += [line for line in text.splitlines() if len(line.split()) > 8]
    return paragraphs


def vary(paragraph: str, rng: random.Random) -> str:
    for name in rng.sample(NAMES, 2):
        paragraph = paragraph.replace(rng.choice(NAMES), name, 1)
    return paragraph.replace("2024", str(rng.randint(1990, 2030)))


def damaged_article(paragraphs: list[str], rng: random.Random) -> tuple[bytes, bytes, str]:
    """(damaged bytes, the same article undamaged, the kind of damage)."""
    body = [vary(p, rng) for p in rng.sample(paragraphs, rng.randint(12, 24))]
    if rng.random() < 0.5:  # a teaser block that the body repeats
        body = body[1:2] + body[0:2] + body[2:]
    lines = FURNITURE_ABOVE[: rng.randint(0, 3)] + body + FURNITURE_BELOW[: rng.randint(0, 7)]
    original = "\n".join(lines)
    damage = rng.random()
    if damage < 0.5:
        return gbk_damage(original).encode(), original.encode(), "gbk"
    if damage < 0.75:
        return original.encode().decode("sloppy-windows-1252").encode(), original.encode(), "cp1252"
    return original.encode(), original.encode(), "none"


def gbk_damage(text: str) -> str:
    return text.encode("utf-8").decode("gbk", errors="ignore")


def guess_accuracy(samples: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """Lost-byte guesses that match the undamaged article: (right, all)."""
    right = total = 0
    for damaged, original in samples:
        repaired = clean_bytes(damaged, "damaged")
        truth = clean_bytes(original, "original").text
        if len(repaired.text) != len(truth):
            continue
        for change in repaired.report:
            if change.kind == "lost-byte" and change.start is not None:
                total += 1
                right += truth[change.start] == change.after
    return right, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="megabytes of text (default 20)")
    parser.add_argument(
        "--corpus", type=int, default=1000, help="articles for the cache timing (default 1000)"
    )
    parser.add_argument(
        "--per-mb", default="0.1,1,10", help="long-article sizes in MB (default 0.1,1,10)"
    )
    args = parser.parse_args()
    rng = random.Random(20261122)
    paragraphs = seed_paragraphs()
    if args.per_mb:
        seconds_per_megabyte([float(size) for size in args.per_mb.split(",")], paragraphs)
    if args.mb <= 0:
        return
    articles: list[bytes] = []
    gbk_samples: list[tuple[bytes, bytes]] = []
    size = 0
    while size < args.mb * 1_000_000:
        raw, original, damage = damaged_article(paragraphs, rng)
        articles.append(raw)
        if damage == "gbk" and len(gbk_samples) < 200:
            gbk_samples.append((raw, original))
        size += len(raw)
    texts = [raw.decode("utf-8") for raw in articles]
    megabytes = size / 1_000_000
    print(f"{len(articles)} articles, {megabytes:.1f} MB of damaged text")

    # Alternate in batches, so a busy neighbour on a shared machine slows both alike.
    ours = theirs = 0.0
    for first in range(0, len(articles), _BATCH):
        start = time.perf_counter()
        for index in range(first, min(first + _BATCH, len(articles))):
            clean_bytes(articles[index], f"a{index}")
        middle = time.perf_counter()
        for text in texts[first : first + _BATCH]:
            ftfy.fix_text(text, uncurl_quotes=False, fix_character_width=False)
        ours += middle - start
        theirs += time.perf_counter() - middle

    print(f"marginalia clean_bytes (all stages): {megabytes / ours:6.2f} MB/s  ({ours:.1f} s)")
    print(f"ftfy.fix_text:                       {megabytes / theirs:6.2f} MB/s  ({theirs:.1f} s)")
    print(f"ratio (goal >= 0.5):                 {theirs / ours:6.2f}")
    right, total = guess_accuracy(gbk_samples)
    print(f"lost-byte guesses right: {right} of {total} ({right / max(total, 1):.1%})")
    corpus_load_times(articles[: args.corpus])


def long_article(megabytes: float, paragraphs: list[str], rng: random.Random) -> bytes:
    """One article of about `megabytes`: distinct paragraphs walked from the real prose's word
    pairs, a third damaged as GBK, some as windows-1252, with repeats and furniture between."""
    follows: dict[str, list[str]] = defaultdict(list)
    for paragraph in paragraphs:
        words = paragraph.split()
        for first, second in itertools.pairwise(words):
            follows[first].append(second)
    openings = [paragraph.split()[0] for paragraph in paragraphs]
    lines: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        words = [rng.choice(openings)]
        length = rng.randint(40, 120)
        while len(words) < length or not words[-1].endswith("."):
            words.append(rng.choice(follows.get(words[-1]) or openings))
            if len(words) > 3 * length:
                words[-1] += "."
        paragraph = " ".join(words)
        damage = rng.random()
        if damage < 0.3:
            paragraph = gbk_damage(paragraph)
        elif damage < 0.45:
            paragraph = paragraph.encode().decode("sloppy-windows-1252")
        if lines and rng.random() < 0.05:
            lines.append(rng.choice(lines[-20:]))
        if rng.random() < 0.03:
            lines.append(rng.choice(["Advertisement", "Share this article", "January 24, 2025"]))
        lines.append(paragraph)
        size += len(paragraph.encode()) + 1
    return "\n".join(lines).encode()


def seconds_per_megabyte(sizes: list[float], paragraphs: list[str]) -> None:
    """Cleaning cost per MB as one article grows: flat if every stage is linear."""
    figures = []
    clean_bytes(long_article(0.05, paragraphs, random.Random(1)), "warm-up")  # imports, caches
    for megabytes in sizes:
        raw = long_article(megabytes, paragraphs, random.Random(int(megabytes * 1000)))
        start = time.perf_counter()
        clean_bytes(raw, "long")
        seconds = time.perf_counter() - start
        figures.append(seconds / (len(raw) / 1_000_000))
        tracemalloc.start()
        clean_bytes(raw, "long")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(
            f"one {len(raw) / 1_000_000:5.1f} MB article: {figures[-1]:5.2f} s/MB, "
            f"peak memory {peak / len(raw):4.1f}x the text"
        )
    print(f"largest/smallest s/MB (goal <= 1.5): {figures[-1] / figures[0]:.2f}")


def corpus_load_times(articles: list[bytes]) -> None:
    """A corpus opened twice: the second time every article comes from the cache."""
    with tempfile.TemporaryDirectory() as scratch:
        folder, cache = Path(scratch) / "corpus", Path(scratch) / "cache"
        folder.mkdir()
        for index, raw in enumerate(articles):
            (folder / f"{index:05d}.txt").write_bytes(raw)
        start = time.perf_counter()
        load_corpus(folder, cache)
        cold = time.perf_counter() - start
        start = time.perf_counter()
        load_corpus(folder, cache)
        warm = time.perf_counter() - start
    print(f"load_corpus, {len(articles)} articles: {cold:.1f} s cleaning, {warm:.1f} s from cache")


if __name__ == "__main__":
    main()
