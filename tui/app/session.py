"""The reader's view of its workspace: the corpus, and the store changes its keys make.

Kept free of Textual so the rules (a new tag joins the codebook with a colour, tagging the same
span again adds to that annotation, a note without tags is still an annotation) can be tested
without a terminal, and so screens stay thin.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from tui.corpus.model import Article
from tui.store import AnnotationStore, StoreWriteError
from tui.store.model import Annotation, Tag


class ReaderSession:
    def __init__(self, articles: Sequence[Article], store: AnnotationStore) -> None:
        self.articles = list(articles)
        self.store = store
        self._by_id = {article.id: article for article in self.articles}

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

        A name never seen is created in the codebook first, so it gets its own colour, and
        the first free key of 1-9, so the next use is one key press.
        """
        unsaved: StoreWriteError | None = None
        for name in names:
            if self.store.tag(name) is None:
                try:
                    self.store.create_tag(name, key=self._free_key())
                except StoreWriteError as error:  # made in memory, written on a later retry
                    unsaved = error
        annotation = self.store.add(article.id, start, end, article.text, list(names))
        if unsaved is not None:
            raise StoreWriteError(str(unsaved), result=annotation)
        return annotation

    def _free_key(self) -> int | None:
        taken = {tag.key for tag in self.store.tags()}
        return next((key for key in range(1, 10) if key not in taken), None)

    def annotate(self, article: Article, start: int, end: int, *, note: str) -> Annotation:
        return self.store.add(article.id, start, end, article.text, [], note=note)

    def set_note(self, annotation: Annotation, note: str) -> Annotation:
        return self.store.update(annotation.id, note=note)

    def delete(self, annotation: Annotation) -> Annotation:
        return self.store.delete(annotation.id)

    def undo(self) -> str | None:
        return self.store.undo()

    def redo(self) -> str | None:
        return self.store.redo()

    def refresh(self) -> bool:
        """Retry waiting writes and pick up other writers; True when something changed."""
        return self.store.refresh()
