"""The article picker (`o`) at scale: filter by title, source, date or attribute, sort, coded
counts, only the rows on screen drawn (issue 15); no "·" before an empty source (13.14)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from test_app_support import LEFT, RIGHT, make_app, seed_articles, sync, views

from tui.app.dialogs import article_picker
from tui.app.dialogs.article_picker import ArticlePicker, article_label
from tui.corpus.model import Article
from tui.store import AnnotationStore

OUTLETS = ("guardian", "times", "kyiv independent")


def corpus(count: int) -> tuple[Article, ...]:
    """The two seeds, then `count` articles made from them, dated and sourced in turn; every
    fifth without a source."""
    left, right = seed_articles()
    made = [
        replace(
            (left, right)[n % 2],
            id=f"{100 + n:05d}_made",
            title=f"Report {n:05d} on the talks",
            source="" if n % 5 == 0 else f"Source {n % 7}",
            metadata={"date": f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}"},
        )
        for n in range(count)
    ]
    return (left, right, *made)


def attributes(articles: tuple[Article, ...]) -> dict[str, dict[str, str]]:
    return {a.id: {"outlet": OUTLETS[n % 3]} for n, a in enumerate(articles[2:])}


def prompts(picker: ArticlePicker) -> list[str]:
    options = picker.options
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def test_no_separator_before_an_empty_source() -> None:
    article = replace(seed_articles()[0], source="")
    assert "·" not in article_label(article)
    assert article_label(replace(article, source="Kennan")).endswith("  ·  Kennan")


@sync
async def test_the_picker_filters_by_title_source_date_and_attribute(tmp_path: Path) -> None:
    articles = corpus(30)
    db = tmp_path / "annotations" / "marginalia.json"
    app = make_app(db, articles=articles)
    async with app.run_test(size=(100, 30)) as pilot:
        # Stored, as `marginalia article --set` would: a store reload (the poll) re-reads them.
        for article_id, values in attributes(articles).items():
            app.session.store.set_article_attributes(article_id, dict(values))
        picker = ArticlePicker(articles, current=LEFT)
        chosen: list[str | None] = []
        await app.push_screen(picker, chosen.append)
        await pilot.pause()
        assert picker.options.row_count == 32
        await pilot.press(*"outlet:guardian")
        assert picker.options.row_count == 10
        await pilot.press(*" source:3")  # an attribute and a source, both
        shown = prompts(picker)
        assert shown and all("Source 3" in prompt for prompt in shown)
        await pilot.press("ctrl+u", *"2025-03")  # a date, as typed
        assert picker.options.row_count == 3 and all("2025-03" in p for p in prompts(picker))
        await pilot.press("ctrl+u", *"Report 00010")  # the title; its source is empty
        [only] = prompts(picker)
        assert only.startswith("Report 00010 on the talks") and "·  2025" in only
        assert "·  ·" not in only and not only.startswith("·")
        await pilot.press("enter")
        assert chosen == ["00110_made"]


@sync
async def test_tab_sorts_and_each_row_counts_its_coded_passages(tmp_path: Path) -> None:
    articles = corpus(6)
    db = tmp_path / "annotations" / "marginalia.json"
    store = AnnotationStore(db, "alice")
    coded = articles[5]  # Report 00003
    for sentence in coded.sentences[:3]:
        store.add(coded.id, *sentence, coded.text, ["NATO"])
    store.add(coded.id, *coded.sentences[4], coded.text, [], note="a note is not a code")
    app = make_app(db, articles=articles)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("o")
        picker = app.screen
        assert isinstance(picker, ArticlePicker)
        assert prompts(picker)[0].endswith("(this pane)")  # the corpus's order to start
        counted = [p for p in prompts(picker) if "coded" in p]
        assert counted == [p for p in prompts(picker) if p.startswith("Report 00003")]
        assert "3 coded" in counted[0]
        await pilot.press("tab")  # by title
        titles = [p.split("  ·  ")[0].split("  (")[0] for p in prompts(picker)]
        assert titles == sorted(titles, key=str.casefold)
        await pilot.press("tab")  # by date, newest first; the seeds have none: last
        dates = [p.split("2025-")[1][:5] for p in prompts(picker)[:6]]
        assert dates == sorted(dates, reverse=True)
        await pilot.press("tab", "tab")  # source, then coded passages: most first
        assert prompts(picker)[0].startswith("Report 00003")
        assert "by coded" in str(picker.query_one("Vertical").border_subtitle)
        await pilot.press(*"00003", "enter")  # the cursor stayed on this pane's article
        assert app.reader_screen.view.article.id == coded.id
        assert RIGHT in [view.article.id for view in views(app)]


@sync
async def test_ten_thousand_articles_draw_only_the_rows_on_screen(
    tmp_path: Path, monkeypatch: object
) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    articles = corpus(10_000)
    drawn: list[str] = []
    real = article_picker.ArticlePicker._prompt

    def counting(self: ArticlePicker, row: article_picker.PickerRow, width: int = 200) -> object:
        drawn.append(row.id)
        return real(self, row, width)

    monkeypatch.setattr(article_picker.ArticlePicker, "_prompt", counting)
    db = tmp_path / "annotations" / "marginalia.json"
    app = make_app(db, articles=articles)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, ArticlePicker)
        assert picker.options.row_count == 10_002
        rows = picker.options.scrollable_content_region.height
        assert 0 < len(set(drawn)) <= rows
        await pilot.press(*"title:099")  # not the ids that hold 0999 too
        await pilot.pause()
        drawn.clear()
        await pilot.press("9")
        await pilot.pause()
        assert picker.options.row_count == 11  # Report 00999, 09990 to 09999
        assert 0 < len(set(drawn)) <= 11
        await pilot.press("pagedown", "pagedown")
        assert picker.options.cursor == 10


@sync
async def test_coded_counts_follow_the_store_while_the_picker_is_open(tmp_path: Path) -> None:
    from test_app_support import wait_for

    articles = corpus(3)
    db = tmp_path / "annotations" / "marginalia.json"
    app = make_app(db, articles=articles, poll_seconds=0.1)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("o", *"00001")
        picker = app.screen
        assert isinstance(picker, ArticlePicker)
        assert "coded" not in prompts(picker)[0]
        target = articles[3]
        AnnotationStore(db, "bob").add(target.id, *target.sentences[0], target.text, ["NATO"])
        assert await wait_for(pilot, lambda: "1 coded" in prompts(picker)[0])
