"""Shared fixtures for the export tests: the seed articles and a store annotated on them.

The articles here are the bundled seeds as received (one paragraph per line, GBK damage and
all): real text with curly-quote mojibake, repeated paragraphs and CJK runs, which is exactly
what an export must carry unchanged. Cleaning is the corpus layer's business, not this one's.
"""

from __future__ import annotations

from pathlib import Path

from tui.config import BUNDLED_SEEDS
from tui.corpus.model import Article, Block
from tui.store import AnnotationStore

SEED_000 = "000_812b4db44989ec20"
SEED_001 = "001_5b2a99fe7e84453b"


def article_from_text(
    article_id: str, text: str, title: str = "", source: str | None = None
) -> Article:
    """An Article whose blocks are the text's non-empty lines (how the seeds are laid out)."""
    blocks: list[Block] = []
    position = 0
    for line in text.split("\n"):
        if line.strip():
            blocks.append(Block("paragraph", position, position + len(line)))
        position += len(line) + 1
    return Article(
        id=article_id,
        title=title or article_id,
        text=text,
        blocks=tuple(blocks),
        sentences=(),
        words=(),
        report=(),
        source=source,
    )


def seed_article(article_id: str) -> Article:
    text = (BUNDLED_SEEDS / f"{article_id}.txt").read_text(encoding="utf-8")
    title = text.split("\n", 1)[0]
    return article_from_text(article_id, text, title=title, source="Kennan Institute")


def span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def annotate_seeds(store: AnnotationStore, articles: dict[str, Article]) -> None:
    """A small, varied piece of work: nested tags, tricky names and notes, an untagged note."""
    first, second = articles[SEED_000], articles[SEED_001]
    store.create_tag("Russia/war aims", key=1, description="what Moscow wants: 'all of it'")
    start, end = span(second.text, "strengthening their relationship")
    store.add(SEED_001, start, end, second.text, ["Russia/war aims", "yes"], note="null")
    start, end = span(second.text, "From Domestic Concerns to Ukraine")
    store.add(SEED_001, start, end, second.text, ["1e3", "structure: #headings"])
    start, end = span(first.text, "Volodymyr Zelensky")
    store.add(SEED_000, start, end, first.text, ["Russia", "=SUM(A1)"], note="line one\nline two")
    line = first.text.split("\n")[3]
    start = first.text.index(line)
    store.add(SEED_000, start, start + len(line), first.text, [], note="whole paragraph; no tag")


def seed_articles() -> dict[str, Article]:
    return {article_id: seed_article(article_id) for article_id in (SEED_000, SEED_001)}


def annotated_store(
    folder: Path, user: str = "alice"
) -> tuple[AnnotationStore, dict[str, Article]]:
    """A store in `folder` holding `annotate_seeds`' work, and the articles it is on."""
    articles = seed_articles()
    store = AnnotationStore(folder / "annotations" / "marginalia.json", user)
    annotate_seeds(store, articles)
    return store, articles
