"""A YAML export is a project backup: its `codebook:` holds every tag, codes not yet applied
included, with colour, key and description; `marginalia import` into a fresh store rebuilds
them, and importing again changes nothing. Filtered by tag, it holds the tags within the
filter (and those the excerpts carry)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from test_analysis_support import write_workspace

from tui.cli import main
from tui.store import AnnotationStore
from tui.store.model import Tag

UNUSED = (
    Tag("stance/hawkish", "ansi_bright_red", 7, "Calls for more force.\nSecond line: yes"),
    Tag("stance", "ansi_bright_blue", None, "How the article leans: *not* a [link](x)"),
    Tag("tone", "ansi_bright_magenta", 8, "Not applied yet either."),
)


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[AnnotationStore, list[str]]:
    coded, flags = write_workspace(tmp_path)
    for tag in UNUSED:
        coded.store.create_tag(tag.name, color=tag.color, key=tag.key, description=tag.description)
    corpus_and_user = [flag for flag in flags if flag != str(coded.store.path)]
    corpus_and_user.remove("--db")
    return coded.store, corpus_and_user


def export(store: AnnotationStore, flags: list[str], target: Path, *more: str) -> list[Tag]:
    argv = ["export", "--format", "yaml", "-o", str(target), *more]
    assert main([*argv, "--db", str(store.path), *flags]) == 0
    document = yaml.safe_load(target.read_text(encoding="utf-8"))
    return [Tag(e["name"], e["color"], e["key"], e["description"]) for e in document["codebook"]]


def test_an_unfiltered_export_carries_the_whole_codebook(
    workspace: tuple[AnnotationStore, list[str]], tmp_path: Path
) -> None:
    store, flags = workspace
    written = export(store, flags, tmp_path / "all.yaml")
    assert sorted(written, key=lambda t: t.name) == sorted(store.tags(), key=lambda t: t.name)
    assert set(UNUSED) <= set(written)


def test_a_round_trip_into_a_fresh_store_keeps_unused_tags_and_reimport_changes_nothing(
    workspace: tuple[AnnotationStore, list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store, flags = workspace
    path = tmp_path / "backup.yaml"
    export(store, flags, path)
    fresh = tmp_path / "fresh" / "store.json"
    capsys.readouterr()
    assert main(["import", str(path), "--db", str(fresh), *flags]) == 0
    out = capsys.readouterr().out
    assert "new tags:" in out and "tone" in out
    rebuilt = {tag.name: tag for tag in AnnotationStore(fresh, "x").tags()}
    for tag in store.tags():
        assert rebuilt[tag.name] == tag, tag.name
    before = fresh.read_bytes()
    assert main(["import", str(path), "--db", str(fresh), *flags]) == 0
    again = capsys.readouterr().out
    assert again.splitlines()[0].endswith(": 0 added, 0 updated, 8 unchanged, 0 conflicts")
    assert "new tags" not in again and "took the file's values" not in again
    assert fresh.read_bytes() == before


def test_reimport_into_the_exporting_store_keeps_its_own_definitions(
    workspace: tuple[AnnotationStore, list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A tag edited here after the export keeps this store's description: the file's older
    definition neither overwrites it nor counts as a new tag."""
    store, flags = workspace
    path = tmp_path / "backup.yaml"
    export(store, flags, path)
    store.describe_tag("tone", "Edited after the export.")
    assert main(["import", str(path), "--db", str(store.path), *flags]) == 0
    assert "new tags" not in capsys.readouterr().out
    edited = store.tag("tone")
    assert edited is not None and edited.description == "Edited after the export."


def test_a_tag_filtered_export_carries_the_tags_within_the_filter(
    workspace: tuple[AnnotationStore, list[str]], tmp_path: Path
) -> None:
    store, flags = workspace
    written = {tag.name for tag in export(store, flags, tmp_path / "s.yaml", "--tag", "stance")}
    assert {"stance", "stance/hawkish"} <= written and "tone" not in written
    written = {tag.name for tag in export(store, flags, tmp_path / "r.yaml", "--tag", "Russia")}
    # Russia's passages and the codes they also carry (sanctions), nothing unused outside.
    assert {"Russia", "Russia/war aims", "sanctions"} <= written
    assert not written & {tag.name for tag in UNUSED}


def test_an_unused_tag_named_alike_but_for_capitals_does_not_refuse_the_import(
    workspace: tuple[AnnotationStore, list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The whole codebook brings `Tone`, used by no passage, into a store that says `tone`:
    the store's tag stays, the rest goes in (the store refused the whole file)."""
    store, flags = workspace
    path = tmp_path / "backup.yaml"
    export(store, flags, path)
    other = AnnotationStore(tmp_path / "other.json", "bob")
    other.create_tag("TONE", description="the other team's")
    capsys.readouterr()
    assert main(["import", str(path), "--db", str(other.path), *flags]) == 0
    out = capsys.readouterr().out
    assert "8 added" in out and "'TONE' for 'tone'" in out
    names = {tag.name for tag in other.tags()}
    assert "tone" not in names and {"TONE", "stance/hawkish"} <= names


def test_the_codebook_rule_by_format(workspace: tuple[AnnotationStore, list[str]]) -> None:
    """YAML and REFI-QDA carry the codebook (within a tag filter when there is one);
    Markdown and CSV, one-way, name the codes their excerpts carry."""
    from tui.export.excerpts import store_excerpts
    from tui.export.formats import tags_for_export

    store, _ = workspace
    excerpts = store_excerpts(store, lambda _: None)
    used = {name for excerpt in excerpts for name in excerpt.annotation.tags}
    every = {tag.name for tag in store.tags()}
    for fmt in ("yaml", "refi"):
        assert {t.name for t in tags_for_export(fmt, excerpts, store.tags())} == every
        within = {t.name for t in tags_for_export(fmt, excerpts, store.tags(), ["stance/"])}
        assert within == used | {"stance", "stance/hawkish"}
    for fmt in ("markdown", "csv"):
        assert {t.name for t in tags_for_export(fmt, excerpts, store.tags())} == used


def test_a_used_tag_named_alike_but_for_capitals_still_refuses_the_import(
    workspace: tuple[AnnotationStore, list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store, flags = workspace
    path = tmp_path / "backup.yaml"
    export(store, flags, path)
    other = AnnotationStore(tmp_path / "other.json", "bob")
    other.create_tag("Sanctions")
    capsys.readouterr()
    assert main(["import", str(path), "--db", str(other.path), *flags]) == 2
    err = capsys.readouterr().err
    assert f"{path}: tag 'sanctions' differs from the existing 'Sanctions' only in case" in err
    assert [tag.name for tag in other.tags()] == ["Sanctions"]
