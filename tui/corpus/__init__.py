"""Raw article bytes -> clean Article. Never imports Textual.

Entry points: `clean_bytes` (bytes -> Article, deterministic), `load_article` (a file, through
the cache), `load_corpus` (a folder: the readable articles and a one-line problem per bad
file). `CLEANER_VERSION` is part of the cache key. The stages live in their own modules:
decode, gbk, latin, layout, dedupe, suspect, segment, title; `pipeline` runs them in order.
"""

from tui.corpus.loader import Corpus, load_article, load_corpus
from tui.corpus.model import Article, Block, Change
from tui.corpus.pipeline import CLEANER_VERSION, clean_bytes

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
