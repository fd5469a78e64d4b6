"""The analysis screen: the coding at a glance in three views, each filterable; enter on a
figure lists its passages, enter on a passage returns a `Jump` to it.

- frequencies (`f`, the view it opens on): bars per code, or per article, coder or article
  attribute (`g` cycles);
- matrix (`m`): one row per article (or attribute value, `g`), one column per code, each
  cell "passages coverage%" (the `report matrix` table turned a quarter, so that a long
  corpus scrolls down rather than across); `s` sorts the rows by the column under the cursor;
- co-occurrence (`c`): pairs of codes on one coder's overlapping passages, or in one
  sentence or paragraph (`u` cycles); codes with their parents, or as tagged (`r`).
`/` opens the filter line (`@coder #tag article:ID key=value`). The figures come from
`tui.analysis` (one counting rule, no Textual); this screen only draws them, as inert text.
The screen returns what the reader should do: a `Jump` to a passage, or None.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.coordinate import Coordinate
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, OptionList, Static

from tui.analysis.cooccurrence import UNITS, Cooccurrence, Unit, cooccurrence, cooccurring_passages
from tui.analysis.filters import (
    EVERYTHING,
    FILTER_HELP,
    AnalysisFilter,
    attribute_keys,
    parse_filter_words,
    resolve_names,
)
from tui.analysis.frequencies import BY_ARTICLE, BY_CODE, FIXED_GROUPINGS, frequencies
from tui.analysis.matrix import TOTAL, Cell, CodeMatrix, code_matrix
from tui.analysis.passages import Selection, passages_for
from tui.analysis.view_tables import cell_text
from tui.app.dialogs.modal_box import modal_box_css
from tui.app.key_bindings import bindings_for, hint_key, hint_line, user_keys_of
from tui.app.screens.annotations_screen import AnnotationsScreen, Jump
from tui.app.widgets.bar_chart import Bar, BarChart
from tui.corpus.model import Article
from tui.errors import UserError
from tui.inert import inert
from tui.store.model import Annotation, ArticleMeta
from tui.wording import counted, one_line

View = Literal["frequencies", "matrix", "cooccurrence"]
VIEW_TITLES: dict[View, str] = {
    "frequencies": "Frequencies",
    "matrix": "Codes by article",
    "cooccurrence": "Codes together",
}
LABEL_KEY = "\x00label"
TOTAL_KEY = "\x00total"
"""Row and column keys no code, article or value can have (names refuse control characters)."""


@dataclass(frozen=True)
class AnalysisSettings:
    """What the screen shows (view, filter, grouping, unit, order): the reader keeps the last
    one, so that `A` reopens where the user was after a drill-down into the reader."""

    view: View = "frequencies"
    selection: AnalysisFilter = EVERYTHING
    filter_text: str = ""
    bars_by: str = BY_CODE
    matrix_group: str | None = None
    unit: Unit = "passage"
    sort_by: Mapping[View, str | None] = field(default_factory=dict)
    roll_up: bool = True


NAME_WIDTH = 30
"""The least of a code's name the co-occurrence table shows (80 columns)."""


def plain(text: str, limit: int = 200, style: str = "") -> Text:
    """Data drawn as itself: inert, on one line, cut to `limit`."""
    return Text(inert(one_line(text, limit)), style=style, no_wrap=True)


