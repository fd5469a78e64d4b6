"""`AnnotationStore.replace_coding`: a consensus decision (take a tag off some passages, write
others) is one locked write and ONE action in the history, read against the store as it is
when the lock is held, with a second store on the same folder writing in between."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tui.config import BUNDLED_SEEDS
from tui.store import Annotation, AnnotationStore

ARTICLE = "000_812b4db44989ec20"
TEXT = (BUNDLED_SEEDS / f"{ARTICLE}.txt").read_text(encoding="utf-8")


def span(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


def new_passage(phrase: str, tag: str) -> Annotation:
    """A consensus passage as a decision plans it: a fresh record, not yet stored."""
    start, end = span(phrase)
    return Annotation(
        id=f"consensus-{start}",
        article=ARTICLE,
        start=start,
        end=end,
        quote=phrase,
        tags=(tag,),
        author="consensus",
    )


def test_a_replacement_is_one_action_and_undoes_whole(db: Path) -> None:
    carol = AnnotationStore(db, "carol")
    old = carol.add(ARTICLE, *span("Volodymyr Zelensky"), TEXT, ["Economy", "Keep"])
    planned = new_passage("Davos", "Economy")
    written = carol.replace_coding("Economy", [old.id], [planned], "settle 'Economy'")
    assert [a.id for a in written] == [planned.id]
    other = AnnotationStore(db, "dave")
    assert other.get(old.id).tags == ("Keep",) and other.get(planned.id) is not None
    assert carol.undo() == "undid: settle 'Economy'"  # both records, one step
    again = AnnotationStore(db, "dave")
    assert again.get(old.id).tags == ("Economy", "Keep") and again.get(planned.id) is None
    assert carol.undo() is not None and AnnotationStore(db, "dave").annotations() == []


def test_it_reads_the_records_as_they_are_when_it_writes(db: Path) -> None:
    carol = AnnotationStore(db, "carol")
    gone = carol.add(ARTICLE, *span("Volodymyr Zelensky"), TEXT, ["Economy"])
    there = carol.add(ARTICLE, *span("Davos"), TEXT, ["Trade"])
    bob = AnnotationStore(db, "bob")
    bob.delete(gone.id)  # gone before the decision is written: nothing to take the tag off
    bob.retag(there.id, add=["Energy"])  # a tag added since carol read it: kept
    stale = replace(there, tags=("Trade", "Economy"))
    written = carol.replace_coding("Economy", [gone.id], [stale], "settle 'Economy'")
    assert [a.tags for a in written] == [("Trade", "Energy", "Economy")]
    assert AnnotationStore(db, "dave").get(there.id).tags == ("Trade", "Energy", "Economy")
    assert carol.undo() == "undid: settle 'Economy'"
    assert AnnotationStore(db, "dave").get(there.id).tags == ("Trade", "Energy")
