"""Cleaner throughput against ftfy.fix_text, on the same ~20 MB of damaged news text.

    /work/venv/bin/python bench/clean.py [--mb 20]

Articles are built from the seed paragraphs (repaired), varied, and damaged the seeds' ways:
UTF-8 read as GBK with errors="ignore", UTF-8 read as windows-1252, repeated paragraphs, web
furniture around the body. Every stage of the pipeline runs on every article. Prints MB/s for
both and their ratio (goal: at least 0.5); asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import ftfy
import ftfy.bad_codecs  # registers sloppy-windows-1252

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.corpus import clean_bytes  # noqa: E402

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
NAMES = ["Putin", "Trump", "Zelensky", "Xi", "Macron", "Scholz", "Erdoğan", "Lula"]


def seed_paragraphs() -> list[str]:
    """The seeds' body paragraphs, clean (the cleaner's own output on the seeds)."""
    paragraphs = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        article = clean_bytes(path.read_bytes(), path.stem)
        paragraphs += [article.text[b.start : b.end] for b in article.blocks]
    return paragraphs


def vary(paragraph: str, rng: random.Random) -> str:
    for name in rng.sample(NAMES, 2):
        paragraph = paragraph.replace(rng.choice(NAMES), name, 1)
    return paragraph.replace("2024", str(rng.randint(1990, 2030)))


def damaged_article(paragraphs: list[str], rng: random.Random) -> bytes:
    body = [vary(p, rng) for p in rng.sample(paragraphs, rng.randint(12, 24))]
    if rng.random() < 0.5:  # a teaser block that the body repeats
        body = body[1:2] + body[0:2] + body[2:]
    lines = FURNITURE_ABOVE[: rng.randint(0, 3)] + body + FURNITURE_BELOW[: rng.randint(0, 7)]
    text = "\n".join(lines)
    damage = rng.random()
    if damage < 0.5:
        text = text.encode("utf-8").decode("gbk", errors="ignore")
    elif damage < 0.75:
        text = text.encode("utf-8").decode("sloppy-windows-1252")
    return text.encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="megabytes of text (default 20)")
    args = parser.parse_args()
    rng = random.Random(20261122)
    paragraphs = seed_paragraphs()
    articles: list[bytes] = []
    size = 0
    while size < args.mb * 1_000_000:
        raw = damaged_article(paragraphs, rng)
        articles.append(raw)
        size += len(raw)
    texts = [raw.decode("utf-8") for raw in articles]
    megabytes = size / 1_000_000
    print(f"{len(articles)} articles, {megabytes:.1f} MB of damaged text")

    start = time.perf_counter()
    for index, raw in enumerate(articles):
        clean_bytes(raw, f"a{index}")
    ours = time.perf_counter() - start

    start = time.perf_counter()
    for text in texts:
        ftfy.fix_text(text, uncurl_quotes=False, fix_character_width=False)
    theirs = time.perf_counter() - start

    print(f"marginalia clean_bytes (all stages): {megabytes / ours:6.2f} MB/s  ({ours:.1f} s)")
    print(f"ftfy.fix_text:                       {megabytes / theirs:6.2f} MB/s  ({theirs:.1f} s)")
    print(f"ratio (goal >= 0.5):                 {theirs / ours:6.2f}")


if __name__ == "__main__":
    main()
