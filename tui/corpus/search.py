"""Search across articles: words as the reader's `/` finds them, or a regular expression.

Hits carry offsets into each article's clean text, so the app can jump to them and a script
can quote them. Results are streamed (a generator, one article at a time): the app shows hits
as they come, and the CLI holds one article in memory at a time.

A regular expression comes from the user and may backtrack for ever (`(a+)+$`). It runs in
the `regex` module, whose matching takes a timeout: each article gets a time budget, and an
article that exceeds it is reported as skipped instead of hanging the search. `regex` is
imported only for `--regex` searches.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from tui.corpus.model import Article
from tui.corpus.units import CodingUnit, Passage, Span, UnitIndex, unit_spans
from tui.errors import UserError
from tui.text_match import VARIANTS, fold, search_pattern

CONTEXT = 40
"""Characters of clean text kept before and after each hit."""
ARTICLE_BUDGET = 1.0
"""Seconds a regular expression may spend on one article before it is skipped there."""
_PATTERN_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class Hit:
    """One match: `text[start:end]` of article `article_id`, with the text around it, and
    the sentence and paragraph it sits in when asked for (found while the article is at
    hand, so coding hits by sentence loads no article again; None: not known, its words)."""

    article_id: str
    start: int
    end: int
    before: str
    match: str
    after: str
    sentence: Span | None = None
    paragraph: Span | None = None

    def passage(self, unit: CodingUnit) -> Passage:
        """(article id, start, end) of what coding this hit by `unit` codes."""
        span = {"sentence": self.sentence, "paragraph": self.paragraph}.get(unit)
        start, end = span or (self.start, self.end)
        return self.article_id, start, end


@dataclass(frozen=True, slots=True)
class Skipped:
    """An article the search could not finish (a pattern over its time budget)."""

    article_id: str
    reason: str


Result = Hit | Skipped


@dataclass(frozen=True, slots=True)
class Query:
    """A compiled search: `finditer(text, budget)` yields (start, end) pairs."""

    text: str
    is_regex: bool
    _pattern: Any

    def spans(self, text: str, budget: float) -> Iterator[tuple[int, int]]:
        """Match spans in `text`; TimeoutError when a regex exceeds `budget` seconds."""
        if not self.is_regex:
            yield from self._word_spans(text)
            return
        deadline = time.monotonic() + budget
        position = 0
        while position <= len(text):
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            match = self._pattern.search(text, position, timeout=left)
            if match is None:
                return
            start, end = match.span()
            if end > start:
                yield start, end
            position = end if end > start else end + 1  # an empty match finds nothing

    def _word_spans(self, text: str) -> Iterator[tuple[int, int]]:
        """Folded text and `str.find` (10x the regex's speed) when folding keeps every
        offset; the pattern on the text itself when it does not (`İ` lowers to two)."""
        needle = fold(self.text)
        folded = _fold_for(text, needle)
        if len(folded) != len(text) or len(needle) != len(self.text):
            for match in self._pattern.finditer(text):
                yield match.span()
            return
        start = folded.find(needle)
        while start >= 0:
            yield start, start + len(needle)
            start = folded.find(needle, start + len(needle))


def _fold_for(text: str, needle: str) -> str:
    """`fold(text)` as far as `needle` can tell: lowered, and only the quote and dash
    variants the needle has folded (in C, not a per-character `translate`)."""
    folded = text.lower()
    for plain, group in VARIANTS.items():
        if plain in needle:
            for variant in group:
                if variant != plain:
                    folded = folded.replace(variant, plain)
    return folded


def compile_query(text: str, *, is_regex: bool = False) -> Query:
    """The query for `text`; UserError for an empty query or a pattern that does not compile.

    Words fold case, quotes and dashes as `tui.text_match` does everywhere in marginalia.
    A regular expression is taken as written, case-insensitive unless it says `(?-i)`.
    """
    if not text:
        raise UserError("empty search")
    if len(text) > _PATTERN_LIMIT:
        raise UserError(f"search pattern too long ({len(text):,} characters; at most 1,000)")
    if not is_regex:
        return Query(text, False, search_pattern(text))
    import regex

    try:
        pattern = regex.compile(text, regex.IGNORECASE | regex.VERSION0)
    except (regex.error, OverflowError, RecursionError) as error:
        raise UserError(f"not a valid regular expression: {error}") from None
    return Query(text, True, pattern)


def around(text: str, start: int, end: int, context: int = CONTEXT) -> tuple[str, str, str]:
    """The `context` characters before a match, the match, and those after: what a hit
    shows, in an article or a memo."""
    return text[max(0, start - context) : start], text[start:end], text[end : end + context]


def search_article(
    article: Article,
    query: Query,
    *,
    context: int = CONTEXT,
    budget: float = ARTICLE_BUDGET,
    units: bool = False,
) -> Iterator[Result]:
    """Every hit in one article, in text order; a Skipped last if the budget ran out.
    `units`: each hit with its sentence and paragraph (for coding by them; a few µs a hit,
    so only when asked)."""
    text = article.text
    index: tuple[UnitIndex, UnitIndex] | None = None  # made at the article's first hit
    try:
        for start, end in query.spans(text, budget):
            shown = around(text, start, end, context)
            if not units:
                yield Hit(article.id, start, end, *shown)
                continue
            if index is None:
                index = UnitIndex(article.sentences), UnitIndex(unit_spans(article, "paragraph"))
            sentences, paragraphs = index
            sentence, paragraph = sentences.extent(start, end), paragraphs.extent(start, end)
            yield Hit(article.id, start, end, *shown, sentence, paragraph)
    except TimeoutError:
        yield Skipped(article.id, f"pattern took over {budget:g} s on this article; skipped")


def search_articles(
    articles: Iterable[Article],
    query: Query,
    *,
    context: int = CONTEXT,
    budget: float = ARTICLE_BUDGET,
    progress: Callable[[int], None] | None = None,
    units: bool = False,
) -> Iterator[Result]:
    """Hits across articles, as each article is searched: `articles` may be lazy (loaded
    one by one), so memory holds one article at a time. `progress(n)` after each article;
    `units` as `search_article` has it."""
    for done, article in enumerate(articles, start=1):
        yield from search_article(article, query, context=context, budget=budget, units=units)
        if progress is not None:
            progress(done)


def count_hits(results: Iterable[Result]) -> int:
    """How many hits (not skips) in `results`."""
    return sum(1 for result in results if isinstance(result, Hit))
