"""Memos in the store (issue 17): on an article or the project, dated, by author, bounded,
journalled, undoable, shared by several writers, and brought up from a schema-2 store."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import orjson
import pytest

from tui.store import AnnotationStore, StoreError, migrations
from tui.store import storage as storage_module
from tui.store.memos import PROJECT
from tui.store.model import MAX_MEMO

ARTICLE = "001_5b2a99fe7e84453b"


def test_add_edit_delete_on_an_article_and_the_project(db: Path) -> None:
    store = AnnotationStore(db, "alice")
    memo = store.memos.add(ARTICLE, "Framing: the talks as a deal.\n\nCheck the dates.\t")
    assert (memo.article, memo.author, memo.text) == (
        ARTICLE,
        "alice",
        "Framing: the talks as a deal.\n\nCheck the dates.",
    )
    assert memo.created == memo.updated and memo.created.endswith("Z")
    project = store.memos.add(PROJECT, "Codebook v2 from today")
    assert project.on_project and not memo.on_project
    edited = store.memos.edit(memo.id, "Framing: a deal.")
    assert (edited.created, edited.author) == (memo.created, "alice")
    assert edited.updated > memo.updated
    other = AnnotationStore(db, "bob")
    assert [m.text for m in other.memos.list(ARTICLE)] == ["Framing: a deal."]
    assert [m.id for m in other.memos.list(PROJECT)] == [project.id]
    assert {m.id for m in other.memos.list()} == {memo.id, project.id}
    other.memos.delete(project.id)
    assert store.memos.list(PROJECT) == []
    with pytest.raises(StoreError, match="no memo with id"):
        store.memos.edit(project.id, "gone")


def test_each_change_is_one_undo(db: Path) -> None:
    store = AnnotationStore(db, "alice")
    memo = store.memos.add(ARTICLE, "first")
    store.memos.edit(memo.id, "second")
    store.memos.delete(memo.id)
    assert store.undo() == "undid: delete a memo"
    assert store.memos.get(memo.id).text == "second"  # type: ignore[union-attr]
    store.undo()
    assert store.memos.get(memo.id).text == "first"  # type: ignore[union-attr]
    store.undo()
    assert store.memos.list() == []
    store.redo()
    assert [m.text for m in store.memos.list()] == ["first"]


def test_undo_leaves_alone_a_memo_someone_else_edited(db: Path) -> None:
    alice, bob = AnnotationStore(db, "alice"), AnnotationStore(db, "bob")
    memo = alice.memos.add(ARTICLE, "alice's")
    bob.memos.edit(memo.id, "bob's edit")
    message = alice.undo()
    assert message is not None and "changed since by bob" in message
    assert alice.memos.get(memo.id).text == "bob's edit"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "empty"),
        ("  \n\t ", "empty"),
        ("\x1b\x07\x00", "empty"),  # only control characters: nothing of it is kept
        ("x" * (MAX_MEMO + 1), "over"),
        ("lone \ud800", "surrogate"),
    ],
)
def test_bad_memos_are_refused(db: Path, text: str, expected: str) -> None:
    store = AnnotationStore(db, "alice")
    with pytest.raises(StoreError, match=expected):
        store.memos.add(ARTICLE, text)
    assert not db.exists() or store.memos.list() == []


def test_controls_are_dropped_lines_kept(db: Path) -> None:
    store = AnnotationStore(db, "alice")
    memo = store.memos.add(ARTICLE, "a\x1b[31m red\u202e\nb\x85c")
    assert memo.text == "a[31m red\nbc"
    with pytest.raises(StoreError, match="control character"):
        store.memos.add("bad\x1bid", "text")


def _write_memos(db: str, user: str, count: int) -> None:
    store = AnnotationStore(db, user)
    for index in range(count):
        store.memos.add(ARTICLE, f"{user} {index}")


def test_several_writers_lose_nothing(db: Path) -> None:
    AnnotationStore(db, "seed").memos.add(PROJECT, "start")
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_write_memos, args=(str(db), name, 15)) for name in ("a", "b")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert all(worker.exitcode == 0 for worker in workers)
    texts = {m.text for m in AnnotationStore(db, "reader").memos.list()}
    assert texts == {"start"} | {f"{u} {i}" for u in ("a", "b") for i in range(15)}


def test_schema_2_store_is_migrated_with_a_copy(db: Path) -> None:
    db.parent.mkdir(parents=True)
    old = {
        "_meta": {"schema": {"format": "marginalia-store", "version": 2, "generation": "g2"}},
        "annotations": {},
        "tags": {"Russia": {"color": "ansi_red", "key": 1, "description": ""}},
        "articles": {ARTICLE: {"title": "T", "updated": "", "by": "x"}},
    }
    original = json.dumps(old).encode()
    db.write_bytes(original)
    store = AnnotationStore(db, "alice")
    assert store.article_meta(ARTICLE).title == "T"
    assert db.read_bytes() == original  # reading alone never writes
    store.memos.add(PROJECT, "first memo")
    assert db.with_name(db.name + ".v2.bak").read_bytes() == original
    migrated = orjson.loads(db.read_bytes())
    assert migrated["_meta"]["schema"]["version"] == storage_module.SCHEMA_VERSION == 3
    assert [m["text"] for m in migrated["memos"].values()] == ["first memo"]
    assert AnnotationStore(db, "bob").article_meta(ARTICLE).title == "T"


def test_a_store_with_memos_is_refused_by_schema_2_readers(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    AnnotationStore(db, "alice").memos.add(PROJECT, "x")
    AnnotationStore(db, "alice").compact()
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 2)  # where a store's version is checked
    with pytest.raises(StoreError, match="newer marginalia"):
        AnnotationStore(db, "old").annotations()