class AnalysisScreen(ModalScreen[Jump | None]):
    # Unscoped, so that the rule for NO_COLOR can start at the App (`App:nocolor`); every
    # other rule names this screen.
    SCOPED_CSS = False
    DEFAULT_CSS = (
        modal_box_css(
            "AnalysisScreen",
            width="95%",
            height="90%",
            max_width="140",
            max_height="100%",
            extra="""
    & #analysis-status { height: auto; max-height: 3; color: $foreground-muted; }
    & DataTable { height: 1fr; }
    & #analysis-filter { display: none; }
    & .hint { color: $foreground-muted; height: 1; }
""",
        )
        + """
    App:nocolor AnalysisScreen DataTable > .datatable--cursor {
        background: $foreground;
        color: $background;
    }
    """
    )

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("analysis")

    def __init__(
        self,
        annotations: Sequence[Annotation],
        articles: Sequence[Article],
        metas: Mapping[str, ArticleMeta],
        settings: AnalysisSettings | None = None,
    ) -> None:
        super().__init__()
        self._annotations = list(annotations)
        self._article_list = list(articles)
        self._articles = {article.id: article for article in articles}
        self._metas = dict(metas)
        self._attributes = attribute_keys(self._metas)
        given = settings or AnalysisSettings()
        self.view: View = given.view
        self.selection: AnalysisFilter = given.selection
        self._filter_text = given.filter_text
        # A grouping by an attribute no article has any more starts over.
        groupings = [*FIXED_GROUPINGS, *self._attributes]
        self.bars_by: str = given.bars_by if given.bars_by in groupings else BY_CODE
        group = given.matrix_group
        self.matrix_group: str | None = group if group in self._attributes else None
        self.unit: Unit = given.unit
        self.roll_up = given.roll_up
        self.sort_by: dict[View, str | None] = {
            "frequencies": None,
            "matrix": None,
            "cooccurrence": None,
        }
        self.sort_by.update(given.sort_by)
        self._matrix: CodeMatrix | None = None
        self._pairs: list[tuple[str, str, int]] = []

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content("Analysis")
            yield Static(Content(""), id="analysis-status")
            yield BarChart(id="analysis-bars")
            table: DataTable[Text] = DataTable(id="analysis-table", zebra_stripes=False)
            table.cursor_type = "cell"
            yield table
            field = Input(
                self._filter_text, placeholder=FILTER_HELP, id="analysis-filter", compact=True
            )
            field.cursor_blink = False
            yield field
            yield Static(Content(self._hint()), classes="hint")

    def _hint(self) -> str:
        """The keys from the table, as the user has them; enter is the DataTable's own (it
        selects), and esc goes last, without a word, so that the line fits 80 columns."""
        keys = user_keys_of(self.app)
        views = hint_line("analysis", user_keys=keys)
        return f"{views} · enter passages · {hint_key('analysis-close', keys)}"

    def on_mount(self) -> None:
        self._show()

    # -- drawing ----------------------------------------------------------------------------

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#analysis-table", DataTable)

    @property
    def chart(self) -> BarChart:
        return self.query_one("#analysis-bars", BarChart)

    def _show(self) -> None:
        """Compute the current view over the filter's passages and draw it."""
        bars = self.view == "frequencies"
        self.chart.display = bars
        self.table.display = not bars
        if self.view == "frequencies":
            detail = self._show_bars()
        elif self.view == "matrix":
            detail = self._show_matrix()
        else:
            detail = self._show_pairs()
        box = self.query_one(Vertical)
        box.border_title = Content(f"Analysis · {VIEW_TITLES[self.view]}")
        status = f"{detail} · {self.selection.describe()}"
        self.query_one("#analysis-status", Static).update(Content(inert(one_line(status, 300))))
        (self.chart if bars else self.table).focus()

    def _show_bars(self) -> str:
        found = frequencies(
            self._annotations, self._articles, self._metas, self.selection, by=self.bars_by
        ).sort("name" if self.sort_by["frequencies"] == "name" else "count")
        self.chart.show_bars([Bar(bar.key, bar.label, bar.count) for bar in found.bars])
        order = "by name" if self.sort_by["frequencies"] == "name" else "largest first"
        return f"passages by {self.bars_by} · {counted(found.passages, 'passage')} · {order}"

    def _show_matrix(self) -> str:
        matrix = code_matrix(
            self._annotations,
            self._articles,
            self._metas,
            self.selection,
            group_by=self.matrix_group,
        )
        self._matrix = matrix
        table = self.table
        table.clear(columns=True)
        table.cursor_type = "cell"
        table.fixed_columns = 1  # the article (or group) stays beside the codes scrolled to
        across = self.matrix_group or "article"
        table.add_column(Text(across), key=LABEL_KEY)
        for code in matrix.codes:
            table.add_column(plain(code, 18, "bold"), key=code)
        table.add_column(Text(TOTAL, style="bold"), key=TOTAL_KEY)
        columns = list(matrix.columns)
        by = self.sort_by["matrix"]
        if by is not None:
            columns.sort(key=lambda c: -self._matrix_cell(c.key, by).passages)
        for column in columns:
            label = column.label if self.matrix_group is None else column.key
            table.add_row(
                plain(label, 28),
                *(Text(cell_text(matrix.cell(code, column.key))) for code in matrix.codes),
                Text(cell_text(matrix.column_totals[column.key]), style="bold"),
                key=column.key,
            )
        table.add_row(
            Text(TOTAL, style="bold"),
            *(Text(cell_text(matrix.row_totals[code]), style="bold") for code in matrix.codes),
            Text(cell_text(matrix.total), style="bold"),
            key=TOTAL_KEY,
        )
        order = f" · sorted by {one_line(by, 30)}" if by is not None else ""
        shown = counted(len(matrix.columns), "article" if self.matrix_group is None else "group")
        return f"passages and % of characters, by {across} · {shown}{order}"

    def _column_label(self, key: str) -> str:
        """A matrix row's label: an article's title, or a group's value."""
        matrix = self._matrix
        found = [c for c in matrix.columns if c.key == key] if matrix is not None else []
        return found[0].label if found else key

    def _matrix_cell(self, row: str, code: str) -> Cell:
        matrix = self._matrix
        assert matrix is not None
        if code == TOTAL_KEY:
            return matrix.column_totals[row]
        return matrix.cell(code, row)

    def _show_pairs(self) -> str:
        found: Cooccurrence = cooccurrence(
            self._annotations,
            self._articles,
            self._metas,
            self.selection,
            unit=self.unit,
            roll_up=self.roll_up,
        )
        order = "name" if self.sort_by["cooccurrence"] == "name" else "count"
        self._pairs = found.pairs(by=order)
        table = self.table
        table.clear(columns=True)
        table.cursor_type = "row"
        table.fixed_columns = 0
        table.add_column(Text("code"), key="first")
        table.add_column(Text("other code"), key="second")
        what = "pairs" if self.unit == "passage" else self.unit + "s"
        table.add_column(Text(what), key="count")
        width = self._name_width()
        for index, (first, second, count) in enumerate(self._pairs):
            table.add_row(
                plain(first, width),
                plain(second, width),
                Text(f"{count:,}", justify="right"),
                key=str(index),
            )
        key = hint_key("analysis-roll-up", user_keys_of(self.app))
        codes = "" if self.roll_up else f" · codes as tagged ({key}: with parents)"
        return f"{_unit_words(self.unit)}{codes} · {counted(len(self._pairs), 'pair')}"

    def _name_width(self) -> int:
        """How much of a code's name each co-occurrence column shows: half the table, less the
        count column and the cells' padding, so a wide terminal shows long names whole."""
        width = self.query_one(Vertical).content_size.width or self.app.size.width
        return max(NAME_WIDTH, (width - 20) // 2)

    def on_resize(self) -> None:
        """Co-occurrence names are cut to the table's width: draw them again at the new one."""
        if self.view == "cooccurrence" and self.is_mounted:
            row = self.table.cursor_row
            self._show()
            self.table.move_cursor(row=row)

    @on(DataTable.CellHighlighted, "#analysis-table")
    def _cell_highlighted(self) -> None:
        if self.view == "matrix":  # after the table has scrolled the cursor into view
            self.call_after_refresh(self._align_to_columns)

    def _align_to_columns(self) -> None:
        """Scroll on to the next column's start, so the code columns beside the fixed article
        column start whole: the table scrolls just enough to show the cursor, which left the
        tail of a cell ("0%" of "13.0%") beside an article, read as stale characters."""
        table = self.table
        widths = [column.get_render_width(table) for column in table.ordered_columns]
        start = 0
        for width in widths[table.fixed_columns :]:
            if start >= table.scroll_x:
                break
            start += width
        if start != table.scroll_x and start <= table.max_scroll_x:
            table.scroll_to(x=start, animate=False)

    # -- keys -------------------------------------------------------------------------------

    def action_view(self, view: View) -> None:
        self.view = view
        self._show()

    def action_group(self) -> None:
        if self.view == "matrix":
            choices: list[str | None] = [None, *self._attributes]
            self.matrix_group = choices[(choices.index(self.matrix_group) + 1) % len(choices)]
            self.sort_by["matrix"] = None
        elif self.view == "frequencies":
            groupings = [*FIXED_GROUPINGS, *self._attributes]
            self.bars_by = groupings[(groupings.index(self.bars_by) + 1) % len(groupings)]
        else:
            self.app.notify("Co-occurrence has no grouping; u changes its unit.")
            return
        self._show()

    def action_unit(self) -> None:
        if self.view != "cooccurrence":
            self.app.notify("u changes the unit of co-occurrence (c).")
            return
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]
        self._show()

    def action_roll_up(self) -> None:
        if self.view != "cooccurrence":
            key = hint_key("analysis-roll-up", user_keys_of(self.app))
            self.app.notify(f"{key} counts co-occurrence as tagged, or with the codes' parents.")
            return
        self.roll_up = not self.roll_up
        self._show()

    def action_sort(self) -> None:
        if self.view == "matrix":
            column = self.table.cursor_column
            keys = [key.value for key in self.table.columns]
            key = keys[column] if 0 <= column < len(keys) else LABEL_KEY
            wanted = None if key == LABEL_KEY or key == self.sort_by["matrix"] else key
            self.sort_by["matrix"] = wanted
            self._show()
            if wanted is not None and wanted in keys:
                self.table.cursor_coordinate = Coordinate(0, keys.index(wanted))
            return
        current = self.sort_by[self.view]
        self.sort_by[self.view] = None if current == "name" else "name"
        self._show()

    def action_filter(self) -> None:
        field = self.query_one("#analysis-filter", Input)
        field.display = True
        field.focus()

    @on(Input.Submitted, "#analysis-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            wanted = resolve_names(
                parse_filter_words(event.value),
                coders={a.author for a in self._annotations},
                codes={code for a in self._annotations for code in a.tags},
                metas=self._metas,
            )
        except UserError as error:
            self.app.notify(str(error), severity="warning")
            return
        known = set(self._articles) | {a.article for a in self._annotations}
        whole = []
        for start in wanted.articles:
            matching = sorted(name for name in known if name.startswith(start))
            if len(matching) != 1:
                self.app.notify(
                    f"article {one_line(start, 30)!r}: {len(matching)} articles start so",
                    severity="warning",
                )
                return
            whole.append(matching[0])
        self.selection = AnalysisFilter(wanted.coders, wanted.tags, tuple(whole), wanted.attributes)
        self._filter_text = event.value
        event.input.display = False
        self._show()

    @property
    def settings(self) -> AnalysisSettings:
        """What the screen shows now, for the next opening."""
        return AnalysisSettings(
            self.view,
            self.selection,
            self._filter_text,
            self.bars_by,
            self.matrix_group,
            self.unit,
            dict(self.sort_by),
            self.roll_up,
        )

    def action_close(self) -> None:
        field = self.query_one("#analysis-filter", Input)
        if field.display and field.has_focus:
            field.display = False
            (self.chart if self.view == "frequencies" else self.table).focus()
            return
        self.dismiss(None)

    # -- drilling down ----------------------------------------------------------------------

    def action_passages(self) -> None:
        """The table's `analysis-passages` (enter, or the user's key): as enter on the chart
        or the table, the passages behind the figure under the cursor."""
        if self.view == "frequencies":
            self.chart.action_select()
        else:
            self.table.action_select_cursor()

    @on(OptionList.OptionSelected, "#analysis-bars")
    def _bar_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        bar = self.chart.chosen
        if bar is None:
            return
        if self.bars_by == BY_CODE:
            chosen = Selection(code=bar.key)
        else:
            chosen = Selection(None, self.bars_by, bar.key)
        found = passages_for(self._annotations, self._metas, self.selection, chosen)
        self._list(found, bar.label if self.bars_by == BY_CODE else f"{self.bars_by} {bar.label}")

    @on(DataTable.CellSelected, "#analysis-table")
    def _cell_chosen(self, event: DataTable.CellSelected) -> None:
        event.stop()
        if self.view != "matrix":
            return
        row = event.cell_key.row_key.value
        column = event.cell_key.column_key.value
        code = None if column in (LABEL_KEY, TOTAL_KEY) else column
        key = None if row == TOTAL_KEY else row
        group = self.matrix_group or BY_ARTICLE
        chosen = Selection(code, group, key)
        found = passages_for(self._annotations, self._metas, self.selection, chosen)
        where = f"{group} {self._column_label(key)}" if key is not None else "every " + group
        self._list(found, f"{code or 'every code'} in {where}")

    @on(DataTable.RowSelected, "#analysis-table")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self.view != "cooccurrence" or event.row_key.value is None:
            return
        first, second, _ = self._pairs[int(event.row_key.value)]
        self._list(
            cooccurring_passages(
                self._annotations,
                self._articles,
                self._metas,
                first,
                second,
                self.selection,
                unit=self.unit,
                roll_up=self.roll_up,
            ),
            f"{first} with {second}, {_unit_words(self.unit)}",
        )

    def _list(self, found: list[Annotation], what: str) -> None:
        """The passages behind one figure, by article, under a title saying which figure."""
        if not found:
            self.app.notify("No passages here.")
            return
        title = f"Passages · {what}"
        if not self.selection.is_empty:
            title += f" · {self.selection.describe()}"
        screen = AnnotationsScreen(
            found, self._article_list, title=one_line(title, 200), grouping="article"
        )
        self.app.push_screen(screen, self._passage_chosen)

    def _passage_chosen(self, jump: Jump | None) -> None:
        if jump is not None:
            self.dismiss(jump)


def _unit_words(unit: Unit) -> str:
    """What a co-occurrence counts, in words: "overlapping passages", "same sentence"."""
    return "overlapping passages" if unit == "passage" else f"same {unit}"
