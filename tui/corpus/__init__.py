"""Raw article bytes -> clean Article. Never imports Textual.

Entry points: `clean_bytes` (bytes -> Article, deterministic), `load_article` (a file, through
the cache), `load_corpus` (a folder: the readable articles and a one-line problem per bad
file). `CLEANER_VERSION` is part of the cache key. `live_corpus.LiveCorpus` is the reader's
corpus: listed at once from the index, articles loaded on demand, the folder rescanned. The
stages live in their own modules: decode, gbk, latin, layout, dedupe, suspect, segment,
title; `pipeline` runs them in order.
"""

from typing import TYPE_CHECKING, Any

from tui.corpus.loader import Corpus, load_article, load_corpus
from tui.corpus.model import CLEANER_VERSION, Article, Block, Change

if TYPE_CHECKING:
    from tui.corpus.pipeline import clean_bytes


def __getattr__(name: str) -> Any:
    """`clean_bytes` is loaded on first use: opening the reader on cached articles never
    needs the cleaner (ftfy, charset-normalizer, the stages), a tenth of a second saved."""
    if name == "clean_bytes":
        from tui.corpus.pipeline import clean_bytes

        return clean_bytes
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CLEANER_VERSION",
    "Article",
    "Block",
    "Change",
    "Corpus",
    "clean_bytes",
    "load_article",
    "load_corpus",
]
