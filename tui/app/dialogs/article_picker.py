"""Choosing the article of the focused pane (`o`): filter, sort and coded counts, at any size.

A corpus may hold 10,000 articles: the list is a VirtualList (only the rows on screen are
drawn), each article's searchable text is folded once, and typing one more letter filters what
the last filter kept. Words match the title, source, date, id or an attribute's value;
`name:value` matches one attribute (`outlet:guardian`) or `title:`, `source:`, `date:`.
Tab cycles the order: corpus, title, date (newest first), source, coded passages (most first).
The keys are the command table's (`article-picker`): f1 lists them, a user's keymap moves them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static
from textual.widgets.option_list import Option

from tui.app.dialogs.modal_box import modal_box_css
from tui.app.key_bindings import bindings_for, hint_key, hint_line, user_keys_of
from tui.app.model.corpus_view import ListedArticle, listed_date
from tui.app.model.store_change import StoreChange
from tui.app.widgets.ordered_input import OrderedInput
from tui.app.widgets.virtual_list import VirtualList
from tui.inert import inert
from tui.store.errors import StoreError
from tui.text_match import fold, fold_many
from tui.wording import one_line

if TYPE_CHECKING:
    from tui.app.model.store_change import StoreChange

SortKey = Literal["corpus", "title", "date", "source", "coded"]
SORT_ORDER: tuple[SortKey, ...] = ("corpus", "title", "date", "source", "coded")
SEPARATOR = "  ·  "


def article_label(article: ListedArticle) -> str:
    """Shown in the palette: data, so through the one rule; the title (kept whole by the
    corpus) cut to a list row's room; no "·" before an empty source (13.14)."""
    title = one_line(article.title or article.id, 60)
    return inert(f"{title}{SEPARATOR}{article.source}" if article.source else title)


@dataclass(slots=True)
class PickerRow:
    """One article as the picker lists, filters and sorts it; `folded`: its fields as the
    filter compares them (title, source, date, id and each attribute, by folded name)."""

    id: str
    position: int
    title: str
    source: str
    date: str
    coded: int
    folded: dict[str, str] = field(default_factory=dict)
    everything: str = ""

    def matches(self, word: str) -> bool:
        """`name:value`: that field contains value; any other word: any field contains it."""
        name, colon, value = word.partition(":")
        if colon and name and value and name in self.folded:
            return value in self.folded[name]
        return word in self.everything


def picker_rows(
    articles: Sequence[ListedArticle],
    coded: Mapping[str, int],
    attributes: Mapping[str, Mapping[str, str]],
) -> list[PickerRow]:
    """The rows for `articles`, their fields folded in bulk (`fold_many`): 10,000 articles
    folded one field at a time took 0.4 s, a third of the picker's opening."""
    titles = [article.title or article.id for article in articles]
    sources = [article.source or "" for article in articles]
    dates = [listed_date(article) for article in articles]
    ids = [article.id for article in articles]
    folded = zip(
        fold_many(titles), fold_many(sources), fold_many(dates), fold_many(ids), strict=True
    )
    rows = []
    for position, (article, (title, source, date, id_)) in enumerate(
        zip(articles, folded, strict=True)
    ):
        fields = {"title": title, "source": source, "date": date, "id": id_}
        for name, value in attributes.get(article.id, {}).items():
            fields[fold(name)] = fold(value)
        rows.append(
            PickerRow(
                article.id,
                position,
                titles[position],
                sources[position],
                dates[position],
                coded.get(article.id, 0),
                fields,
                "\n".join(fields.values()),
            )
        )
    return rows


def sort_rows(rows: list[PickerRow], key: SortKey) -> list[PickerRow]:
    if key == "title":
        return sorted(rows, key=lambda r: (r.title.casefold(), r.position))
    if key == "source":
        return sorted(rows, key=lambda r: (not r.source, r.source.casefold(), r.title.casefold()))
    if key == "date":  # newest first; undated last
        dated = sorted((r for r in rows if r.date), key=lambda r: r.date, reverse=True)
        return dated + [r for r in rows if not r.date]
    if key == "coded":
        return sorted(rows, key=lambda r: (-r.coded, r.position))
    return sorted(rows, key=lambda r: r.position)


