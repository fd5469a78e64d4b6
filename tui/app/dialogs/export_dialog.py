"""The export dialog (`e`): format, grouping, filters and path; writes, shows progress, says where.

Keyboard only: tab / shift+tab move between fields, arrows and enter pick within a field,
ctrl+s (or enter in the path) exports, f1 lists the keys, esc closes (the last three are the
command table's `export` place, so a user's keymap moves them). A written file closes the
dialog, and a notice says where it went; a failure stays in the dialog, in its outcome line,
so the path can be corrected and tried again. The store is read on the UI
thread (its index is not shared across threads); anchoring, rendering and writing run in a
worker thread so a large export never freezes the reader. Tag names and article titles are
shown as Content, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, ProgressBar, RadioButton, RadioSet, Select, Static

from tui.app.dialogs.modal_box import modal_box_css
from tui.app.key_bindings import bindings_for, hint_line, user_keys_of
from tui.app.widgets.ordered_input import OrderedInput
from tui.corpus.model import Article
from tui.errors import UserError
from tui.export.excerpts import ExportFilter, blind_note, store_excerpts, store_memos
from tui.export.formats import DIALOG_FORMATS, REGISTRY, Format, default_filename, tags_for_export
from tui.export.render import render, write_atomically
from tui.inert import inert
from tui.store import AnnotationStore
from tui.store.model import Annotation, ArticleMeta, Memo, Tag
from tui.wording import counted

FORMAT_LABELS: dict[Format, str] = {spec.name: spec.label for spec in REGISTRY}
NOTICE_SECONDS = 12
"""How long the notice of a written export stays: it holds a path to read, or to copy."""


@dataclass(frozen=True, slots=True)
class ExportDone:
    """What the dialog returns when it wrote a file (None when closed without exporting)."""

    path: Path
    count: int
    skipped: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # what the format says about the export (renamed codes)


def done_message(done: ExportDone) -> str:
    """What an export wrote and where, and what it left out: the notice after the dialog."""
    message = f"Wrote {counted(done.count, 'excerpt')} to {done.path.resolve()}"
    if done.skipped:
        message += f"\nLeft out {len(done.skipped)} orphaned (passage no longer in the text)."
    for note in done.notes:
        message += f"\n{note}"
    return message


class _Snapshot:
    """The store's records as of the moment the user pressed enter, for the worker thread."""

    def __init__(
        self,
        annotations: list[Annotation],
        tags: list[Tag],
        metas: dict[str, ArticleMeta] | None = None,
        memos: list[Memo] | None = None,
    ) -> None:
        self._annotations = annotations
        self._tags = tags
        self._metas = metas or {}  # the reader's article details and attributes
        self.memos = memos or []  # already filtered (`store_memos`)

    def article_metas(self) -> dict[str, ArticleMeta]:
        return self._metas

    def annotations(self) -> list[Annotation]:
        return self._annotations

    def tags(self) -> list[Tag]:
        return self._tags


class ChoiceButton(RadioButton):
    """A radio button whose glyph, not only its colour, says it is the chosen one: with
    NO_COLOR or in 16 colours every stock button looks pressed."""

    BUTTON_INNER = " "  # off; the watcher below is not called for an initial False

    def watch_value(self) -> None:
        self.BUTTON_INNER = "●" if self.value else " "
        super().watch_value()


