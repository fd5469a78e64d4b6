"""The reader application: the session, polling for other writers, palette and styles.

Screens and widgets do the work; the App owns what outlives a screen: the session (corpus and
store), the remembered pane choice, tag styles, and the timer that picks up annotations written
by other processes within a second.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, TypeVar

from rich.style import Style as RichStyle
from textual.actions import ActionParseResult
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.signal import Signal

from tui.app.corpus_watch import CorpusWatch
from tui.app.key_bindings import bindings_for, hint_key, key_label
from tui.app.model.key_table import PLACES, SHOWN_WITH, palette_commands
from tui.app.model.pane_state import choose_panes, load_panes, save_panes
from tui.app.model.session import ReaderSession
from tui.app.model.store_change import StoreChange
from tui.app.model.tag_styles import tag_style
from tui.app.model.terminal import hung_up, terminal_fd
from tui.app.model.user_keymap import load_keymap
from tui.app.screens.reader_screen import ReaderScreen
from tui.app.terminal_guard import guard_terminal
from tui.app.type_ahead import TypeAheadApp
from tui.corpus.units import CodingUnit
from tui.errors import UserError
from tui.inert import inert
from tui.store.errors import StoreError, StoreWriteError
from tui.store.model import Tag
from tui.wording import counted

if TYPE_CHECKING:
    from textual.command import Provider

    from tui.app.screens.analysis_screen import AnalysisSettings

T = TypeVar("T")

POLL_SECONDS = 0.5
TEXTUAL_COMMANDS_LEFT_OUT = frozenset({"Keys", "Maximize", "Minimize", "Screenshot"})
"""`?` lists the keys better; "Zoom pane" (z) maximizes and restores a pane; a screenshot
would drop an SVG file wherever the reader was started."""


def article_commands() -> type[Provider]:
    """The palette's article provider, imported when the palette first opens."""
    from tui.app.palette_commands import ArticleCommands

    return ArticleCommands


