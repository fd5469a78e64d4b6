"""Search across the corpus: words or a regular expression in every article, hits with their
context and article; enter opens the article in the focused pane at the hit; "code all hits".
Memos are searched too (after the articles, by `tui.store.memo_search`, as the CLI does): their
hits follow the articles' as rows of their own kind, and enter edits the memo as the memo list
does. A memo is not an article's text, so its hits are never marked or coded.

The search runs in a worker thread (`tui.corpus.search`, one article at a time), so typing
never waits for it: hits arrive in batches with a running count, and a newer query makes the
older one stop at its next article. Coding hits goes through one session call, which the store
records as one undoable change: `u` in the reader takes back every passage at once. A hit codes
its words, or the sentence or paragraph it sits in (`tui.corpus.units`; ctrl+o switches).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from tui.app.dialogs.modal_box import modal_box_css
from tui.app.key_bindings import bindings_for, hint_key, hint_line, user_keys_of
from tui.app.model.corpus_view import ListedArticle
from tui.app.model.hit_coding import HitCoding, plan_coding
from tui.app.screens.annotations_screen import Jump
from tui.app.widgets.ordered_input import OrderedInput
from tui.app.widgets.virtual_list import VirtualList
from tui.corpus.model import Article
from tui.corpus.search import CONTEXT, Hit, Query, Skipped, compile_query, search_article
from tui.corpus.units import CodingUnit, next_unit
from tui.errors import UserError
from tui.inert import inert
from tui.store.errors import StoreError, StoreWriteError
from tui.store.memo_search import MemoHit, MemoSkipped, search_memos
from tui.store.model import Memo
from tui.wording import counted, one_line

if TYPE_CHECKING:
    from tui.app.dialogs.tag_picker import PickedTags
    from tui.app.reader import ReaderApp

MAX_HITS = 20_000
"""Hits kept for one query: enough to code a corpus's every mention, bounded in memory."""
BATCH_SECONDS = 0.2
"""How often a running search hands its new hits to the screen."""


_ONE_SPACE = re.compile(r"\s+")
NOT_CODED = "A memo hit cannot be marked or coded: only the articles' hits are."

SearchResult = Hit | Skipped | MemoHit | MemoSkipped


class Found(Message):
    """Hits (and skips) from the search worker, for query number `generation`."""

    def __init__(
        self, generation: int, results: list[SearchResult], searched: int, *, done: bool
    ) -> None:
        super().__init__()
        self.generation = generation
        self.results = results
        self.searched = searched
        self.done = done


