"""The YAML export: design.md's shape, reading order, stable bytes, and strings that come back."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_export_support import SEED_000, SEED_001, annotated_store, article_from_text

from tui.export.csv_format import COLUMNS, read_csv, to_csv
from tui.export.csv_format import rows as csv_rows
from tui.export.excerpts import Excerpt, select_excerpts, store_excerpts, used_tags
from tui.export.importer import import_file
from tui.export.parse import read_import
from tui.export.w3c_format import to_w3c
from tui.export.yaml_format import FORMAT_ID, dump, scalar_style, to_yaml
from tui.inert import inert_lines_in_file
from tui.store import Annotation, AnnotationStore
from tui.store.model import MAX_AUTHOR, MAX_TAG_NAME, Tag

EXPORTED = "2026-11-21T12:00:00Z"

TRICKY = [
    "yes", "No", "ON", "y", "null", "Null", "~", "", "1e3", "0o10", "0x1F", "1_000", ".5",
    "+1", "-", "- a", ": ", "a: b", "#", "a #b", "[a]", "{b: 1}", "'single'", '"double"',
    "2026-11-21", "12:30", "<<", "=", "@x", "`x", "%x", "!x", "&x", "*x", "|", "> x", "?",
    "line\nbreak", "\n", "a\n", "a\n\n", "\nlead", "  indented\nmore", "trailing \nspace",
    "trail ", " lead", "\ttab", "tab\t\nline", "x\x85y", "nel\x85", "ls\u2028ps\u2029",
    "\ufeffbom", "crlf\r\nline", "\x1b[31mred", "\x7f", "emoji 😀🇺🇦", "עברית ומספרים 123",
    "مرحبا", "mixed עברית text", "combining e\u0301", "zero\u200bwidth", "Russia鈥檚",
]  # fmt: skip


@pytest.mark.parametrize("value", TRICKY)
def test_every_tricky_string_round_trips_through_both_loaders(value: str) -> None:
    document = {"note": value, "tags": [value], "nested": {"quote": value}}
    written = dump(document)
    assert yaml.load(written, Loader=yaml.CSafeLoader) == document
    assert yaml.load(written, Loader=yaml.SafeLoader) == document


def test_styles_are_chosen_deliberately() -> None:
    assert scalar_style("Russian war aims") is None
    assert scalar_style("yes") == "'"
    assert scalar_style("1e3") == "'"
    assert scalar_style("Putin said\nmore") == "|"
    # A literal block would lose the space before the break; escapes keep it.
    assert scalar_style("Putin said \nmore") == '"'
    assert scalar_style("x\x85y") == '"'
    written = dump({"quote": "first line\nsecond line"})
    assert written == "quote: |-\n  first line\n  second line\n"


def _export(store: AnnotationStore, articles: dict, by: str = "article") -> str:
    excerpts = store_excerpts(store, articles.get)
    return to_yaml(excerpts, used_tags(excerpts, store.tags()), exported=EXPORTED, by=by)


def test_shape_follows_design(tmp_path: Path) -> None:
    store, articles = annotated_store(tmp_path)
    document = yaml.load(_export(store, articles), Loader=yaml.CSafeLoader)
    assert document["format"] == FORMAT_ID
    assert document["exported"] == EXPORTED
    assert [group["id"] for group in document["articles"]] == [SEED_000, SEED_001]
    group = document["articles"][1]
    assert group["source"] == "Kennan Institute"
    assert group["title"] == articles[SEED_001].title
    starts = [excerpt["start"] for excerpt in group["excerpts"]]
    assert starts == sorted(starts)
    excerpt = group["excerpts"][0]
    assert list(excerpt) == [
        "id", "quote", "tags", "note", "start", "end", "paragraph", "prefix", "suffix",
        "author", "created", "updated", "anchor", "text_hash",
    ]  # fmt: skip
    text = articles[SEED_001].text
    assert excerpt["quote"] == text[excerpt["start"] : excerpt["end"]]
    assert excerpt["tags"] == ["Russia/war aims", "yes"]
    assert excerpt["note"] == "null"
    assert excerpt["anchor"] == "exact"
    # The paragraph is the 1-based line of the seed that holds the passage.
    assert excerpt["paragraph"] == text[: excerpt["start"]].count("\n") + 1
    codebook = {tag["name"]: tag for tag in document["codebook"]}
    assert codebook["Russia/war aims"]["key"] == 1


def test_same_store_gives_same_bytes_and_tags_render_inline(tmp_path: Path) -> None:
    store, articles = annotated_store(tmp_path)
    first = _export(store, articles)
    again = _export(AnnotationStore(store.path, "bob"), articles)
    assert first == again
    assert "tags: [Russia/war aims, 'yes']" in first
    assert "'1e3'" in first and "'=SUM(A1)'" in first


@pytest.mark.parametrize("by", ["article", "tag"])
def test_store_to_yaml_to_empty_store_to_yaml_is_the_same(tmp_path: Path, by: str) -> None:
    store, articles = annotated_store(tmp_path)
    exported = _export(store, articles, by=by)
    path = tmp_path / "export.yaml"
    path.write_text(exported, encoding="utf-8")
    empty = AnnotationStore(tmp_path / "other.json", "carol")
    report = import_file(path, empty, lambda article_id: articles[article_id].text)
    assert len(report.plan.added) == 4
    assert _export(empty, articles, by=by) == exported
    assert empty.tag("Russia/war aims") == store.tag("Russia/war aims")


def test_grouped_by_tag_lists_each_excerpt_under_each_tag_and_keeps_untagged(
    tmp_path: Path,
) -> None:
    store, articles = annotated_store(tmp_path)
    document = yaml.load(_export(store, articles, by="tag"), Loader=yaml.CSafeLoader)
    names = [group["name"] for group in document["tags"]]
    assert names == sorted(names)
    assert set(names) == {
        "1e3",
        "=SUM(A1)",
        "Russia",
        "Russia/war aims",
        "structure: #headings",
        "yes",
    }
    by_name = {group["name"]: group["excerpts"] for group in document["tags"]}
    assert by_name["yes"][0]["id"] == by_name["Russia/war aims"][0]["id"]
    assert by_name["yes"][0]["article"] == SEED_001
    assert [e["note"] for e in document["untagged"]] == ["whole paragraph; no tag"]
    assert "&id" not in _export(store, articles, by="tag")  # no YAML anchors/aliases


def test_orphaned_and_missing_articles_are_exported_not_dropped(tmp_path: Path) -> None:
    store, articles = annotated_store(tmp_path)
    changed = dict(articles)
    text = articles[SEED_001].text.replace("strengthening their relationship", "drifting apart")
    changed[SEED_001] = article_from_text(SEED_001, text)
    del changed[SEED_000]
    document = yaml.load(_export(store, changed), Loader=yaml.CSafeLoader)
    anchors = {
        e["quote"]: (e["anchor"], e["paragraph"])
        for group in document["articles"]
        for e in group["excerpts"]
    }
    assert anchors["strengthening their relationship"] == ("orphaned", None)
    assert anchors["Volodymyr Zelensky"] == ("orphaned", None)
    assert anchors["From Domestic Concerns to Ukraine"][0] == "moved"
    assert len(anchors) == 4


# -- the property: arbitrary text, tags and notes come back exactly ---------------------------

_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),  # lone surrogates are not text
    max_size=40,
)
_name = st.text(  # within what the store accepts for tag and user names
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp")),
    min_size=1,
    max_size=min(MAX_AUTHOR, MAX_TAG_NAME),
).filter(lambda s: s.strip() and all(p.strip() == p and p for p in s.split("/")))


@st.composite
def _annotations(draw: st.DrawFn) -> tuple[str, list[Annotation]]:
    body = draw(st.lists(_text, min_size=1, max_size=4))
    text = "\n".join(body)
    found = []
    for number in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, len(text)))
        found.append(
            Annotation(
                id=f"{number:032x}",
                article="art",
                start=start,
                end=end,
                quote=text[start:end],
                prefix=text[max(0, start - 32) : start],
                suffix=text[end : end + 32],
                tags=tuple(draw(st.lists(_name, max_size=3, unique=True))),
                note=draw(_text),
                author=draw(_name),
                created="2026-11-21T11:58:02.000001Z",
                updated="2026-11-21T11:58:02.000001Z",
            )
        )
    return text, found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sample=_annotations(), by=st.sampled_from(["article", "tag"]))
def test_property_yaml_round_trips_arbitrary_work(
    tmp_path_factory: pytest.TempPathFactory, sample: tuple[str, list[Annotation]], by: str
) -> None:
    text, annotations = sample
    article = article_from_text("art", text)
    excerpts: list[Excerpt] = select_excerpts(annotations, {"art": article})
    tags = [Tag(name) for name in sorted({n for a in annotations for n in a.tags})]
    written = to_yaml(excerpts, tags, exported=EXPORTED, by=by)  # type: ignore[arg-type]
    assert written == to_yaml(excerpts, tags, exported=EXPORTED, by=by)  # type: ignore[arg-type]
    path = tmp_path_factory.mktemp("yaml") / "export.yaml"
    path.write_text(written, encoding="utf-8")
    back = read_import(path)
    assert sorted(back.annotations, key=lambda a: a.id) == sorted(annotations, key=lambda a: a.id)
    assert {tag.name for tag in back.tags} == {tag.name for tag in tags}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sample=_annotations())
def test_property_w3c_and_csv_round_trip_arbitrary_work(
    tmp_path_factory: pytest.TempPathFactory, sample: tuple[str, list[Annotation]]
) -> None:
    text, annotations = sample
    excerpts = select_excerpts(annotations, {"art": article_from_text("art", text)})
    path = tmp_path_factory.mktemp("w3c") / "export.jsonld"
    path.write_text(to_w3c(excerpts, exported=EXPORTED), encoding="utf-8")
    back = read_import(path)
    assert sorted(back.annotations, key=lambda a: a.id) == sorted(annotations, key=lambda a: a.id)
    # A CSV is read in terminals too: its cells carry tui.inert's stand-ins, not controls.
    expected = [
        {key: inert_lines_in_file(str(value)) for key, value in row.items()}
        for row in csv_rows(excerpts)
    ]
    assert read_csv(to_csv(excerpts)) == [{key: row[key] for key in COLUMNS} for row in expected]
