"""Compare and adjudicate, the pure part (issue 16): the differences between two coders on one
article, in text order, and what settling each writes for the consensus layer."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tui.analysis.differences import (
    CHOICES,
    CONSENSUS,
    Coding,
    Decision,
    Difference,
    agreements,
    compare,
    decide,
    differences,
    resolution,
    superseded,
)
from tui.store import AnnotationStore
from tui.store.model import Annotation

TEXT = (
    "Putin still seeks to strip Ukraine of its sovereignty. The Kremlin has not changed its "
    "war aims since 2022. Sanctions have not forced a change of course in Moscow. Beijing "
    "buys oil and sells machine tools to Russia."
)


def coded(author: str, quote: str, *tags: str, note: str = "", occurrence: int = 0) -> Annotation:
    start = TEXT.index(quote)
    for _ in range(occurrence):
        start = TEXT.index(quote, start + 1)
    return Annotation(
        id=f"{author}:{start}:{'+'.join(tags)}",
        article="000_a",
        start=start,
        end=start + len(quote),
        quote=quote,
        tags=tags,
        note=note,
        author=author,
    )


def test_same_tag_same_extent_is_no_difference() -> None:
    a = [coded("alice", "Putin still seeks", "Russia")]
    b = [coded("bob", "Putin still seeks", "Russia")]
    assert differences(a, b) == []
    assert agreements(a, b) == [Coding(0, len("Putin still seeks"), "Russia")]


def test_each_kind_of_difference_in_text_order() -> None:
    a = [
        coded("alice", "Beijing buys oil", "China"),
        coded("alice", "The Kremlin has not changed", "Russia", "War aims"),
    ]
    b = [
        coded("bob", "The Kremlin has not changed its war aims", "Russia"),
        coded("bob", "Sanctions have not forced", "Economy"),
        coded("bob", "Putin still seeks", "Russia"),
    ]
    found = differences(a, b)
    assert [(d.tag, d.kind, TEXT[d.start : d.end]) for d in found] == [
        ("Russia", "only B", "Putin still seeks"),
        ("War aims", "only A", "The Kremlin has not changed"),  # same start, ends first
        ("Russia", "extent", "The Kremlin has not changed its war aims"),
        ("Economy", "only B", "Sanctions have not forced"),
        ("China", "only A", "Beijing buys oil"),
    ]
    extent = found[2]
    assert [x.author for x in extent.a] == ["alice"] and [x.author for x in extent.b] == ["bob"]


def test_overlapping_passages_chain_into_one_difference() -> None:
    a = [
        coded("alice", "The Kremlin has not", "Russia"),
        coded("alice", "war aims since", "Russia"),
    ]
    b = [coded("bob", "has not changed its war", "Russia")]
    (only,) = differences(a, b)
    assert TEXT[only.start : only.end] == "The Kremlin has not changed its war aims since"
    assert len(only.a) == 2 and len(only.b) == 1


def test_touching_passages_are_separate() -> None:
    a = [coded("alice", "Putin still", "Russia")]
    b = [coded("bob", " seeks to strip", "Russia")]
    assert [d.kind for d in differences(a, b)] == ["only A", "only B"]


def test_resolutions_write_the_chosen_sides_extents_for_the_tag() -> None:
    a = [coded("alice", "The Kremlin has not changed", "Russia", note="her reading")]
    b = [coded("bob", "has not changed its war aims", "Russia")]
    (difference,) = differences(a, b)
    kremlin = TEXT.index("The Kremlin")
    has = TEXT.index("has not changed")
    assert resolution(difference, "A") == [
        Coding(kremlin, kremlin + len("The Kremlin has not changed"), "Russia", "her reading")
    ]
    assert resolution(difference, "B") == [
        Coding(has, has + len("has not changed its war aims"), "Russia")
    ]
    assert resolution(difference, "both") == [
        *resolution(difference, "A"),
        *resolution(difference, "B"),
    ]
    assert resolution(difference, "neither") == []
    with pytest.raises(ValueError, match="choice"):
        resolution(difference, "C")  # type: ignore[arg-type]


def test_a_difference_only_one_coder_has_keeps_one_tag_not_the_others() -> None:
    a = [coded("alice", "Beijing buys oil", "China", "Economy")]
    b = [coded("bob", "Beijing buys oil", "China")]
    (difference,) = differences(a, b)
    assert difference.tag == "Economy" and difference.kind == "only A"
    assert [c.tag for c in resolution(difference, "A")] == ["Economy"]
    assert resolution(difference, "B") == []
    assert all(choice in CHOICES for choice in ("A", "B", "both", "neither"))


def test_both_keeps_a_shared_extent_once() -> None:
    a = [coded("alice", "Putin", "Russia"), coded("alice", "Putin still seeks", "Russia")]
    b = [coded("bob", "Putin", "Russia")]
    (difference,) = differences(a, b)
    assert len(resolution(difference, "both")) == 2


def test_compare_picks_the_two_coders_and_leaves_orphans_and_others_out() -> None:
    everyone = [
        coded("alice", "Putin still seeks", "Russia"),
        coded("bob", "Putin still seeks", "Russia"),
        replace(coded("bob", "Beijing buys oil", "China"), anchor="orphaned"),
        coded("carol", "Sanctions have not", "Economy"),
        coded("consensus", "Sanctions have not", "Economy"),
    ]
    assert compare(everyone, "alice", "bob") == []
    assert [d.tag for d in compare(everyone, "alice", "carol")] == ["Russia", "Economy"]


def test_superseded_finds_earlier_consensus_on_that_tag_and_place() -> None:
    a = [coded("alice", "The Kremlin has not changed", "Russia")]
    (difference,) = differences(a, [])
    consensus = [
        coded("consensus", "Kremlin has", "Russia"),
        coded("consensus", "Kremlin has", "China"),
        coded("consensus", "Beijing", "Russia"),
    ]
    assert superseded(difference, consensus) == [consensus[0]]


def apply(store: AnnotationStore, decision: Decision, tag: str) -> None:
    """What the reader's session does with a decision."""
    for annotation in decision.untag:
        store.retag(annotation.id, remove=[tag])
    store.import_records(decision.put)


