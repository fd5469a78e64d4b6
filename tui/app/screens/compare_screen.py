"""Compare two coders on one article, and settle their differences into the consensus layer.

The focused article is shown twice, each pane with one coder's annotations; every place where
they differ (a tag one applied and the other did not, or different extents) is marked, `.` and
`,` step through them, and the bar gives this article's agreement. At a difference, `1` keeps
A's coding, `2` B's, `3` both and `0` neither, written for the consensus coder; `u` takes the
last decision back. The coders' own annotations are never changed (issue 16).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.style import Style as RichStyle
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, SelectionList, Static

from tui.analysis.agreement import AgreementReport, Figures
from tui.analysis.differences import CONSENSUS, Choice, Difference
from tui.app.dialogs.modal_box import modal_box_css
from tui.app.key_bindings import bindings_for, hint_key, hint_line, user_keys_of
from tui.app.widgets.article_view import ArticleView
from tui.corpus.model import Article
from tui.inert import inert, inert_words
from tui.store.errors import StoreError, StoreWriteError
from tui.wording import one_line

if TYPE_CHECKING:
    from collections.abc import Sequence

    from tui.app.reader import ReaderApp

CHOICE_WORDS: dict[Choice, str] = {
    "A": "kept A's coding",
    "B": "kept B's coding",
    "both": "kept both codings",
    "neither": "kept neither coding",
}


class CoderPicker(ModalScreen[tuple[str, str] | None]):
    """Choose the two coders to compare (space marks, enter compares)."""

    DEFAULT_CSS = modal_box_css(
        "CoderPicker",
        width="60",
        height="auto",
        extra="""
    & SelectionList { height: auto; max-height: 16; }
    & .hint { color: $foreground-muted; }