class ExportScreen(ModalScreen[ExportDone | None]):
    DEFAULT_CSS = modal_box_css(
        "ExportScreen",
        width="76",
        max_height="100%",
        extra="""
    & Horizontal { height: auto; }
    & RadioSet { width: 1fr; height: auto; }
    & #grouping { width: 20; }
    & .field { height: 1; }
    & .gap { margin-top: 1; }
    & .field Label { width: 10; color: $foreground-muted; }
    & .field Select, & .field Input { width: 1fr; }
    & ProgressBar { margin-top: 1; display: none; }
    & ProgressBar.running { display: block; }
    & #outcome { margin-top: 1; height: auto; max-height: 4; }
    & #outcome.error { color: $error; }
    & .hint { color: $foreground-muted; }
""",
    )

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("export")

    def __init__(
        self,
        store: AnnotationStore,
        articles: Sequence[Article],
        default_dir: Path,
        *,
        author: str | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.author = author  # blind coding: only this coder's annotations are exported
        self._tags = store.tags()  # read here, in the key's action: a bad store is a message
        self.articles = list(articles)
        self.default_dir = Path(default_dir)
        self._by_id = {article.id: article for article in self.articles}
        self._suggested = self._default_path("yaml")
        self._busy = False
        self.result: ExportDone | None = None

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        tags = self._tags
        with Vertical() as box:
            box.border_title = Content("Export annotations")
            with Horizontal():
                with RadioSet(id="format"):
                    for index, fmt in enumerate(DIALOG_FORMATS):
                        yield ChoiceButton(Content(FORMAT_LABELS[fmt]), value=index == 0, name=fmt)
                with RadioSet(id="grouping"):
                    yield ChoiceButton(Content("by article"), value=True, name="article")
                    yield ChoiceButton(Content("by tag"), name="tag")
            with Horizontal(classes="field gap"):
                yield Label(Content("Tag"))
                yield Select(
                    [(Content(inert(tag.name)), tag.name) for tag in tags],
                    prompt="All tags (one includes the tags below it)",
                    id="tag",
                    compact=True,
                )
            with Horizontal(classes="field"):
                yield Label(Content("Article"))
                yield Select(
                    [(Content(inert(a.title or a.id)), a.id) for a in self.articles],
                    prompt="All articles",
                    id="article",
                    compact=True,
                )
            with Horizontal(classes="field gap"):
                yield Label(Content("Write to"))
                yield OrderedInput(
                    str(self._suggested), id="path", select_on_focus=False, compact=True
                )
            yield ProgressBar(id="progress", show_eta=False)
            yield Static(Content(""), id="outcome")
            if self.author is not None:
                yield Static(Content(blind_note(self.author)), classes="hint")
            # tab, the arrows and enter are the fields' own keys, not the table's.
            keys = hint_line("export", user_keys=user_keys_of(self.app))
            yield Static(Content(f"tab field · arrows, enter choose · {keys}"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#format", RadioSet).focus()

    # -- fields ----------------------------------------------------------------------------

    def _default_path(self, fmt: Format) -> Path:
        """`export-<timestamp>.<ext>` in the folder; `-2`, `-3`... if that second is taken."""
        path = self.default_dir / default_filename(fmt)
        number = 1
        while path.exists():
            number += 1
            stem = default_filename(fmt).rsplit(".", 1)[0]
            path = self.default_dir / f"{stem}-{number}.{path.suffix.lstrip('.')}"
        return path

    @property
    def chosen_format(self) -> Format:
        pressed = self.query_one("#format", RadioSet).pressed_button
        return (pressed.name if pressed is not None else "yaml") or "yaml"  # type: ignore[return-value]

    @property
    def chosen_grouping(self) -> str:
        pressed = self.query_one("#grouping", RadioSet).pressed_button
        return (pressed.name if pressed is not None else "article") or "article"

    @property
    def export_filter(self) -> ExportFilter:
        tag = self.query_one("#tag", Select).value
        article = self.query_one("#article", Select).value
        return ExportFilter(
            tags=(tag,) if isinstance(tag, str) else (),
            articles=(article,) if isinstance(article, str) else (),
            authors=(self.author,) if self.author is not None else (),
        )

    def _suggest_path(self) -> None:
        """A fresh timestamped default for the chosen format, unless the user typed a path."""
        path_input = self.query_one("#path", Input)
        if path_input.value.strip() == str(self._suggested):
            self._suggested = self._default_path(self.chosen_format)
            path_input.value = str(self._suggested)

    @on(RadioSet.Changed, "#format")
    def _format_changed(self) -> None:
        self._suggest_path()
        grouping = self.query_one("#grouping", RadioSet)
        grouping.disabled = self.chosen_format != "yaml"

    @on(Input.Submitted, "#path")
    def _path_submitted(self) -> None:
        self.action_export()

    # -- exporting -------------------------------------------------------------------------

    def action_close(self) -> None:
        if not self._busy:
            self.dismiss(self.result)

    def action_export(self) -> None:
        if self._busy:
            return
        raw_path = self.query_one("#path", Input).value.strip()
        if not raw_path:
            self._say("Give a file to write to.", error=True)
            return
        path = Path(raw_path).expanduser()
        snapshot = _Snapshot(
            self.store.annotations(),
            self.store.tags(),
            self.store.article_metas(),
            store_memos(self.store, self.export_filter),
        )
        self._busy = True
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.add_class("running")
        self._say(f"Exporting to {path} …")
        self._write(snapshot, self.export_filter, self.chosen_format, self.chosen_grouping, path)

    @work(thread=True, exclusive=True, group="export")
    def _write(
        self,
        snapshot: _Snapshot,
        export_filter: ExportFilter,
        fmt: Format,
        grouping: str,
        path: Path,
    ) -> None:
        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, done, total)

        try:
            excerpts = store_excerpts(snapshot, self._by_id.get, export_filter)
            rendered = render(
                excerpts,
                tags_for_export(fmt, excerpts, snapshot.tags(), within=export_filter.tags),
                fmt=fmt,
                by=grouping,  # type: ignore[arg-type]
                progress=progress,
                memos=snapshot.memos,
            )
            write_atomically(path, rendered.data, make_folder=True)
        except UserError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        done = ExportDone(
            path=path, count=rendered.count, skipped=rendered.skipped, notes=rendered.notes
        )
        self.app.call_from_thread(self._finished, done)

    def _progress(self, done: int, total: int) -> None:
        self.query_one("#progress", ProgressBar).update(total=max(total, 1), progress=done)

    def _finished(self, done: ExportDone) -> None:
        """A written file closes the dialog: its work is done, and a dialog left open took
        the user's next key (`e` again) as its own. The notice says where the file went."""
        self._busy = False
        self.result = done
        self.query_one("#progress", ProgressBar).remove_class("running")
        self.app.notify(
            inert(done_message(done), multiline=True),
            title="Exported",
            timeout=NOTICE_SECONDS,
            markup=False,
        )
        self.dismiss(done)

    def _failed(self, message: str) -> None:
        self._busy = False
        self.query_one("#progress", ProgressBar).remove_class("running")
        self._say(message, error=True)

    def _say(self, message: str, *, error: bool = False) -> None:
        outcome = self.query_one("#outcome", Static)
        outcome.update(Content(inert(message, multiline=True)))
        outcome.set_class(error, "error")
