"""The reader's view of its workspace: the corpus, and the store changes its keys make.

Kept free of Textual so the rules (a new tag joins the codebook with a colour, tagging the same
span again adds to that annotation, a note without tags is still an annotation) can be tested
without a terminal, and so screens stay thin.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from tui.corpus.model import Article
from tui.store import AnnotationStore
from tui.store.hierarchy import SEPARATOR, is_within, normalise_tag_name, tree_order
from tui.store.model import Annotation, Tag, effective_article


@dataclass(frozen=True, slots=True)
class Passage:
    """One passage of a focused tag: which shown article (by pane) and the annotation."""

    pane: int
    annotation: Annotation

    @property
    def order(self) -> tuple[int, int, int, str]:
        """Reading order across the panes: the left article first, then the right."""
        a = self.annotation
        return (self.pane, a.start, -a.end, a.id)


@dataclass(frozen=True, slots=True)
class FocusFigures:
    """How one article treats the focused tag: passages, and characters coded (overlaps once)."""

    article: Article
    passages: int
    characters: int


class ReaderSession:
    def __init__(self, articles: Sequence[Article], store: AnnotationStore) -> None:
        # The articles as cleaning derived them; what is shown and exported are the
        # effective ones, with the reader's corrected title, source, author, date and URL.
        self._derived = {article.id: article for article in articles}
        self.store = store
        self.articles = list(articles)
        self._by_id = {article.id: article for article in self.articles}
        self.reload_articles()

    def reload_articles(self) -> list[Article]:
        """Apply the store's article details again (after an edit, undo or another writer);
        the articles whose details changed. The list object is kept, so holders see them."""
        metas = self.store.article_metas()
        changed = []
        for index, article in enumerate(self.articles):
            current = effective_article(self._derived[article.id], metas.get(article.id))
            if current != article:
                self.articles[index] = current
                self._by_id[current.id] = current
                changed.append(current)
        return changed

    def set_article_details(self, article_id: str, **fields: str) -> Article:
        """Save the reader's title, source, author, date or url ("" restores the derived one)."""
        try:
            self.store.set_article_meta(article_id, **fields)
        finally:  # a write that only waits to be retried is in memory: show it anyway
            self.reload_articles()
        return self._by_id[article_id]

    def derived_article(self, article_id: str) -> Article | None:
        """The article as cleaning left it, before the reader's corrections."""
        return self._derived.get(article_id)

    @property
    def user(self) -> str:
        return self.store.user

    def article(self, article_id: str) -> Article | None:
        return self._by_id.get(article_id)

    def annotations_for(self, article: Article) -> list[Annotation]:
        """The article's annotations anchored to its current clean text."""
        return self.store.anchored(article.id, article.text)

    def all_annotations(self) -> list[Annotation]:
        """Every annotation in the store, anchored; those of articles not in the corpus are
        orphaned (there is no text to show them in)."""
        found: list[Annotation] = []
        for article in self.articles:
            found.extend(self.annotations_for(article))
        known = set(self._by_id)
        found.extend(
            replace(annotation, anchor="orphaned")
            for annotation in self.store.annotations()
            if annotation.article not in known
        )
        return found

    def tags(self) -> list[Tag]:
        return self.store.tags()

    def tag(self, name: str) -> Tag | None:
        return self.store.tag(name)

    def tag_for_key(self, key: int) -> Tag | None:
        return next((tag for tag in self.store.tags() if tag.key == key), None)

    def tag_span(self, article: Article, start: int, end: int, names: Sequence[str]) -> Annotation:
        """Tag `[start, end)`: joins an annotation on exactly that span, else makes one.

        A name never seen joins the codebook with its own colour and the first free key of
        1-9 (the store's rule), so the next use is one key press.
        """
        return self.store.add(article.id, start, end, article.text, list(names))

    def retag(
        self, annotation: Annotation, *, add: Sequence[str], remove: Sequence[str]
    ) -> tuple[Annotation, bool]:
        """Tags on and off an annotation; (it, True) if that left nothing and it went."""
        return self.store.retag(annotation.id, add=add, remove=remove)

    def annotate(self, article: Article, start: int, end: int, *, note: str) -> Annotation:
        return self.store.add(article.id, start, end, article.text, [], note=note)

    def set_note(self, annotation: Annotation, note: str) -> Annotation:
        return self.store.update(annotation.id, note=note)

    def delete(self, annotation: Annotation) -> Annotation:
        return self.store.delete(annotation.id)

    def reanchor(
        self, annotation: Annotation, article: Article, start: int, end: int
    ) -> Annotation:
        """Give a fuzzy or orphaned annotation the passage the reader chose by hand."""
        return self.store.update(annotation.id, start=start, end=end, text=article.text)

    # -- codebook ------------------------------------------------------------------------------

    def create_tag(self, name: str) -> Tag:
        """A new tag with its own colour and the first free key of 1-9, if any."""
        return self.store.create_tag(name)

    @staticmethod
    def normalised_name(name: str) -> str:
        """The name the store keeps for `name` (parts trimmed)."""
        return normalise_tag_name(name)

    def annotations_touched(self, tag: str) -> int:
        """How many annotations deleting `tag` (and its children) would change."""
        return len(self.store.annotations(tag=tag))

    # -- tag focus -----------------------------------------------------------------------------

    def focus_passages(self, tag: str, shown: Sequence[Sequence[Annotation]]) -> list[Passage]:
        """The passages of `tag` (children included) in the panes' annotations, in reading
        order; `shown` holds each pane's anchored annotations, left pane first."""
        found = [
            Passage(pane, annotation)
            for pane, annotations in enumerate(shown)
            for annotation in annotations
            if annotation.anchor != "orphaned" and has_tag(annotation, tag)
        ]
        return sorted(found, key=lambda passage: passage.order)

    def focus_figures(
        self, tag: str, articles: Sequence[Article], shown: Sequence[Sequence[Annotation]]
    ) -> list[FocusFigures]:
        """Per pane: how many passages carry `tag`, and how many characters they cover."""
        figures = []
        for article, found in zip(articles, shown, strict=True):
            spans = sorted(
                (a.start, a.end) for a in found if a.anchor != "orphaned" and has_tag(a, tag)
            )
            figures.append(FocusFigures(article, len(spans), covered(spans)))
        return figures

    def undo(self) -> str | None:
        return self.store.undo()

    def redo(self) -> str | None:
        return self.store.redo()

    def refresh(self) -> bool:
        """Retry waiting writes and pick up other writers; True when something changed."""
        return self.store.refresh()

    # -- corpus search: code all hits (scale) ---------------------------------------------------

    def tag_hits(
        self, hits: Sequence[tuple[str, int, int]], names: Sequence[str]
    ) -> list[Annotation]:
        """Tag every hit `(article id, start, end)` with `names`, as `tag_span` would, in ONE
        undoable change: `u` takes back the lot. Hits in articles not in the corpus are left."""
        texts = {
            article_id: article.text
            for article_id, _start, _end in hits
            if (article := self._by_id.get(article_id)) is not None
        }
        kept = [hit for hit in hits if hit[0] in texts]
        return self.store.add_many(kept, texts, names) if kept else []


def tree_names(tags: Sequence[Tag]) -> list[str]:
    """Every node of the codebook tree: each tag, and each parent a path implies (`Russia`
    for `Russia/war aims`), in tree order (a parent right before its children)."""
    names: set[str] = set()
    for tag in tags:
        parts = tag.name.split(SEPARATOR)
        names.update(SEPARATOR.join(parts[:depth]) for depth in range(1, len(parts) + 1))
    return sorted(names, key=tree_order)


def has_tag(annotation: Annotation, tag: str) -> bool:
    """True when the annotation carries `tag` or a tag below it."""
    return any(is_within(name, tag) for name in annotation.tags)


def covered(spans: Sequence[tuple[int, int]]) -> int:
    """Characters inside at least one of the sorted `spans`: overlaps are counted once."""
    total = 0
    reach = 0
    for start, end in spans:
        start = max(start, reach)
        if end > start:
            total += end - start
            reach = end
    return total
