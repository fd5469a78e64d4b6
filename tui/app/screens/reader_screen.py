"""The main screen: every reader key's action, on the panes of `ReaderPanes`.

The keys live on this screen rather than on the App so that a dialog on top (picker, note,
help) never receives them. Every change goes to the store at once through `ReaderSession`;
the panes are redrawn by the store-change signal, and a write that fails is shown as an
error and the store keeps it to retry.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual.binding import BindingType

from tui.app.key_bindings import bindings_for, hint_key, reanchor_keys
from tui.app.model.session import tree_names
from tui.app.screens.reader_panes import ReaderPanes
from tui.app.widgets.article_view import ArticleView
from tui.store.errors import StoreError, StoreWriteError
from tui.store.model import Annotation, Tag

# Dialogs are imported when first opened: they pull in rapidfuzz and TextArea, which the
# first frame does not need (bench/reader.py measures launch time).
if TYPE_CHECKING:
    from tui.app.dialogs.tag_picker import PickedTags
    from tui.app.screens.annotations_screen import Jump

T = TypeVar("T")


class ReaderScreen(ReaderPanes):
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("reader")

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
        self.app.notify(f"{what}; {self._undo_key} undoes.", markup=False)
        self._update_status(view)

    @property
    def _undo_key(self) -> str:
        """The undo key a notice names, as the user has it."""
        return hint_key("undo", self.reader.user_keys)

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

    def action_memos(self) -> None:
        from tui.app.dialogs.memo_list import MemoList

        view = self.view
        self.app.push_screen(MemoList(self.reader.session, view.article.id, view.article.title))

    def action_analysis(self) -> None:
        from tui.app.screens.analysis_screen import AnalysisScreen

        session = self.reader.session
        found = self._store_call(session.all_annotations, change=False)
        metas = self._store_call(session.store.article_metas, change=False)
        if found is None or metas is None:
            return
        reader = self.reader
        screen = AnalysisScreen(
            found, session.annotated_articles(), metas, settings=reader.analysis_settings
        )

        def closed(jump: Jump | None) -> None:
            reader.analysis_settings = screen.settings  # `A` reopens where the user was
            self._jump(jump)

        self.app.push_screen(screen, closed)

    def action_compare(self) -> None:
        from tui.app.screens.compare_screen import start_compare

        start_compare(self.reader, self.view.article)

    def action_toggle_blind(self) -> None:
        """Blind coding on or off: every view redraws from the session's filtered view."""
        session = self.reader.session
        session.set_blind(not session.blind)
        self.app.notify(
            "Blind coding: only your annotations are shown; B shows everyone's again."
            if session.blind
            else "Everyone's annotations are shown again."
        )

    def action_corpus_search(self) -> None:
        from tui.app.screens.corpus_search import open_corpus_search

        open_corpus_search(self.reader)

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
            select, confirm, cancel = reanchor_keys(self.reader.user_keys)
            self.app.notify(
                f"Select the right passage ({select}) and press {confirm}; {cancel} cancels.",
                title="Re-anchor",
                markup=False,
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
            self.app.notify(f"Re-anchored; {self._undo_key} undoes.", markup=False)
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

    def action_step_passage(self, step: int) -> None:
        """`.` / `,`: the focused tag's next or previous passage, across both panes."""
        tag = self.focus_tag
        if tag is None:
            self.app.notify("No tag is focused: f chooses one, then . and , step through it.")
            return
        view = self.view
        views = self.views
        went = self.tag_focus.step(
            self._passages(tag),
            step,
            pane=views.index(view),
            cursor_start=view.cursor_range[0],
            text_length=len(view.article.text),
            at_cursor=self._at_cursor,
        )
        if went is None:
            self.app.notify(f"No passage is tagged {tag} in these articles.", markup=False)
            return
        if went.wrapped:
            self.app.notify(f"Wrapped round to the {'first' if step > 0 else 'last'} passage.")
        target_view = views[went.target.pane]
        self._activate(target_view)
        target_view.end_selection()
        target_view.move_to_offset(went.target.annotation.start)
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
                self.app.notify(f"Article details saved; {self._undo_key} undoes.", markup=False)

        def save_attributes(changes: dict[str, str]) -> None:
            try:
                session.set_article_attributes(view.article.id, changes)
            except StoreWriteError as error:
                self.reader.show_store_error(error)

        attributes = session.article_attributes(view.article.id)
        editor = ArticleDetailsEditor(view.article, save, attributes, save_attributes)
        self.app.push_screen(editor, saved)

    def action_help(self) -> None:
        from tui.app.screens.help_screen import HelpScreen

        self.app.push_screen(HelpScreen(self.reader.key_help()))
