"""Word spans are kept compactly: an article's words must not cost many times its text."""

from __future__ import annotations

import tracemalloc

import pytest

from tui.corpus import segment
from tui.corpus.cache import article_from_dict, article_to_dict
from tui.corpus.model import Spans
from tui.corpus.pipeline import clean_bytes

PROSE = (
    "The ministers met in Brussels on Tuesday to weigh a new package of sanctions, "
    "and several of them said the talks would run late into the night. "
)


def test_spans_read_as_pairs_and_equal_the_pairs_they_hold() -> None:
    pairs = [(0, 3), (4, 9), (10, 12)]
    spans = Spans(pairs)
    assert len(spans) == 3 and list(spans) == pairs
    assert spans[1] == (4, 9) and spans[-1] == (10, 12)
    assert spans[1:] == [(4, 9), (10, 12)] and isinstance(spans[1:], Spans)
    assert spans == pairs and spans == tuple(pairs) and spans == Spans(pairs)
    assert spans != pairs[:2] and spans != [(0, 3), (4, 9), (10, 13)]
    assert hash(spans) == hash(Spans(pairs))
    with pytest.raises(IndexError):
        spans[3]


def test_an_articles_words_take_a_small_multiple_of_its_text() -> None:
    text = PROSE * 2000  # about 290 KB, 52,000 words
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        words = Spans(segment.words(text))
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(words) > 50_000
    # 16 bytes a word; the tuple of tuples it replaced held about 120.
    assert held < 4 * len(text), f"{held / len(text):.1f} bytes per character of text"


def test_cached_words_come_back_as_spans_with_the_same_pairs() -> None:
    article = clean_bytes((PROSE * 3).encode(), "a")
    again = article_from_dict(article_to_dict(article))
    assert isinstance(again.words, Spans)
    assert again.words == article.words and again == article
