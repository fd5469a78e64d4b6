"""The live corpus behind the open reader: background cleaning and a watch on the folder.

Launch cleans only the articles on screen; the rest are cleaned here, in a thread worker,
with progress in the status line ("cleaning 1,234 of 10,000"), so no key ever waits for it.
Every two seconds a rescan (also in a thread) finds files added, changed or removed; the
session announces them as a StoreChange, and the panes showing a changed article reload it
with its annotations re-anchored (`reload_changed_panes`). Nothing here runs for a fixed list
of articles (tests that pass Articles).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.content import Content
from textual.worker import get_current_worker

from tui.corpus.live_corpus import Changes, LiveCorpus, cleaning_status
from tui.errors import UserError
from tui.inert import inert
from tui.wording import counted

if TYPE_CHECKING:
    from tui.app.reader import ReaderApp
    from tui.app.screens.reader_panes import ReaderPanes

RESCAN_SECONDS = 2.0
PROGRESS_SECONDS = 0.25
"""The status line's progress is redrawn at most this often (10,000 steps are not 10,000
redraws)."""


class CorpusWatch:
    """Runs the live corpus's background work for one App."""

    def __init__(self, app: ReaderApp, *, rescan_seconds: float = RESCAN_SECONDS) -> None:
        self.app = app
        self.rescan_seconds = rescan_seconds
        self.status = ""
        """What the status line says of the background work ("" when there is none)."""
        self._scanning = False
        self._cleaning = False
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def live(self) -> LiveCorpus | None:
        return self.app.session.corpus.live

    def start(self) -> None:
        """From the App's on_mount: the cleaner starts, and the folder is watched."""
        if self.live is None:
            return
        self._loop = asyncio.get_running_loop()
        self.clean_soon()
        if self.rescan_seconds > 0:
            self.app.set_interval(self.rescan_seconds, self.rescan_soon)

    # -- cleaning ----------------------------------------------------------------------------

    def clean_soon(self) -> None:
        """Clean, in a thread, whatever the index lacks: at launch, and again for files a
        rescan found (so a page saved while the reader is open shows its title, not its
        file name); one cleaner at a time."""
        live = self.live
        if live is None or self._cleaning or self._loop is None or not live.pending():
            return
        self._cleaning = True
        self.app.run_worker(self._clean, thread=True, group="corpus-clean", exit_on_error=False)

    def _clean(self) -> None:
        """In a thread: clean every pending article, posting progress now and then."""
        live = self.live
        assert live is not None
        worker = get_current_worker()
        shown = 0.0
        total = 0
        try:
            for done, total in live.clean_pending():
                if worker.is_cancelled:
                    return
                now = time.monotonic()
                if done == total or now - shown >= PROGRESS_SECONDS:
                    shown = now
                    if not self._post(self._cleaning_progress, done, total):
                        return
        finally:
            self._post(self._cleaning_ended, total)

    def _cleaning_progress(self, done: int, total: int) -> None:
        self.status = cleaning_status(done, total) if done < total else ""
        if done == total:  # every title known now: lists show them
            self.app.session.corpus_changed(Changes())
        self._redraw_status()

    def _cleaning_ended(self, total: int) -> None:
        self._cleaning = False
        if total:
            self.clean_soon()  # files a rescan added while this run was under way

    # -- watching the folder -----------------------------------------------------------------

    def rescan_soon(self) -> None:
        """The timer: one rescan at a time, in a thread."""
        if self._scanning or self.live is None:
            return
        self._scanning = True
        self.app.run_worker(self._rescan, thread=True, group="corpus-rescan", exit_on_error=False)

    def _rescan(self) -> None:
        live = self.live
        assert live is not None
        try:
            changes = live.rescan()
        except UserError as error:  # the folder itself went: say so once per scan
            self._post(self._rescan_failed, str(error))
            return
        self._post(self._rescanned, changes)

    def _rescan_failed(self, message: str) -> None:
        self._scanning = False
        self.app.notify(message, title="Corpus", severity="error", markup=False)

    def _rescanned(self, changes: Changes) -> None:
        self._scanning = False
        self._announce(changes)

    def rescan_now(self) -> Changes:
        """Rescan in this thread and announce what changed (tests; no timer to wait for)."""
        live = self.live
        changes = live.rescan() if live is not None else Changes()
        self._announce(changes)
        return changes

    def _announce(self, changes: Changes) -> None:
        """What a rescan found goes to the session (which tells the screens), and new files
        to the cleaner."""
        if changes:
            self.app.session.corpus_changed(changes)
            self.clean_soon()

    # -- helpers -----------------------------------------------------------------------------

    def _post(self, call: Callable[..., None], *args: object) -> bool:
        """Run `call(*args)` on the App's loop without waiting for it (a thread never blocks
        on the UI); False once the App is gone (the worker then stops)."""
        loop = self._loop
        if loop is None or loop.is_closed() or not self.app.is_running:
            return False
        try:
            loop.call_soon_threadsafe(call, *args)
        except RuntimeError:
            return False
        return True

    def _redraw_status(self) -> None:
        with contextlib.suppress(AssertionError):
            screen = self.app.reader_screen
            if screen.is_whole:
                screen.update_status()


def reload_changed_panes(screen: ReaderPanes, changes: Changes) -> None:
    """Panes showing an article whose file changed show the new text, its annotations
    re-anchored (one toast says how many need checking); a pane showing one whose file went
    keeps it, with a note that the file is gone (its annotations are never dropped)."""
    session = screen.reader.session
    checking = 0
    reloaded: set[str] = set()
    for view in screen.views:
        article_id = view.article.id
        if article_id in changes.changed:
            found = session.reanchor_changed(article_id)
            if found is None:
                continue
            article, placed = found
            offset = view.article.sentences[view.cursor][0] if view.article.sentences else 0
            view.show_article(article, placed.annotations)
            view.move_to_offset(min(offset, max(0, len(article.text) - 1)))
            if article_id not in reloaded:
                reloaded.add(article_id)
                checking += len(placed.needs_checking)
        elif article_id in changes.removed:
            view.border_subtitle = Content(
                inert(f"file gone from the corpus folder · {article_id}")
            )
    gone = [i for i in changes.removed if screen._panes_showing(i)]
    if reloaded:
        what = counted(len(reloaded), "shown article")
        verb = "needs" if checking == 1 else "need"
        check = f"{counted(checking, 'annotation')} {verb} checking" if checking else "all placed"
        screen.app.notify(f"{what} changed on disk: reloaded, {check}.", title="Corpus")
    if gone:
        screen.app.notify(
            f"{', '.join(gone)}: file gone from the corpus folder; still shown, annotations kept.",
            title="Corpus",
            severity="warning",
            markup=False,
        )
