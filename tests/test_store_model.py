"""Random sequences of changes by two sessions: memory, indexes and disk always agree.

A hypothesis state machine drives two AnnotationStore sessions on one file (adds, notes,
deletes, tag renames and merges, undo and redo), with compaction forced often. After every
step a fresh session reading the files must see exactly what each live session sees.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from tui.config import BUNDLED_SEEDS
from tui.store import AnnotationStore, StoreError
from tui.store import storage as storage_module

TEXT = (BUNDLED_SEEDS / "000_812b4db44989ec20.txt").read_text(encoding="utf-8")
TAG_NAMES = st.sampled_from(["A", "A/x", "A/y", "B", "B/z", "C"])


def snapshot(store: AnnotationStore) -> tuple[list, list, dict]:
    return store.annotations(), store.tags(), store.tag_counts()


class TwoSessions(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="marginalia-model-"))
        self.path = self.folder / "store.json"
        self.sessions = [AnnotationStore(self.path, "alice"), AnnotationStore(self.path, "bob")]

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    @rule(
        who=st.integers(0, 1),
        start=st.integers(0, 300),
        length=st.integers(1, 40),
        tags=st.lists(TAG_NAMES, min_size=1, max_size=3),
    )
    def add(self, who: int, start: int, length: int, tags: list[str]) -> None:
        added = self.sessions[who].add("article", start, start + length, TEXT, tags)
        assert added.quote == TEXT[start : start + length]
        assert set(tags) <= set(added.tags)

    @precondition(lambda self: self.sessions[0].annotations())
    @rule(who=st.integers(0, 1), pick=st.integers(0, 1000), note=st.text(max_size=10))
    def note(self, who: int, pick: int, note: str) -> None:
        session = self.sessions[who]
        existing = session.annotations()
        if existing:
            target = existing[pick % len(existing)]
            assert session.update(target.id, note=note).id == target.id

    @precondition(lambda self: self.sessions[0].annotations())
    @rule(who=st.integers(0, 1), pick=st.integers(0, 1000))
    def delete(self, who: int, pick: int) -> None:
        session = self.sessions[who]
        existing = session.annotations()
        if existing:
            session.delete(existing[pick % len(existing)].id)
            assert len(session.annotations()) == len(existing) - 1

    @rule(who=st.integers(0, 1), old=TAG_NAMES, new=TAG_NAMES, merge=st.booleans())
    def retag(self, who: int, old: str, new: str, merge: bool) -> None:
        session = self.sessions[who]
        try:
            if merge:
                session.merge_tags(old, new)
            else:
                session.rename_tag(old, new)
        except StoreError:
            return  # no such tag, a name taken, or a merge into a child: refused, no change
        assert not session.annotations(tag=old) or old.startswith(new) or new.startswith(old)

    @rule(who=st.integers(0, 1), back=st.booleans())
    def undo_or_redo(self, who: int, back: bool) -> None:
        session = self.sessions[who]
        if back:
            session.undo()
        else:
            session.redo()

    @rule()
    def compact(self) -> None:
        session = self.sessions[0]
        if session.path.exists():
            session.compact()

    @invariant()
    def everyone_agrees_with_the_files(self) -> None:
        fresh = snapshot(AnnotationStore(self.path, "reader"))
        for session in self.sessions:
            session.refresh()
            assert snapshot(session) == fresh
        annotations, _, counts = fresh
        expected: dict[str, int] = {}
        for annotation in annotations:
            for name in annotation.tags:
                expected[name] = expected.get(name, 0) + 1
        assert counts == expected


TwoSessions.TestCase.settings = settings(max_examples=40, stateful_step_count=25, deadline=None)


@pytest.fixture(autouse=True)
def small_journal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage_module, "MIN_COMPACTION_BYTES", 2048)


test_two_sessions_agree_with_the_files = TwoSessions.TestCase


def test_ancestors_and_implied_parents() -> None:
    from tui.store.hierarchy import ancestors, implied_parents

    assert ancestors("A/B/C") == ["A", "A/B"]
    assert ancestors("A") == []
    assert implied_parents(["A/B/C", "A", "X/Y"]) == {"A/B", "X"}


def test_within_and_below_tell_a_child_from_a_name_that_only_starts_alike() -> None:
    from tui.store.hierarchy import is_below, is_within

    assert is_within("Russia", "Russia") and not is_below("Russia", "Russia")
    assert is_within("Russia/war aims/Ukraine", "Russia")
    assert is_below("Russia/war aims/Ukraine", "Russia/war aims")
    assert not is_within("Russians", "Russia") and not is_below("Russia-China", "Russia")
    assert not is_within("Russia", "Russia/war aims")


def test_lineage_and_tree_nodes_expand_paths_into_the_tree() -> None:
    from tui.store.hierarchy import lineage, tree_nodes

    assert lineage("A/B/C") == ["A", "A/B", "A/B/C"]
    assert lineage("A") == ["A"]
    assert tree_nodes(["Russia/war aims", "NATO", "Russia-China ties", "Russia/economy"]) == [
        "NATO",
        "Russia",
        "Russia/economy",
        "Russia/war aims",
        "Russia-China ties",
    ]


def test_tree_order_keeps_children_under_their_parent_in_any_case() -> None:
    from tui.store.hierarchy import tree_order

    names = ["Russia-China ties", "Russia/war aims", "nato", "Russia", "russia/economy", "NATO/x"]
    assert sorted(names, key=tree_order) == [
        "nato",
        "NATO/x",
        "Russia",
        "russia/economy",
        "Russia/war aims",
        "Russia-China ties",
    ]
