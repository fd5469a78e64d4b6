"""Searching memos: the one rule for finding a query in a memo's text (issue 17).

`marginalia search` and the reader's corpus search both list memo hits after the articles'
hits; both call `search_memos`, so a memo is matched the same way in each (words folded as
`/` folds them, or a regular expression under the same time budget as an article).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from tui.corpus.search import ARTICLE_BUDGET, CONTEXT, Query, around
from tui.store.model import Memo


@dataclass(frozen=True, slots=True)
class MemoHit:
    """One match: `memo.text[start:end]`, with the text around it."""

    memo: Memo
    start: int
    end: int
    before: str
    match: str
    after: str


@dataclass(frozen=True, slots=True)
class MemoSkipped:
    """A memo the pattern could not finish within its time budget."""

    memo: Memo
    reason: str


def search_memos(
    memos: Iterable[Memo],
    query: Query,
    *,
    articles: Collection[str] | None = None,
    context: int = CONTEXT,
    budget: float = ARTICLE_BUDGET,
) -> Iterator[MemoHit | MemoSkipped]:
    """Hits in each memo in turn: only the memos on `articles` when given (the project's
    are then left out), every memo when None. A memo whose pattern runs over `budget`
    seconds gives no hits, only a MemoSkipped (all of a memo's hits, or none)."""
    for memo in memos:
        if articles is not None and memo.article not in articles:
            continue
        text = memo.text
        try:
            spans = list(query.spans(text, budget))
        except TimeoutError:
            yield MemoSkipped(memo, "pattern took too long; skipped")
            continue
        for start, end in spans:
            yield MemoHit(memo, start, end, *around(text, start, end, context))