class ArticleList(VirtualList):
    """The picker's rows; read as an OptionList is (an Option per row), for scripts and tests."""

    def get_option_at_index(self, index: int) -> Option:
        screen = self.screen
        assert isinstance(screen, ArticlePicker)
        return screen.option_at(index)

    @property
    def option_count(self) -> int:
        return self.row_count


class ArticlePicker(ModalScreen[str | None]):
    """Returns the chosen article id, or None."""

    DEFAULT_CSS = modal_box_css(
        "ArticlePicker",
        width="90%",
        max_width="110",
        extra="""
    & VirtualList { height: auto; max-height: 16; }
    & .hint { color: $foreground-muted; }
""",
    )

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("article-picker")

    def __init__(
        self,
        articles: Sequence[ListedArticle],
        *,
        current: str | None = None,
        elsewhere: Sequence[str] = (),
        coded: Mapping[str, int] | None = None,
        attributes: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        """`current`: the pane's own article; `elsewhere`: those the other panes show;
        `coded` and `attributes` by article id (read from the reader's store when not given)."""
        super().__init__()
        self._articles = list(articles)
        self._current = current
        self._elsewhere = set(elsewhere)
        self._coded = coded
        self._attributes = attributes
        self._rows: list[PickerRow] = []
        self._shown: list[PickerRow] = []
        self._sort: SortKey = "corpus"
        self._last: tuple[list[str], list[PickerRow]] = ([], [])

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content("Open article in this pane")
            field = OrderedInput(
                placeholder="filter: title, source, date; name:value for an attribute",
                id="article-filter",
                compact=True,
            )
            field.cursor_blink = False
            yield field
            yield ArticleList(self._draw_row, id="article-options")
            keys = hint_line("article-picker", user_keys=user_keys_of(self.app))
            yield Static(Content(keys), classes="hint")

    def on_mount(self) -> None:
        coded, attributes = self._store_figures()
        self._rows = picker_rows(self._articles, coded, attributes)
        self._last = ([], self._rows)
        self._fill("")
        signal = getattr(self.app, "store_changed_signal", None)
        if signal is not None:
            signal.subscribe(self, self._store_changed, immediate=True)

    def _store_changed(self, change: StoreChange) -> None:
        """Coded counts and attributes as the store holds them now (another writer, undo);
        files added to or removed from the corpus folder while open appear or go."""
        if change.corpus is not None:
            self._articles = list(self.app.session.articles)  # type: ignore[attr-defined]
        elif not (change.saved or change.removed or change.reloaded or change.details):
            return
        self._coded = self._attributes = None  # read them from the store again
        coded, attributes = self._store_figures()
        query = self.query_one("#article-filter", Input).value
        self._rows = picker_rows(self._articles, coded, attributes)
        self._last = ([], self._rows)
        self._fill(query)

    def _store_figures(self) -> tuple[Mapping[str, int], Mapping[str, Mapping[str, str]]]:
        """Coded passages (annotations with a tag) and attributes, by article id."""
        coded, attributes = self._coded, self._attributes
        session = getattr(self.app, "session", None)
        if session is None or (coded is not None and attributes is not None):
            return coded or {}, attributes or {}
        store = session.store
        try:
            if coded is None:
                counts: dict[str, int] = {}
                for annotation in store.annotations():
                    if annotation.tags:
                        counts[annotation.article] = counts.get(annotation.article, 0) + 1
                coded = counts
            if attributes is None:
                attributes = {
                    article_id: meta.attributes
                    for article_id, meta in store.article_metas().items()
                    if meta.attributes
                }
        except StoreError as error:  # the list still opens: without the store's figures
            show = getattr(self.app, "show_store_error", None)
            if show is not None:
                show(error)
        return coded or {}, attributes or {}

    # -- the list ------------------------------------------------------------------------------

    @property
    def options(self) -> ArticleList:
        return self.query_one("#article-options", ArticleList)

    def _filtered(self, query: str) -> list[PickerRow]:
        words = fold(query).split()
        last_words, last_found = self._last
        # One more letter keeps only rows the last filter kept; not so for `name:value`,
        # which matches nothing until a name is whole ("outlet:" is not yet a field).
        narrowing = ":" not in "".join(last_words) and all(
            any(old in new for new in words) for old in last_words
        )
        found = last_found if narrowing else self._rows
        for word in words:
            found = [row for row in found if row.matches(word)]
        self._last = (words, found)
        if not found and words:  # a typo: the titles that look most like it
            from rapidfuzz import fuzz, process

            titles = {index: row.title for index, row in enumerate(self._rows)}
            ranked = process.extract(
                query, titles, scorer=fuzz.WRatio, processor=str.casefold, score_cutoff=70
            )
            found = [self._rows[index] for _title, _score, index in ranked]
        return found

    def _fill(self, query: str) -> None:
        keep = self.options.cursor
        chosen = self._shown[keep].id if keep is not None and keep < len(self._shown) else None
        self._shown = sort_rows(self._filtered(query), self._sort)
        ids = [row.id for row in self._shown]
        wanted = chosen if chosen in ids else self._current
        self.options.set_rows(len(ids), ids.index(wanted) if wanted in ids else 0)
        box = self.query_one(Vertical)
        box.border_subtitle = Content(
            f"{len(ids):,} of {len(self._rows):,} · by {self._sort} · "
            f"{hint_key('articles-sort', user_keys_of(self.app))} sorts"
        )

    def _draw_row(self, index: int, width: int) -> Content:
        return self._prompt(self._shown[index], width)

    def _prompt(self, row: PickerRow, width: int = 200) -> Content:
        """Title (what gives way), then source, date, coded passages and where it is shown."""
        tail: list[tuple[str, str]] = []
        if row.source:
            tail.append((SEPARATOR + one_line(row.source, 30), ""))
        if row.date:
            tail.append((SEPARATOR + one_line(row.date, 20), "dim"))
        if row.coded:
            tail.append((f"{SEPARATOR}{row.coded:,} coded", "dim"))
        if row.id == self._current:
            tail.append(("  (this pane)", "dim"))
        elif row.id in self._elsewhere:
            tail.append(("  (the other pane)", "dim"))
        room = max(12, width - sum(len(text) for text, _style in tail))
        parts = [(one_line(row.title, room), ""), *tail]
        return Content.assemble(*((inert(text), style) for text, style in parts))

    def option_at(self, index: int) -> Option:
        """The row as an Option (prompt and id), for scripts and tests."""
        row = self._shown[index]
        return Option(self._prompt(row), id=row.id)

    # -- keys ----------------------------------------------------------------------------------

    @on(Input.Changed, "#article-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#article-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()  # enter in the filter field: the Input's own binding, in typing order
        self.action_choose()

    @on(VirtualList.Selected, "#article-options")
    def _clicked(self, event: VirtualList.Selected) -> None:
        self.dismiss(self._shown[event.index].id)

    def action_move(self, step: int) -> None:
        options = self.options
        if options.row_count:
            current = options.cursor if options.cursor is not None else -1
            options.move_cursor((current + step) % options.row_count)

    def action_page(self, pages: int) -> None:
        self.options.action_page(pages)

    def action_cycle_sort(self) -> None:
        self._sort = SORT_ORDER[(SORT_ORDER.index(self._sort) + 1) % len(SORT_ORDER)]
        self._fill(self.query_one("#article-filter", Input).value)

    def action_choose(self) -> None:
        cursor = self.options.cursor
        if cursor is not None and cursor < len(self._shown):
            self.dismiss(self._shown[cursor].id)

    def action_cancel(self) -> None:
        self.dismiss(None)
