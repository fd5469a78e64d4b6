"""The reader's view of its workspace: the corpus, and the store changes its keys make.

Kept free of Textual so the rules (a new tag joins the codebook with a colour, tagging the same
span again adds to that annotation, a note without tags is still an annotation) can be tested
without a terminal, and so screens stay thin.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from tui.analysis.agreement import AgreementReport, measure_agreement
from tui.analysis.differences import (
    CONSENSUS,
    KEPT,
    Choice,
    Decision,
    Difference,
    compare,
    decide,
)
from tui.app.model.corpus_view import ArticleEntry, CorpusView, ListedArticle
from tui.app.model.store_change import StoreChange
from tui.app.model.tag_focus import Passage
from tui.corpus.live_corpus import Changes, LiveCorpus
from tui.corpus.model import Article
from tui.store import AnnotationStore
from tui.store.anchoring import Reanchored
from tui.store.errors import StoreWriteError
from tui.store.hierarchy import (
    SEPARATOR,
    is_within,
    normalise_tag_name,
    passages_under,
    reparent,
    tree_order,
)
from tui.store.history import Action, short
from tui.store.memos import PROJECT
from tui.store.model import Annotation, Memo, Tag, effective_article
from tui.store.names import check_author

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class FocusFigures:
    """How one article treats the focused tag: passages, and characters coded (overlaps once)."""

    article: Article
    passages: int
    characters: int


class ReaderSession:
    """The app's only way to write: every write method reports a `StoreChange` to `on_change`
    (the App publishes it on its store-change signal), so every screen sees every change.

    To add a write: call the store through `self._write(call, describe)`, where `describe`
    turns the result into the StoreChange (a write that failed only to be retried still
    happened in memory, so it is reported too).
    """

    def __init__(self, articles: Sequence[Article] | LiveCorpus, store: AnnotationStore) -> None:
        """`articles`: the reader's `LiveCorpus` (articles loaded when shown), or a list of
        cleaned articles (tests, small tools)."""
        self.on_change: Callable[[StoreChange], None] = lambda change: None
        self.corpus = CorpusView(articles)
        self._entries: list[ArticleEntry] | None = None
        self._checking: dict[str, list[Annotation]] = {}
        fixed = [] if isinstance(articles, LiveCorpus) else list(articles)
        # The articles as cleaning derived them; what is shown and exported are the
        # effective ones, with the reader's corrected title, source, author, date and URL.
        self._derived = {article.id: article for article in fixed}
        self.store = store
        self._articles = fixed
        self._by_id = {article.id: article for article in self._articles}
        self.reload_articles()

    @property
    def articles(self) -> Sequence[ListedArticle]:
        """Every article as a list shows it: with a live corpus light entries (nothing is
        cleaned for them), else the effective Articles (a list kept, so holders see edits)."""
        if self.corpus.live is None:
            return self._articles
        if self._entries is None:
            self._entries = self.corpus.entries(self.store.article_metas())
        return self._entries

    def reload_articles(self) -> list[Article]:
        """Apply the store's article details again (after an edit, undo or another writer);
        the articles whose details changed. The list object is kept, so holders see them."""
        self._entries = None  # a live corpus's entries are listed again when next asked for
        metas = self.store.article_metas()
        changed = []
        for index, article in enumerate(self._articles):
            current = effective_article(self._derived[article.id], metas.get(article.id))
            if current != article:
                self._articles[index] = current
                self._by_id[current.id] = current
                changed.append(current)
        return changed

    def _write(self, call: Callable[[], T], describe: Callable[[T], StoreChange]) -> T:
        """Run one store write and report what it changed (also when it only waits to be
        retried: it happened in memory). A refused write (any other StoreError) changed
        nothing and is not reported."""
        try:
            result = call()
        except StoreWriteError as error:
            if error.result is None:  # no result to describe: redraw from the store
                self.on_change(StoreChange(reloaded=True))
            else:
                self.on_change(describe(error.result))
            raise
        self.on_change(describe(result))
        return result

    def set_article_details(self, article_id: str, **fields: str) -> Article:
        """Save the reader's title, source, author, date or url ("" restores the derived one)."""

        def save() -> None:
            try:
                self.store.set_article_meta(article_id, **fields)
            finally:  # a write that only waits to be retried is in memory: show it anyway
                self.reload_articles()

        self._write(save, lambda _: StoreChange(details=frozenset({article_id})))
        article = self.article(article_id)
        if article is None:
            raise KeyError(article_id)
        return article

    def derived_article(self, article_id: str) -> Article | None:
        """The article as cleaning left it, before the reader's corrections."""
        if self.corpus.live is not None:
            return self.corpus.derived(article_id)
        return self._derived.get(article_id)

    @property
    def user(self) -> str:
        return self.store.user

    def article(self, article_id: str) -> Article | None:
        """The article with the reader's corrections; a live corpus loads it now (cache or
        cleaner) if it is not in memory. None when it is not in the corpus (or gone)."""
        if self.corpus.live is None:
            return self._by_id.get(article_id)
        derived = self.corpus.derived(article_id)
        if derived is None:
            return None
        return effective_article(derived, self.store.article_meta(article_id))

    def annotations_for(self, article: Article) -> list[Annotation]:
        """The article's annotations anchored to its current clean text (only the user's
        while blind)."""
        return self.visible(self.store.anchored(article.id, article.text))

    def all_annotations(self) -> list[Annotation]:
        """Every annotation in the store, anchored; those of articles not in the corpus are
        orphaned (there is no text to show them in). Only annotated articles are loaded."""
        found: list[Annotation] = []
        annotated = self.annotated_articles()
        for article in annotated:
            found.extend(self.annotations_for(article))
        known = {article.id for article in annotated}
        found.extend(
            replace(annotation, anchor="orphaned")
            for annotation in self.visible(self.store.annotations())
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
        new = self._any_new(names)
        return self._write(
            lambda: self.store.add(article.id, start, end, article.text, list(names)),
            lambda saved: StoreChange(saved=(saved,), codebook=new),
        )

    def _any_new(self, names: Sequence[str]) -> bool:
        """True when one of `names` is not in the codebook yet (the write will define it)."""
        return any(self.store.tag(name) is None for name in names)

    def retag(
        self, annotation: Annotation, *, add: Sequence[str], remove: Sequence[str]
    ) -> tuple[Annotation, bool]:
        """Tags on and off an annotation; (it, True) if that left nothing and it went."""
        new = self._any_new(add)
        return self._write(
            lambda: self.store.retag(annotation.id, add=add, remove=remove),
            lambda done: StoreChange(
                saved=() if done[1] else (done[0],),
                removed=(annotation,) if done[1] else (),
                codebook=new,
            ),
        )

    def annotate(self, article: Article, start: int, end: int, *, note: str) -> Annotation:
        return self._write(
            lambda: self.store.add(article.id, start, end, article.text, [], note=note),
            _saved,
        )

    def set_note(self, annotation: Annotation, note: str) -> Annotation:
        return self._write(lambda: self.store.update(annotation.id, note=note), _saved)

    def delete(self, annotation: Annotation) -> Annotation:
        return self._write(
            lambda: self.store.delete(annotation.id),
            lambda gone: StoreChange(removed=(gone or annotation,)),
        )

    def reanchor(
        self, annotation: Annotation, article: Article, start: int, end: int
    ) -> Annotation:
        """Give a fuzzy or orphaned annotation the passage the reader chose by hand."""
        return self._write(
            lambda: self.store.update(annotation.id, start=start, end=end, text=article.text),
            lambda moved: StoreChange(saved=(moved,), removed=(annotation,), reloaded=True),
        )

    # -- codebook ------------------------------------------------------------------------------

    def create_tag(self, name: str) -> Tag:
        """A new tag with its own colour and the first free key of 1-9, if any."""
        return self._write(lambda: self.store.create_tag(name), _codebook)

    def rename_tag(self, old: str, new: str) -> int:
        """Rename `old` and its children; how many annotations changed."""
        moved = (old, normalise_tag_name(new))
        return self._write(
            lambda: self.store.rename_tag(old, new),
            lambda _: StoreChange(codebook=True, tag_moves=(moved,)),
        )

    def merge_tags(self, source: str, into: str) -> int:
        """Merge `source` (and its children) into `into`; how many annotations moved."""
        moved = (source, reparent(source, source, normalise_tag_name(into)))
        return self._write(
            lambda: self.store.merge_tags(source, into),
            lambda _: StoreChange(codebook=True, tag_moves=(moved,)),
        )

    def recolor_tag(self, name: str, color: str) -> Tag:
        return self._write(lambda: self.store.recolor_tag(name, color), _codebook)

    def bind_key(self, name: str, key: int | None) -> Tag:
        """Bind quick key `key` to the tag (None unbinds)."""
        return self._write(lambda: self.store.bind_key(name, key), _codebook)

    def describe_tag(self, name: str, description: str) -> Tag:
        return self._write(lambda: self.store.describe_tag(name, description), _codebook)

    def delete_tag(self, name: str) -> int:
        """Delete the tag and its children; the annotations stay. How many changed."""
        return self._write(
            lambda: self.store.delete_tag(name),
            lambda _: StoreChange(codebook=True, tag_moves=((name, None),)),
        )

    def tag_totals(self) -> dict[str, int]:
        """Annotations per tag node (a parent counts its children's)."""
        if self.blind:
            return passages_under(a.tags for a in self.visible(self.store.annotations()))
        return self.store.tag_totals()

    def annotation_count(self) -> int:
        return len(self.visible(self.store.annotations()))

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
        return self._write(self.store.undo, _reloaded)

    def redo(self) -> str | None:
        return self._write(self.store.redo, _reloaded)

    def refresh(self) -> bool:
        """Retry waiting writes and pick up other writers; True when something changed
        (reported as a reload: another writer may have changed anything)."""
        changed = self.store.refresh()
        if changed:
            self.on_change(StoreChange(reloaded=True))
        return changed

    # Other helpers: add new write methods below, each through `self._write`.

    # -- article attributes and memos (the "data" helper's block) ---------------------------

    def article_attributes(self, article_id: str) -> dict[str, str]:
        """The article's free attributes (outlet, country, ...), by name."""
        return dict(self.store.article_meta(article_id).attributes)

    def set_article_attributes(self, article_id: str, changes: dict[str, str]) -> dict[str, str]:
        """Set or ("" as the value) remove attributes in one undoable change; what is set now."""
        meta = self._write(
            lambda: self.store.set_article_attributes(article_id, changes),
            lambda _: StoreChange(extra=frozenset({"attributes"})),
        )
        return dict(meta.attributes)

    def memos_for(self, article_id: str | None) -> list[Memo]:
        """The article's memos (oldest first), then the project's; only the project's for None."""
        mine = self.store.memos.list(article_id) if article_id else []
        return [*mine, *self.store.memos.list(PROJECT)]

    def add_memo(self, article_id: str | None, text: str) -> Memo:
        """A new memo by this user on the article, or on the project for None."""
        return self._write(lambda: self.store.memos.add(article_id or PROJECT, text), _memos)

    def edit_memo(self, memo_id: str, text: str) -> Memo:
        return self._write(lambda: self.store.memos.edit(memo_id, text), _memos)

    def delete_memo(self, memo_id: str) -> Memo:
        return self._write(lambda: self.store.memos.delete(memo_id), _memos)

    # -- team coding: blind mode, compare and adjudicate (issue 16) ----------------------------

    _settles: tuple[Action, ...] = ()
    """The store's history actions of this session's `settle`s (each decision one action)."""

    blind: bool = False
    """Blind coding: every view of the annotations (panes, counts, focus, lists, exports)
    holds only the user's own, so coders code independently on one store."""

    def set_blind(self, blind: bool) -> None:
        """Hide (or show again) everyone else's annotations; reported as a reload so that
        every screen redraws from the filtered view."""
        if blind != self.blind:
            self.blind = blind
            self.on_change(StoreChange(reloaded=True))

    def visible(self, annotations: list[Annotation]) -> list[Annotation]:
        """`annotations` as this session may show them: all, or only the user's while blind."""
        if not self.blind:
            return annotations
        return [annotation for annotation in annotations if annotation.author == self.user]

    @property
    def export_author(self) -> str | None:
        """The author an export from the app is limited to (the user while blind)."""
        return self.user if self.blind else None

    def coders(self) -> list[str]:
        """Everyone who annotated, the consensus layer left out: the coders to compare."""
        authors = {annotation.author for annotation in self.store.annotations()}
        return sorted(name for name in authors if name and name != CONSENSUS)

    def coder_annotations(self, article: Article, coder: str) -> list[Annotation]:
        """One coder's annotations on the article, anchored (blind or not: comparing is
        what blind mode is put away for)."""
        found = self.store.anchored(article.id, article.text)
        return [annotation for annotation in found if annotation.author == coder]

    def compare_coders(self, article: Article, coder_a: str, coder_b: str) -> list[Difference]:
        """Where the two coders differ on the article, in text order."""
        return compare(self.store.anchored(article.id, article.text), coder_a, coder_b)

    def coder_agreement(self, article: Article, coder_a: str, coder_b: str) -> AgreementReport:
        """The two coders' agreement on this article, by sentence, over every tag they used."""
        found = [
            a
            for a in self.store.anchored(article.id, article.text)
            if a.author in (coder_a, coder_b)
        ]
        tags = sorted({name for annotation in found for name in annotation.tags})
        return measure_agreement([article], found, [coder_a, coder_b], tags)

    def settle(
        self, article: Article, difference: Difference, choice: Choice, consensus: str = CONSENSUS
    ) -> Decision:
        """Write the consensus coding of one difference (A's, B's, both or neither): earlier
        consensus coding of that tag there loses it, the kept extents are written under
        `consensus`. The coders' originals never change. However many records it touches, it
        is ONE change in the store's history: one `undo_settle`, or one `u` in the reader."""
        check_author(consensus)
        current = self.coder_annotations(article, consensus)
        decision = decide(difference, choice, article.text, current, consensus)
        untag = [annotation.id for annotation in decision.untag]
        what = f"settle {short(difference.tag)!r}: keep {KEPT[choice]}"

        def write() -> Decision:
            if not untag and not decision.put:
                return decision  # nothing to write (reported all the same: nothing changed)
            try:
                written = self.store.replace_coding(difference.tag, untag, decision.put, what)
            except StoreWriteError as error:  # applied in memory: described like a success
                if error.result is not None:
                    error.result = replace(decision, put=tuple(error.result))
                raise
            return replace(decision, put=tuple(written))

        before = self.store.last_change()
        try:
            return self._write(write, _settled)
        finally:
            last = self.store.last_change()
            if last is not None and last is not before:  # it reached the history
                self._settles = (*self._settles, last)

    def undo_settle(self) -> str | None:
        """Take back the last decision made by `settle`, when it is still this session's last
        change (not undone in the reader since, nor followed by another change); else None."""
        last = self.store.last_change()
        if last is None or not any(last is action for action in self._settles):
            return None
        self._settles = tuple(action for action in self._settles if action is not last)

        def undo() -> str | None:
            undone = self.store.undo()
            return "the last consensus decision" if undone is not None else None

        return self._write(undo, _reloaded)

    # -- corpus search: code all hits (scale) ---------------------------------------------------

    def tag_hits(
        self, hits: Sequence[tuple[str, int, int]], names: Sequence[str]
    ) -> list[Annotation]:
        """Tag every hit `(article id, start, end)` with `names`, as `tag_span` would, in ONE
        undoable change: `u` takes back the lot. Hits in articles not in the corpus are left."""
        texts = {
            article_id: article.text
            for article_id in dict.fromkeys(article_id for article_id, _start, _end in hits)
            if (article := self.article(article_id)) is not None
        }
        kept = [hit for hit in hits if hit[0] in texts]
        if not kept:
            return []
        new = self._any_new(names)
        return self._write(
            lambda: self.store.add_many(kept, texts, names),
            lambda saved: StoreChange(saved=tuple(saved), codebook=new),
        )

    # -- the live corpus (issue 15) ------------------------------------------------------------

    @property
    def article_ids(self) -> list[str]:
        """Every article id of the corpus, in corpus order (nothing is loaded)."""
        return self.corpus.ids

    def show(self, article_ids: Sequence[str]) -> None:
        """The articles on screen now: kept in memory while others may be dropped."""
        self.corpus.show(article_ids)

    def annotated_articles(self) -> list[Article]:
        """The articles (effective, loaded) that have annotations, in corpus order: what the
        annotations list and the export dialog need text for; never the whole corpus."""
        annotated = {annotation.article for annotation in self.store.annotations()}
        found = (self.article(i) for i in self.corpus.ids if i in annotated)
        return [article for article in found if article is not None]

    def corpus_changed(self, changes: Changes) -> None:
        """Files were added, changed or removed on disk (or cleaned in the background):
        list the entries again, forget what was known of changed articles, and publish it."""
        self._entries = None
        for article_id in (*changes.changed, *changes.removed):
            self._checking.pop(article_id, None)
        self.on_change(StoreChange(corpus=changes))

    def reanchor_changed(self, article_id: str) -> tuple[Article, Reanchored] | None:
        """A changed article loaded again, with its annotations placed in the new text
        (none dropped); those that need checking are kept for `needs_checking`."""
        article = self.article(article_id)
        if article is None:
            return None
        placed = self.store.reanchored(article_id, article.text)
        self._checking[article_id] = placed.needs_checking
        return article, placed

    def needs_checking(self, article_id: str) -> list[Annotation]:
        """The article's annotations that its file changing left fuzzy or orphaned (empty
        until its file changed while the reader was open)."""
        return list(self._checking.get(article_id, ()))


def _memos(_result: object) -> StoreChange:
    return StoreChange(extra=frozenset({"memos"}))


def _saved(annotation: Annotation) -> StoreChange:
    return StoreChange(saved=(annotation,))


def _codebook(_result: object) -> StoreChange:
    return StoreChange(codebook=True)


def _settled(decision: Decision) -> StoreChange:
    """A consensus decision writes consensus annotations; earlier ones that lost the tag may
    be gone or changed, so then everything is redrawn from the store."""
    return StoreChange(saved=decision.put, reloaded=bool(decision.untag))


def _reloaded(_done: str | None) -> StoreChange:
    # Also when there was nothing to undo: the screens redraw from the store, which is how a
    # store gone bad under us is reported on `u` too.
    return StoreChange(reloaded=True)


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
