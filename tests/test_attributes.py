"""Article attributes (issue 15): free variables per article, checked, undoable, shared,
carried by every export, read back by import, and usable as filters."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema
import yaml
from test_export_support import SEED_000, SEED_001, annotated_store

from tui.cli import main
from tui.export.csv_format import COLUMNS, read_csv, to_csv
from tui.export.excerpts import ExportFilter, store_excerpts, used_tags
from tui.export.importer import import_file
from tui.export.markdown_format import to_markdown
from tui.export.parse import read_import
from tui.export.refi_format import NAMESPACE, to_qdpx
from tui.export.w3c_format import to_w3c
from tui.export.yaml_format import to_yaml
from tui.store import AnnotationStore
from tui.store.errors import StoreError
from tui.store.model import ArticleMeta
from tui.store.rules import MAX_ATTRIBUTE_VALUE

EXPORTED = "2026-11-21T12:00:00Z"
REFI_SCHEMA = Path(__file__).resolve().parent / "schemas" / "Project.xsd"
# Values a YAML 1.1 reader, a spreadsheet or a Markdown viewer would act on.
TRICKY = {
    "stance": "yes",
    "country": "null",
    "colon": ": x",
    "formula": '=HYPERLINK("http://x")',
    "markup": "*bold* <b>[link](x)</b>",
    "number": "0o10",
}


# -- the store ---------------------------------------------------------------------------------


def test_set_replace_remove_and_undo(db: Path) -> None:
    store = AnnotationStore(db, "alice")
    meta = store.set_article_attributes(SEED_000, {"outlet": " TASS ", "country": "RU"})
    assert meta.attributes == {"outlet": "TASS", "country": "RU"}
    assert meta.by == "alice"
    store.set_article_attributes(SEED_000, {"outlet": "RT", "country": ""})
    assert store.article_meta(SEED_000).attributes == {"outlet": "RT"}
    assert AnnotationStore(db, "bob").article_meta(SEED_000).attributes == {"outlet": "RT"}
    assert store.undo() is not None
    assert store.article_meta(SEED_000).attributes == {"outlet": "TASS", "country": "RU"}
    store.undo()
    assert store.article_metas() == {}  # nothing left set: no record at all
    store.redo()
    assert store.article_meta(SEED_000).attributes == {"outlet": "TASS", "country": "RU"}


def test_details_and_attributes_leave_each_other_alone(db: Path) -> None:
    store = AnnotationStore(db, "alice")
    store.set_article_attributes(SEED_000, {"outlet": "TASS"})
    store.set_article_meta(SEED_000, title="A title")
    assert store.article_meta(SEED_000).attributes == {"outlet": "TASS"}
    store.set_article_meta(SEED_000, title="")  # the last detail goes; the attribute stays
    assert store.article_meta(SEED_000).attributes == {"outlet": "TASS"}
    store.set_article_attributes(SEED_000, {"outlet": ""})
    store.set_article_meta(SEED_000, source="Wilson")
    store.set_article_attributes(SEED_000, {"stance": "hawkish"})
    store.set_article_attributes(SEED_000, {"stance": ""})
    assert store.article_meta(SEED_000).overrides == {"source": "Wilson"}


def test_setting_the_same_value_writes_nothing(db: Path) -> None:
    store = AnnotationStore(db, "alice")
    store.set_article_attributes(SEED_000, {"outlet": "TASS"})
    journal = db.with_name(db.name + ".journal")
    before = journal.read_bytes()
    store.set_article_attributes(SEED_000, {"outlet": "TASS", "gone": ""})
    assert journal.read_bytes() == before


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"title": "x"}, "one of the article's own details"),
        ({"URL": "x"}, "one of the article's own details"),
        ({"a=b": "x"}, "holds '='"),
        ({"": "x"}, "attribute name is empty"),
        ({" outlet": "x"}, "starts or ends with a space"),
        ({"out\x1b[31mlet": "x"}, "control or invisible character"),
        ({"out\u202elet": "x"}, "control or invisible character"),
        ({"out\nlet": "x"}, "control or invisible character"),
        ({"n" * 101: "x"}, "over 100 characters"),
        ({"outlet": "two\nlines"}, "line break or control character"),
        ({"outlet": "tab\there"}, "line break or control character"),
        ({"outlet": "NEL\x85here"}, "line break or control character"),
        ({"outlet": "LS\u2028here"}, "line break or control character"),
        ({"outlet": "evil\u202etxt.exe"}, "line break or control character"),
        ({"outlet": "\x1b]0;title\x07"}, "line break or control character"),
        ({"outlet": "x" * 10_240}, f"at most {MAX_ATTRIBUTE_VALUE:,}"),
    ],
)
def test_hostile_names_and_values_are_refused(
    db: Path, changes: dict[str, str], expected: str
) -> None:
    store = AnnotationStore(db, "alice")
    store.set_article_attributes(SEED_000, {"outlet": "TASS"})
    with pytest.raises(StoreError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        store.set_article_attributes(SEED_000, changes)
    assert store.article_meta(SEED_000).attributes == {"outlet": "TASS"}


def test_a_name_in_use_in_another_case_is_refused(db: Path) -> None:
    store = AnnotationStore(db, "alice")
    store.set_article_attributes(SEED_000, {"outlet": "TASS"})
    with pytest.raises(StoreError, match="only in case; use 'outlet'"):
        store.set_article_attributes(SEED_001, {"Outlet": "Wilson"})
    store.set_article_attributes(SEED_001, {"outlet": "Wilson", "joined": "👩\u200d💻"})
    assert store.article_meta(SEED_001).attributes["joined"] == "👩\u200d💻"  # ZWJ is text


def test_an_older_record_without_attributes_reads_as_none() -> None:
    meta = ArticleMeta.from_record(SEED_000, {"title": "T", "updated": "", "by": "x"})
    assert meta.attributes == {}
    weird = ArticleMeta.from_record(SEED_000, {"attributes": {"a": 1, "b": "ok"}})
    assert weird.attributes == {"b": "ok"}


# -- exports -----------------------------------------------------------------------------------


@pytest.fixture
def work(tmp_path: Path) -> tuple[AnnotationStore, dict]:
    store, articles = annotated_store(tmp_path)
    store.set_article_attributes(SEED_000, {"outlet": "TASS", **TRICKY})
    store.set_article_attributes(SEED_001, {"outlet": "Wilson Center"})
    return store, articles


def test_yaml_carries_attributes_and_import_restores_them(work: tuple, tmp_path: Path) -> None:
    store, articles = work
    excerpts = store_excerpts(store, articles.get)
    text = to_yaml(excerpts, used_tags(excerpts, store.tags()), exported=EXPORTED)
    document = yaml.safe_load(text)  # a YAML 1.1 reader: `yes` and `null` must stay strings
    blocks = {group["id"]: group for group in document["articles"]}
    assert blocks[SEED_000]["attributes"] == {"outlet": "TASS", **TRICKY}
    assert blocks[SEED_001]["attributes"] == {"outlet": "Wilson Center"}
    path = tmp_path / "export.yaml"
    path.write_text(text, encoding="utf-8")
    assert read_import(path).attributes[SEED_000] == {"outlet": "TASS", **TRICKY}

    fresh = AnnotationStore(tmp_path / "fresh.json", "bob")
    import_file(path, fresh, lambda a: articles[a].text, articles.get)
    assert fresh.article_meta(SEED_000).attributes == {"outlet": "TASS", **TRICKY}
    assert fresh.article_meta(SEED_001).attributes == {"outlet": "Wilson Center"}


def test_yaml_by_tag_has_each_cited_article_once(work: tuple, tmp_path: Path) -> None:
    """Issue 13 leftover: grouped by tag, the articles' details and attributes are kept."""
    store, articles = work
    store.set_article_meta(SEED_001, author="Jane Doe", url="https://example.org/a")
    excerpts = store_excerpts(store, articles.get)
    text = to_yaml(excerpts, used_tags(excerpts, store.tags()), exported=EXPORTED, by="tag")
    document = yaml.safe_load(text)
    cited = sorted({e.annotation.article for e in excerpts})
    assert [block["id"] for block in document["articles"]] == cited
    assert all("excerpts" not in block for block in document["articles"])
    second = next(block for block in document["articles"] if block["id"] == SEED_001)
    assert (second["author"], second["url"]) == ("Jane Doe", "https://example.org/a")
    assert second["attributes"] == {"outlet": "Wilson Center"}
    path = tmp_path / "by-tag.yaml"
    path.write_text(text, encoding="utf-8")
    parsed = read_import(path)
    assert parsed.articles[SEED_001]["author"] == "Jane Doe"
    assert parsed.attributes[SEED_001] == {"outlet": "Wilson Center"}
    assert {a.id for a in parsed.annotations} == {a.id for a in store.annotations()}
    fresh = AnnotationStore(tmp_path / "fresh.json", "bob")
    import_file(path, fresh, lambda a: articles[a].text, articles.get)
    assert fresh.article_meta(SEED_001).author == "Jane Doe"
    assert fresh.article_meta(SEED_001).attributes == {"outlet": "Wilson Center"}


