"""Team coding in the reader's session, without a terminal (issue 16): blind mode filters every
view of the annotations; compare, settle and undo write only the consensus layer, each
reported as a StoreChange."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_app_support import LEFT, seed_articles

from tui.app.model.session import ReaderSession
from tui.app.model.store_change import StoreChange
from tui.store import AnnotationStore

PUTIN = "Vladimir Putin"


def session_of(db: Path, user: str) -> tuple[ReaderSession, list[StoreChange]]:
    session = ReaderSession(seed_articles(), AnnotationStore(db, user))
    changes: list[StoreChange] = []
    session.on_change = changes.append
    return session, changes


def span(text: str, quote: str, occurrence: int = 0) -> tuple[int, int]:
    start = text.index(quote)
    for _ in range(occurrence):
        start = text.index(quote, start + 1)
    return start, start + len(quote)


@pytest.fixture
def two_coders(db: Path) -> Path:
    """alice and bob on the left seed: both tag the first sentence Russia, alice alone the
    second with China, bob the third with Russia/war aims."""
    for user, sentence, tags in [
        ("alice", 0, ["Russia"]),
        ("bob", 0, ["Russia"]),
        ("alice", 1, ["China"]),
        ("bob", 2, ["Russia/war aims"]),
    ]:
        session, _ = session_of(db, user)
        article = session.article(LEFT)
        assert article is not None
        start, end = article.sentences[sentence]
        session.tag_span(article, start, end, tags)
    return db


def test_blind_shows_only_my_annotations_everywhere(two_coders: Path) -> None:
    session, changes = session_of(two_coders, "bob")
    article = session.article(LEFT)
    assert article is not None
    assert {a.author for a in session.annotations_for(article)} == {"alice", "bob"}
    open_totals = session.tag_totals()
    session.set_blind(True)
    assert changes == [StoreChange(reloaded=True)]  # every screen redraws, filtered
    assert {a.author for a in session.annotations_for(article)} == {"bob"}
    assert {a.author for a in session.all_annotations()} == {"bob"}
    assert session.annotation_count() == 2
    assert session.tag_totals() == {"Russia": 2, "Russia/war aims": 1}
    assert open_totals["Russia"] == 3 and "China" in open_totals
    assert session.export_author == "bob"
    session.set_blind(False)
    assert session.annotation_count() == 4 and session.export_author is None


def test_coders_leave_out_the_consensus_layer(two_coders: Path) -> None:
    session, _ = session_of(two_coders, "consensus")
    article = session.article(LEFT)
    assert article is not None
    session.tag_span(article, 0, 10, ["Russia"])
    assert session.coders() == ["alice", "bob"]


def test_compare_settle_and_undo_write_only_the_consensus(two_coders: Path) -> None:
    session, changes = session_of(two_coders, "carol")
    article = session.article(LEFT)
    assert article is not None
    originals = session.store.annotations()
    differences = session.compare_coders(article, "alice", "bob")
    assert [(d.tag, d.kind) for d in differences] == [
        ("China", "only A"),
        ("Russia/war aims", "only B"),
    ]
    report = session.coder_agreement(article, "alice", "bob")
    # Coded sentences per code, each passage under its most specific tag only: Russia 1 (the
    # first; bob's war aims on the third is not also Russia), China 1, war aims 1.
    assert report.counts.coders == ("alice", "bob") and report.overall.coded_units.units == 3

    china, war_aims = differences
    session.settle(article, china, "A")
    session.settle(article, war_aims, "neither")  # nothing to write: no step to undo
    consensus = session.coder_annotations(article, "consensus")
    assert [(a.start, a.end, a.tags) for a in consensus] == [(*article.sentences[1], ("China",))]
    assert [a.id for a in changes[-2].saved] == [consensus[0].id]  # reported as written

    session.settle(article, china, "B")  # a second decision on the same place replaces it
    assert session.coder_annotations(article, "consensus") == []
    assert session.undo_settle() is not None  # back to A's
    assert [a.tags for a in session.coder_annotations(article, "consensus")] == [("China",)]
    assert session.undo_settle() is not None
    assert session.coder_annotations(article, "consensus") == []
    assert session.undo_settle() is None
    assert changes[-1] == StoreChange(reloaded=True)
    assert [a for a in session.store.annotations() if a.author != "consensus"] == originals


def test_settling_under_another_consensus_name(two_coders: Path) -> None:
    session, _ = session_of(two_coders, "carol")
    article = session.article(LEFT)
    assert article is not None
    china = session.compare_coders(article, "alice", "bob")[0]
    session.settle(article, china, "both", consensus="team-2026")
    assert [a.author for a in session.coder_annotations(article, "team-2026")] == ["team-2026"]
    assert session.coders() == ["alice", "bob", "team-2026"]


def test_a_decision_that_replaces_earlier_consensus_is_one_undo_step_everywhere(
    two_coders: Path,
) -> None:
    """Settling a place again takes the tag off the earlier consensus passage and writes the
    new one: two records, one action in the store's history, so the reader's own `u` (not
    only the compare screen's) takes the whole decision back, and a second store on the same
    folder sees each step whole."""
    for user, cut in (("alice", 0), ("bob", 12)):  # one sentence, two extents: a difference
        session, _ = session_of(two_coders, user)
        article = session.article(LEFT)
        assert article is not None
        start, end = article.sentences[3]
        session.tag_span(article, start + cut, end, ["Economy"])
    carol, _ = session_of(two_coders, "carol")
    article = carol.article(LEFT)
    assert article is not None
    economy = next(d for d in carol.compare_coders(article, "alice", "bob") if d.tag == "Economy")
    assert economy.kind == "extent"
    a_extent, b_extent = [(a.start, a.end) for a in (*economy.a, *economy.b)]

    def consensus_extents(store: AnnotationStore) -> list[tuple[int, int]]:
        return [(a.start, a.end) for a in store.annotations() if a.author == "consensus"]

    carol.settle(article, economy, "A")
    carol.settle(article, economy, "B")  # A's passage loses the tag (and goes), B's is written
    other = AnnotationStore(two_coders, "dave")  # a second store on the same folder
    assert consensus_extents(other) == [b_extent]

    assert carol.undo() == "undid: settle 'Economy': keep B's coding"  # the reader's `u`
    assert consensus_extents(AnnotationStore(two_coders, "dave")) == [a_extent]
    assert carol.undo_settle() is not None  # the compare screen's `u`: the A decision
    assert consensus_extents(AnnotationStore(two_coders, "dave")) == []
    assert carol.redo() == "redid: settle 'Economy': keep A's coding"
    assert consensus_extents(AnnotationStore(two_coders, "dave")) == [a_extent]

    carol.settle(article, economy, "both")
    carol.tag_span(article, *article.sentences[4], ["Diplomacy"])  # a change of another kind
    assert carol.undo_settle() is None  # the last change is not a decision: left alone
    assert any(a.tags == ("Diplomacy",) for a in carol.store.annotations())
