"""The analysis screen, pushed on a bare app and on the reader: views, keys, filter, sorting,
and drilling down from a figure to its passages and from a passage to the reader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_analysis_support import A_ID, B_ID, Coded, build
from test_app_support import LEFT, make_app, seed_articles, sync, wait_for
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Static

from tui.app.screens.analysis_screen import AnalysisScreen
from tui.app.screens.annotations_screen import AnnotationsScreen, Jump
from tui.app.widgets.bar_chart import Bar as ChartBar
from tui.app.widgets.bar_chart import BarChart, bar_cells, bar_lines
from tui.store import AnnotationStore


class Host(App[None]):
    """An empty app that opens the analysis screen and keeps what it returns."""

    def __init__(self, coded: Coded) -> None:
        super().__init__()
        self.coded = coded
        self.results: list[Jump | None] = []

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        screen = AnalysisScreen(
            self.coded.annotations, list(self.coded.articles.values()), self.coded.metas
        )
        self.push_screen(screen, self.results.append)


def bar_texts(app: App[Any]) -> list[str]:
    chart = app.screen.query_one(BarChart)
    return [str(chart.get_option_at_index(i).prompt) for i in range(chart.option_count)]


def cell(app: App[Any], row: str, column: str) -> str:
    table = app.screen.query_one(DataTable)
    return str(table.get_cell(row, column))


def test_bars_are_characters_with_the_figure_beside() -> None:
    assert bar_cells(4, 4, 10) == "█" * 10
    assert bar_cells(1, 4, 10) == "██▌"
    assert bar_cells(1, 1000, 10) == "▏"  # never nothing for a figure above zero
    assert bar_cells(0, 4, 10) == ""
    lines = bar_lines([ChartBar("a", "sanctions", 4), ChartBar("b", "x" * 80, 1)], 60)
    assert all(len(line.plain) <= 60 for line in lines)
    assert lines[0].plain.rstrip().endswith("4") and "█" in lines[0].plain
    assert "…" in lines[1].plain and lines[1].plain.rstrip().endswith("1")


@sync
async def test_it_opens_on_the_frequencies_counted_by_hand(tmp_path: Path) -> None:
    app = Host(build(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, AnalysisScreen)
        bars = [" ".join(text.replace("█", " ").split()) for text in bar_texts(app)]
        assert bars[0].startswith("sanctions") and bars[0].endswith(" 4")
        assert [b.split()[-1] for b in bars] == ["4", "3", "2", "1"]
        await pilot.press("g")  # per article
        assert [t.split()[-1] for t in bar_texts(app)] == ["4", "3"]
        await pilot.press("g", "g")  # coder, then the first attribute (country)
        assert bar_texts(app)[0].split()[0] == "UK"
        await pilot.press("s")  # by name
        await pilot.press("g")  # outlet
        assert [t.split()[0] for t in bar_texts(app)] == ["Guardian", "Times"]


@sync
async def test_matrix_cells_sorting_and_grouping(tmp_path: Path) -> None:
    app = Host(build(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        assert cell(app, A_ID, "Russia").startswith("2 ")
        assert cell(app, B_ID, "Russia").startswith("1 ")
        assert cell(app, A_ID, "economy") == "·"
        assert cell(app, A_ID, "sanctions").startswith("3 ")
        assert cell(app, "\x00total", "\x00total").startswith("7 ")
        table = app.screen.query_one(DataTable)
        # Sort by the economy column: B (1 passage) comes before A (none).
        keys = [key.value for key in table.columns]
        table.cursor_coordinate = table.cursor_coordinate._replace(column=keys.index("economy"))
        await pilot.press("s")
        assert [row.value for row in table.rows][:2] == [B_ID, A_ID]
        await pilot.press("g")  # by country
        assert [row.value for row in table.rows] == ["UK", "\x00total"]
        assert cell(app, "UK", "Russia").startswith("3 ")


@sync
async def test_the_matrix_scrolls_by_whole_columns_beside_the_fixed_one(tmp_path: Path) -> None:
    """Moving right scrolls to a column's start: the table alone scrolls just far enough to
    show the cursor, which left a cell's tail ("0%") beside the article column."""
    app = Host(build(tmp_path))
    async with app.run_test(size=(44, 20)) as pilot:
        await pilot.press("m")
        table = app.screen.query_one(DataTable)
        widths = [column.get_render_width(table) for column in table.ordered_columns][1:]
        starts = {sum(widths[:n]) for n in range(len(widths) + 1)}
        seen = set()
        for _ in range(len(widths)):
            await pilot.press("right")
            assert await wait_for(
                pilot, lambda: table.scroll_x in starts or table.scroll_x == table.max_scroll_x
            )
            seen.add(table.scroll_x)
        assert max(seen) > 0  # it did scroll


