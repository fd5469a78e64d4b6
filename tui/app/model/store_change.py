"""What one write (or another writer) changed in the store, as the app's screens need to know.

`ReaderSession` reports one `StoreChange` per write; the App publishes it on its
`store_changed_signal`, and every screen or widget that shows store data subscribes and
redraws what the change touches. Plain data, no Textual: the session is tested without a
terminal, and a new screen only has to read these fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from tui.corpus.index import Changes
from tui.store.model import Annotation


@dataclass(frozen=True, slots=True)
class StoreChange:
    """One change. Empty fields mean "not touched"; `reloaded` means "anything may differ"."""

    saved: tuple[Annotation, ...] = ()
    """Annotations written (new or changed), as the store now holds them, anchored."""
    removed: tuple[Annotation, ...] = ()
    """Annotations deleted (as they were)."""
    codebook: bool = False
    """Tags were created, renamed, merged, recoloured, described, bound or deleted: colours
    and counts may differ, and annotations may carry other names."""
    tag_moves: tuple[tuple[str, str | None], ...] = ()
    """(old, new) for a renamed or merged tag; new is None for a deleted one."""
    details: frozenset[str] = frozenset()
    """Article ids whose details (title, source, author, date, URL) changed."""
    reloaded: bool = False
    """Undo, redo or another writer: the store may differ anywhere; redraw from it."""
    written: bool = False
    """Only the count of writes waiting to be retried changed (they were written)."""
    corpus: Changes | None = None
    """Article files added, changed or removed on disk (the live corpus), or cleaned in the
    background (then the Changes are empty): lists of articles and the panes showing them
    update."""
    extra: frozenset[str] = field(default_factory=frozenset)
    """Names of other kinds of data a later session method touches (memos, attributes),
    so a screen can ask `"memos" in change.extra` without a new field per kind."""

    @property
    def annotation_ids(self) -> frozenset[str]:
        """Ids of the annotations written or deleted."""
        return frozenset(a.id for a in (*self.saved, *self.removed))

    @property
    def article_ids(self) -> frozenset[str]:
        """Articles whose annotations or details changed (empty when only `reloaded`)."""
        return frozenset(a.article for a in (*self.saved, *self.removed)) | self.details

    def touches(self, article_ids: Iterable[str]) -> bool:
        """True when a view of these articles must redraw for this change."""
        return self.reloaded or self.codebook or not self.article_ids.isdisjoint(article_ids)


NOTHING = StoreChange()
