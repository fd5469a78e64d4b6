"""The session reports every write as a StoreChange, without Textual (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_app_support import seed_articles
from tui.app.model.session import ReaderSession
from tui.app.model.store_change import StoreChange
from tui.store import AnnotationStore


@pytest.fixture
def session_and_changes(tmp_path: Path) -> tuple[ReaderSession, list[StoreChange]]:
    session = ReaderSession(seed_articles()[:2], AnnotationStore(tmp_path / "db.json", "alice"))
    changes: list[StoreChange] = []
    session.on_change = changes.append
    return session, changes


def test_tagging_reports_the_annotation_and_a_new_tag(session_and_changes) -> None:
    session, changes = session_and_changes
    article = session.articles[0]
    saved = session.tag_span(article, 0, 20, ["Russia"])
    assert changes == [StoreChange(saved=(saved,), codebook=True)]
    assert changes[0].article_ids == {article.id}
    session.tag_span(article, 30, 40, ["Russia"])  # a known tag: the codebook is unchanged
    assert changes[1].codebook is False
    assert changes[1].touches([article.id]) and not changes[1].touches(["elsewhere"])


def test_removing_the_last_tag_reports_a_removal(session_and_changes) -> None:
    session, changes = session_and_changes
    annotation = session.tag_span(session.articles[0], 0, 20, ["Russia"])
    changes.clear()
    _, gone = session.retag(annotation, add=(), remove=("Russia",))
    assert gone
    assert changes[0].removed == (annotation,) and changes[0].saved == ()
    assert changes[0].annotation_ids == {annotation.id}


def test_codebook_edits_report_tag_moves(session_and_changes) -> None:
    session, changes = session_and_changes
    session.tag_span(session.articles[0], 0, 20, ["Russia/war aims"])
    session.create_tag("NATO")
    changes.clear()
    session.rename_tag("Russia", " Kremlin ")
    session.merge_tags("NATO", "Kremlin")
    session.recolor_tag("Kremlin", "blue")
    session.delete_tag("Kremlin")
    assert [change.tag_moves for change in changes] == [
        (("Russia", "Kremlin"),),
        (("NATO", "Kremlin"),),
        (),
        (("Kremlin", None),),
    ]
    assert all(change.codebook for change in changes)


def test_undo_and_redo_report_a_reload(session_and_changes) -> None:
    session, changes = session_and_changes
    assert session.undo() is None
    assert changes == [StoreChange(reloaded=True)]  # redraw from the store all the same
    session.annotate(session.articles[0], 0, 10, note="a note")
    changes.clear()
    assert session.undo() is not None
    assert session.redo() is not None
    assert changes == [StoreChange(reloaded=True), StoreChange(reloaded=True)]


def test_details_and_another_writer_are_reported(tmp_path: Path, session_and_changes) -> None:
    session, changes = session_and_changes
    article_id = session.articles[1].id
    session.set_article_details(article_id, title="A better title")
    assert changes[-1] == StoreChange(details=frozenset({article_id}))
    session.refresh()  # settles this session's own write
    assert session.refresh() is False
    count = len(changes)
    other = AnnotationStore(tmp_path / "db.json", "bob")
    other.create_tag("Bob's tag")
    other.flush()
    assert session.refresh() is True
    assert changes[count:] == [StoreChange(reloaded=True)]