""",
    )
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("coders")

    def __init__(self, coders: Sequence[str]) -> None:
        super().__init__()
        self._coders = list(coders)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content("Compare two coders")
            yield SelectionList[str](
                *[(Content(inert(coder)), coder) for coder in self._coders], id="coders"
            )
            yield Static(
                # space is the list's own (SelectionList marks), not a table key.
                Content(
                    f"space mark two · {hint_line('coders', user_keys=user_keys_of(self.app))}"
                ),
                classes="hint",
            )

    def action_compare(self) -> None:
        chosen = self.query_one("#coders", SelectionList).selected
        if len(chosen) != 2:
            self.app.notify(f"Mark exactly two coders (space); {len(chosen)} marked.", markup=False)
            return
        self.dismiss((chosen[0], chosen[1]))

    def action_close(self) -> None:
        self.dismiss(None)


class CompareScreen(Screen[None]):
    """Two coders' coding of one article side by side, their differences, and decisions."""

    DEFAULT_CSS = """
    CompareScreen #compare-panes { height: 1fr; }
    CompareScreen ArticleView { width: 1fr; }
    CompareScreen #compare-bar { height: auto; max-height: 3; padding: 0 1; background: $boost; }
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("compare")

    def __init__(
        self, article: Article, coder_a: str, coder_b: str, consensus: str = CONSENSUS
    ) -> None:
        super().__init__()
        self.article = article
        self.coders = (coder_a, coder_b)
        self.consensus = consensus
        self.differences: list[Difference] = []
        self.current: int | None = None
        self._report: AgreementReport | None = None

    @property
    def reader(self) -> ReaderApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        session = self.reader.session
        with Horizontal(id="compare-panes"):
            for index, coder in enumerate(self.coders):
                view = ArticleView(
                    self.article,
                    tag_styler=self._tag_styler,
                    annotations=session.coder_annotations(self.article, coder),
                    id=f"compare-{index}",
                )
                view.border_subtitle = Content(f"{'AB'[index]}: {inert(coder)}")
                yield view
        yield Static(id="compare-bar")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.views[0].focus()
        self.refresh_differences()
        if self.differences:
            self.action_step(1)

    @property
    def views(self) -> list[ArticleView]:
        return list(self.query(ArticleView))

    def _tag_styler(self, names: Sequence[str]) -> RichStyle:
        return self.reader.tag_style(names[0]) if names else RichStyle()

    # -- what is shown ---------------------------------------------------------------------

    def refresh_differences(self) -> None:
        """Both coders' annotations and their differences, as the store has them now."""
        session = self.reader.session
        try:
            annotations = [session.coder_annotations(self.article, c) for c in self.coders]
            self.differences = session.compare_coders(self.article, *self.coders)
            self._report = session.coder_agreement(self.article, *self.coders)
        except StoreError as error:
            self.reader.show_store_error(error)
            return
        spans = [(d.start, d.end) for d in self.differences]
        for view, found in zip(self.views, annotations, strict=True):
            view.set_annotations(found)
            view.matches = spans  # marked as search hits are
            view.restyle()
        if self.current is not None and self.current >= len(self.differences):
            self.current = len(self.differences) - 1 if self.differences else None
        self._update_bar()

    def _update_bar(self) -> None:
        report = self._report
        parts = [f"{self._figures_line(report)}"]
        if not self.differences:
            parts.append("no differences: the two coders coded this article alike")
        elif self.current is None:
            parts.append(f"{len(self.differences)} differences: . and , step through them")
        else:
            difference = self.differences[self.current]
            quote = one_line(inert_words(self.article.text[difference.start : difference.end]), 50)
            parts.append(
                f"difference {self.current + 1} of {len(self.differences)}: "
                f"{inert_words(difference.tag)}, {self._kind(difference)} · “{quote}” · "
                f"{self._settled(difference)}"
            )
        self.query_one("#compare-bar", Static).update(Content("\n".join(parts)))

    def _figures_line(self, report: AgreementReport | None) -> str:
        if report is None or not report.counts.articles:
            return "agreement: both coders must have coded this article"
        overall = report.overall

        def figures(f: Figures) -> str:
            percent = "n/a" if f.percent is None else f"{f.percent:.0f}%"
            kappa = "n/a" if f.kappa is None else f"{f.kappa:.2f}"
            alpha = "n/a" if f.alpha is None else f"{f.alpha:.2f}"
            return f"{percent} κ {kappa} α {alpha}"

        return (
            f"agreement by sentence, all sentences: {figures(overall.all_units)} · "
            f"coded sentences only: {figures(overall.coded_units)}"
        )

    def _kind(self, difference: Difference) -> str:
        a, b = (inert_words(c) for c in self.coders)
        return {
            "only A": f"only {a} (A) coded it",
            "only B": f"only {b} (B) coded it",
            "extent": "different extents",
        }[difference.kind]

    def _settled(self, difference: Difference) -> str:
        """What the consensus layer holds for this tag here, by extents."""
        session = self.reader.session
        held = {
            (a.start, a.end)
            for a in session.coder_annotations(self.article, self.consensus)
            if difference.tag in a.tags and a.start < difference.end and difference.start < a.end
        }
        a_side = {(x.start, x.end) for x in difference.a}
        b_side = {(x.start, x.end) for x in difference.b}
        if not held:
            return "consensus: nothing here yet (1 A · 2 B · 3 both · 0 neither)"
        if held == a_side:
            return "consensus: A's"
        if held == b_side:
            return "consensus: B's"
        if held == a_side | b_side:
            return "consensus: both"
        return "consensus: other extents"

    # -- keys ------------------------------------------------------------------------------

    def action_step(self, step: int) -> None:
        if not self.differences:
            self.app.notify("No differences between these two coders here.")
            return
        if self.current is None:
            self.current = 0 if step > 0 else len(self.differences) - 1
        else:
            self.current = (self.current + step) % len(self.differences)
        difference = self.differences[self.current]
        for view in self.views:
            view.move_to_offset(difference.start)
        self._update_bar()

    def action_settle(self, choice: Choice) -> None:
        if self.current is None or not self.differences:
            keys = user_keys_of(self.app)
            step = f"{hint_key('compare-next', keys)} or {hint_key('compare-prev', keys)}"
            self.app.notify(f"Step to a difference first ({step}).", markup=False)
            return
        difference = self.differences[self.current]
        try:
            self.reader.session.settle(self.article, difference, choice, self.consensus)
        except StoreWriteError as error:
            self.reader.show_store_error(error)
        except StoreError as error:
            self.reader.show_store_error(error)
            return
        self.app.notify(f"Consensus {CHOICE_WORDS[choice]} ({inert_words(difference.tag)}).")
        self.refresh_differences()
        if self.current is not None and self.current + 1 < len(self.differences):
            self.action_step(1)

    def action_undo(self) -> None:
        try:
            undone = self.reader.session.undo_settle()
        except StoreError as error:
            self.reader.show_store_error(error)
            return
        self.app.notify("Nothing to undo here." if undone is None else f"Undone: {undone}.")
        self.refresh_differences()

    def action_switch_pane(self) -> None:
        left, right = self.views
        (right if left.has_focus else left).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def on_store_changed(self) -> None:
        """Another writer (or this one) changed the store: show it."""
        self.refresh_differences()

    @on(ArticleView.CursorMoved)
    def _ignore_cursor(self) -> None:
        """The bar describes the current difference, not the sentence under the cursor."""


def start_compare(app: ReaderApp, article: Article) -> None:
    """`C` in the reader: compare two coders on `article`, asking which two when there are
    more; refused while blind (comparing shows everyone's work) or with fewer than two."""
    session = app.session
    if session.blind:
        blind = hint_key("blind", app.user_keys)
        app.notify(
            f"Blind: others are hidden. Press {blind} to show them before comparing.", markup=False
        )
        return
    try:
        coders = session.coders()
    except StoreError as error:
        app.show_store_error(error)
        return
    if len(coders) < 2:
        app.notify(
            "Comparing needs two coders; "
            + (f"only {inert_words(coders[0])} has annotated." if coders else "nobody has.")
        )
        return

    def chosen(pair: tuple[str, str] | None) -> None:
        if pair is not None:
            app.push_screen(CompareScreen(article, *pair))

    if len(coders) == 2:
        chosen((coders[0], coders[1]))
    else:
        app.push_screen(CoderPicker(coders), chosen)