def stored_coding(store: AnnotationStore, author: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(a.quote, a.tags) for a in store.annotations(author=author)]


def test_decisions_write_only_the_consensus_layer(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "s.json", "alice")
    kremlin, war = TEXT.index("The Kremlin has not"), TEXT.index("has not changed its war")
    store.add("000_a", kremlin, kremlin + len("The Kremlin has not"), TEXT, ["Russia"])
    bob = AnnotationStore(tmp_path / "s.json", "bob")
    bob.add("000_a", war, war + len("has not changed its war"), TEXT, ["Russia", "War aims"])
    originals = store.annotations()

    def current() -> list[Difference]:
        everyone = store.annotations(article="000_a")
        return compare(everyone, "alice", "bob")

    russia = next(d for d in current() if d.tag == "Russia")
    apply(store, decide(russia, "A", TEXT, store.annotations(author=CONSENSUS)), "Russia")
    assert stored_coding(store, CONSENSUS) == [("The Kremlin has not", ("Russia",))]

    # Settling the same place again replaces the earlier decision; B's passage also has
    # War aims, which only that difference decides.
    apply(store, decide(russia, "B", TEXT, store.annotations(author=CONSENSUS)), "Russia")
    assert stored_coding(store, CONSENSUS) == [("has not changed its war", ("Russia",))]
    war_aims = next(d for d in current() if d.tag == "War aims")
    apply(store, decide(war_aims, "B", TEXT, store.annotations(author=CONSENSUS)), "War aims")
    assert stored_coding(store, CONSENSUS) == [("has not changed its war", ("Russia", "War aims"))]

    apply(store, decide(russia, "neither", TEXT, store.annotations(author=CONSENSUS)), "Russia")
    assert stored_coding(store, CONSENSUS) == [("has not changed its war", ("War aims",))]
    apply(store, decide(war_aims, "neither", TEXT, store.annotations(author=CONSENSUS)), "War aims")
    assert stored_coding(store, CONSENSUS) == []
    assert [a for a in store.annotations() if a.author != CONSENSUS] == originals


def test_a_decided_annotation_is_a_whole_record_placed_in_the_text(tmp_path: Path) -> None:
    a = [coded("alice", "Beijing buys oil", "China", note="trade")]
    (difference,) = differences(a, [])
    (made,) = decide(difference, "both", TEXT, [], author="team").put
    assert (made.author, made.quote, made.tags, made.note) == (
        "team",
        "Beijing buys oil",
        ("China",),
        "trade",
    )
    assert TEXT[made.start : made.end] == made.quote
    assert made.prefix == TEXT[max(0, made.start - 32) : made.start] and made.text_hash
