"""The corpus as the reader's session sees it: light entries for lists, articles on demand.

With 10,000 articles the picker, the palette and the export dialog must not make the reader
clean every article first. So the session lists `ArticleEntry`s (id, title, source, date from
the live corpus's index, with the reader's corrections applied) and loads an `Article` only
when a pane shows it or an annotation needs its text. A plain list of Articles (the tests,
`load_corpus`) works the same way. No Textual here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from tui.corpus.live_corpus import IndexEntry, LiveCorpus
from tui.corpus.model import Article
from tui.store.model import ArticleMeta


class ListedArticle(Protocol):
    """What a list of articles shows: an `Article` or an `ArticleEntry`."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def source(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class ArticleEntry:
    """One article as a list shows it, known without cleaning it (title "" until cleaned)."""

    id: str
    title: str
    source: str | None
    date: str = ""
    known: bool = True
    """False for a file the background cleaner has not reached yet (only its id is known)."""


def listed_date(article: ListedArticle) -> str:
    """The date a list shows: an entry's own, or a loaded article's metadata date."""
    if isinstance(article, ArticleEntry):
        return article.date
    metadata = getattr(article, "metadata", None)
    return str(metadata.get("date") or "") if isinstance(metadata, dict) else ""


def entry_of(entry: IndexEntry, meta: ArticleMeta | None) -> ArticleEntry:
    """The index's summary with the reader's corrected title, source and date."""
    title, source, date = entry.title, entry.source or None, entry.date
    if meta is not None:
        title = title if meta.title is None else meta.title
        source = source if meta.source is None else meta.source
        date = date if meta.date is None else meta.date
    return ArticleEntry(entry.id, title, source, date, entry.known)


class CorpusView:
    """Either a `LiveCorpus` (the reader) or a fixed list of cleaned articles (tests)."""

    def __init__(self, source: LiveCorpus | Sequence[Article]) -> None:
        self.live = source if isinstance(source, LiveCorpus) else None
        self._fixed: dict[str, Article] = {}
        if not isinstance(source, LiveCorpus):
            self._fixed = {article.id: article for article in source}

    @property
    def ids(self) -> list[str]:
        """Every article id, in corpus order."""
        return self.live.ids if self.live is not None else list(self._fixed)

    def __contains__(self, article_id: object) -> bool:
        if self.live is not None:
            return article_id in self.live
        return article_id in self._fixed

    def derived(self, article_id: str) -> Article | None:
        """The article as cleaning left it (loaded now if need be), None if not readable."""
        if self.live is not None:
            return self.live.get(article_id)
        return self._fixed.get(article_id)

    def entries(self, metas: Mapping[str, ArticleMeta]) -> list[ArticleEntry]:
        """Every article as a list shows it, with the reader's corrections (live corpus)."""
        if self.live is None:
            return [
                entry_of(IndexEntry(a.id, a.title, a.source or "", "", 0, a.raw_hash), None)
                for a in self._fixed.values()
            ]
        return [entry_of(entry, metas.get(entry.id)) for entry in self.live.entries()]

    def show(self, article_ids: Iterable[str]) -> None:
        """Keep the articles on screen in memory (the rest may be dropped)."""
        if self.live is not None:
            self.live.show(article_ids)
