"""The memo list: the focused article's memos and the project's, written in the note editor.

Memos are the researcher's running notes on an article or on the whole project (issue 17):
`n` writes one on the article, `p` one on the project, enter edits the one selected, `d`
deletes it after asking. Every change goes through the session (one undoable change each, `u`
in the reader undoes it); a refused or unsaved change is said in the dialog's notice line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.app.dialogs.modal_box import modal_box_css
from tui.app.dialogs.note_editor import NoteEditor
from tui.app.dialogs.prompts import DIALOG_RULES, ConfirmDialog
from tui.app.key_bindings import bindings_for, hint_line, user_keys_of
from tui.app.model.session import ReaderSession
from tui.app.model.store_change import StoreChange
from tui.inert import inert, inert_words
from tui.store.errors import StoreError
from tui.store.model import Memo

ROW_WIDTH = 60
"""Characters of a memo's first words shown in its row."""


def memo_row(memo: Memo, title: str) -> str:
    """One line: where, who, when, the start of the text (all inert)."""
    where = "project" if memo.on_project else title
    words = inert_words(memo.text)
    if len(words) > ROW_WIDTH:
        words = words[: ROW_WIDTH - 1] + "…"
    return f"{inert(where)[:24]} · {inert(memo.author)} · {memo.updated[:10]} · {words}"


def edit_memo(
    app: App[object],
    session: ReaderSession,
    memo: Memo,
    about: str,
    *,
    write: Callable[[Callable[[], Memo]], None],
    say: Callable[[str], None],
) -> None:
    """Open `memo` in the note editor (`about`: its article's title, or "the project"); a
    changed text is saved through the session by `write` (the caller's way of running a
    change and saying a refusal); an emptied one is not saved, and `say` tells why. The memo
    list's enter and the corpus search's enter on a memo hit both edit a memo this way."""

    def edited(text: str | None) -> None:
        if text is None or text == memo.text:
            return
        if not text:
            say("An empty memo is not saved; d deletes it in the memo list.")
            return
        write(lambda: session.edit_memo(memo.id, text))

    app.push_screen(NoteEditor(memo.text, about), edited)


class MemoList(ModalScreen[None]):
    """Memos of one article (or of none: the project's only) and of the project."""

    DEFAULT_CSS = modal_box_css(
        "MemoList",
        width="90",
        extra=DIALOG_RULES
        + """
    & OptionList { height: auto; max-height: 14; }
""",
    )

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("memo-list")

    def __init__(self, session: ReaderSession, article_id: str | None, title: str = "") -> None:
        super().__init__()
        self._session = session
        self._article = article_id
        self._title = title or (article_id or "")
        self.memos: list[Memo] = []

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content("Memos")
            box.border_subtitle = Content(inert(self._title) if self._article else "project")
            yield OptionList(id="memo-rows")
            yield Static(Content(""), id="memo-notice", classes="error")
            yield Static(
                Content(hint_line("memo-list", user_keys=user_keys_of(self.app))), classes="hint"
            )

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#memo-rows", OptionList).focus()
        # Another writer's memo, or an undo, shows while the list is open (the reader app's
        # store-change signal; a bare host app has none).
        signal = getattr(self.app, "store_changed_signal", None)
        if signal is not None:
            signal.subscribe(self, self._store_changed, immediate=True)

    def _store_changed(self, change: StoreChange) -> None:
        if change.reloaded or "memos" in change.extra:
            selected = self.selected
            self.reload(select=selected.id if selected is not None else None)

    def reload(self, select: str | None = None) -> None:
        """List the memos again; keep `select` (a memo id) highlighted when given."""
        rows = self.query_one("#memo-rows", OptionList)
        self.memos = self._session.memos_for(self._article)
        rows.clear_options()
        if not self.memos:
            rows.add_option(Option(Content("No memos yet: n writes one."), disabled=True))
            return
        rows.add_options(
            Option(Content(memo_row(memo, self._title)), id=memo.id) for memo in self.memos
        )
        ids = [memo.id for memo in self.memos]
        rows.highlighted = ids.index(select) if select in ids else 0

    @property
    def selected(self) -> Memo | None:
        index = self.query_one("#memo-rows", OptionList).highlighted
        if index is None or not self.memos or index >= len(self.memos):
            return None
        return self.memos[index]

    def _say(self, message: str) -> None:
        self.query_one("#memo-notice", Static).update(Content(inert(message, multiline=True)))

    def _about(self, on_project: bool) -> str:
        return "the project" if on_project or not self._article else self._title

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        memo = self.selected
        if memo is None:
            return
        about = self._about(memo.on_project)
        edit_memo(self.app, self._session, memo, about, write=self._write, say=self._say)

    def action_new(self, on_project: bool) -> None:
        article = None if on_project else self._article

        def written(text: str | None) -> None:
            if text:
                self._write(lambda: self._session.add_memo(article, text))

        self.app.push_screen(NoteEditor("", self._about(on_project)), written)

    def action_delete(self) -> None:
        memo = self.selected
        if memo is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(lambda: self._session.delete_memo(memo.id))

        start = inert_words(memo.text)[:60]
        self.app.push_screen(ConfirmDialog("Delete memo", f"Delete this memo?\n{start}"), answered)

    def _write(self, change: Callable[[], Memo]) -> None:
        """Run a session change; say why if the store refused it (or could not save it yet)."""
        try:
            memo = change()
        except StoreError as error:  # StoreWriteError too: kept in memory, retried later
            self._say(str(error))
            self.reload()
            return
        self._say("")
        self.reload(select=memo.id)

    def action_close(self) -> None:
        self.dismiss(None)