class ReaderApp(TypeAheadApp):
    CSS_PATH = Path(__file__).with_name("reader.tcss")
    TITLE = "marginalia"
    NOTIFICATION_TIMEOUT = 4  # Textual's 5 s: a toast still hides a corner of the text
    COMMANDS = App.COMMANDS | {article_commands}
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("app")

    def __init__(
        self,
        session: ReaderSession,
        *,
        state_path: Path | None = None,
        export_dir: Path | None = None,
        problems: Sequence[str] = (),
        ansi_color: bool = False,
        poll_seconds: float = POLL_SECONDS,
        keymap_path: Path | None = None,
    ) -> None:
        super().__init__(ansi_color=ansi_color)
        guard_terminal()
        self.session = session
        self.state_path = state_path
        self.export_dir = export_dir or Path.cwd()
        self.problems = list(problems)
        self.poll_seconds = poll_seconds
        self.keymap_path = keymap_path
        self.user_keys: dict[str, str] = {}
        """The user's keymap as applied (command id -> keys), for `?` and the palette."""
        self._tag_styles: dict[str, RichStyle] = {}
        self._store_trouble: str | None = None
        self._quit_warned = False
        self._quitting = False
        self.last_search: tuple[str, bool, CodingUnit] = ("", False, "words")
        """The corpus search's last query, whether it was a regex and the unit its hits
        were to be coded by: `S` reopens on them."""
        self.analysis_settings: AnalysisSettings | None = None
        """The analysis screen's last view and filter: `A` reopens on them."""
        self._terminal: int | None = None
        self._reader_screen: ReaderScreen | None = None
        self.store_changed_signal: Signal[StoreChange] = Signal(self, "store-changed")
        """Every store change, from the session's writes and from other writers (the poll).
        Subscribe with `immediate=True` in `on_mount`, so a screen is redrawn before the
        key that made the change returns."""
        session.on_change = self._publish_store_change
        self.corpus_watch = CorpusWatch(self)
        """The live corpus's background cleaning and folder watch (nothing for a list)."""

    def _publish_store_change(self, change: StoreChange) -> None:
        if change.codebook or change.reloaded:
            self._tag_styles.clear()  # colours may differ: look them up again
        self.store_changed_signal.publish(change)

    # -- start -----------------------------------------------------------------------------

    def initial_panes(self) -> list[str]:
        available = self.session.article_ids
        remembered = load_panes(self.state_path, self.session.user) if self.state_path else []
        return choose_panes(remembered, available, count=min(2, len(available)))

    def get_default_screen(self) -> Screen[None]:
        shown = self.initial_panes()
        self.session.show(shown)  # only these are cleaned before the first frame
        found = [self.session.article(article_id) for article_id in shown]
        panes = [article for article in found if article is not None]
        if not panes:  # the remembered or first ones do not clean: the first that does
            first = (self.session.article(i) for i in self.session.article_ids)
            panes = [next(article for article in first if article is not None)]
        self._reader_screen = ReaderScreen(panes)
        return self._reader_screen

    def on_mount(self) -> None:
        self._apply_user_keymap()
        for problem in self.problems:
            self.notify(problem, title="Corpus", severity="warning", markup=False, timeout=8)
        self.set_interval(self.poll_seconds, self.poll_store)
        self.corpus_watch.start()
        self._terminal = terminal_fd()
        if self._terminal is not None:
            self.set_interval(self.poll_seconds, self._quit_if_terminal_gone)

    def _apply_user_keymap(self) -> None:
        """The user's keys.yaml, through Textual's keymap; what is wrong in it, in one line."""
        if self.keymap_path is None:
            return
        keymap = load_keymap(self.keymap_path)
        if keymap.keys:
            self.user_keys = keymap.keys
            self.set_keymap(keymap.keys)
        if keymap.problem:
            self.notify(keymap.problem, title="Keys", severity="warning", markup=False, timeout=8)

    def _quit_if_terminal_gone(self) -> None:
        """The terminal hung up (SSH dropped): save what waits, and end rather than spin."""
        if self._terminal is not None and hung_up(self._terminal):
            with contextlib.suppress(StoreError):  # a bad store: nothing more can be saved
                self.session.store.flush()
            self.exit(return_code=1)

    @property
    def reader_screen(self) -> ReaderScreen:
        """The screen of panes this App made at start (it stays under every other screen)."""
        assert self._reader_screen is not None, "the App has not started"
        return self._reader_screen

    # -- what reaches the user ------------------------------------------------------------

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast of every screen: its text may quote data (a tag, a file, a store
        error naming an author), so it is made inert here, once."""
        super().notify(
            inert(message, multiline=True),
            title=inert(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    def show_store_error(self, error: UserError) -> None:
        """The one notifier for a store (or other user) error, used by every screen and by
        `run_action` for any a screen did not expect: a message, never an exit."""
        title = ""
        if isinstance(error, StoreWriteError):  # applied in memory; the store retries it
            title = "Not saved yet"
        elif isinstance(error, StoreError):
            title = "Store"
        self.notify(str(error), title=title, severity="error", markup=False)

    def store_call(
        self, call: Callable[[], T], *, on_failure: Callable[[], object] | None = None
    ) -> T | None:
        """Run a store change (or query) for any screen; what went wrong goes to
        `show_store_error`, and the reader keeps going.

        A failed write was applied in memory and is retried by the store, so its result is
        returned. Any other StoreError (a record gone, a file gone bad) returns None after
        `on_failure` (a screen redraws from the store, which may differ from what it shows).
        """
        try:
            return call()
        except StoreWriteError as error:
            self.show_store_error(error)
            return error.result  # type: ignore[no-any-return]
        except StoreError as error:
            self.show_store_error(error)
            if on_failure is not None:
                on_failure()
            return None

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Every key of every screen runs its action here: a store error it meets (a journal
        gone bad under us) is a message, and the reader stays up. Keys typed after `q` (one
        SSH packet: `q e`) do nothing: a dialog opened while the app closes never composes."""
        if self._quitting:
            return True
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except UserError as error:
            self.show_store_error(error)
            return True

    # -- other writers ---------------------------------------------------------------------

    def poll_store(self) -> None:
        """Retry waiting writes and show what other processes wrote since the last poll."""
        if not self.reader_screen.is_whole:
            return
        waiting = self.session.store.pending_writes
        try:
            changed = self.session.refresh()
        except StoreError as error:
            message = str(error)
            if message != self._store_trouble:
                self._store_trouble = message
                self.notify(message, title="Store", severity="error", markup=False)
            return
        if self._store_trouble is not None:
            self._store_trouble = None
            self.notify("The store is readable and written again.", title="Store")
        if dropped := self.session.store.take_dropped():
            # A change that could not be written was made obsolete by another session's edit
            # of the same record: theirs stands, and the reader must know that theirs won.
            self.notify(dropped, title="Store", severity="warning", timeout=15, markup=False)
        if not changed and waiting != self.session.store.pending_writes:
            # (a change was published by the session's refresh)
            self.store_changed_signal.publish(StoreChange(written=True))

    # -- tag styles ------------------------------------------------------------------------

    def tag_style(self, name: str) -> RichStyle:
        style = self._tag_styles.get(name)
        if style is None:
            try:
                tag = self.session.tag(name)
            except StoreError:  # unreadable store: the poll reports it; draw with the palette
                return tag_style(name, None, no_color=self.no_color)
            style = tag_style(name, tag, no_color=self.no_color)
            self._tag_styles[name] = style
        return style

    def color_style(self, color: str) -> RichStyle:
        """How a highlight in `color` looks here (a swatch for the colour chooser)."""
        return tag_style(color, Tag(color, color), no_color=self.no_color)

    # -- things screens ask for ------------------------------------------------------------

    def remember_panes(self, article_ids: list[str]) -> None:
        self.session.show(article_ids)  # the live corpus keeps these in memory
        if self.state_path is None:
            return
        try:
            save_panes(self.state_path, self.session.user, article_ids)
        except OSError as error:
            self.notify(
                f"Could not remember the open articles in {self.state_path}: {error.strerror}",
                severity="warning",
                markup=False,
            )

    def open_in_focused_pane(self, article_id: str) -> None:
        screen = self.reader_screen
        screen.open_article(screen.view, article_id)

    def open_export(self) -> None:
        from tui.app.dialogs.export_dialog import ExportScreen

        screen = self.reader_screen
        articles = [view.article for view in screen.views]
        # Only articles with annotations are loaded: an export has nothing of the others.
        others = [a for a in self.session.annotated_articles() if a not in articles]
        self.push_screen(
            ExportScreen(
                self.session.store,
                articles + others,
                self.export_dir,
                author=self.session.export_author,
            )
        )

    def key_help(self) -> list[tuple[str, str, str]]:
        return reader_help_rows(self.user_keys)

    async def action_quit(self) -> None:
        """Quit, unless changes are still waiting to be written: then say so once."""
        store = self.session.store
        if store.pending_writes and not self._quit_warned:
            try:
                store.flush()
            except StoreError as error:
                self._quit_warned = True
                self.notify(
                    f"{counted(store.pending_writes, 'change')} not written yet: {error}. "
                    f"Press {hint_key('quit', self.user_keys)} again to quit and lose them.",
                    title="Not saved",
                    severity="error",
                    markup=False,
                    timeout=10,
                )
                return
        self._quitting = True
        self.exit()

    def action_help(self) -> None:
        self.reader_screen.action_help()

    def action_show_keys(self, place: str) -> None:
        """`?` (or f1) inside a screen or dialog: its own keys (the table's `*-help`)."""
        from tui.app.screens.help_screen import show_keys

        show_keys(self, place, *SHOWN_WITH.get(place, ()))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's own commands (but those we do better or that surprise), then ours.

        Names say what opens, so typing part of one (annot, report, code, export) finds it;
        the help text ends with the key that does the same.
        """
        for command in super().get_system_commands(screen):
            if command.title not in TEXTUAL_COMMANDS_LEFT_OUT:
                yield command
        if isinstance(screen, ReaderScreen):
            yield from self._reader_commands(screen)

    def guarded(self, callback: Callable[[], object]) -> Callable[[], None]:
        """`callback` as the palette runs it (outside `run_action`): a store error is shown."""

        def run() -> None:
            try:
                callback()
            except UserError as error:
                self.show_store_error(error)

        return run

    def _reader_commands(self, screen: ReaderScreen) -> Iterable[SystemCommand]:
        """The table's palette entries for the reader and its panes: each runs its action
        as its key would (through `run_action`, so a store error is a message), and its help
        ends with that key."""
        for command in palette_commands({"reader", "pane"}):
            assert command.palette is not None
            target: DOMNode = screen.view if command.where == "pane" else screen
            keys = self.user_keys.get(command.id, command.keys)
            key = key_label(keys.split(",")[0])
            yield SystemCommand(
                command.palette,
                f"{command.palette_help or command.help} ({key})",
                partial(self.run_action, command.action, target),
            )


def reader_help_rows(user_keys: Mapping[str, str] | None = None) -> list[tuple[str, str, str]]:
    """Every key of the reader, by where it applies: the command table's places, in order
    (with the user's keys, if a keymap changed them)."""
    from tui.app.screens.help_screen import help_rows

    return help_rows((title, bindings_for(where, user_keys)) for where, title in PLACES.items())
