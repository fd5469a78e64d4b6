"""The main screen: article panes side by side, the status line and every reader key.

The keys live on this screen rather than on the App so that a dialog on top (picker, note,
help) never receives them. Every change goes to the store at once through `ReaderSession`;
a write that fails is shown as an error and the store keeps it to retry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar, TypeVar

from rich.style import Style as RichStyle
from textual import events, on
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer

from tui.app.model.session import Passage, tree_names
from tui.app.model.store_change import StoreChange
from tui.app.widgets.article_view import ArticleView
from tui.app.widgets.focus_bar import FocusBar
from tui.app.widgets.status_line import StatusLine, describe
from tui.corpus.index import Changes
from tui.corpus.model import Article
from tui.store.errors import StoreError, StoreWriteError
from tui.store.hierarchy import is_within, reparent
from tui.store.model import QUICK_KEYS, Annotation, Tag
from tui.wording import counted

# Dialogs are imported when first opened: they pull in rapidfuzz and TextArea, which the
# first frame does not need (bench/reader.py measures launch time).
if TYPE_CHECKING:
    from tui.app.dialogs.tag_picker import PickedTags
    from tui.app.reader import ReaderApp
    from tui.app.screens.annotations_screen import Jump

T = TypeVar("T")

QUICK_TAG_BINDINGS: list[BindingType] = [
    Binding(
        str(key),
        f"quick_tag({key})",
        "Quick tag",
        show=False,
        tooltip="apply the tag bound to that key",
        id=f"quick-tag-{key}",
    )
    for key in QUICK_KEYS
]


FOOTER_LESS_WHILE_SELECTING = frozenset(
    {"select", "search", "open-article", "quit", "next-match", "prev-match", "next-passage"}
)
"""Keys the footer leaves out while selecting, so the selection keys fit in 80 columns
(`v` again drops the selection, as `esc Cancel` there says)."""
FOOTER_LESS_WHILE_FOCUSED = frozenset({"open-article", "quit", "search"})
"""... and while a tag is focused (its `.` key joins the footer)."""
FOOTER_LESS_WHILE_SEARCHING = frozenset({"open-article", "quit"})
"""... and while search matches are marked (`n/N` join the footer)."""


class ReaderScreen(Screen[None]):
    # Zoom (z) keeps the status line, the focus bar and the footer in view, and esc keeps its
    # own meanings (drop the selection, end the search or focus): z alone unzooms.
    ALLOW_IN_MAXIMIZED_VIEW = "FocusBar, StatusLine, Footer"
    ESCAPE_TO_MINIMIZE = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "t,enter",
            "tag",
            "Tag",
            tooltip="tag the selection or sentence: the picker (a new name makes a tag)",
            id="tag",
        ),
        *QUICK_TAG_BINDINGS,
        Binding(
            "m",
            "note",
            "Note",
            tooltip="write or edit the note of the annotation under the cursor",
            id="note",
        ),
        Binding(
            "x,delete",
            "delete",
            "Delete",
            tooltip="remove the annotation under the cursor",
            id="delete",
        ),
        Binding("u", "undo", "Undo", tooltip="undo the last change", id="undo"),
        Binding("U,ctrl+r", "redo", "Redo", show=False, tooltip="redo what was undone", id="redo"),
        Binding("slash", "search", "Search", tooltip="search the article; then n / N", id="search"),
        Binding(
            "o",
            "choose_article",
            "Open",
            tooltip="choose the article of this pane",
            id="open-article",
        ),
        Binding(
            "a",
            "annotations",
            "List",
            show=False,
            tooltip="the annotations list (by tag or article; enter jumps to one)",
            id="annotations",
        ),
        Binding(
            "r",
            "report",
            "Report",
            show=False,
            tooltip="the cleaning report of this article (raw beside clean)",
            id="report",
        ),
        Binding("e", "export", "Export", show=False, tooltip="export annotations", id="export"),
        Binding(
            "c",
            "codebook",
            "Codebook",
            show=False,
            tooltip="the codebook: create, rename, merge, recolour, bind and delete tags",
            id="codebook",
        ),
        Binding(
            "i",
            "article_details",
            "Details",
            show=False,
            tooltip="edit the focused article's title, source, author, date and URL",
            id="article-details",
        ),
        Binding(
            "f",
            "focus_tag",
            "Focus",
            show=False,
            tooltip="focus a tag: dim all but its passages in both panes (f again clears)",
            id="focus-tag",
        ),
        Binding(
            "full_stop,greater_than_sign",
            "step_passage(1)",
            "Next",
            tooltip="while focused: the focused tag's next passage (left article, then right)",
            id="next-passage",
        ),
        Binding(
            "comma,less_than_sign",
            "step_passage(-1)",
            "Prev",
            show=False,
            tooltip="while focused: the focused tag's previous passage",
            id="prev-passage",
        ),
        Binding(
            "escape",
            "cancel_mode",
            "Done",
            show=False,
            tooltip="stop re-anchoring, else clear the search, else clear the tag focus",
            id="cancel-mode",
        ),
        Binding(
            "tab",
            "switch_pane(1)",
            "Other pane",
            show=False,
            tooltip="the other pane",
            id="next-pane",
        ),
        Binding(
            "shift+tab",
            "switch_pane(-1)",
            "Other pane",
            show=False,
            tooltip="the other pane",
            id="previous-pane",
        ),
        Binding(
            "z",
            "zoom",
            "Zoom",
            show=False,
            tooltip="this pane full width, or back to both (as tmux's prefix z)",
            id="zoom",
        ),
        Binding("question_mark", "help", "Keys", tooltip="all keys", id="help"),
    ]

    def __init__(self, panes: Sequence[Article]) -> None:
        super().__init__()
        self._initial = list(panes)
        self._applicable: tuple[bool, ...] = ()
        self._active: ArticleView | None = None
        self._status_width: int | None = None
        self.focus_tag: str | None = None
        self._last_passage: Passage | None = None
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
        if change.codebook or change.reloaded:
            self.restyle()
        else:
            self._update_status(self.view)

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
        """Run a store change (or query); show what went wrong and keep going.

        A failed write was applied in memory and is retried by the store, so its result is
        used. Any other StoreError (a record gone, a file gone bad) is shown; after a failed
        change the panes are redrawn from the store, which may differ from what they show.
        """
        try:
            return call()
        except StoreWriteError as error:
            self.reader.show_store_error(error)
            return error.result  # type: ignore[no-any-return]
        except StoreError as error:
            self.reader.show_store_error(error)
            if change:
                self.reload_annotations()
            return None

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
            position += f" · {counted(len(view.matches), 'match', 'matches')}"
        notice = ""
        if self.reanchoring is not None:
            notice = "RE-ANCHOR: select the passage (v, j/k, h/l), enter confirms, esc cancels"
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
        # Recomposing the footer costs a layout pass: only when the applicable keys changed.
        applicable = (
            bool(view.annotations_under_cursor()),
            view.selection is not None,
            bool(view.matches),
            view is self.focused,
            self.focus_tag is not None,
            self.reanchoring is not None,
        )
        if applicable != self._applicable:
            self._applicable = applicable
            self.refresh_bindings()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The footer's keys: a mode's own keys push out the less important ones.

        Only the footer reads this; the hidden keys still work and are listed by `?`.
        """
        bindings = super().active_bindings
        hidden = self._footer_hidden()
        shown = {
            key: active._replace(binding=replace(active.binding, show=False))
            if active.binding.id in hidden
            else active
            for key, active in bindings.items()
        }
        if self.views and not self.view.annotations_under_cursor():
            # `x` still answers ("nothing to delete here"), but the footer dims it.
            shown = {
                key: active._replace(enabled=False) if active.binding.id == "delete" else active
                for key, active in shown.items()
            }
        return shown

    def _footer_hidden(self) -> frozenset[str]:
        if not self.views:
            return frozenset()
        view = self.view
        # Keys that only explain themselves now ("v starts a selection") stay off the footer.
        idle = {
            *(() if view.selection is not None else ("word-forward", "word-back")),
            *(() if view.matches else ("next-match", "prev-match")),
            *(() if self.focus_tag is not None else ("next-passage", "prev-passage")),
        }
        if view.selection is not None:
            return FOOTER_LESS_WHILE_SELECTING | idle
        if self.focus_tag is not None:
            return FOOTER_LESS_WHILE_FOCUSED | idle
        if view.matches:
            return FOOTER_LESS_WHILE_SEARCHING | idle
        return frozenset(idle)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"note", "delete"} and not self.views:
            return False
        if action == "switch_pane":
            return len(self.views) > 1
        if action == "cancel_mode":
            return (
                self.focus_tag is not None
                or self.reanchoring is not None
                or bool(self.views and self.view.matches)
            )
        return True

    # -- actions ---------------------------------------------------------------------------

    def action_switch_pane(self, step: int) -> None:
        views = self.views
        index = views.index(self.view)
        self._activate(views[(index + step) % len(views)])

    def action_zoom(self) -> None:
        if self.maximized is not None:
            self.minimize()
        else:
            self.maximize(self.view, container=False)

    def action_tag(self) -> None:
        from tui.app.dialogs.tag_picker import TagPicker

        view = self.view
        if self.reanchoring is not None:
            self._confirm_reanchor(view)
            return
        tags = self._store_call(self.reader.session.tags, change=False)
        if tags is None:
            return
        user = self.reader.session.user
        existing = view.annotation_at_target(user)
        around = view.tags_around_target(user)
        start, end = view.target_range
        picker = TagPicker(
            tags,
            current=existing.tags if existing else (),
            title="Tag selection" if view.selection else "Tag sentence",
            passage=view.article.text[start:end],
            around=sorted(around),
        )
        # The passage as the picker opened on it: keys typed after enter may move the cursor
        # before the picker's answer is handled.
        self.app.push_screen(
            picker,
            lambda picked: self._apply_tags(view, picked, existing, (start, end), around),
        )

    def _apply_tags(
        self,
        view: ArticleView,
        picked: PickedTags | None,
        existing: Annotation | None = None,
        span: tuple[int, int] | None = None,
        around: set[str] | frozenset[str] = frozenset(),
    ) -> None:
        if not picked:
            return
        session = self.reader.session
        nested = [name for name in picked.names if name in around]
        if nested:
            # Already on the passage around it: a copy on the sentence would count it twice.
            self.app.notify(
                f"Already on the passage around this: {', '.join(nested)}.", markup=False
            )
            picked = replace(picked, names=tuple(n for n in picked.names if n not in around))
            if not picked.names and not picked.removed:
                return
        annotation: Annotation | None
        if picked.removed and existing is not None:
            done = self._store_call(
                lambda: session.retag(existing, add=picked.names, remove=picked.removed)
            )
            if done is not None and done[1]:  # nothing was left of it: it went
                view.end_selection()
                self._show_removed(view, existing, "Annotation removed with its last tag")
                return
            annotation = done[0] if done is not None else None
        else:
            start, end = span or view.target_range
            annotation = self._store_call(
                lambda: session.tag_span(view.article, start, end, picked.names)
            )
        if annotation is not None:  # the panes show it already (show_store_change)
            view.end_selection()
        self._update_status(view)

    def action_quick_tag(self, key: int) -> None:
        from tui.app.dialogs.tag_picker import PickedTags

        session = self.reader.session
        try:
            tag = session.tag_for_key(key)
        except StoreError as error:
            self.reader.show_store_error(error)
            return
        if tag is None:
            self.app.notify(f"No tag is bound to {key} yet; new tags take the free keys 1-9.")
            return
        existing = self.view.annotation_at_target(session.user)
        if existing is not None and tag.name in existing.tags:
            self.app.notify(
                f"Already tagged {tag.name} here (t, then enter on it, takes it off).",
                markup=False,
            )
            return
        picked = PickedTags((tag.name,), ())
        self._apply_tags(self.view, picked, around=self.view.tags_around_target(session.user))

    def action_note(self) -> None:
        from tui.app.dialogs.note_editor import NoteEditor

        view = self.view
        user = self.reader.session.user
        # Your own note: on your annotation here, else a new one of yours. A colleague's
        # annotation keeps their note; yours sits beside it.
        under = [a for a in view.annotations_under_cursor(user) if a.author == user]
        annotation = view.annotation_at_target(user) or (under[0] if under else None)
        start, end = view.target_range
        if annotation is not None:
            start, end = annotation.start, annotation.end
        quote = view.article.text[start:end]

        def save(note: str | None) -> None:
            if note is None:
                return
            session = self.reader.session
            if annotation is not None:
                saved = self._store_call(lambda: session.set_note(annotation, note))
            else:
                saved = self._store_call(
                    lambda: session.annotate(view.article, start, end, note=note)
                )
            if saved is not None:  # the panes show it already (show_store_change)
                view.end_selection()
            self._update_status(view)

        self.app.push_screen(NoteEditor(annotation.note if annotation else "", quote), save)

    def action_delete(self) -> None:
        from tui.app.dialogs.prompts import ConfirmDialog

        view = self.view
        user = self.reader.session.user
        under = view.annotations_under_cursor(user)
        if not under:
            self.app.notify("Nothing to delete here.")
            return
        annotation = under[0]  # yours first
        if annotation.author == user:
            self._delete(view, annotation)
            return
        tags = ", ".join(annotation.tags) or "no tags"
        question = f"This annotation ({tags}) is {annotation.author}'s, not yours. Delete it?"

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(view, annotation)

        self.app.push_screen(ConfirmDialog("A colleague's annotation", question), answered)

    def _delete(self, view: ArticleView, annotation: Annotation) -> None:
        if self._store_call(lambda: self.reader.session.delete(annotation)) is None:
            return
        self._show_removed(view, annotation, "Annotation removed")

    def _show_removed(self, view: ArticleView, annotation: Annotation, what: str) -> None:
        """The store no longer has `annotation` (the panes dropped it on the store change)."""
        self.app.notify(f"{what}; u undoes.")
        self._update_status(view)

    def action_undo(self) -> None:
        done = self._store_call(self.reader.session.undo)
        self.app.notify(done or "Nothing to undo.", markup=False)

    def action_redo(self) -> None:
        done = self._store_call(self.reader.session.redo)
        self.app.notify(done or "Nothing to redo.", markup=False)

    def action_search(self) -> None:
        from tui.app.widgets.search_bar import SearchBar

        view = self.view

        def search(query: str | None) -> None:
            if query is None:
                return
            found = view.search(query)
            if query and not found:
                self.app.notify(f"Not found: {query}", markup=False)
            self._update_status(view)

        self.app.push_screen(SearchBar(view.search_query), search)

    def action_choose_article(self) -> None:
        from tui.app.dialogs.article_picker import ArticlePicker

        articles = self.reader.session.articles
        if len(articles) < 2:
            # Every pane already shows the corpus's only article: there is nothing to choose.
            self.app.notify("The corpus has only this article; there is no other to open.")
            return
        view = self.view
        elsewhere = [pane.article.id for pane in self.views if pane is not view]
        picker = ArticlePicker(articles, current=view.article.id, elsewhere=elsewhere)
        self.app.push_screen(picker, lambda chosen: self.open_article(view, chosen))

    def open_article(self, view: ArticleView, article_id: str | None) -> None:
        if article_id is None or article_id == view.article.id:
            return  # already shown: the reader keeps their place
        article = self.reader.session.article(article_id)
        if article is None:
            return
        found = self._store_call(lambda: self.reader.session.annotations_for(article), change=False)
        view.show_article(article, found or [])
        self.reader.remember_panes([pane.article.id for pane in self.views])
        self._update_status(view)

    def action_annotations(self) -> None:
        from tui.app.screens.annotations_screen import AnnotationsScreen

        session = self.reader.session
        found = self._store_call(session.all_annotations, change=False)
        if found is None:
            return
        screen = AnnotationsScreen(found, session.annotated_articles())
        self.app.push_screen(screen, self._jump)

    def _jump(self, jump: Jump | None) -> None:
        if jump is None:
            return
        view = next((v for v in self.views if v.article.id == jump.article), None)
        if view is None:
            view = self.view
            self.open_article(view, jump.article)
        self._activate(view)
        view.end_selection()
        view.move_to_offset(min(jump.offset, max(0, len(view.article.text) - 1)))
        if jump.reanchor is not None:
            self.reanchoring = jump.reanchor
            self.app.notify(
                "Select the right passage (v, then j/k and h/l) and press enter; esc cancels.",
                title="Re-anchor",
            )
            self._update_status(view)

    def _confirm_reanchor(self, view: ArticleView) -> None:
        annotation = self.reanchoring
        assert annotation is not None
        if view.article.id != annotation.article:
            self.app.notify(
                "That annotation belongs to the other article: select its passage there.",
                severity="warning",
            )
            return
        start, end = view.target_range
        moved = self._store_call(
            lambda: self.reader.session.reanchor(annotation, view.article, start, end)
        )
        self.reanchoring = None
        view.end_selection()
        if moved is not None:
            self.app.notify("Re-anchored; u undoes.")
        self._update_status(view)

    def action_cancel_mode(self) -> None:
        if self.reanchoring is not None:
            self.reanchoring = None
            self.app.notify("Re-anchoring cancelled; the annotation is unchanged.")
            self._update_status(self.view)
        elif self.view.matches:
            self.view.search("")
        elif self.focus_tag is not None:
            self.set_focus_tag(None)

    # -- tag focus ---------------------------------------------------------------------------

    def action_focus_tag(self) -> None:
        """`f`: clear the focus if there is one, else choose the tag to focus."""
        if self.focus_tag is not None:
            self.set_focus_tag(None)
        else:
            self.choose_focus_tag()

    def choose_focus_tag(self) -> None:
        from tui.app.dialogs.tag_picker import TagPicker

        tags = self._store_call(self.reader.session.tags, change=False)
        if tags is None:
            return
        under = self.view.annotations_under_cursor()
        # Parents a path implies (`Russia` of `Russia/war aims`) can be focused too.
        by_name = {tag.name: tag for tag in tags}
        tags = [by_name.get(name) or Tag(name) for name in tree_names(tags)]
        names = set(tree_names(tags))

        def chosen(picked: PickedTags | None) -> None:
            if not picked:
                return
            name = picked.names[0]
            if name not in names:
                self.app.notify(f"No tag is named {name}.", severity="warning", markup=False)
                return
            self.set_focus_tag(name)

        # The tag under the cursor is highlighted, so `f` then enter focuses it.
        here = under[0].tags[0] if under and under[0].tags else None
        picker = TagPicker(tags, highlight=here, title="Focus a tag", choose_one=True)
        self.app.push_screen(picker, chosen)

    def set_focus_tag(self, tag: str | None) -> None:
        self.focus_tag = tag
        self._last_passage = None
        for view in self.views:
            view.set_focus_tag(tag)
        if tag is not None and self.views:
            # On one of its passages already: that one is where `.` counts from, and the
            # bar says so, rather than a first `.` that stays put.
            view = self.view
            pane = self.views.index(view)
            passages = self.reader.session.focus_passages(tag, self._shown_annotations())
            self._last_passage = next(
                (
                    passage
                    for passage in passages
                    if passage.pane == pane
                    and view.sentence_at(passage.annotation.start) == view.cursor
                ),
                None,
            )
        self._update_focus_bar()
        self._update_status(self.view)

    def tag_moved(self, old: str, new: str | None) -> None:
        """The codebook renamed or merged `old` into `new` (None: deleted): keep the focus on it."""
        focus = self.focus_tag
        if focus is None or not is_within(focus, old):
            return
        self.set_focus_tag(None if new is None else reparent(focus, old, new))

    def _shown_annotations(self) -> list[list[Annotation]]:
        return [view.highlights.all() for view in self.views]

    def _update_focus_bar(self) -> None:
        bar = self.query_one(FocusBar)
        tag = self.focus_tag
        if tag is None:
            bar.clear()
            return
        figures = self.reader.session.focus_figures(
            tag, [view.article for view in self.views], self._shown_annotations()
        )
        position = ""
        last = self._last_passage
        if last is not None:
            passages = self.reader.session.focus_passages(tag, self._shown_annotations())
            orders = [passage.order for passage in passages]
            if last.order in orders:
                position = f"{orders.index(last.order) + 1}/{len(orders)}"
        bar.show_figures(tag, figures, self.tag_styler([tag]), position=position)

    def action_step_passage(self, step: int) -> None:
        """`.` / `,`: the focused tag's next or previous passage, across both panes."""
        tag = self.focus_tag
        if tag is None:
            self.app.notify("No tag is focused: f chooses one, then . and , step through it.")
            return
        views = self.views
        passages = self.reader.session.focus_passages(tag, self._shown_annotations())
        if not passages:
            self.app.notify(f"No passage is tagged {tag} in these articles.", markup=False)
            return
        view = self.view
        pane = views.index(view)
        start = view.cursor_range[0]
        # Just before the cursor sentence going forward, so a passage starting there is next;
        # just after its start going back. From a passage the keys reached, its own place.
        here = (pane, start - 1, 0, "") if step > 0 else (pane, start, -len(view.article.text), "")
        last = self._last_passage
        if (
            last is not None
            and last.pane == pane
            and view.sentence_at(last.annotation.start) == view.cursor
        ):
            here = last.order
        if step > 0:
            candidates = [p for p in passages if p.order > here]
            target = candidates[0] if candidates else passages[0]
        else:
            candidates = [p for p in passages if p.order < here]
            target = candidates[-1] if candidates else passages[-1]
        if not candidates:
            self.app.notify(f"Wrapped round to the {'first' if step > 0 else 'last'} passage.")
        self._last_passage = target
        target_view = views[target.pane]
        self._activate(target_view)
        target_view.end_selection()
        target_view.move_to_offset(target.annotation.start)
        self._update_focus_bar()
        self._update_status(target_view)

    def action_report(self) -> None:
        from tui.app.screens.report_screen import ReportScreen

        view = self.view

        def jump(offset: int | None) -> None:
            if offset is not None:
                self._activate(view)
                view.move_to_offset(offset)

        self.app.push_screen(ReportScreen(view.article), jump)

    def action_export(self) -> None:
        self.reader.open_export()

    def action_codebook(self) -> None:
        from tui.app.screens.codebook_screen import CodebookScreen

        self.app.push_screen(CodebookScreen())

    def action_article_details(self) -> None:
        from tui.app.dialogs.article_details import ArticleDetailsEditor

        view = self.view
        session = self.reader.session

        def save(fields: dict[str, str]) -> None:
            try:
                session.set_article_details(view.article.id, **fields)
            except StoreWriteError as error:  # kept in memory, written on a later retry
                self.reader.show_store_error(error)

        def saved(changed: bool | None) -> None:
            if changed:  # the pane titles show them already (show_store_change)
                self.app.notify("Article details saved; u undoes.")

        self.app.push_screen(ArticleDetailsEditor(view.article, save), saved)

    def action_help(self) -> None:
        from tui.app.screens.help_screen import HelpScreen

        self.app.push_screen(HelpScreen(self.reader.key_help()))