def test_a_by_tag_article_block_with_excerpts_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "format: marginalia-excerpts/1\narticles:\n- id: a\n  excerpts: []\ntags: []\n",
        encoding="utf-8",
    )
    with pytest.raises(Exception, match="lists excerpts under `tags`"):
        read_import(path)


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        ("[a, b]", "must be a mapping"),
        ("{outlet: [1]}", "must be text"),
        ("{outlet: 12}", "must be text"),
        ("{title: x}", "own details"),
        ('{outlet: "a\\nb"}', "line break"),
        ('{"a\\u202eb": x}', "control or invisible"),
    ],
)
def test_bad_attributes_in_a_file_name_the_line(
    tmp_path: Path, attributes: str, expected: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "format: marginalia-excerpts/1\narticles:\n- id: a\n"
        f"  attributes: {attributes}\n  excerpts: []\n",
        encoding="utf-8",
    )
    with pytest.raises(Exception, match=f"line 4: .*{expected}"):
        read_import(path)


def test_import_newer_wins(work: tuple, tmp_path: Path) -> None:
    store, articles = work
    excerpts = store_excerpts(store, articles.get)
    path = tmp_path / "old.yaml"
    old = "2000-01-01T00:00:00Z"  # written before the store's own edit
    path.write_text(to_yaml(excerpts, [], exported=old), encoding="utf-8")
    store.set_article_attributes(SEED_001, {"outlet": "Kennan", "added": "later"})
    import_file(path, store, lambda a: articles[a].text, articles.get)
    assert store.article_meta(SEED_001).attributes == {"outlet": "Kennan", "added": "later"}
    soon = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    path.write_text(to_yaml(excerpts, [], exported=soon), encoding="utf-8")
    import_file(path, store, lambda a: articles[a].text, articles.get)
    # The file is newer: its value wins; an attribute it lacks is not removed.
    assert store.article_meta(SEED_001).attributes == {"outlet": "Wilson Center", "added": "later"}


