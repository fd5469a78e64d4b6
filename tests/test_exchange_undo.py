"""Undo says what it did (issue 13, item 9): what it left, why, and whose change it was.

Two stores on one folder are two users on one host: root tags a passage with a new code, bob
renames the code, root undoes. The records bob changed stay as bob left them, and the message
says so instead of "undid: tag ...".
"""

from __future__ import annotations

from pathlib import Path

from test_app_support import LEFT, make_app, sync, wait_for

from tui.config import BUNDLED_SEEDS
from tui.store import AnnotationStore

TEXT = (BUNDLED_SEEDS / f"{LEFT}.txt").read_text(encoding="utf-8")


def span(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


def test_undo_after_a_colleague_renamed_the_new_code_says_what_was_left(tmp_path: Path) -> None:
    db = tmp_path / "marginalia.json"
    root = AnnotationStore(db, "root")
    added = root.add(LEFT, *span("Davos"), TEXT, ["Economic leverage"])
    AnnotationStore(db, "bob").rename_tag("Economic leverage", "Economic pressure")
    message = root.undo()
    assert message is not None and not message.startswith("undid:")
    assert message.startswith("undid nothing of: tag 'Davos'")
    assert "changed since by bob: rename 'Economic leverage' to 'Economic pressure'" in message
    assert "1 annotation" in message
    after = AnnotationStore(db, "carol")
    assert after.get(added.id) is not None
    assert after.get(added.id).tags == ("Economic pressure",)
    assert root.redo() is None  # nothing was undone, so there is nothing to redo
    assert root.undo() is None


def test_undo_does_what_it_can_and_names_the_rest(tmp_path: Path) -> None:
    db = tmp_path / "marginalia.json"
    root = AnnotationStore(db, "root")
    root.create_tag("Place")
    first = root.add(LEFT, *span("Davos"), TEXT, ["Place"])
    second = root.add(LEFT, *span("Zelensky"), TEXT, ["Place"])
    root.rename_tag("Place", "Location")  # one action, on both annotations
    AnnotationStore(db, "bob").update(second.id, note="bob's reading")
    message = root.undo()
    assert message is not None and message.startswith("undid: rename 'Place' to 'Location'")
    assert "left: 1 annotation (changed since by bob: change the note of an annotation)" in message
    after = AnnotationStore(db, "carol")
    assert after.get(first.id).tags == ("Place",)  # undone
    assert after.get(second.id).tags == ("Location",)  # bob's version stands
    assert after.get(second.id).note == "bob's reading"


def test_the_message_names_whoever_changed_the_record_last(tmp_path: Path) -> None:
    db = tmp_path / "marginalia.json"
    root = AnnotationStore(db, "root")
    bob = AnnotationStore(db, "bob")
    added = root.add(LEFT, *span("Davos"), TEXT, ["Place"])
    bob.update(added.id, note="first")
    root_again = AnnotationStore(db, "root")
    root_again.update(added.id, note="second")
    message = bob.undo()
    assert message is not None and "changed since by root: change the note" in message


@sync
async def test_the_reader_shows_what_undo_left(tmp_path: Path) -> None:
    db = tmp_path / "marginalia.json"
    app = make_app(db, user="root", poll_seconds=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t", *"Economic leverage", "enter")
        store = AnnotationStore(db, "bob")
        assert [a.tags for a in store.annotations()] == [("Economic leverage",)]
        store.rename_tag("Economic leverage", "Economic pressure")
        await pilot.press("u")
        assert await wait_for(pilot, lambda: bool(app._notifications))
        shown = list(app._notifications)[-1].message
        assert shown.startswith("undid nothing of: tag ")
        assert "changed since by bob: rename 'Economic leverage' to 'Economic pressure'" in shown
    assert [a.tags for a in AnnotationStore(db, "carol").annotations()] == [("Economic pressure",)]
