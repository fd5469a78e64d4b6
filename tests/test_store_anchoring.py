"""Re-anchoring annotations after the clean text changed: exact, moved, fuzzy, orphaned.

The edits are the real ones: an article first annotated on text still carrying the seeds'
damage (GBK mojibake such as `Trump鈥檚`, the kicker line, the furniture at the end), then
re-cleaned, so text changes before, inside and after annotated passages.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.config import BUNDLED_SEEDS
from tui.store import Annotation, AnnotationStore, anchor, text_digest
from tui.store.anchoring import context_around
from tui.store.model import CONTEXT_CHARS

ARTICLE = "001_5b2a99fe7e84453b"
DAMAGED = (BUNDLED_SEEDS / f"{ARTICLE}.txt").read_text(encoding="utf-8")
KICKER = "A blog of the Kennan Institute\n"
# Mojibake repaired: each two-character run becomes two characters, so offsets stay put.
REPAIRED = (
    DAMAGED.replace("鈥檚", "’s").replace("鈥檛", "’t").replace("鈥渄", "“d").replace("鈥淶", "“Z")
)
# ... and the kicker line moved out of the body, so everything after it shifts.
RECLEANED = REPAIRED.removeprefix(KICKER)
FURNITURE = DAMAGED[DAMAGED.index("Explore More in The Russia File") :]


def make(text: str, phrase: str, occurrence: int = 0) -> Annotation:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    end = start + len(phrase)
    prefix, suffix = context_around(text, start, end)
    return Annotation(
        id="a" * 32,
        article=ARTICLE,
        start=start,
        end=end,
        quote=phrase,
        prefix=prefix,
        suffix=suffix,
        tags=("t",),
        text_hash=text_digest(text),
    )


def test_unchanged_text_is_exact() -> None:
    annotation = make(DAMAGED, "intensify his public push for peace")
    placed = anchor(annotation, DAMAGED)
    assert placed.anchor == "exact"
    assert (placed.start, placed.end) == (annotation.start, annotation.end)


def test_edit_before_the_passage_moves_it() -> None:
    annotation = make(DAMAGED, "driving a wedge between Moscow and its non-Western allies")
    placed = anchor(annotation, RECLEANED)
    assert placed.anchor == "moved"
    assert placed.start == annotation.start - len(KICKER)
    assert RECLEANED[placed.start : placed.end] == annotation.quote


def test_edit_after_the_passage_keeps_it_exact() -> None:
    annotation = make(DAMAGED, "Staging Crime and Punishment")
    placed = anchor(annotation, DAMAGED.removesuffix("The Human Tragedy of War\n"))
    assert placed.anchor == "exact"
    assert (placed.start, placed.end) == (annotation.start, annotation.end)


def test_edit_right_next_to_the_passage_keeps_it_exact() -> None:
    annotation = make(DAMAGED, "President Donald Trump repeatedly to end Russia")
    assert "鈥檚" in annotation.suffix
    placed = anchor(annotation, REPAIRED)
    assert placed.anchor == "exact"
    assert (placed.start, placed.end) == (annotation.start, annotation.end)


def test_edit_inside_the_passage_is_fuzzy_and_covers_the_new_text() -> None:
    annotation = make(DAMAGED, "Russian President Vladimir Putin鈥檚 response was indirect.")
    placed = anchor(annotation, RECLEANED)
    assert placed.anchor == "fuzzy"
    assert RECLEANED[placed.start : placed.end] == (
        "Russian President Vladimir Putin’s response was indirect."
    )
    assert placed.quote == RECLEANED[placed.start : placed.end]


@pytest.mark.parametrize("occurrence", [0, 3, 7, 12])
def test_repeated_quote_context_picks_the_right_copy(occurrence: int) -> None:
    """`Putin` appears 13 times; after the shift the n-th copy must still be the n-th."""
    annotation = make(DAMAGED, "Putin", occurrence=occurrence)
    placed = anchor(annotation, RECLEANED)
    expected = make(RECLEANED, "Putin", occurrence=occurrence)
    assert placed.anchor == "moved"
    assert placed.start == expected.start


def test_another_copy_sliding_onto_the_old_position_is_not_taken_for_exact() -> None:
    text = "The deal. Peace now, said one. " + "x" * 40 + " Peace now, said the other."
    annotation = make(text, "Peace now", occurrence=1)
    shift = annotation.start - text.index("Peace now")
    edited = " " * shift + text  # the first copy now sits where the second one was
    assert edited[annotation.start : annotation.end] == "Peace now"
    placed = anchor(annotation, edited)
    assert placed.anchor == "moved"
    assert placed.start == annotation.start + shift
    assert edited[placed.end : placed.end + 14] == ", said the oth"


def test_deleted_passage_is_orphaned_and_keeps_its_offsets() -> None:
    annotation = make(DAMAGED, "alongside bold statements about reclaiming the Panama Canal")
    edited = DAMAGED.replace(annotation.quote, "")
    placed = anchor(annotation, edited)
    assert placed.anchor == "orphaned"
    assert (placed.start, placed.end, placed.quote) == (
        annotation.start,
        annotation.end,
        annotation.quote,
    )


def test_rewritten_passage_below_the_minimum_score_is_orphaned() -> None:
    annotation = make(DAMAGED, "alongside bold statements about reclaiming the Panama Canal")
    edited = DAMAGED.replace(annotation.quote, "while saying nothing much about any canal here")
    assert anchor(annotation, edited).anchor == "orphaned"


@pytest.mark.parametrize(
    ("before", "passage", "inserted"),
    [
        ("开头 👍🏽 text ", "和平谈判 🕊️ peace talks", "🇺🇦"),
        ("Ukraine 🇺🇦 ", "会谈在日内瓦举行", "新增段落。"),
    ],
)
def test_emoji_and_cjk_offsets_are_code_points(before: str, passage: str, inserted: str) -> None:
    text = before + passage + " end."
    annotation = make(text, passage)
    assert annotation.start == len(before)  # code points, not UTF-8 bytes or UTF-16 units
    placed = anchor(annotation, inserted + text)
    assert placed.anchor == "moved"
    assert placed.start == annotation.start + len(inserted)
    assert (inserted + text)[placed.start : placed.end] == passage


def test_store_anchored_returns_every_annotation(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "s.json", "alice")
    phrases = [
        "A blog of the Kennan Institute",  # furniture: gone from the re-cleaned text
        "driving a wedge between Moscow",
        "Russian President Vladimir Putin鈥檚 response was indirect.",
        "alongside bold statements about reclaiming the Panama Canal",
    ]
    for phrase in phrases:
        start = DAMAGED.index(phrase)
        store.add(ARTICLE, start, start + len(phrase), DAMAGED, ["t"])
    edited = RECLEANED.replace(phrases[3], "").removesuffix(FURNITURE)
    placed = store.anchored(ARTICLE, edited)
    assert [a.anchor for a in placed] == ["orphaned", "fuzzy", "moved", "orphaned"]
    assert len(store.annotations()) == 4  # anchoring reads; it never changes the store
    assert store.anchored("no such article", edited) == []


def test_similar_words_elsewhere_are_not_a_fuzzy_match() -> None:
    """The kicker is gone; "of the Kennan Institute" further down must not stand in for it."""
    annotation = make(DAMAGED, "A blog of the Kennan Institute")
    assert "of the Kennan Institute" in RECLEANED
    assert anchor(annotation, RECLEANED).anchor == "orphaned"


@settings(max_examples=80, deadline=None)
@given(
    start=st.integers(0, 2000),
    length=st.integers(1, 120),
    edit_at=st.integers(0, len(DAMAGED)),
    cut=st.integers(0, 40),
    inserted=st.text(max_size=30),
)
def test_anchoring_never_misreports_what_it_found(
    start: int, length: int, edit_at: int, cut: int, inserted: str
) -> None:
    """Any edit anywhere: exact/moved point at the quote itself, fuzzy at text within bounds."""
    annotation = make(DAMAGED, DAMAGED[start : start + length])
    edited = DAMAGED[:edit_at] + inserted + DAMAGED[edit_at + cut :]
    placed = anchor(annotation, edited)
    assert placed.id == annotation.id and placed.tags == annotation.tags
    if placed.anchor in ("exact", "moved"):
        assert edited[placed.start : placed.end] == annotation.quote
    if placed.anchor == "fuzzy":
        assert 0 <= placed.start < placed.end <= len(edited)
        assert placed.quote == edited[placed.start : placed.end]
    if placed.anchor == "orphaned":
        assert (placed.start, placed.end) == (annotation.start, annotation.end)
    if edit_at >= annotation.end + CONTEXT_CHARS or (inserted == "" and cut == 0):
        # nothing changed up to the end of the stored context: the position still holds
        assert placed.anchor == "exact" and placed.start == annotation.start


def test_copy_of_a_short_quote_in_other_surroundings_is_not_the_passage_moved() -> None:
    """The annotated sentence is deleted; 'Ukraine' is still all over the article."""
    sentence = "Notably, Ukraine and Russia did not feature in his inaugural address."
    annotation = make(
        DAMAGED, "Ukraine", occurrence=DAMAGED[: DAMAGED.index(sentence)].count("Ukraine")
    )
    assert DAMAGED[annotation.start - 9 : annotation.end] == "Notably, Ukraine"
    placed = anchor(annotation, DAMAGED.replace(sentence, ""))
    assert placed.anchor == "orphaned" and placed.start == annotation.start


def test_exact_copy_elsewhere_does_not_beat_the_passage_edited_in_place() -> None:
    text = (
        "The armistice between Russia and Germany was signed in 1917 at Brest-Litovsk after "
        "weeks of talks. " + "Filler sentence about other things. " * 5 + "Appendix: a list "
        "of unrelated shipping contracts, one signed in 1917 by a Norwegian firm."
    )
    annotation = make(text, "signed in 1917")
    edited = text.replace("signed in 1917 at", "signed in 1918 at")
    placed = anchor(annotation, edited)
    assert placed.anchor != "moved"
    assert abs(placed.start - annotation.start) <= 2  # in place (fuzzy), or orphaned there
