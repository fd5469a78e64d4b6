"""Choosing the article of the focused pane (`o`), with a filter for large corpora."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rapidfuzz import fuzz, process
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from tui.app.dialogs.modal_box import modal_box_css
from tui.app.model.corpus_view import ListedArticle
from tui.app.model.store_change import StoreChange
from tui.app.widgets.ordered_input import OrderedInput
from tui.inert import inert
from tui.wording import one_line


def article_label(article: ListedArticle) -> str:
    """Shown in the picker and the palette: data, so through the one rule; the title (kept
    whole by the corpus) cut to a list row's room."""
    title = one_line(article.title or article.id, 60)
    return inert(f"{title}  ·  {article.source or article.id}")


class ArticlePicker(ModalScreen[str | None]):
    """Returns the chosen article id, or None."""

    DEFAULT_CSS = modal_box_css(
        "ArticlePicker",
        width="90%",
        max_width="100",
        extra="""
    & OptionList { height: auto; max-height: 16; }
""",
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="articles-cancel"),
        # Not priority bindings: those run as soon as a key arrives, ahead of letters typed
        # before it that the filter has not taken yet (see OrderedInput).
        Binding("down", "move(1)", "Down", show=False, id="articles-down"),
        Binding("up", "move(-1)", "Up", show=False, id="articles-up"),
        Binding("enter", "choose", "Open", id="articles-open"),
    ]

    def __init__(
        self,
        articles: Sequence[ListedArticle],
        *,
        current: str | None = None,
        elsewhere: Sequence[str] = (),
    ) -> None:
        """`current`: the pane's own article; `elsewhere`: those the other panes show."""
        super().__init__()
        self._articles = list(articles)
        self._current = current
        self._elsewhere = set(elsewhere)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content("Open article in this pane")
            field = OrderedInput(
                placeholder="filter by title or source", id="article-filter", compact=True
            )
            field.cursor_blink = False
            yield field
            yield OptionList(id="article-options", compact=True)

    def on_mount(self) -> None:
        self._fill("")
        self._follow_the_corpus()

    def _follow_the_corpus(self) -> None:
        """Files added to or removed from the corpus folder while open appear or go."""
        signal = getattr(self.app, "store_changed_signal", None)
        if signal is not None:
            signal.subscribe(self, self._corpus_changed)

    def _corpus_changed(self, change: StoreChange) -> None:
        if change.corpus is not None:
            self._articles = list(self.app.session.articles)  # type: ignore[attr-defined]
            self._fill(self.query_one("#article-filter", Input).value)

    def _fill(self, query: str) -> None:
        options = self.query_one("#article-options", OptionList)
        options.clear_options()
        labels = {article.id: article_label(article) for article in self._articles}
        if query.strip():
            ranked = process.extract(
                query,
                labels,
                scorer=fuzz.WRatio,
                processor=str.casefold,
                limit=None,
                score_cutoff=50,
            )
            ids = [article_id for _label, _score, article_id in ranked]
        else:
            ids = list(labels)
        options.add_options(Option(self._prompt(labels[i], i), id=i) for i in ids)
        if ids:
            options.highlighted = ids.index(self._current) if self._current in ids else 0

    def _prompt(self, label: str, article_id: str) -> Content:
        if article_id == self._current:
            return Content.assemble(Content(label), ("  (this pane)", "dim"))
        if article_id in self._elsewhere:
            return Content.assemble(Content(label), ("  (the other pane)", "dim"))
        return Content(label)

    @on(Input.Changed, "#article-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#article-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()  # enter in the filter field: the Input's own binding, in typing order
        self.action_choose()

    @on(OptionList.OptionSelected, "#article-options")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_move(self, step: int) -> None:
        options = self.query_one("#article-options", OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = (current + step) % options.option_count

    def action_choose(self) -> None:
        option = self.query_one("#article-options", OptionList).highlighted_option
        if option is not None:
            self.dismiss(option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
