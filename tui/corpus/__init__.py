"""Raw article bytes -> clean Article. Never imports Textual."""

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