class CorpusSearchScreen(ModalScreen[Jump | None]):
    """Returns where to jump (an article and the hit's offset), or None."""

    DEFAULT_CSS = modal_box_css(
        "CorpusSearchScreen",
        width="95%",
        height="90%",
        max_width="140",
        max_height="100%",
        extra="""
    & VirtualList { height: 1fr; }
    & #search-state { color: $foreground-muted; }
    & .hint { color: $foreground-muted; }
""",
    )

    # Not priority bindings, so keys typed into the query stay in their order (OrderedInput).
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("corpus-search")

    def __init__(
        self,
        articles: Sequence[ListedArticle],
        *,
        load: Callable[[str], Article | None] | None = None,
        memos: Callable[[], list[Memo]] | None = None,
        query: str = "",
        regex: bool = False,
        unit: CodingUnit = "words",
    ) -> None:
        """`articles` are listed (id, title); `load` gives an article's text when the search
        reaches it (a live corpus cleans it then; only a few stay in memory); `memos` reads
        the memos to search (none when not given); `query` (a regex if `regex`) is searched
        at once, selected so that typing replaces it; `unit` is what coding a hit codes."""
        super().__init__()
        self._articles = list(articles)
        self._load = load or _loaded(articles)
        self._read_memos = memos or list
        self._titles = {article.id: article.title or article.id for article in articles}
        self._query_text = query
        self._regex = regex
        self.unit: CodingUnit = unit
        self.hits: list[Hit] = []
        self.memo_hits: list[MemoHit] = []
        """Listed after `hits`: row `len(hits) + i` is `memo_hits[i]`."""
        self.marked: set[int] = set()
        self.skipped: list[Skipped | MemoSkipped] = []
        self.searched = 0
        self.done = True
        self._generation = 0
        self._error = ""
        self._memo_error = ""
        self._query: Query | None = None

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content("Search every article")
            field = OrderedInput(
                self._query_text, placeholder="words to find", id="search-query", compact=True
            )
            field.cursor_blink = False
            yield field
            yield Static(Content(""), id="search-state")
            yield HitList(self._draw_row, id="search-hits")
            yield Static(
                Content(
                    hint_line(
                        "corpus-search-hits", "corpus-search", user_keys=user_keys_of(self.app)
                    )
                ),
                classes="hint",
            )

    def on_mount(self) -> None:
        if self._query_text:
            self._start(self._query_text)
        self._show_state()

    @property
    def reader(self) -> ReaderApp:
        return self.app  # type: ignore[return-value]

    @property
    def hit_list(self) -> HitList:
        return self.query_one("#search-hits", HitList)

    @property
    def query_text(self) -> str:
        return self.query_one("#search-query", Input).value

    @property
    def last_query(self) -> tuple[str, bool, CodingUnit]:
        """The query last searched, whether it is a regex and the coding unit (readable
        after the screen closed, when its input is gone)."""
        return self._query_text, self._regex, self.unit

    # -- searching -----------------------------------------------------------------------------

    @on(Input.Changed, "#search-query")
    def _query_changed(self, event: Input.Changed) -> None:
        self._start(event.value)

    def _start(self, text: str) -> None:
        """Forget the last query's hits and search for `text` in a worker thread."""
        self._query_text = text
        self._generation += 1
        self.hits = []
        self.memo_hits = []
        self.marked = set()
        self.skipped = []
        self.searched = 0
        self._error = ""
        self.hit_list.set_rows(0)
        query: Query | None = None
        if text.strip():
            try:
                query = compile_query(text, is_regex=self._regex)
            except UserError as error:
                self._error = str(error)
        self._query = query
        self.done = query is None
        if query is not None:
            self._search(query, self._generation, self._memos_now())
        self._show_state()

    def _memos_now(self) -> list[Memo]:
        """The memos to search, read here (not in the worker thread, which must not touch
        the store): every memo, everyone's, blind or not, as the memo list (`M`) shows
        them: blind coding hides annotations, not memos."""
        self._memo_error = ""
        try:
            return self._read_memos()
        except StoreError as error:
            self._memo_error = str(error)
            return []

    @work(thread=True, exclusive=True, group="corpus-search")
    def _search(self, query: Query, generation: int, memos: list[Memo]) -> None:
        """Every article in turn, then every memo; hits handed over in batches; stops when a
        newer query came."""
        worker = get_current_worker()
        batch: list[SearchResult] = []
        kept = 0
        last = time.monotonic()
        searched = 0
        for searched, listed in enumerate(self._articles, start=1):
            if worker.is_cancelled or generation != self._generation:
                return
            article = self._load(listed.id)
            if article is None:  # gone from the folder, or unreadable: named by the reader
                continue
            for result in search_article(article, query, units=True):
                if isinstance(result, Hit):
                    if kept >= MAX_HITS:
                        break
                    kept += 1
                batch.append(result)
            if kept >= MAX_HITS:  # enough to read or code; the rest would only cost time
                break
            if batch and time.monotonic() - last >= BATCH_SECONDS:
                self.post_message(Found(generation, batch, searched, done=False))
                batch, last = [], time.monotonic()
        kept = 0
        for found in search_memos(memos, query):
            if worker.is_cancelled or generation != self._generation:
                return
            if isinstance(found, MemoHit):
                if kept >= MAX_HITS:
                    break
                kept += 1
            batch.append(found)
        self.post_message(Found(generation, batch, searched, done=True))

    def on_found(self, message: Found) -> None:
        """A batch from the worker (posted, not waited for: the search never waits on a
        frame being drawn)."""
        if message.generation != self._generation:
            return  # a batch of a query the reader has typed past
        self._take(message.results, message.searched, message.done)

    def _take(self, results: list[SearchResult], searched: int, done: bool) -> None:
        for result in results:
            if isinstance(result, Hit):
                self.hits.append(result)
            elif isinstance(result, MemoHit):
                self.memo_hits.append(result)
            else:
                self.skipped.append(result)
        self.searched = searched
        self.done = done
        hit_list = self.hit_list
        if results:
            hit_list.set_rows(self.row_count, hit_list.cursor or 0)
        self._show_state()

    @property
    def row_count(self) -> int:
        return len(self.hits) + len(self.memo_hits)

    def memo_hit_at(self, row: int) -> MemoHit | None:
        """The memo hit on `row`, or None when the row is an article's hit."""
        index = row - len(self.hits)
        return self.memo_hits[index] if 0 <= index < len(self.memo_hits) else None

    def _show_state(self) -> None:
        mode = "regex" if self._regex else "words"
        if self._error:
            text = f"{mode}: {self._error}"
        elif not self.query_text.strip():
            text = f"{mode}: type to search {counted(len(self._articles), 'article')}"
        else:
            articles = len({hit.article_id for hit in self.hits})
            text = f"{mode}: {counted(len(self.hits), 'hit')} in {counted(articles, 'article')}"
            if len(self.hits) >= MAX_HITS:
                text += f" (stopped at {MAX_HITS:,}, after {self.searched:,} articles)"
            if self._memo_error:
                text += f" · memos not searched: {self._memo_error}"
            elif self.done or self.memo_hits:
                text += f" · {counted(len(self.memo_hits), 'memo hit')}"
            if self.marked:
                text += f" · {len(self.marked):,} marked"
            if self.skipped:
                text += f" · {len(self.skipped):,} skipped (the pattern took too long there)"
            if not self.done:
                text += f" · searching {self.searched:,}/{len(self._articles):,}…"
        text += f" · code as: {self.unit}"
        self.query_one("#search-state", Static).update(Content(inert(text)))

    # -- drawing -------------------------------------------------------------------------------

    def _draw_row(self, index: int, width: int) -> Content:
        """`● title │ …before MATCH after…`, or `  memo: title │ …` for a memo's hit (its
        article's title, or "project"): the title takes a third at most, the context the
        rest, the match kept in the middle of it; context outside what coding the hit by
        sentence or paragraph would code is dim."""
        title_room = max(10, min(40, width // 3))
        hit: Hit | MemoHit
        memo_hit = self.memo_hit_at(index)
        coded = (CONTEXT, CONTEXT)  # how much of the context before and after is coded
        if memo_hit is None:
            hit = self.hits[index]
            mark, kind, article = "● " if index in self.marked else "  ", "", hit.article_id
            if self.unit != "words":  # words: the match alone, no context dimmed
                _article, start, end = hit.passage(self.unit)
                coded = (hit.start - start, end - hit.end)
        else:
            hit, mark, kind, article = memo_hit, "  ", "memo: ", memo_hit.memo.article
        where = self._titles.get(article, article) if article else "project"
        # Padded, so the contexts of every row start in one column.
        title = one_line(where, title_room - len(kind)).ljust(title_room - len(kind))
        room = max(10, width - len(mark) - len(kind) - len(title) - 3)
        match = one_line(hit.match, max(4, room - 10))
        side = max(0, (room - len(match)) // 2)
        # Runs of white space become one space; the spaces next to the match stay. The
        # blank between two sentences is not coded, so no run spans the edge of the coded.
        cut = max(0, len(hit.before) - coded[0])
        lead, coded_before = (_ONE_SPACE.sub(" ", part) for part in _split(hit.before, cut))
        coded_after, tail = (_ONE_SPACE.sub(" ", part) for part in _split(hit.after, coded[1]))
        before, after = lead + coded_before, coded_after + tail
        # Room one side leaves (a hit near the start or the end of its text) goes to the other.
        before = _keep_end(before, max(side, room - len(match) - len(after)))
        after = _keep_start(after, room - len(match) - len(before))
        lead, coded_before = _split(before, max(0, len(before) - len(coded_before)))
        coded_after, tail = _split(after, len(coded_after))
        return Content.assemble(
            (mark, "bold"),
            (kind, "italic"),
            (inert(title), "dim"),
            (" │ ", "dim"),
            (inert(lead), "dim"),
            inert(coded_before),
            (inert(match), "bold reverse"),
            inert(coded_after),
            (inert(tail), "dim"),
        )

    # -- keys ----------------------------------------------------------------------------------

    @on(Input.Submitted, "#search-query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()  # enter in the query: the Input's own binding, in typing order
        self.action_open()

    @on(VirtualList.Selected, "#search-hits")
    def _selected(self) -> None:
        self.action_open()

    def action_move(self, step: int) -> None:
        if step > 0:
            self.hit_list.action_cursor_down()
        else:
            self.hit_list.action_cursor_up()

    def action_page(self, pages: int) -> None:
        self.hit_list.action_page(pages)

    def action_toggle_focus(self) -> None:
        if self.focused is self.hit_list:
            self.query_one("#search-query", Input).focus()
        elif self.row_count:
            self.hit_list.focus()

    def action_toggle_regex(self) -> None:
        self._regex = not self._regex
        self._start(self.query_text)

    def action_next_unit(self) -> None:
        """Code the hits' words, sentences or paragraphs: the hits stay as they are."""
        self.unit = next_unit(self.unit)
        self.hit_list.redraw()  # the rows show the extent that will be coded
        self._show_state()

    def toggle_mark(self) -> None:
        cursor = self.hit_list.cursor
        if cursor is None or cursor >= self.row_count:
            return
        if cursor >= len(self.hits):
            self.app.notify(NOT_CODED)
            return
        self.marked.symmetric_difference_update({cursor})
        self.hit_list.redraw()
        self.hit_list.move_cursor(cursor + 1)
        self._show_state()

    def action_open(self) -> None:
        """An article's hit: back to the reader at the hit. A memo's: the memo in the note
        editor, then back to these hits (the next memo to fix may be among them)."""
        cursor = self.hit_list.cursor
        if cursor is None or cursor >= self.row_count:
            return
        memo_hit = self.memo_hit_at(cursor)
        if memo_hit is not None:
            self._edit_memo(memo_hit.memo.id)
            return
        hit = self.hits[cursor]
        self.dismiss(Jump(hit.article_id, hit.start))

    # -- memo hits -----------------------------------------------------------------------------

    def _edit_memo(self, memo_id: str) -> None:
        """Edit the memo as it is now in the store (someone may have changed it since the
        search), the way the memo list's enter does."""
        from tui.app.dialogs.memo_list import edit_memo

        session = self.reader.session
        try:
            memo = session.store.memos.get(memo_id)
        except StoreError as error:
            self.reader.show_store_error(error)
            return
        if memo is None:
            self.app.notify("This memo has been deleted since the search.")
            self._refresh_memo(memo_id)
            return
        about = "the project" if memo.on_project else self._titles.get(memo.article, memo.article)

        def write(change: Callable[[], Memo]) -> None:
            try:
                change()
            except StoreWriteError as error:  # kept in memory; the store retries the write
                self.reader.show_store_error(error)
            except StoreError as error:  # refused: nothing changed
                self.reader.show_store_error(error)
                return
            self._refresh_memo(memo_id)

        edit_memo(self.app, session, memo, about, write=write, say=self.app.notify)

    def _refresh_memo(self, memo_id: str) -> None:
        """Search one memo again after it changed, its hits in place of its old ones."""
        query = self._query
        place = next((i for i, h in enumerate(self.memo_hits) if h.memo.id == memo_id), None)
        if query is None or place is None:
            return
        try:
            memo = self.reader.session.store.memos.get(memo_id)
        except StoreError:
            memo = None
        found = search_memos([memo] if memo is not None else [], query)
        fresh = [hit for hit in found if isinstance(hit, MemoHit)]
        rest = [hit for hit in self.memo_hits if hit.memo.id != memo_id]
        self.memo_hits = rest[:place] + fresh + rest[place:]
        hit_list = self.hit_list
        hit_list.set_rows(self.row_count, min(hit_list.cursor or 0, max(self.row_count - 1, 0)))
        self._show_state()

    @property
    def _undo_key(self) -> str:
        """The reader's undo key, as the user has it, for the notices."""
        return hint_key("undo", user_keys_of(self.app))

    def action_close(self) -> None:
        self.dismiss(None)

    # -- code all hits -------------------------------------------------------------------------

    def chosen_hits(self) -> list[Hit]:
        """The marked hits, else every hit."""
        if self.marked:
            return [self.hits[index] for index in sorted(self.marked)]
        return list(self.hits)

    def action_code_hits(self) -> None:
        from tui.app.dialogs.tag_picker import TagPicker

        if not self.done:
            self.app.notify("The search is still running: code its hits when it has finished.")
            return
        hits = self.chosen_hits()
        if not hits:
            self.app.notify(NOT_CODED if self.memo_hits else "No hits to code.")
            return
        try:
            tags = self.reader.session.tags()
        except StoreError as error:
            self.reader.show_store_error(error)
            return
        which = "marked hit" if self.marked else "hit"
        by = "" if self.unit == "words" else f" by {self.unit}"
        picker = TagPicker(tags, title=f"Tag {counted(len(hits), which)}{by}")
        self.app.push_screen(picker, lambda picked: self._confirm(hits, picked))

    def _confirm(self, hits: list[Hit], picked: PickedTags | None) -> None:
        from tui.app.dialogs.prompts import ConfirmDialog

        if picked is None or not picked.names:
            return
        session = self.reader.session
        names = [session.normalised_name(name) for name in picked.names]
        try:
            mine = session.store.annotations(author=session.user)
        except StoreError as error:
            self.reader.show_store_error(error)
            return
        plan = plan_coding(hits, self.unit, names, mine)
        message = plan.question(self._undo_key)
        if not plan.passages:
            self.app.notify(message, markup=False)
            return
        if self.memo_hits and not self.marked:
            message += f"\n{counted(len(self.memo_hits), 'memo hit')} left: memos are not coded."
        self.app.push_screen(
            ConfirmDialog("Code the marked hits" if self.marked else "Code all hits", message),
            lambda yes: self._code(plan) if yes else None,
        )

    def _code(self, plan: HitCoding) -> None:
        try:
            done = self.reader.session.tag_hits(plan.passages, plan.names)
        except StoreWriteError as error:  # applied in memory; the store retries the write
            self.reader.show_store_error(error)
            done = error.result
        except StoreError as error:  # refused: nothing changed
            self.reader.show_store_error(error)
            return
        self.marked = set()
        self.hit_list.redraw()
        self._show_state()  # the panes below redraw themselves (the store-change signal)
        self.app.notify(
            f"Tagged {counted(len(done or []), plan.noun)} with {', '.join(plan.names)}; "
            f"{self._undo_key} in the reader undoes them all.",
            markup=False,
        )


class HitList(VirtualList):
    """The hits; space marks the one under the cursor (when the list has the focus)."""

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("corpus-search-hits")

    def action_mark(self) -> None:
        screen = self.screen
        if isinstance(screen, CorpusSearchScreen):
            screen.toggle_mark()


def open_corpus_search(app: ReaderApp) -> None:
    """Open the search over the reader's corpus; enter jumps where the hit is (the same
    `Jump` the annotations list returns, handled by the reader screen)."""
    session = app.session
    query, regex, unit = app.last_search
    screen = CorpusSearchScreen(
        session.articles,
        load=session.article,
        memos=lambda: session.store.memos.list(),
        query=query,
        regex=regex,
        unit=unit,
    )

    def closed(jump: Jump | None) -> None:
        app.last_search = screen.last_query  # `S` reopens on it
        app.reader_screen._jump(jump)

    app.push_screen(screen, closed)


def _split(text: str, at: int) -> tuple[str, str]:
    return text[:at], text[at:]


def _keep_end(text: str, room: int) -> str:
    """The end of `text` in `room` characters, "…" first if cut (whole if room is under 2)."""
    return "…" + text[len(text) - room + 1 :] if len(text) > room > 1 else text


def _keep_start(text: str, room: int) -> str:
    """The start of `text` in `room` characters, "…" last if cut (whole if room is under 2)."""
    return text[: room - 1] + "…" if len(text) > room > 1 else text


def _loaded(articles: Sequence[ListedArticle]) -> Callable[[str], Article | None]:
    """A loader for articles given whole (tests, a small corpus)."""
    by_id = {a.id: a for a in articles if isinstance(a, Article)}
    return by_id.get
