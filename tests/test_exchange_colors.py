"""New codes get a colour no tag has while one is free; the chooser offers the codebook's
colours (issue 13, item 12, the store's part).

The old rule took `PALETTE[len(codebook) % 12]`: after a tag was deleted or recoloured, the
next code took a colour already on screen while others were unused.
"""

from __future__ import annotations

from pathlib import Path

from test_app_support import LEFT, make_app, sync
from textual.widgets import OptionList

from tui.app.dialogs.prompts import ColorChooser
from tui.config import BUNDLED_SEEDS
from tui.export.importer import plan_tags
from tui.store import AnnotationStore, Tag
from tui.store.model import Annotation
from tui.store.rules import PALETTE, free_color

TEXT = (BUNDLED_SEEDS / f"{LEFT}.txt").read_text(encoding="utf-8")


def test_a_new_code_takes_a_free_colour_before_reusing_one(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "s.json", "alice")
    store.create_tag("Russia", color=PALETTE[1])
    store.create_tag("China", color=PALETTE[2])
    assert store.create_tag("Ukraine").color == PALETTE[0]
    start = TEXT.index("Davos")
    store.add(LEFT, start, start + 5, TEXT, ["Place"])  # defined on first use, same rule
    assert store.tag("Place") is not None and store.tag("Place").color == PALETTE[3]
    colors = [tag.color for tag in store.tags()]
    assert len(set(colors)) == len(colors)


def test_once_every_colour_is_taken_the_least_used_comes_next() -> None:
    taken = [*PALETTE, PALETTE[0], PALETTE[2]]
    assert free_color(taken) == PALETTE[1]
    assert free_color(["#123456", "ansi_white"]) == PALETTE[0]  # colours not ours are no help


def test_an_import_gives_its_new_codes_free_colours() -> None:
    known = {"A": Tag("A", PALETTE[0]), "B": Tag("B", PALETTE[2])}
    writes = [
        Annotation(id=f"{n:032x}", article=LEFT, start=0, end=5, quote=TEXT[:5], tags=(name,))
        for n, name in enumerate(("C", "D"))
    ]
    planned = plan_tags(writes, [], known)
    assert [(tag.name, tag.color) for tag in planned] == [("C", PALETTE[1]), ("D", PALETTE[3])]


@sync
async def test_the_colour_chooser_offers_the_codebook_colours_only(tmp_path: Path) -> None:
    app = make_app(tmp_path / "s.json")
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(ColorChooser("Russia", PALETTE[0]))
        await pilot.pause()
        options = app.screen.query_one("#color-options", OptionList)
        offered = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert offered == list(PALETTE)
        assert not {"ansi_black", "ansi_white", "ansi_bright_white"} & set(offered)
