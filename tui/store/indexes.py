"""The store's in-memory indexes: what queries read, so that none of them scans the file.

The app asks for an article's annotations on every keystroke and polls twice a second; these
dictionaries answer at once and are kept in step record by record (our writes, and the lines
other processes append to the journal), rebuilt whole only when the snapshot was replaced.
"""

from __future__ import annotations

from typing import Any

from tui.store.history import read_change_mark
from tui.store.model import Annotation, ArticleMeta, Tag
from tui.store.schema import ANNOTATIONS_TABLE, ARTICLES_TABLE, META_TABLE, TAGS_TABLE

Doc = dict[str, Any]
Tables = dict[str, dict[str, Doc]]
MAX_UNMARKED = 100_000


class Indexes:
    """Annotations by id, by article and by (article, start, end, author); how many carry
    each tag; the codebook; the articles' metadata overrides. `version` is the storage's
    `disk_version` they were built from (-1: rebuild before trusting them)."""

    def __init__(self) -> None:
        self.by_id: dict[str, Annotation] = {}
        # (article, start, end, author) -> id: the annotation a new tag on that range joins.
        self.by_range: dict[tuple[str, int, int, str], str] = {}
        self.by_article: dict[str, dict[str, Annotation]] = {}
        self.tag_counts: dict[str, int] = {}
        self.codebook: dict[str, Tag] = {}
        self.article_meta: dict[str, ArticleMeta] = {}
        # (table, id) -> (who, what) last changed it, as far as this session saw the changes
        # come in (each action's change mark follows its records; see history.py).
        self.changed_by: dict[tuple[str, str], tuple[str, str]] = {}
        self._unmarked: list[tuple[str, str]] = []
        self.version = -1

    def rebuild(self, tables: Tables, version: int) -> None:
        """Index every record of `tables`, forgetting what was indexed before."""
        self.by_id = {}
        self.by_range = {}
        self.by_article = {}
        self.tag_counts = {}
        self.changed_by = {}  # a whole reload says nothing of who changed what
        self._unmarked = []
        for doc_id, record in tables.get(ANNOTATIONS_TABLE, {}).items():
            self._add(Annotation.from_record({**record, "id": doc_id}))
        self.codebook = {
            name: Tag.from_record({**record, "name": name})
            for name, record in tables.get(TAGS_TABLE, {}).items()
        }
        self.article_meta = {
            article: ArticleMeta.from_record(article, record)
            for article, record in tables.get(ARTICLES_TABLE, {}).items()
        }
        self.version = version

    def apply(self, table: str, doc_id: str, doc: Doc | None) -> None:
        """One record put (`doc`) or deleted (None), by us or by another process."""
        if table == META_TABLE:
            mark = read_change_mark(doc_id, doc)
            if mark is not None:
                self.changed_by.update(dict.fromkeys(self._unmarked, mark))
            self._unmarked = []  # any other `_meta` record ends a change without a mark
            return
        if len(self._unmarked) < MAX_UNMARKED:  # a writer that marks nothing: forget the rest
            self._unmarked.append((table, doc_id))
        if table == ANNOTATIONS_TABLE:
            self._remove(doc_id)
            if doc is not None:
                self._add(Annotation.from_record({**doc, "id": doc_id}))
        elif table == TAGS_TABLE:
            if doc is None:
                self.codebook.pop(doc_id, None)
            else:
                self.codebook[doc_id] = Tag.from_record({**doc, "name": doc_id})
        elif table == ARTICLES_TABLE:
            if doc is None:
                self.article_meta.pop(doc_id, None)
            else:
                self.article_meta[doc_id] = ArticleMeta.from_record(doc_id, doc)

    def known_tags(self) -> set[str]:
        """Every tag name in use: the codebook's, and any only on annotations (an import)."""
        return {*self.codebook, *self.tag_counts}

    def _add(self, annotation: Annotation) -> None:
        self.by_id[annotation.id] = annotation
        self.by_article.setdefault(annotation.article, {})[annotation.id] = annotation
        self.by_range.setdefault(
            (annotation.article, annotation.start, annotation.end, annotation.author),
            annotation.id,
        )
        for name in annotation.tags:
            self.tag_counts[name] = self.tag_counts.get(name, 0) + 1

    def _remove(self, annotation_id: str) -> None:
        old = self.by_id.pop(annotation_id, None)
        if old is None:
            return
        siblings = self.by_article[old.article]
        del siblings[annotation_id]
        if not siblings:
            del self.by_article[old.article]
        for name in old.tags:
            self.tag_counts[name] -= 1
            if not self.tag_counts[name]:
                del self.tag_counts[name]
        key = (old.article, old.start, old.end, old.author)
        if self.by_range.get(key) == annotation_id:
            del self.by_range[key]
            twin = next(
                (a for a in siblings.values() if (a.start, a.end, a.author) == key[1:]), None
            )
            if twin is not None:  # two of one coder's on one range (imports, races): keep one
                self.by_range[key] = twin.id