def test_csv_has_a_column_per_attribute(work: tuple) -> None:
    store, articles = work
    excerpts = store_excerpts(store, articles.get)
    text = to_csv(excerpts)
    header = next(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert header[: len(COLUMNS)] == list(COLUMNS)  # the fixed columns keep their places
    assert header[len(COLUMNS) :] == sorted(f"article_{n}" for n in ["outlet", *TRICKY])
    rows = read_csv(text)
    first = [row for row in rows if row["article"] == SEED_000]
    second = [row for row in rows if row["article"] == SEED_001]
    assert {row["article_outlet"] for row in first} == {"TASS"}
    assert {row["article_formula"] for row in first} == {TRICKY["formula"]}  # guarded, read back
    assert {row["article_stance"] for row in second} == {""}  # not set: an empty cell
    raw_cells = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    formula_at = header.index("article_formula")
    assert all(not row[formula_at].startswith("=") for row in raw_cells[1:])


def test_markdown_lists_attributes_escaped(work: tuple) -> None:
    store, articles = work
    text = to_markdown(store_excerpts(store, articles.get))
    section = text[text.index("## Articles") :]
    assert "  - outlet: TASS" in section
    assert "  - markup: \\*bold\\* \\<b>\\[link\\](x)\\</b>" in section
    assert "<b>" not in section.replace("\\<b>", "")


def test_w3c_carries_attributes_and_reads_them_back(work: tuple, tmp_path: Path) -> None:
    store, articles = work
    text = to_w3c(store_excerpts(store, articles.get), exported=EXPORTED)
    items = json.loads(text)["first"]["items"]
    scopes = {item["target"]["scope"]["id"]: item["target"]["scope"] for item in items}
    assert any(
        s.get("marginalia:attributes") == {"outlet": "Wilson Center"} for s in scopes.values()
    )
    path = tmp_path / "w3c.jsonld"
    path.write_text(text, encoding="utf-8")
    assert read_import(path).attributes == {
        SEED_000: {"outlet": "TASS", **TRICKY},
        SEED_001: {"outlet": "Wilson Center"},
    }
    fresh = AnnotationStore(tmp_path / "fresh.json", "bob")
    import_file(path, fresh, lambda a: articles[a].text, articles.get)
    assert fresh.article_meta(SEED_001).attributes == {"outlet": "Wilson Center"}


def test_refi_variables_hold_attributes(work: tuple) -> None:
    store, articles = work
    excerpts = store_excerpts(store, articles.get)
    qdpx = to_qdpx(excerpts, used_tags(excerpts, store.tags()), exported=EXPORTED).data
    qde = zipfile.ZipFile(io.BytesIO(qdpx)).read("project.qde")
    xmlschema.XMLSchema(str(REFI_SCHEMA)).validate(io.BytesIO(qde))
    ns = {"q": NAMESPACE}
    root = ET.fromstring(qde)
    variables = {v.get("guid"): v.get("name") for v in root.iterfind("q:Variables/q:Variable", ns)}
    assert {"outlet", *TRICKY} <= set(variables.values())
    for source in root.iterfind("q:Sources/q:TextSource", ns):
        values = {
            variables[value.find("q:VariableRef", ns).get("targetGUID")]: value[1].text
            for value in source.iterfind("q:VariableValue", ns)
        }
        expected = "TASS" if source.get("name") == SEED_000 else "Wilson Center"
        assert values["outlet"] == expected
        if source.get("name") == SEED_000:
            assert values["formula"] == TRICKY["formula"]


def test_export_filter_by_attribute(work: tuple) -> None:
    store, articles = work
    only = ExportFilter(attributes=(("outlet", "tass"),))
    assert {e.annotation.article for e in store_excerpts(store, articles.get, only)} == {SEED_000}
    either = ExportFilter(attributes=(("outlet", "TASS"), ("outlet", "Wilson Center")))
    assert len(store_excerpts(store, articles.get, either)) == len(store.annotations())
    both = ExportFilter(attributes=(("outlet", "TASS"), ("stance", "no")))
    assert store_excerpts(store, articles.get, both) == []
    unset = ExportFilter(attributes=(("stance", ""),))
    assert {e.annotation.article for e in store_excerpts(store, articles.get, unset)} == {SEED_001}


# -- the command line ---------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([*argv, "--db", str(db)])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_set_unset_show_list_and_filter(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = workspace / "s.json"
    code, out, _ = run(capsys, db, "article", "000", "--set", "outlet=TASS", "--set", "c=RU")
    assert code == 0
    assert "  outlet = TASS" in out and "  c = RU" in out
    run(capsys, db, "article", "001", "--set", "outlet=Wilson Center")
    code, out, _ = run(capsys, db, "article", "000", "--unset", "c", "--json")
    assert json.loads(out)["attributes"] == {"outlet": "TASS"}
    code, out, _ = run(capsys, db, "articles")
    assert f"{SEED_000}" in out and "outlet=TASS" in out and "outlet=Wilson Center" in out
    run(capsys, db, "article", "001", "--set", "stance=neutral; leaning=no")
    code, out, _ = run(capsys, db, "articles")  # one value holding '; ' and '=' is quoted
    assert 'outlet=Wilson Center; stance="neutral; leaning=no"' in out
    run(capsys, db, "article", "001", "--unset", "stance")
    code, out, _ = run(capsys, db, "articles", "--attribute", "outlet=wilson center", "--json")
    assert [row["id"] for row in json.loads(out)] == [SEED_001]
    run(capsys, db, "tag", "000", "--quote", "Volodymyr Zelensky", "--tag", "X")
    run(capsys, db, "tag", "001", "--quote", "strengthening their relationship", "--tag", "X")
    code, out, _ = run(capsys, db, "list", "--attribute", "outlet=TASS")
    assert out.count("\n") == 1 and SEED_000 in out
    code, out, _ = run(capsys, db, "export", "--attribute", "outlet=Wilson Center")
    assert [a["id"] for a in yaml.safe_load(out)["articles"]] == [SEED_001]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--set", "outlet"], "write it as NAME=VALUE"),
        (["--set", "title=x"], "own details"),
        (["--set", "x=two\nlines"], "line break"),
        (["--set", "x=\x1b[2J"], "control character"),
    ],
)
def test_cli_refuses_bad_attributes_in_one_line(
    workspace: Path, capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    db = workspace / "s.json"
    code, _, err = run(capsys, db, "article", "000", *argv)
    assert code == 2
    assert expected in err
    assert "\x1b" not in err and err.count("\n") == 1
    assert not db.exists() or AnnotationStore(db, "x").article_metas() == {}


def test_attribute_filter_needs_a_pair(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, workspace / "s.json", "list", "--attribute", "outlet")
    assert code == 2 and "NAME=VALUE" in err


@pytest.mark.parametrize("name", ["yes", "null", "1e3", "- x", ": x", "#x", "~", "[a]", "0o10"])
def test_yaml_special_names_come_back_as_written(tmp_path: Path, name: str) -> None:
    store, articles = annotated_store(tmp_path)
    store.set_article_attributes(SEED_000, {name: "no"})
    excerpts = store_excerpts(store, articles.get)
    path = tmp_path / "x.yaml"
    path.write_text(to_yaml(excerpts, [], exported=EXPORTED), encoding="utf-8")
    assert read_import(path).attributes == {SEED_000: {name: "no"}}
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["articles"][0]["attributes"] == {
        name: "no"
    }
    header = next(csv.reader(io.StringIO(to_csv(excerpts, bom=False))))
    assert header[-1] == f"article_{name}"
