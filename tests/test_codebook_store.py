"""The codebook in the store: seeding once, merging an imported codebook, undo of tag edits,
and the schema-2 migration that made room for article metadata."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import orjson
import pytest

from tui.config import BUNDLED_SEEDS, Workspace, starter_codebook
from tui.corpus import load_article
from tui.errors import UserError
from tui.export.codebook import STARTER_CODEBOOK, codebook_file_for, read_codebook, seed_codebook
from tui.store import AnnotationStore, Tag
from tui.store import storage as storage_module

ARTICLE = "001_5b2a99fe7e84453b"


@pytest.fixture(scope="module")
def text(tmp_path_factory: pytest.TempPathFactory) -> str:
    cache = tmp_path_factory.mktemp("cache")
    return load_article(BUNDLED_SEEDS / f"{ARTICLE}.txt", cache=cache).text


def tag_passage(store: AnnotationStore, text: str, quote: str, *tags: str) -> str:
    start = text.index(quote)
    return store.add(ARTICLE, start, start + len(quote), text, list(tags)).id


def test_the_starter_codebook_loads_into_a_new_store_exactly_once(tmp_path: Path) -> None:
    db = tmp_path / "work" / "store.json"
    first, second = AnnotationStore(db, "alice"), AnnotationStore(db, "bob")
    starter = read_codebook(STARTER_CODEBOOK)
    assert seed_codebook(first, STARTER_CODEBOOK) == len(starter) >= 8
    assert seed_codebook(second, STARTER_CODEBOOK) == 0  # another session, same file
    assert seed_codebook(first, STARTER_CODEBOOK) == 0
    assert {t.name: t for t in second.tags()} == {t.name: t for t in starter}
    for tag in list(first.tags()):
        first.delete_tag(tag.name)
    assert first.tags() == []
    # Deleting every tag is respected.
    assert seed_codebook(AnnotationStore(db, "carol"), STARTER_CODEBOOK) == 0
    assert first.codebook_seeded and AnnotationStore(db, "carol").tags() == []


def test_seeding_is_not_on_the_undo_stack(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "s.json", "alice")
    seed_codebook(store, STARTER_CODEBOOK)
    assert store.undo() is None
    assert len(store.tags()) == len(read_codebook(STARTER_CODEBOOK))


def test_a_store_that_already_has_tags_is_not_seeded(tmp_path: Path, text: str) -> None:
    store = AnnotationStore(tmp_path / "s.json", "alice")
    tag_passage(store, text, "Putin", "Mine")
    assert seed_codebook(store) == 0
    assert [t.name for t in store.tags()] == ["Mine"]


def test_a_codebook_next_to_the_store_wins_over_the_project_one(tmp_path: Path) -> None:
    db = tmp_path / "s.json"
    seeds_space = Workspace(BUNDLED_SEEDS, db, "alice", tmp_path / "cache")
    assert codebook_file_for(db) is None  # the seeds' starter is for their workspace only
    assert starter_codebook(seeds_space) == STARTER_CODEBOOK
    local = tmp_path / "codebook.yaml"
    local.write_text(
        "format: marginalia-codebook/1\n"
        "codebook:\n"
        "- {name: Local/one, color: ansi_cyan, key: 4, description: here}\n",
        encoding="utf-8",
    )
    assert codebook_file_for(db) == local == starter_codebook(seeds_space)
    store = AnnotationStore(db, "alice")
    assert seed_codebook(store) == 1
    assert store.tags() == [Tag("Local/one", "ansi_cyan", 4, "here")]


def test_a_malformed_codebook_names_file_and_line_and_loads_nothing(tmp_path: Path) -> None:
    local = tmp_path / "codebook.yaml"
    local.write_text(
        "format: marginalia-codebook/1\ncodebook:\n"
        "- name: Fine\n  key: 1\n- name: Bad\n  key: 12\n",
        encoding="utf-8",
    )
    store = AnnotationStore(tmp_path / "s.json", "alice")
    with pytest.raises(UserError) as caught:
        seed_codebook(store)
    assert str(caught.value).startswith(f"{local}: line 6: `key` must be a digit from 1 to 9")
    assert store.tags() == [] and not store.path.exists()


def test_import_codebook_merges_by_name_and_twice_changes_nothing(
    tmp_path: Path, text: str
) -> None:
    store = AnnotationStore(tmp_path / "s.json", "alice")
    store.create_tag("NATO", color="ansi_blue", key=3, description="ours")
    store.create_tag("Costs of war", color="ansi_green", key=5)
    incoming = [
        Tag("NATO", "ansi_bright_blue", None, ""),  # no key, no description: keep ours
        Tag("Sanctions", "", 5, "new"),  # takes key 5 from "Costs of war"
    ]
    assert store.import_codebook(incoming) == 3
    assert store.tag("NATO") == Tag("NATO", "ansi_bright_blue", 3, "ours")
    assert store.tag("Sanctions").key == 5 and store.tag("Sanctions").color  # a colour given
    assert store.tag("Costs of war").key is None
    before = store.path.read_bytes(), store.journal_path.read_bytes()
    assert store.import_codebook(incoming) == 0
    assert (store.path.read_bytes(), store.journal_path.read_bytes()) == before
    assert store.undo() is not None  # the first import was one undoable change
    assert store.tag("NATO") == Tag("NATO", "ansi_blue", 3, "ours")
    assert store.tag("Sanctions") is None and store.tag("Costs of war").key == 5


def test_import_codebook_refuses_a_bad_tag_before_writing(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "s.json", "alice")
    with pytest.raises(UserError, match="not one of 1-9"):
        store.import_codebook([Tag("Fine"), Tag("Bad", key=11)])
    with pytest.raises(UserError, match="not a colour"):
        store.import_codebook([Tag("Bad", color="red; rm -rf")])
    assert store.tags() == []


def test_a_tag_differing_from_another_only_in_case_is_refused(tmp_path: Path, text: str) -> None:
    """`nato` beside `NATO` would split one code in two; the message names the one to use."""
    store = AnnotationStore(tmp_path / "s.json", "alice")
    store.create_tag("NATO")
    store.create_tag("Russia/war aims")
    twin = "differs from the existing 'NATO' only in case; use 'NATO'"
    with pytest.raises(UserError, match=twin):
        store.create_tag("nato")
    with pytest.raises(UserError, match=twin):
        tag_passage(store, text, "Trump", "Nato")
    with pytest.raises(UserError, match="'russia' differs from the existing 'Russia'"):
        store.create_tag("russia/economy")  # a parent spelled otherwise counts too
    with pytest.raises(UserError, match=twin):
        store.import_codebook([Tag("nato")])
    with pytest.raises(UserError, match=twin):
        store.rename_tag("Russia/war aims", "nato/x")
    with pytest.raises(UserError, match=twin):
        store.merge_tags("Russia/war aims", "nato/x")  # merging into a new name is creating it
    with pytest.raises(UserError, match=twin):
        store.import_records([], [Tag("nato", "ansi_red")])  # `marginalia import`
    with pytest.raises(UserError, match="not a colour name"):
        store.import_records([], [Tag("Other", "aliceblue")])
    assert [tag.name for tag in store.tags()] == ["NATO", "Russia/war aims"]
    store.rename_tag("NATO", "Nato")  # a tag may change its own capitals
    assert [tag.name for tag in store.tags()] == ["Nato", "Russia/war aims"]


def test_undo_of_a_rename_restores_every_annotation(tmp_path: Path, text: str) -> None:
    store = AnnotationStore(tmp_path / "s.json", "alice")
    ids = [
        tag_passage(store, text, "Putin", "Russia/war aims", "Leaders"),
        tag_passage(store, text, "Moscow", "Russia"),
        tag_passage(store, text, "Xi Jinping", "Russia/China ties/Xi"),
        tag_passage(store, text, "Beijing", "Places"),
    ]
    store.bind_key("Russia/war aims", 1)
    before = {i: store.get(i) for i in ids}
    assert store.rename_tag("Russia", "Kremlin") == 3
    assert store.get(ids[2]).tags == ("Kremlin/China ties/Xi",)
    assert store.tag("Kremlin/war aims").key == 1
    assert store.undo() == "undid: rename 'Russia' to 'Kremlin'"
    assert {i: store.get(i) for i in ids} == before
    assert {t.name for t in store.tags()} >= {"Russia/war aims", "Russia/China ties/Xi"}
    assert store.tag("Kremlin/war aims") is None and store.tag("Russia/war aims").key == 1
    fresh = AnnotationStore(store.path, "bob")  # what is on disk agrees
    assert {i: fresh.get(i) for i in ids} == before


def test_a_schema_1_store_is_migrated_to_2_with_a_backup(tmp_path: Path, text: str) -> None:
    db = tmp_path / "s.json"
    start = text.index("Putin")
    record = {"id": "b" * 32, "article": ARTICLE, "start": start, "end": start + 5,
              "quote": "Putin", "tags": ["Russia"], "author": "old"}  # fmt: skip
    old = {
        "_meta": {"schema": {"format": "marginalia-store", "version": 1, "generation": "g1"}},
        "annotations": {"b" * 32: record},
        "tags": {"Russia": {"color": "ansi_red", "key": 1, "description": ""}},
    }
    original = json.dumps(old).encode()
    db.write_bytes(original)
    store = AnnotationStore(db, "alice")
    assert [a.id for a in store.annotations()] == ["b" * 32]
    assert db.read_bytes() == original  # reading alone never writes
    store.set_article_meta(ARTICLE, title="Corrected")
    assert db.with_name(db.name + ".v1.bak").read_bytes() == original
    migrated = orjson.loads(db.read_bytes())
    assert migrated["_meta"]["schema"]["version"] == storage_module.SCHEMA_VERSION == 2
    assert migrated["articles"][ARTICLE]["title"] == "Corrected"
    assert AnnotationStore(db, "bob").article_meta(ARTICLE).title == "Corrected"


def test_a_store_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "s.json"
    newer = b'{"_meta": {"schema": {"format": "marginalia-store", "version": 3}}}'
    db.write_bytes(newer)
    with pytest.raises(UserError, match="newer marginalia"):
        AnnotationStore(db, "alice").tags()
    assert db.read_bytes() == newer


def test_tag_totals_count_each_annotation_once_per_tree_node(tmp_path: Path, text: str) -> None:
    store = AnnotationStore(tmp_path / "s.json", "alice")
    tag_passage(store, text, "Putin", "Russia/war aims", "Russia/economy/oil")
    tag_passage(store, text, "Moscow", "Russia")
    tag_passage(store, text, "Beijing", "Places")
    assert store.tag_totals() == {
        "Russia": 2,
        "Russia/war aims": 1,
        "Russia/economy": 1,  # implied by its child, never defined itself
        "Russia/economy/oil": 1,
        "Places": 1,
    }
    assert store.tag_counts()["Russia"] == 1  # own tag only, as before


def _seed_in_another_process(db: str) -> int:
    return seed_codebook(AnnotationStore(Path(db), "worker"), STARTER_CODEBOOK)


def test_sessions_starting_at_once_seed_exactly_once(tmp_path: Path) -> None:
    db = tmp_path / "s.json"
    context = multiprocessing.get_context("spawn")
    with context.Pool(3) as pool:
        added = pool.map(_seed_in_another_process, [str(db)] * 3)
    assert sorted(added) == [0, 0, len(read_codebook(STARTER_CODEBOOK))]
    assert len(AnnotationStore(db, "x").tags()) == max(added)
