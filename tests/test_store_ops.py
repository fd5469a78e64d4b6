"""What a user does to annotations and tags: add, twins, update, delete, queries, tag ops, undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.config import BUNDLED_SEEDS
from tui.store import Annotation, AnnotationStore, StoreError, Tag, text_digest

ARTICLE = "000_812b4db44989ec20"
TEXT = (BUNDLED_SEEDS / f"{ARTICLE}.txt").read_text(encoding="utf-8")


def span(phrase: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


@pytest.fixture
def store(tmp_path: Path) -> AnnotationStore:
    return AnnotationStore(tmp_path / "annotations" / "marginalia.json", "alice")


def reopen(store: AnnotationStore, user: str = "bob") -> AnnotationStore:
    return AnnotationStore(store.path, user)


def test_missing_store_is_empty_and_not_created(store: AnnotationStore) -> None:
    assert store.annotations() == []
    assert store.tags() == []
    assert not store.path.exists()
    assert not store.path.parent.exists()


def test_add_records_quote_context_author_and_hash(store: AnnotationStore) -> None:
    start, end = span("Volodymyr Zelensky")
    added = store.add(ARTICLE, start, end, TEXT, ["Davos"], note="the setting")
    assert added.quote == "Volodymyr Zelensky"
    assert added.prefix == TEXT[start - 32 : start]
    assert added.suffix == TEXT[end : end + 32]
    assert (added.author, added.note, added.tags) == ("alice", "the setting", ("Davos",))
    assert added.text_hash == text_digest(TEXT)
    assert added.created == added.updated and added.created.endswith("Z")
    assert len(added.id) == 32
    assert reopen(store).get(added.id) == added


def test_same_range_adds_tags_to_existing_annotation(store: AnnotationStore) -> None:
    start, end = span("200,000-strong European peacekeeping force")
    first = store.add(ARTICLE, start, end, TEXT, ["Europe"])
    second = store.add(ARTICLE, start, end, TEXT, ["Military", "Europe"])
    assert second.id == first.id
    assert second.tags == ("Europe", "Military")
    assert len(reopen(store).annotations()) == 1


def test_bad_ranges_are_refused(store: AnnotationStore) -> None:
    for start, end in [(5, 5), (-1, 4), (10, len(TEXT) + 1), (9, 3)]:
        with pytest.raises(StoreError, match="not a passage"):
            store.add(ARTICLE, start, end, TEXT, ["x"])
    assert store.annotations() == []


def test_retag_works_on_the_record_as_stored_and_removes_an_empty_one(
    store: AnnotationStore,
) -> None:
    """A tag taken off in one session keeps what another session added meanwhile."""
    added = store.add(ARTICLE, *span("Davos"), TEXT, ["A", "B"])
    other = reopen(store, "alice")  # the same coder in a second window
    other.add(ARTICLE, *span("Davos"), TEXT, ["C"])  # joins the same annotation
    changed, gone = store.retag(added.id, remove=["B"])  # from the copy read before C came
    assert (changed.tags, gone) == (("A", "C"), False)
    changed, gone = store.retag(added.id, add=["D"], remove=["A", "C"])
    assert (changed.tags, gone) == (("D",), False)
    other.update(added.id, note="keep me")
    changed, gone = store.retag(added.id, remove=["D"])
    assert (changed.tags, changed.note, gone) == ((), "keep me", False)  # the note stays
    store.update(added.id, note="")
    _, gone = store.retag(added.id, remove=["D"])
    assert gone and reopen(store).annotations() == []
    assert store.undo() == "undid: change the tags of an annotation"
    assert [a.id for a in reopen(store).annotations()] == [added.id]


def test_update_tags_note_and_range(store: AnnotationStore) -> None:
    start, end = span("Ukrainian President Volodymyr Zelensky")
    added = store.add(ARTICLE, start, end, TEXT, ["Zelensky"])
    noted = store.update(added.id, note="channelling Trump", tags=["Zelensky", "Rhetoric"])
    assert (noted.note, noted.tags) == ("channelling Trump", ("Zelensky", "Rhetoric"))
    new_start, new_end = span("Volodymyr Zelensky")
    moved = store.update(added.id, start=new_start, end=new_end, text=TEXT)
    assert moved.quote == "Volodymyr Zelensky"
    assert moved.suffix == TEXT[new_end : new_end + 32]
    assert moved.created == added.created and moved.updated >= noted.updated
    with pytest.raises(StoreError, match="needs the article text"):
        store.update(added.id, start=0)
    assert reopen(store).get(added.id) == moved


def test_delete_and_unknown_ids(store: AnnotationStore) -> None:
    added = store.add(ARTICLE, *span("Davos"), TEXT, ["Davos"])
    assert store.delete(added.id) == added
    assert store.get(added.id) is None
    assert reopen(store).annotations() == []
    with pytest.raises(StoreError, match="no annotation"):
        store.delete(added.id)
    with pytest.raises(StoreError, match="no annotation"):
        store.update("nope", note="x")


def test_queries_by_article_tag_children_author_and_text(store: AnnotationStore) -> None:
    a = store.add(ARTICLE, *span("Davos"), TEXT, ["Place"])
    b = store.add(ARTICLE, *span("French Armed Forces"), TEXT, ["Russia/war aims"])
    other_text = "Russia attacked. Russia wants more."
    c = reopen(store, "bob").add("other", 0, 15, other_text, ["Russia"], note="Opening’s line")
    store.refresh()
    assert store.annotations(article="other") == [c]
    assert store.annotations(tag="Russia") == [a for a in [b, c]]
    assert store.annotations(tag="Russia/war aims") == [b]
    assert store.annotations(tag="Russ") == []  # a prefix of a name is not a parent
    assert store.annotations(author="bob") == [c]
    assert store.annotations(text="armed forces") == [b]
    assert store.annotations(text="opening's") == [c]  # notes too; ' finds ’
    assert store.annotations() == sorted(
        [a, b, c], key=lambda x: (x.article, x.start, x.end, x.created)
    )


def test_new_tag_names_join_the_codebook_with_a_colour(store: AnnotationStore) -> None:
    store.add(ARTICLE, *span("Davos"), TEXT, ["Place", "Place/Switzerland"])
    tags = {tag.name: tag for tag in store.tags()}
    assert set(tags) == {"Place", "Place/Switzerland"}
    assert tags["Place"].color and tags["Place"].color != tags["Place/Switzerland"].color
    assert tags["Place/Switzerland"].path == ("Place", "Switzerland")


def test_tag_names_are_validated(store: AnnotationStore) -> None:
    for bad in ["", "  ", "a//b", "/a", "a/", "bad\x1b[31m"]:
        with pytest.raises(StoreError):
            store.create_tag(bad)
    assert store.create_tag(" Russia / war aims ").name == "Russia/war aims"


def test_create_recolour_bind_and_describe(store: AnnotationStore) -> None:
    war = store.create_tag("War", color="#ff0000", key=1, description="fighting")
    assert war == Tag("War", "#ff0000", 1, "fighting")
    with pytest.raises(StoreError, match="already exists"):
        store.create_tag("War")
    peace = store.create_tag("Peace", key=1)  # key 1 moves to Peace
    assert store.tag("War").key is None and peace.key == 1
    assert store.bind_key("War", 2).key == 2
    assert store.bind_key("War", None).key is None
    assert store.recolor_tag("Peace", "ansi_green").color == "ansi_green"
    assert store.describe_tag("Peace", "talks").description == "talks"
    for bad_key in (0, 10, True):
        with pytest.raises(StoreError, match="1-9"):
            store.bind_key("War", bad_key)
    with pytest.raises(StoreError, match="colour"):
        store.recolor_tag("War", "[red]x")
    with pytest.raises(StoreError, match="no tag"):
        store.recolor_tag("Nothing", "red")
    assert reopen(store).tag("Peace") == Tag("Peace", "ansi_green", 1, "talks")


def test_rename_moves_children_and_every_annotation_in_one_write(
    store: AnnotationStore,
) -> None:
    one = store.add(ARTICLE, *span("Davos"), TEXT, ["Russia", "Other"])
    two = store.add(ARTICLE, *span("French Armed Forces"), TEXT, ["Russia/war aims"])
    store.bind_key("Russia/war aims", 3)
    journal_lines = len(store.journal_path.read_bytes().splitlines())
    assert store.rename_tag("Russia", "Kremlin") == 2
    assert len(store.journal_path.read_bytes().splitlines()) == journal_lines + 1
    fresh = reopen(store)
    assert fresh.get(one.id).tags == ("Kremlin", "Other")
    assert fresh.get(two.id).tags == ("Kremlin/war aims",)
    assert {t.name for t in fresh.tags()} == {"Kremlin", "Kremlin/war aims", "Other"}
    assert fresh.tag("Kremlin/war aims").key == 3
    with pytest.raises(StoreError, match="merge"):
        store.rename_tag("Kremlin", "Other")
    with pytest.raises(StoreError, match="no tag"):
        store.rename_tag("Russia", "X")


def test_merge_combines_tags_without_duplicates(store: AnnotationStore) -> None:
    both = store.add(ARTICLE, *span("Davos"), TEXT, ["Putin", "Kremlin"])
    child = store.add(ARTICLE, *span("French Armed Forces"), TEXT, ["Putin/aims"])
    store.bind_key("Putin", 4)
    store.bind_key("Kremlin", None)
    assert store.merge_tags("Putin", "Kremlin") == 2
    assert store.get(both.id).tags == ("Kremlin",)
    assert store.get(child.id).tags == ("Kremlin/aims",)
    assert store.tag("Putin") is None
    assert store.tag("Kremlin").key == 4  # the key followed, Kremlin had none
    with pytest.raises(StoreError, match="own child"):
        store.merge_tags("Kremlin", "Kremlin/aims")


def test_delete_tag_keeps_the_annotations(store: AnnotationStore) -> None:
    added = store.add(ARTICLE, *span("Davos"), TEXT, ["Place/Swiss", "Keep"])
    assert store.delete_tag("Place") == 1
    assert store.get(added.id).tags == ("Keep",)
    assert {t.name for t in store.tags()} == {"Keep"}


def test_undo_and_redo_walk_back_and_forth(store: AnnotationStore) -> None:
    assert store.undo() is None and store.redo() is None
    added = store.add(ARTICLE, *span("Davos"), TEXT, ["Place"])
    store.update(added.id, note="first")
    store.rename_tag("Place", "Location")
    assert "rename" in (store.undo() or "")
    assert store.get(added.id).tags == ("Place",)
    assert "change" in (store.undo() or "")
    assert store.get(added.id).note == ""
    assert "tag" in (store.undo() or "")
    assert store.get(added.id) is None and store.tags() == []
    assert reopen(store).annotations() == []  # undo is written like any change
    assert store.redo() and store.redo() and store.redo()
    assert store.get(added.id).tags == ("Location",)
    assert store.get(added.id).note == "first"
    assert store.redo() is None
    deleted = store.delete(added.id)
    store.undo()
    assert reopen(store).get(added.id) == deleted


def test_undo_leaves_alone_what_someone_else_changed(store: AnnotationStore) -> None:
    added = store.add(ARTICLE, *span("Davos"), TEXT, ["Place"])
    bob = reopen(store, "bob")
    bob.update(added.id, note="bob was here")
    message = store.undo()
    assert message and "left: 1 annotation (changed since by bob: change the note" in message
    assert reopen(store).get(added.id).note == "bob was here"


def test_undoing_the_add_that_made_a_tag_keeps_it_while_someone_else_uses_it(
    store: AnnotationStore,
) -> None:
    store.add(ARTICLE, *span("Davos"), TEXT, ["Brand new"])
    made = store.tag("Brand new")
    assert made is not None and made.key is not None
    bob = reopen(store, "bob")
    bob.add(ARTICLE, *span("French Armed Forces"), TEXT, ["Brand new"])
    message = store.undo()
    assert message == "undid: tag 'Davos'; left: tag 'Brand new' (kept: annotations still carry it)"
    assert reopen(store).tag("Brand new") == made  # colour and key kept for bob's annotation
    assert [a.tags for a in reopen(store).annotations()] == [("Brand new",)]


def test_a_new_change_clears_redo(store: AnnotationStore) -> None:
    added = store.add(ARTICLE, *span("Davos"), TEXT, ["Place"])
    store.update(added.id, note="a")
    store.undo()
    store.update(added.id, note="b")
    assert store.redo() is None
    assert store.get(added.id).note == "b"


def test_refresh_reports_changes_by_other_processes_only_once(store: AnnotationStore) -> None:
    store.add(ARTICLE, *span("Davos"), TEXT, ["Place"])
    store.refresh()
    assert store.refresh() is False
    reopen(store, "bob").add(ARTICLE, *span("Zelensky"), TEXT, ["Person"])
    assert store.refresh() is True
    assert store.refresh() is False
    assert len(store.annotations()) == 2


def test_import_merges_by_id_and_twice_changes_nothing(
    store: AnnotationStore, tmp_path: Path
) -> None:
    source = AnnotationStore(tmp_path / "other.json", "carol")
    first = source.add(ARTICLE, *span("Davos"), TEXT, ["Place"])
    second = source.add(ARTICLE, *span("Zelensky"), TEXT, ["Person"])
    assert store.import_records(source.annotations(), source.tags()) == 2
    assert store.import_records(source.annotations(), source.tags()) == 0
    assert reopen(store).annotations() == [first, second]
    assert reopen(store).tag("Place") == source.tag("Place")
    store.undo()
    assert store.annotations() == []


def test_notes_drop_control_characters_but_keep_newlines(store: AnnotationStore) -> None:
    added = store.add(ARTICLE, *span("Davos"), TEXT, ["Place"], note="line\x1b[2J one\nline\ttwo")
    assert added.note == "line[2J one\nline\ttwo"


def test_annotation_records_round_trip() -> None:
    annotation = Annotation("a" * 32, ARTICLE, 1, 5, "quote", tags=("x", "y/z"))
    assert Annotation.from_record(annotation.to_record()) == annotation


def test_twin_detection_survives_deleting_one_of_two_on_a_range(
    store: AnnotationStore, tmp_path: Path
) -> None:
    """Two of one coder's annotations on one range can arrive by import; deleting one must not
    hide the other."""
    start, end = span("Davos")
    first = store.add(ARTICLE, start, end, TEXT, ["A"])
    elsewhere = AnnotationStore(tmp_path / "other.json", store.user)
    other = elsewhere.add(ARTICLE, start, end, TEXT, ["B"])
    store.import_records([other])
    store.delete(first.id)
    again = store.add(ARTICLE, start, end, TEXT, ["C"])
    assert again.id == other.id and again.tags == ("B", "C")
    assert store.tag_counts() == {"B": 1, "C": 1}


def test_a_colleagues_annotation_on_the_same_range_stays_theirs(store: AnnotationStore) -> None:
    start, end = span("Davos")
    mine = store.add(ARTICLE, start, end, TEXT, ["Place"])
    bob = reopen(store, "bob")
    theirs = bob.add(ARTICLE, start, end, TEXT, ["Propaganda"])
    assert theirs.id != mine.id and theirs.author == "bob" and theirs.tags == ("Propaganda",)
    again = bob.add(ARTICLE, start, end, TEXT, ["Kremlin"])  # bob's own twin: joins it
    assert again.id == theirs.id and again.tags == ("Propaganda", "Kremlin")
    assert reopen(store).get(mine.id).tags == ("Place",)


def test_other_processes_changes_update_the_index_without_a_full_reload(
    store: AnnotationStore,
) -> None:
    kept = store.add(ARTICLE, *span("Davos"), TEXT, ["Place"])
    doomed = store.add(ARTICLE, *span("Zelensky"), TEXT, ["Person"])
    store.refresh()
    reloads = store.whole_reads
    bob = reopen(store, "bob")
    bob.update(kept.id, tags=["Place", "Switzerland"])
    bob.delete(doomed.id)
    bob.bind_key("Place", 5)
    added = bob.add(ARTICLE, *span("French Armed Forces"), TEXT, ["Military"])
    assert store.refresh() is True
    assert store.whole_reads == reloads  # read from the journal tail only
    assert [a.id for a in store.annotations()] == [a.id for a in bob.annotations()]
    assert store.get(kept.id).tags == ("Place", "Switzerland")
    assert store.get(doomed.id) is None and store.get(added.id) == added
    assert store.tag("Place").key == 5
    assert store.tag_counts() == {"Place": 1, "Switzerland": 1, "Military": 1}
    assert store.annotations(article=ARTICLE, tag="Person") == []


def test_emoji_joiners_survive_in_names_and_notes(store: AnnotationStore) -> None:
    family = "👩\u200d👩\u200d👧"
    added = store.add(ARTICLE, *span("Davos"), TEXT, [f"Family {family}"], note=f"{family}\u202e")
    assert added.tags == (f"Family {family}",)
    assert added.note == family  # the joiners stay; the bidi override does not
    with pytest.raises(StoreError, match="control"):
        store.create_tag("evil\u202etag")


def test_names_and_notes_longer_than_an_import_accepts_are_refused(
    store: AnnotationStore, tmp_path: Path
) -> None:
    from tui.store.model import MAX_AUTHOR, MAX_NOTE, MAX_TAG_NAME

    start, end = span("Putin")
    with pytest.raises(StoreError, match="over 500 characters"):
        store.add("a", start, end, TEXT, ["x" * (MAX_TAG_NAME + 1)])
    with pytest.raises(StoreError, match="note of 200,001 characters"):
        store.add("a", start, end, TEXT, ["ok"], note="n" * (MAX_NOTE + 1))
    with pytest.raises(StoreError, match="user name"):
        AnnotationStore(tmp_path / "other.json", "u" * (MAX_AUTHOR + 1))
    assert store.annotations() == []
    longest = store.add("a", start, end, TEXT, ["x" * MAX_TAG_NAME], note="n" * MAX_NOTE)
    assert longest.tags == ("x" * MAX_TAG_NAME,)


def test_merge_keeps_both_descriptions_and_undo_restores_them(store: AnnotationStore) -> None:
    store.add(ARTICLE, *span("Davos"), TEXT, ["Putin", "Kremlin"])
    store.describe_tag("Kremlin", "The Russian presidency as an actor.")
    store.describe_tag("Putin", "Statements by Putin himself.")
    store.merge_tags("Putin", "Kremlin")
    assert store.tag("Kremlin").description == (
        "The Russian presidency as an actor.\nStatements by Putin himself."
    )
    store.undo()
    assert store.tag("Kremlin").description == "The Russian presidency as an actor."
    assert store.tag("Putin").description == "Statements by Putin himself."
