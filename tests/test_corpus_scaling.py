"""Cleaning cost grows with the text: the repeated-paragraph stage compares few pairs.

No wall clock here: the stage counts the paragraph pairs it compares in full, and that count
must grow with the number of paragraphs, not with the number of pairs.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

from tui.corpus import dedupe
from tui.corpus.layout import Unit

ROOT = Path(__file__).resolve().parent.parent


def _prose(count: int, seed: int) -> list[str]:
    """Distinct paragraphs walked from the word pairs of real prose (the seeds' text), each
    with figures of its own every few words, as real paragraphs have their own names and
    numbers (a walk over a few thousand words alone repeats word triples far more than prose)."""
    text = " ".join(path.read_text(encoding="utf-8") for path in ROOT.glob("seeds/*.txt")).split()
    follows: dict[str, list[str]] = {}
    for first, second in itertools.pairwise(text):
        follows.setdefault(first, []).append(second)
    rng = random.Random(seed)
    paragraphs = []
    for _ in range(count):
        words = [rng.choice(text)]
        while len(words) < 60:
            words.append(rng.choice(follows.get(words[-1]) or text))
            if len(words) % 8 == 0:
                words.append(f"{rng.randint(10, 10**7):,}")
        paragraphs.append(" ".join(words) + ".")
    return paragraphs


def _comparisons(paragraphs: list[str]) -> tuple[int, list[int]]:
    units = [Unit(text, line) for line, text in enumerate(paragraphs, start=1)]
    dedupe.COMPARISONS[0] = 0
    groups = dedupe.find_copies(units)
    return dedupe.COMPARISONS[0], groups


def test_comparisons_grow_linearly_with_the_paragraphs() -> None:
    small, _ = _comparisons(_prose(400, 1))
    large, _ = _comparisons(_prose(4000, 1))
    assert large <= 4000, f"{large} full comparisons for 4000 paragraphs"
    assert large <= 10 * max(small, 10)


def test_near_copies_are_still_found_among_many() -> None:
    paragraphs = _prose(1500, 2)
    original = paragraphs[40]
    words = original.split()
    words[10] = "altered"
    paragraphs.append(" ".join(words))  # a near-copy at the end: 1 word in 60 changed
    paragraphs.append(paragraphs[700])  # an exact copy
    _, groups = _comparisons(paragraphs)
    assert groups[-2] == groups[40]
    assert groups[-1] == groups[700]
    assert len(set(groups)) == len(paragraphs) - 2
