"""The reader's panes and what they show: the articles side by side, the status line, the
focus bar and the footer, kept in step with the store through its change signal.

`ReaderScreen` (reader_screen.py) builds on this with the actions of every reader key; this
part holds the state those actions change (the focused pane, the mode, the tag focus).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from rich.style import Style as RichStyle
from textual import events, on
from textual.app import ComposeResult
from textual.binding import ActiveBinding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer

from tui.app.key_bindings import reanchor_keys
from tui.app.model.reader_mode import ReaderMode
from tui.app.model.store_change import StoreChange
from tui.app.model.tag_focus import Passage, TagFocus
from tui.app.widgets.article_view import ArticleView
from tui.app.widgets.focus_bar import FocusBar
from tui.app.widgets.status_line import StatusLine, describe
from tui.corpus.index import Changes
from tui.corpus.model import Article
from tui.store.errors import StoreError
from tui.store.hierarchy import is_within
from tui.store.model import Annotation
from tui.wording import counted

# Dialogs are imported when first opened: they pull in rapidfuzz and TextArea, which the
# first frame does not need (bench/reader.py measures launch time).
if TYPE_CHECKING:
    from tui.app.reader import ReaderApp

T = TypeVar("T")


class ReaderPanes(Screen[None]):
    """The panes and what they show: composition, status line, mode and footer, store
    changes, tag focus. `ReaderScreen` adds the actions of the reader's keys."""

    # Zoom (z) keeps the status line, the focus bar and the footer in view, and esc keeps its
    # own meanings (drop the selection, end the search or focus): z alone unzooms.
    ALLOW_IN_MAXIMIZED_VIEW = "FocusBar, StatusLine, Footer"
    ESCAPE_TO_MINIMIZE = False

    mode: reactive[ReaderMode] = reactive(ReaderMode(), bindings=True, repaint=False, init=False)
    """What the reader is doing; a new mode recomposes the footer (and only a new one: that
    costs a layout pass)."""

    def __init__(self, panes: Sequence[Article]) -> None:
        super().__init__()
        self._initial = list(panes)
        self._active: ArticleView | None = None
        self._status_width: int | None = None
        self.tag_focus = TagFocus()
        self.reanchoring: Annotation | None = None

    @property
    def reader(self) -> ReaderApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        session = self.reader.session
        with Horizontal(id="panes"):
            for index, article in enumerate(self._initial):
                yield ArticleView(
                    article,
                    tag_styler=self.tag_styler,
                    annotations=session.annotations_for(article),
                    id=f"pane-{index}",
                )
        yield FocusBar(id="focus-bar")
        yield StatusLine(id="status")
        # Compact: at 80 columns every key that applies, and the palette hint, still fit.
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._activate(self.views[0])
        self.reader.store_changed_signal.subscribe(self, self.show_store_change, immediate=True)

    def show_store_change(self, change: StoreChange) -> None:
        """Redraw what a store change touched: the panes showing its articles, the focus
        (a renamed tag keeps it, a deleted one ends it), the colours, the status line."""
        if not self.is_whole:
            return
        if change.corpus is not None:
            self.show_corpus_change(change.corpus)
        if change.reloaded or change.tag_moves:
            for old, new in change.tag_moves:
                self.tag_moved(old, new)
            self.reload_annotations()
        else:
            for annotation in change.removed:
                for pane in self._panes_showing(annotation.article):
                    pane.remove_annotation(annotation.id)
            for annotation in change.saved:
                for pane in self._panes_showing(annotation.article):
                    pane.add_annotation(annotation)
            if change.details:
                self.reload_details()
        if change.reloaded or (change.codebook and not (change.saved or change.removed)):
            # Colours may differ anywhere. (A tag defined by its first use is drawn only on
            # the passage just saved, which `add_annotation` redraws: no full redraw.)
            self.restyle()
        elif change.written or change.details:
            self._update_status(self.view)  # else the panes' CursorMoved updates it

    def show_corpus_change(self, changes: Changes) -> None:
        """Article files changed on disk (the live corpus): panes showing them follow."""
        from tui.app.corpus_watch import reload_changed_panes

        reload_changed_panes(self, changes)

    def on_resize(self, event: events.Resize) -> None:
        # The status line fits its note to a new width. Only a new width: refitting on every
        # Resize fed back into layout and looped forever under Textual's headless driver.
        if self.views and event.size.width != self._status_width:
            self._status_width = event.size.width
            self.call_after_refresh(self.update_status)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, ArticleView):
            self._active = event.widget

    # -- helpers ---------------------------------------------------------------------------

    @property
    def views(self) -> list[ArticleView]:
        return list(self.query(ArticleView))

    @property
    def view(self) -> ArticleView:
        """The pane keys act on: the one last focused (focus itself moves a moment later)."""
        if self._active is not None and self._active.is_attached:
            return self._active
        focused = self.focused
        if isinstance(focused, ArticleView):
            return focused
        return self.views[0]

    def _activate(self, view: ArticleView) -> None:
        self._active = view
        # Now, not `view.focus()`: that waits its turn in the queue, behind keys typed right
        # after tab (one SSH packet), which would then move the pane just left.
        self.set_focus(view)
        if self.maximized is not None and self.maximized is not view:
            self.maximize(view, container=False)  # zoomed: the zoom follows (tab, jumps)

    def _panes_showing(self, article_id: str) -> list[ArticleView]:
        """Every pane showing the article: both panes may show the same one (to compare two
        places in it)."""
        return [pane for pane in self.views if pane.article.id == article_id]

    def tag_styler(self, names: Sequence[str]) -> RichStyle:
        return self.reader.tag_style(names[0]) if names else RichStyle()

    def _store_call(self, call: Callable[[], T], *, change: bool = True) -> T | None:
        """Run a store change (or query) through the App's one notifier; after a failed change
        the panes are redrawn from the store, which may differ from what they show."""
        return self.reader.store_call(call, on_failure=self.reload_annotations if change else None)

    @property
    def is_whole(self) -> bool:
        """False while the screen is taken down at exit (its bars go before the poll stops)."""
        return bool(self.query(FocusBar)) and bool(self.query(StatusLine))

    def reload_annotations(self) -> None:
        """Show the store's current annotations in every pane (after undo or another writer)."""
        session = self.reader.session
        try:
            current = [session.annotations_for(view.article) for view in self.views]
        except StoreError as error:  # the file went bad under us: say so, keep what is shown
            self.reader.show_store_error(error)
            return
        for view, found in zip(self.views, current, strict=True):
            view.set_annotations(found)
        self.reload_details()
        self._end_focus_on_a_lost_tag()
        self._update_focus_bar()
        self._update_status(self.view)

    def _end_focus_on_a_lost_tag(self) -> None:
        """An undo, or another writer, took away the focused tag (a rename undone, a delete):
        end the focus and say so, rather than dim everything under a name that is gone."""
        focus = self.focus_tag
        if focus is None:
            return
        tags = self._store_call(self.reader.session.tags, change=False)
        if tags is None or any(is_within(tag.name, focus) for tag in tags):
            return
        self.set_focus_tag(None)
        self.app.notify(f"Tag focus ended: {focus} is no longer in the codebook.", markup=False)

    def reload_details(self) -> None:
        """Show the store's article details in the pane titles (after undo or another writer)."""
        session = self.reader.session
        try:
            session.reload_articles()
        except StoreError:  # reported by reload_annotations and the poll
            return
        for view in self.views:
            current = session.article(view.article.id)
            if current is not None and current != view.article:
                view.update_details(current)

    def update_status(self) -> None:
        self._update_status(self.view)

    def restyle(self) -> None:
        for view in self.views:
            view.restyle()
        self._update_status(self.view)

    @on(ArticleView.CursorMoved)
    def _cursor_moved(self, event: ArticleView.CursorMoved) -> None:
        if event.view is self.view:
            self._update_status(event.view)

    def _update_status(self, view: ArticleView) -> None:
        sentences = len(view.article.sentences)
        position = f"{view.cursor + 1}/{sentences}" if sentences else "empty"
        if view.matches:
            found = counted(len(view.matches), "match", "matches")
            on = view.current_match
            if on is not None and len(view.matches) > 1:
                found = f"{on + 1} of {found}"  # "3 of 7 matches": which one `n` went to
            position += f" · {found}"
        notice = "blind: others hidden" if self.reader.session.blind else ""
        if self.reanchoring is not None:
            select, confirm, cancel = reanchor_keys(self.reader.user_keys)
            notice = (
                f"RE-ANCHOR: select the passage ({select}), {confirm} confirms, {cancel} cancels"
            )
        line = self.query_one(StatusLine)
        status = describe(
            view.annotations_under_cursor(self.reader.session.user),
            notice=notice,
            position=position,
            tag_styler=self.tag_styler,
            selecting=view.selection is not None,
            unsaved=self.reader.session.store.pending_writes,
            background=self.reader.corpus_watch.status,
            width=line.content_region.width or None,
        )
        line.show(status)
        self.mode = ReaderMode(
            selecting=view.selection is not None,
            searching=bool(view.matches),
            focused=self.focus_tag is not None,
            reanchoring=self.reanchoring is not None,
            on_annotation=bool(view.annotations_under_cursor()),
            pane_has_focus=view is self.focused,
        )

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The footer's keys, as the mode wants them (`ReaderMode.footer_shows`): Textual's
        `check_action` can only hide a key by disabling it, and these keys still work."""
        mode = self.mode
        shown = {}
        for key, active in super().active_bindings.items():
            binding_id = active.binding.id
            if not mode.footer_shows(binding_id):
                active = active._replace(binding=replace(active.binding, show=False))
            elif binding_id == "delete" and not mode.on_annotation:
                active = active._replace(enabled=False)  # `x` answers, but the footer dims it
            shown[key] = active
        return shown

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"note", "delete"} and not self.views:
            return False
        if action == "switch_pane":
            return len(self.views) > 1
        if action == "cancel_mode":
            return self.mode.can_cancel
        return True

    # -- tag focus (the keys are ReaderScreen's) ----------------------------------------

    @property
    def focus_tag(self) -> str | None:
        return self.tag_focus.tag

    def set_focus_tag(self, tag: str | None) -> None:
        passages = self._passages(tag) if tag is not None and self.views else []
        self.tag_focus.set(tag, passages, self._at_cursor)
        self._show_focus()

    def _show_focus(self) -> None:
        for view in self.views:
            view.set_focus_tag(self.focus_tag)
        self._update_focus_bar()
        self._update_status(self.view)

    def _at_cursor(self, passage: Passage) -> bool:
        view = self.views[passage.pane]
        return view is self.view and view.sentence_at(passage.annotation.start) == view.cursor

    def _passages(self, tag: str) -> list[Passage]:
        shown = [view.highlights.all() for view in self.views]
        return self.reader.session.focus_passages(tag, shown)

    def tag_moved(self, old: str, new: str | None) -> None:
        """The codebook renamed or merged `old` into `new` (None: deleted): keep the focus on it."""
        if self.tag_focus.followed(old, new):
            self._show_focus()

    def _update_focus_bar(self) -> None:
        bar = self.query_one(FocusBar)
        tag = self.focus_tag
        if tag is None:
            bar.clear()
            return
        shown = [view.highlights.all() for view in self.views]
        figures = self.reader.session.focus_figures(
            tag, [view.article for view in self.views], shown
        )
        position = self.tag_focus.position(self._passages(tag))
        bar.show_figures(tag, figures, self.tag_styler([tag]), position=position)
