"""Analysis speed: every view over 1,000 articles and 20,000 annotations, against a plain
`collections.Counter` pass over the same records in the same run.

    .venv/bin/python bench/analysis.py [--articles 1000] [--annotations 20000] [--repeat 5]

The baseline is `Counter((tag, annotation.article) for annotation in annotations for tag in
annotation.tags)`: one pass that counts codes per article, the least any view must do. Each
view is timed as the screen and `marginalia report` run it (filter, counting rule, coverage
or sentence spans), best of R runs, interleaved with the baseline so both see the same load.
Goal (issue 17): every view / baseline <= 3. "passages behind a pair" (what enter on a
co-occurrence lists) has no goal of its own: it runs when asked, on the UI thread. Then the
analysis screen: opening it on all the annotations against opening it on 100 (goal <= 2).
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.analysis.cooccurrence import cooccurrence, cooccurring_passages  # noqa: E402
from tui.analysis.filters import AnalysisFilter  # noqa: E402
from tui.analysis.frequencies import frequencies  # noqa: E402
from tui.analysis.matrix import code_matrix  # noqa: E402
from tui.corpus import clean_bytes  # noqa: E402
from tui.corpus.model import Article  # noqa: E402
from tui.store.model import Annotation, ArticleMeta  # noqa: E402

TAGS = ["Russia", "Russia/war aims", "Russia/economy", "China", "Ukraine/sovereignty",
        "Ukraine", "US/tariffs", "sanctions", "Europe/peacekeeping", "Europe"]  # fmt: skip
CODERS = ["alice", "bob", "carol"]
OUTLETS = ["Guardian", "Times", "Le Monde", "Spiegel", "Xinhua"]
DISTINCT = 40  # articles really cleaned; the rest are copies under other ids


def make_articles(count: int, rng: random.Random) -> dict[str, Article]:
    paragraphs: list[str] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        article = clean_bytes(path.read_bytes(), path.stem)
        paragraphs += [article.text[b.start : b.end] for b in article.blocks if b.kind != "heading"]
    bases = []
    for n in range(DISTINCT):
        chosen = rng.sample(paragraphs, min(len(paragraphs), rng.randint(6, 12)))
        bases.append(clean_bytes("\n\n".join(chosen).encode(), f"base{n}"))
    return {f"{n:05}": replace(bases[n % DISTINCT], id=f"{n:05}") for n in range(count)}


def make_annotations(
    articles: dict[str, Article], count: int, rng: random.Random
) -> list[Annotation]:
    """`count` passages spread over the articles: sentences, every fifth an inner phrase
    overlapping another, one to three tags each, three coders."""
    made = []
    ids = list(articles)
    for n in range(count):
        article = articles[ids[n % len(ids)]]
        start, end = rng.choice(article.sentences)
        if n % 5 == 0:
            start, end = start + (end - start) // 3, end
        made.append(
            Annotation(
                id=f"a{n}",
                article=article.id,
                start=start,
                end=end,
                quote=article.text[start:end],
                tags=tuple(rng.sample(TAGS, rng.choice((1, 1, 2, 3)))),
                author=CODERS[n % len(CODERS)],
                created="2026-11-22T00:00:00Z",
                updated="2026-11-22T00:00:00Z",
            )
        )
    # As `AnnotationStore.annotations()` returns them: in reading order.
    made.sort(key=lambda a: (a.article, a.start, a.end, a.created, a.id))
    return made


def best_of_both(
    ours: Callable[[], object], baseline: Callable[[], object], repeat: int
) -> tuple[float, float]:
    """Best wall time of each, run in turns, so a busy moment of the machine hits both."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for action, into in ((ours, times[0]), (baseline, times[1])):
            start = time.perf_counter()
            action()
            into.append(time.perf_counter() - start)
    return min(times[0]), min(times[1])


def bench_views(articles: int, annotations: int, repeat: int) -> None:
    rng = random.Random(17)
    texts = make_articles(articles, rng)
    records = make_annotations(texts, annotations, rng)
    metas = {
        article_id: ArticleMeta(article_id, attributes={"outlet": OUTLETS[n % len(OUTLETS)]})
        for n, article_id in enumerate(texts)
    }

    def baseline() -> object:
        return Counter((tag, a.article) for a in records for tag in a.tags)

    views: list[tuple[str, Callable[[], object]]] = [
        ("matrix", lambda: code_matrix(records, texts, metas)),
        ("matrix by outlet", lambda: code_matrix(records, texts, metas, group_by="outlet")),
        (
            "matrix, coder+tag filter",
            lambda: code_matrix(
                records, texts, metas, AnalysisFilter(coders=("alice",), tags=("Russia",))
            ),
        ),
        ("co-occurrence, passages", lambda: cooccurrence(records, texts, metas)),
        ("co-occurrence, sentences", lambda: cooccurrence(records, texts, metas, unit="sentence")),
        (
            "co-occurrence, paragraphs",
            lambda: cooccurrence(records, texts, metas, unit="paragraph"),
        ),
        (
            "passages behind a pair",
            lambda: cooccurring_passages(records, texts, metas, "Russia", "China"),
        ),
        ("frequencies by code", lambda: frequencies(records, texts, metas)),
        ("frequencies by article", lambda: frequencies(records, texts, metas, by="article")),
        ("frequencies by outlet", lambda: frequencies(records, texts, metas, by="outlet")),
    ]
    print(f"1. views over {articles:,} articles and {annotations:,} annotations (best of {repeat})")
    for label, view in views:
        ours, base = best_of_both(view, baseline, repeat)
        print(
            f"   {label:28} {ours * 1000:8.1f} ms   Counter {base * 1000:6.1f} ms   "
            f"ratio {ours / base:4.1f}x"
        )


def bench_screen(articles: int, annotations: int, repeat: int) -> None:
    """Opening the analysis screen (push, first view computed and drawn) on every
    annotation against on the first 100, same corpus, same app, best of R, in turns."""
    from textual.app import App

    from tui.app.screens.analysis_screen import AnalysisScreen

    rng = random.Random(17)
    texts = make_articles(articles, rng)
    records = make_annotations(texts, annotations, rng)
    metas = {
        article_id: ArticleMeta(article_id, attributes={"outlet": OUTLETS[n % len(OUTLETS)]})
        for n, article_id in enumerate(texts)
    }
    few = records[:100]
    corpus = list(texts.values())

    async def run() -> tuple[float, float]:
        app: App[None] = App()
        times: dict[int, list[float]] = {len(few): [], len(records): []}
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(repeat):
                for chosen in (few, records):
                    start = time.perf_counter()
                    screen = AnalysisScreen(chosen, corpus, metas)
                    await app.push_screen(screen)
                    await pilot.pause()
                    times[len(chosen)].append(time.perf_counter() - start)
                    app.pop_screen()
                    await pilot.pause()
        return min(times[len(few)]), min(times[len(records)])

    small, large = asyncio.run(run())
    print(f"2. opening the analysis screen at 80x24 (best of {repeat})")
    print(
        f"   {len(records):,} annotations {large * 1000:8.1f} ms   "
        f"100 annotations {small * 1000:8.1f} ms   ratio {large / small:4.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--annotations", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    bench_views(args.articles, args.annotations, args.repeat)
    bench_screen(args.articles, args.annotations, args.repeat)


if __name__ == "__main__":
    main()
