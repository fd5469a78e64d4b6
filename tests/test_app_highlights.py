"""The highlight index and tag colours the article panes draw with."""

from __future__ import annotations

from rich.style import Style

from tui.app.model.highlights import BUCKET, HighlightIndex
from tui.app.model.tag_styles import FALLBACK_STYLES, palette_entry, tag_style
from tui.store.model import Annotation, Tag


def note(annotation_id: str, start: int, end: int, **extra: object) -> Annotation:
    return Annotation(id=annotation_id, article="a", start=start, end=end, quote="", **extra)  # type: ignore[arg-type]


def test_overlapping_finds_exactly_the_annotations_touching_a_range() -> None:
    index = HighlightIndex(
        [
            note("short", 10, 20),
            note("long", 0, 5 * BUCKET),
            note("far", 3 * BUCKET, 3 * BUCKET + 9),
        ]
    )
    assert [a.id for a in index.overlapping(15, 16)] == ["long", "short"]
    assert [a.id for a in index.overlapping(20, 30)] == ["long"]  # end is exclusive
    assert [a.id for a in index.overlapping(3 * BUCKET + 8, 3 * BUCKET + 100)] == ["long", "far"]
    assert index.overlapping(6 * BUCKET, 7 * BUCKET) == []


def test_add_replaces_by_id_and_remove_forgets() -> None:
    index = HighlightIndex([note("x", 0, 10)])
    index.add(note("x", 600, 700))
    assert index.overlapping(0, 10) == []
    assert [a.start for a in index.overlapping(650, 651)] == [600]
    removed = index.remove("x")
    assert removed is not None and removed.start == 600
    assert len(index) == 0 and index.overlapping(0, 10_000) == []


def test_orphaned_and_empty_annotations_are_not_drawn() -> None:
    index = HighlightIndex([note("gone", 0, 10, anchor="orphaned"), note("empty", 5, 5)])
    assert len(index) == 0


def test_tag_colour_comes_from_the_codebook_else_a_stable_palette_entry() -> None:
    own = tag_style("sanctions", Tag("sanctions", color="#112233"))
    assert own.bgcolor is not None and own.bgcolor.get_truecolor() == (0x11, 0x22, 0x33)
    assert own.color is not None and own.color.name == "bright_white"  # dark background
    ansi = tag_style("NATO", Tag("NATO", color="ansi_bright_cyan"))
    assert ansi.bgcolor is not None and ansi.bgcolor.name == "bright_cyan"
    default = tag_style("costs of war", None)
    assert (default.bgcolor.name, default.color.name) == palette_entry("costs of war")  # type: ignore[union-attr]
    assert palette_entry("costs of war") == palette_entry("costs of war")
    assert len({palette_entry(f"tag {n}") for n in range(200)}) == len(FALLBACK_STYLES)


def test_without_colour_a_highlight_is_underlined() -> None:
    assert tag_style("NATO", Tag("NATO", color="#ff0000"), no_color=True) == Style(underline=True)