@sync
async def test_cooccurrence_and_its_unit(tmp_path: Path) -> None:
    app = Host(build(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        table = app.screen.query_one(DataTable)
        first = [str(c) for c in table.get_row_at(0)]
        assert first == ["Russia", "sanctions", "2"]
        await pilot.press("r")  # as tagged: A1-A2 no longer restates war aims as Russia
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert ["Russia", "sanctions", "1"] in rows
        status = str(app.screen.query_one("#analysis-status", Static).render())
        assert "codes as tagged" in status
        await pilot.press("r")
        assert [str(c) for c in table.get_row_at(0)] == ["Russia", "sanctions", "2"]
        await pilot.press("u")  # by sentence
        counts = sorted(int(str(table.get_row_at(i)[2])) for i in range(table.row_count))
        assert counts == [1, 1, 1, 1, 1]


@sync
async def test_cooccurrence_names_use_the_width_there_is(tmp_path: Path) -> None:
    """A code's name is cut to fit two columns at 80x24, and shown whole when the terminal is
    wide enough, also after a resize (it was always cut at 30 characters)."""
    coded = build(tmp_path)
    war = "Russian war aims and the justifications given for them"
    lever = "Economic leverage through energy exports and sanctions"
    s1 = coded.articles[A_ID].sentences[1]
    coded.store.add_many([(A_ID, *s1)], {A_ID: coded.articles[A_ID].text}, [war, lever])
    app = Host(coded)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("c")
        table = app.screen.query_one(DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert [lever, war, "1"] in rows
        await pilot.resize_terminal(80, 24)
        row = rows.index([lever, war, "1"])
        assert await wait_for(pilot, lambda: str(table.get_row_at(row)[0]) != lever)
        first, second, count = (str(c) for c in table.get_row_at(row))
        assert first.endswith("…") and lever.startswith(first[:-1]) and len(first) < len(lever)
        assert second.endswith("…") and count == "1"
        assert table.virtual_size.width <= table.size.width  # the count is not scrolled away


@sync
async def test_the_filter_line(tmp_path: Path) -> None:
    app = Host(build(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"@alice", "enter")
        assert [t.split()[-1] for t in bar_texts(app)] == ["2", "2", "1"]
        status = str(app.screen.query_one("#analysis-status", Static).render())
        assert "coder alice" in status
        await pilot.press("slash", *"nonsense", "enter")  # refused: the filter stays
        assert [t.split()[-1] for t in bar_texts(app)] == ["2", "2", "1"]
        await pilot.press("escape")  # closes the filter line, not the screen
        assert isinstance(app.screen, AnalysisScreen)


@sync
async def test_filter_names_as_a_user_types_them(tmp_path: Path) -> None:
    """`#"war aims"` (FILTER_HELP's own example) is `Russia/war aims`, `#SANCTIONS` is
    sanctions; a mistyped coder is a warning, not an empty view read as "no data"."""
    app = Host(build(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *'#"war aims" #SANCTIONS', "enter")
        assert app.screen.selection.tags == ("Russia/war aims", "sanctions")
        bars = {t.split()[0]: t.split()[-1] for t in bar_texts(app)}
        assert bars == {"sanctions": "4", "Russia/war": "2"}
        app.clear_notifications()
        await pilot.press("slash", "ctrl+u", *"@nobdy", "enter")
        messages = [n.message for n in app._notifications]
        assert messages and "no coder 'nobdy'" in messages[-1] and "alice, bob" in messages[-1]
        assert app.screen.selection.tags == ("Russia/war aims", "sanctions")  # kept


@sync
async def test_enter_on_a_bar_lists_its_passages_and_enter_on_one_returns_a_jump(
    tmp_path: Path,
) -> None:
    coded = build(tmp_path)
    app = Host(coded)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")  # sanctions: 4 passages
        listing = app.screen
        assert isinstance(listing, AnnotationsScreen)
        assert {a.id for a in listing._index.annotations} == coded.ids("A2", "A3", "B1", "B3")
        assert listing_title(listing) == "Passages · sanctions"
        await pilot.press("down", "enter")  # the first passage under the first article
        await pilot.pause()
        assert len(app.results) == 1
        jump = app.results[0]
        assert jump is not None
        chosen = next(a for a in listing._index.annotations if a.start == jump.offset)
        assert chosen.article == jump.article


@sync
async def test_enter_on_a_matrix_cell_lists_that_cells_passages(tmp_path: Path) -> None:
    coded = build(tmp_path)
    app = Host(coded)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("m")
        table = app.screen.query_one(DataTable)
        keys = [key.value for key in table.columns]
        rows = [key.value for key in table.rows]
        table.cursor_coordinate = table.cursor_coordinate._replace(
            row=rows.index(A_ID), column=keys.index("Russia")
        )
        await pilot.press("enter")
        listing = app.screen
        assert isinstance(listing, AnnotationsScreen)
        assert {a.id for a in listing._index.annotations} == coded.ids("A1", "A2")
        assert listing_title(listing) == "Passages · Russia in article Talks on Ukraine"
        await pilot.press("escape")  # back to the matrix, nothing chosen
        assert isinstance(app.screen, AnalysisScreen) and app.results == []


@sync
async def test_enter_on_a_pair_lists_the_passages_behind_it(tmp_path: Path) -> None:
    coded = build(tmp_path)
    app = Host(coded)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"@alice", "enter", "c")
        assert [str(c) for c in app.screen.query_one(DataTable).get_row_at(0)][2] == "2"
        await pilot.press("enter")  # Russia with sanctions: A2 alone, A1 with A2
        listing = app.screen
        assert isinstance(listing, AnnotationsScreen)
        assert {a.id for a in listing._index.annotations} == coded.ids("A1", "A2")
        assert listing_title(listing) == (
            "Passages · Russia with sanctions, overlapping passages · coder alice"
        )


def listing_title(screen: AnnotationsScreen) -> str:
    return str(screen.query_one(Vertical).border_title)


@sync
async def test_on_the_reader_a_passage_chosen_opens_there(tmp_path: Path) -> None:
    """The wiring the reader needs: push the screen with the reader's jump as callback."""
    db = tmp_path / "db.json"
    store = AnnotationStore(db, "alice")
    left = seed_articles()[0]
    assert left.id == LEFT
    store.add(LEFT, *left.sentences[6], left.text, ["NATO"])
    app = make_app(db, user="alice")
    async with app.run_test(size=(100, 30)) as pilot:
        session = app.session
        screen = AnalysisScreen(
            session.all_annotations(), session.articles, session.store.article_metas()
        )
        app.push_screen(screen, app.reader_screen._jump)
        await pilot.pause()
        await pilot.press("j")  # the reader's key must not leak through the modal
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        view = app.reader_screen.view
        assert view.article.id == LEFT and view.cursor == 6


@sync
async def test_the_reader_reopens_the_analysis_where_it_was_left(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    store = AnnotationStore(db, "alice")
    left = seed_articles()[0]
    store.add(LEFT, *left.sentences[6], left.text, ["NATO"])
    store.add(LEFT, *left.sentences[8], left.text, ["Russia/war aims"])
    app = make_app(db, user="alice")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("A", "c", "u", "slash", *"#nato", "enter", "escape")
        assert not isinstance(app.screen, AnalysisScreen)
        await pilot.press("A")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AnalysisScreen)
        assert (screen.view, screen.unit, screen.selection.tags) == (
            "cooccurrence",
            "sentence",
            ("NATO",),
        )
        assert screen.query_one("#analysis-filter", Input).value == "#nato"
        assert "tag NATO" in str(screen.query_one("#analysis-status", Static).render())


@sync
async def test_names_from_data_are_drawn_inert_and_bars_read_without_colour(
    tmp_path: Path,
) -> None:
    from test_analysis_support import store_attributes

    from tui.inert import UNSAFE_ON_A_LINE
    from tui.store.model import ArticleMeta

    coded = build(tmp_path)
    hostile = "Gua\u202erdian\x1b[2J[bold]x[/bold]"
    coded.metas[A_ID] = ArticleMeta(A_ID, attributes={"outlet": hostile})
    store_attributes(coded.store, coded.metas)
    app = Host(coded)
    app.no_color = True
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "g", "g", "g")  # code, article, coder, country, outlet
        texts = bar_texts(app)
        assert any("[bold]x[/bold]" in text for text in texts)  # markup shown as written
        assert not any(UNSAFE_ON_A_LINE.search(text) for text in texts)
        assert all("█" in text for text in texts)  # the length is in the characters
        await pilot.press("m", "g", "g")  # matrix by outlet
        table = app.screen.query_one(DataTable)
        labels = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert not any(UNSAFE_ON_A_LINE.search(label) for label in labels)
        cursor = table.get_visual_style("datatable--cursor")
        assert cursor.background == table.get_visual_style().foreground  # stands out, inverted
