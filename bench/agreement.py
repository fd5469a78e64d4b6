"""Inter-coder agreement at corpus scale, against the `krippendorff` package in the same run.

    .venv/bin/python bench/agreement.py [--articles 1000] [--annotations 20000] [--coders 3]

Articles are built from the seeds' real sentences (sampled, so no cleaning is timed); three
coders code them from a shared "true" coding with misses, shifted extents and codes of their
own, over a codebook with parents and children. Figures, best of 3 runs:

1. ours: `measure_agreement` from the annotations to the whole report (every tag and all tags
   pooled, each over all units and over coded units: percent, alpha; kappa with two coders).
2. the package: `krippendorff.alpha(level_of_measurement="nominal")` fed the same units as a
   reliability matrix (coders x units, NaN for missing; the pooled overall matrix, built
   before timing), one alpha. Once with the top-level tags, once with every tag (children
   chosen too, so the overall row counts each passage under its most specific tag).
   Printed: both times, the ratio ours/package (target <= 2), and both alphas (they must be
   equal).
3. ours by character (no package figure: the matrix would hold tens of millions of columns).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.analysis.agreement import (  # noqa: E402
    count_units,
    measure_agreement,
    reliability_rows,
)
from tui.corpus import clean_bytes  # noqa: E402
from tui.corpus.model import Article, Block  # noqa: E402
from tui.store.model import Annotation  # noqa: E402

TAGS = [
    "Russia",
    "Russia/war aims",
    "Russia/economy",
    "China",
    "China/trade",
    "United States",
    "United States/tariffs",
    "Ukraine",
    "Europe",
    "Sanctions",
    "Energy",
    "Diplomacy",
]
TOP = sorted({name.split("/")[0] for name in TAGS})


def seed_sentences() -> list[str]:
    found: list[str] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        article = clean_bytes(path.read_bytes(), path.stem)
        found += [article.text[start:end] for start, end in article.sentences]
    return found


def make_article(number: int, sentences: list[str]) -> Article:
    spans: list[tuple[int, int]] = []
    blocks: list[Block] = []
    parts: list[str] = []
    position = 0
    for index, sentence in enumerate(sentences):
        if index and index % 4 == 0:  # a paragraph every four sentences
            parts.append("\n\n")
            position += 2
        elif index:
            parts.append(" ")
            position += 1
        spans.append((position, position + len(sentence)))
        parts.append(sentence)
        position += len(sentence)
    text = "".join(parts)
    blocks.append(Block("paragraph", 0, len(text)))
    return Article(
        id=f"{number:04d}_bench",
        title=f"Article {number}",
        text=text,
        blocks=tuple(blocks),
        sentences=tuple(spans),
        words=(),
        report=(),
    )


def coding(
    articles: list[Article], annotations: int, coders: list[str], rng: random.Random
) -> list[Annotation]:
    """About `annotations` annotations: each article gets true codings; each coder keeps most,
    moves some ends, and adds a few of their own."""
    per_coder = annotations // len(coders)
    found: list[Annotation] = []
    for number, article in enumerate(articles):
        spans = article.sentences
        truth = []
        share = (number + 1) * per_coder // len(articles) - number * per_coder // len(articles)
        for _ in range(share):
            first = rng.randrange(len(spans))
            last = min(len(spans) - 1, first + rng.choice([0, 0, 0, 1, 2]))
            truth.append((spans[first][0], spans[last][1], rng.choice(TAGS)))
        for coder in coders:
            for start, end, tag in truth:
                roll = rng.random()
                if roll < 0.15:  # missed, or coded as something else
                    tag = rng.choice(TAGS)
                elif roll < 0.30:  # a shorter or longer extent
                    start = max(0, start + rng.randint(-40, 40))
                    end = min(len(article.text), max(start + 1, end + rng.randint(-40, 40)))
                found.append(_annotation(article, coder, start, end, tag, len(found)))
    return found


def _annotation(article: Article, coder: str, start: int, end: int, tag: str, n: int) -> Annotation:
    return Annotation(
        id=f"{n:08x}",
        article=article.id,
        start=start,
        end=end,
        quote=article.text[start:end],
        tags=(tag,),
        author=coder,
    )


def timed(action: Callable[[], object], repeat: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result


def by_sentence(
    articles: list[Article],
    annotations: list[Annotation],
    coders: list[str],
    tags: list[str],
    which: str,
) -> None:
    """Our whole report by sentence against one package alpha on the overall matrix."""
    import krippendorff
    import numpy as np

    ours_time, report = timed(lambda: measure_agreement(articles, annotations, coders, tags))
    counts = count_units(articles, annotations, coders, tags)
    rows = reliability_rows(counts.overall, len(coders))
    matrix = np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)
    package_time, package_alpha = timed(
        lambda: krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    )
    assert report is not None and hasattr(report, "overall")
    ours_alpha = report.overall.all_units.alpha
    print(f"by sentence, {which}: {matrix.shape[1]:,} units (sentence x code) in the matrix")
    print(
        f"  ours, whole report ({len(tags)} tags + overall, both scopes): {ours_time * 1e3:.1f} ms"
    )
    print(f"  krippendorff package, one alpha on the matrix:           {package_time * 1e3:.1f} ms")
    print(f"  ratio ours/package: {ours_time / package_time:.2f} (target <= 2)")
    print(f"  overall alpha: ours {ours_alpha:.6f}, package {float(package_alpha):.6f}")  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--annotations", type=int, default=20_000)
    parser.add_argument("--coders", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(16)
    pool = seed_sentences()
    articles = [
        make_article(n, rng.sample(pool, rng.randint(20, 45))) for n in range(args.articles)
    ]
    coders = [f"coder{n + 1}" for n in range(args.coders)]
    annotations = coding(articles, args.annotations, coders, rng)
    sentences = sum(len(a.sentences) for a in articles)
    print(
        f"{len(articles):,} articles ({sentences:,} sentences), {len(annotations):,} "
        f"annotations by {len(coders)} coders, {len(TOP)} tags ({len(TAGS)} with children)"
    )

    by_sentence(articles, annotations, coders, TOP, "top-level tags")
    by_sentence(articles, annotations, coders, TAGS, "every tag, children too (nested)")

    char_time, char_report = timed(
        lambda: measure_agreement(articles, annotations, coders, TOP, "char"), repeat=1
    )
    char_units = char_report.overall.all_units.units  # type: ignore[attr-defined]
    print(f"by character: {char_units:,} units, ours {char_time * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
