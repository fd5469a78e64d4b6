"""Tag focus as plain Python: stepping, wrapping, the count and following a rename (issue 12)."""

from __future__ import annotations

from tui.app.model.tag_focus import Passage, TagFocus
from tui.store.model import Annotation


def passage(pane: int, start: int, end: int, ident: str) -> Passage:
    return Passage(pane, Annotation(ident, "a", start, end, "quote", tags=("Russia",)))


PASSAGES = [passage(0, 10, 20, "a"), passage(0, 50, 60, "b"), passage(1, 5, 9, "c")]


def nowhere(_: Passage) -> bool:
    return False


def step(focus: TagFocus, direction: int, pane: int = 0, start: int = 0) -> Passage:
    went = focus.step(
        PASSAGES, direction, pane=pane, cursor_start=start, text_length=100, at_cursor=nowhere
    )
    assert went is not None
    return went.target


def test_steps_through_both_panes_in_reading_order_and_wraps() -> None:
    focus = TagFocus()
    focus.set("Russia", PASSAGES, nowhere)
    assert focus.position(PASSAGES) == ""
    assert step(focus, 1).annotation.id == "a"
    assert focus.position(PASSAGES) == "1/3"
    # From the passage the keys reached (the cursor is on it), not from the cursor.
    went = focus.step(
        PASSAGES,
        1,
        pane=0,
        cursor_start=10,
        text_length=100,
        at_cursor=lambda p: p.order == PASSAGES[0].order,
    )
    assert went is not None and went.target.annotation.id == "b" and not went.wrapped
    assert step(focus, 1, pane=1, start=50).annotation.id == "a"  # past the last: wraps
    assert focus.position(PASSAGES) == "1/3"


def test_a_passage_starting_in_the_cursor_sentence_is_next_and_back_goes_before_it() -> None:
    focus = TagFocus()
    focus.set("Russia", PASSAGES, nowhere)
    assert step(focus, 1, start=50).annotation.id == "b"
    focus.last = None
    assert step(focus, -1, start=50).annotation.id == "a"
    focus.last = None
    went = focus.step(PASSAGES, -1, pane=0, cursor_start=0, text_length=100, at_cursor=nowhere)
    assert went is not None and went.wrapped and went.target.annotation.id == "c"


def test_focusing_on_a_passage_counts_from_it() -> None:
    focus = TagFocus()
    focus.set("Russia", PASSAGES, lambda p: p.annotation.id == "b")
    assert focus.position(PASSAGES) == "2/3"
    focus.set(None, PASSAGES, lambda p: True)
    assert focus.tag is None and focus.last is None


def test_no_passage_is_no_step() -> None:
    focus = TagFocus()
    focus.set("Russia", [], nowhere)
    assert focus.step([], 1, pane=0, cursor_start=0, text_length=1, at_cursor=nowhere) is None


def test_the_focus_follows_a_rename_and_ends_with_a_delete() -> None:
    focus = TagFocus()
    focus.set("Russia/war aims", PASSAGES, nowhere)
    assert not focus.followed("NATO", "Alliance")
    assert focus.followed("Russia", "Kremlin") and focus.tag == "Kremlin/war aims"
    assert focus.followed("Kremlin", None) and focus.tag is None
