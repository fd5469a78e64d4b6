"""The reader's corpus: every article listed at once from the index, each loaded when shown.

Opening the reader on 10,000 articles must cost what opening it on two does, and the folder
grows while people code. So a `LiveCorpus` knows the folder's articles from the index (id,
title, source, date, size, content hash) without opening them; `article(id)` loads one on
demand (cache, else the cleaner) into a bounded LRU in which the articles on screen are
pinned; `clean_pending()` cleans the rest one article per step, for a background thread;
`rescan()` says what was added, changed or removed on disk since the last look.

No Textual here: the app runs `clean_pending` in a worker and `rescan` on a timer; the CLI
uses `article` alone, so a command on one article cleans only that one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from tui.corpus.index import KEEP_ARTICLES, Changes, CorpusIndex, IndexEntry
from tui.corpus.model import Article
from tui.errors import UserError

__all__ = ["Changes", "IndexEntry", "LiveCorpus", "cleaning_status"]


class LiveCorpus:
    """The articles of a folder: listed at once, loaded one by one, watched for changes."""

    def __init__(
        self,
        folder: Path,
        cache: Path | None,
        *,
        keep: int = KEEP_ARTICLES,
        trust_index: bool = True,
    ) -> None:
        """The folder is listed by name; with `trust_index` (the default) the index's rows
        are taken as they are until the first `rescan()`, which stats every file and reports
        what changed since the index was written: launch costs no stat per file."""
        self.index = CorpusIndex(folder, cache, keep=keep, trust_index=trust_index)

    @property
    def folder(self) -> Path:
        return self.index.folder

    # -- what is known without loading -------------------------------------------------------

    @property
    def ids(self) -> list[str]:
        """Every article id of the folder, in id order."""
        return self.index.ids

    def __len__(self) -> int:
        return len(self.index)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self.index

    def entry(self, article_id: str) -> IndexEntry:
        """The article's summary; one with only the id (`known` False) until it is cleaned."""
        return self.index.entry(article_id) or IndexEntry(article_id, "", "", "", 0, "")

    def entries(self) -> list[IndexEntry]:
        """Every article's summary, in id order: what a picker lists (nothing is loaded)."""
        return [
            entry or IndexEntry(article_id, "", "", "", 0, "")
            for article_id, entry in self.index.entries().items()
        ]

    @property
    def problems(self) -> list[str]:
        """One line per file left out: other types, clashing ids, files that did not clean."""
        return self.index.problems

    def pending(self) -> int:
        """Articles not cleaned yet (what `clean_pending` has left to do)."""
        return len(self.index.unknown())

    # -- articles ------------------------------------------------------------------------------

    def article(self, article_id: str) -> Article:
        """The article, loaded (cache or cleaner) on first use and kept while memory allows.

        KeyError for an id not in the folder; UserError (one line naming the file) for a
        file that is not a readable article.
        """
        return self.index.article(article_id)

    def get(self, article_id: str) -> Article | None:
        """The article, or None when it is not in the folder or does not clean."""
        try:
            return self.index.article(article_id)
        except (KeyError, UserError):
            return None

    def show(self, article_ids: Iterable[str]) -> list[Article]:
        """Pin these articles (the ones on screen) and load them; bad or gone ids are left out."""
        wanted = list(article_ids)
        self.index.pin(wanted)
        return [article for i in wanted if (article := self.get(i)) is not None]

    def loaded(self) -> list[str]:
        """Ids held in memory now, oldest first."""
        return self.index.loaded()

    # -- background work -----------------------------------------------------------------------

    def clean_pending(self) -> Iterator[tuple[int, int]]:
        """Clean every article the index lacks, one per step, yielding (done, total).

        Meant for a background thread: no lock is held while a file is read or cleaned, so
        a key that opens an article never waits for it, and the caller may stop between
        two steps. A file that does not clean becomes one line in `problems`.
        """
        todo = self.index.unknown()
        total = len(todo)
        for done, _article_id in enumerate(self.index.clean_rest(ids=todo), start=1):
            yield done, total

    def rescan(self) -> Changes:
        """What was added, changed (bytes differ) and removed on disk since the last scan.

        Stat first (size, mtime, inode); a file is hashed only when those moved. Changed
        and removed articles leave memory; the next `article()` reads the new text. The
        index is saved when anything in it changed (a scan or an article opened since).
        """
        changes = self.index.refresh()
        self.index.save()
        return changes

    def save(self) -> None:
        """Write the index now (best effort), so the next start is warm."""
        self.index.save()


def cleaning_status(done: int, total: int) -> str:
    """The status line's words for background cleaning: `cleaning 1,234 of 10,000`."""
    return f"cleaning {done:,} of {total:,}"
