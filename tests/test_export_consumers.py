"""Our exports read back with the receiving tools' own rules (issue 13): ruamel.yaml (YAML 1.2),
the W3C test suite's collection and page schemas, REFI-QDA with unique code names, Hypothesis."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema
import yaml
from test_export_support import SEED_000, SEED_001, annotated_store

from tui.errors import UserError
from tui.export.csv_format import read_csv, to_csv
from tui.export.excerpts import codebook_tags, store_excerpts, used_tags
from tui.export.markdown_format import to_markdown
from tui.export.parse import read_import
from tui.export.refi_format import NAMESPACE, unique_code_names
from tui.export.render import render
from tui.export.w3c_format import annotation_iri, article_iri, to_w3c
from tui.export.yaml_format import to_yaml
from tui.inert import UNSAFE
from tui.store import Tag

ruamel_yaml = pytest.importorskip("ruamel.yaml")  # the `test` extra; a consumer, not a runtime dep
EXPORTED = "2026-11-21T12:00:00Z"


# -- YAML 1.2 (ruamel.yaml) -------------------------------------------------------------------


def test_yaml_loaded_and_dumped_by_ruamel_imports_the_same_work(tmp_path: Path) -> None:
    """Issue 13.5: ruamel writes `yes` and `off` plain (strings in YAML 1.2); we read 1.2."""
    store, articles = annotated_store(tmp_path)
    excerpts = store_excerpts(store, articles.get)
    ours = to_yaml(excerpts, used_tags(excerpts, store.tags()), exported=EXPORTED)
    rt = ruamel_yaml.YAML()  # round-trip mode, YAML 1.2, as a researcher's script would use it
    document = rt.load(ours)
    document["articles"][0]["excerpts"][0]["tags"].append("off")
    buffer = io.StringIO()
    rt.dump(document, buffer)
    theirs = buffer.getvalue()
    assert "yes]" in theirs or "yes," in theirs or "- yes" in theirs  # written plain by ruamel
    path = tmp_path / "ruamel.yaml"
    path.write_text(theirs, encoding="utf-8")
    back = {a.id: a for a in read_import(path).annotations}
    changed = document["articles"][0]["excerpts"][0]["id"]
    for annotation in store.annotations():
        expected = annotation.tags + (("off",) if annotation.id == changed else ())
        assert back[annotation.id].tags == expected
        assert back[annotation.id].note == annotation.note
    assert any("yes" in a.tags for a in back.values())


@pytest.mark.parametrize(
    ("value", "expected"),
    [("yes", "yes"), ("off", "off"), ("NO", "NO"), ("on", "on"), ("1:30", "1:30")],
)
def test_yaml_1_1_only_words_and_numbers_are_text(
    tmp_path: Path, value: str, expected: str
) -> None:
    path = tmp_path / "hand.yaml"
    path.write_text(
        "format: marginalia-excerpts/1\narticles:\n- id: art\n  excerpts:\n"
        f"  - id: abc\n    quote: Hello\n    start: 0\n    end: 5\n    tags: [{value}]\n"
        f"    note: {value}\n",
        encoding="utf-8",
    )
    annotation = read_import(path).annotations[0]
    assert annotation.tags == (expected,)
    assert annotation.note == expected


def test_yaml_1_2_booleans_and_octal_still_mean_what_they_say(tmp_path: Path) -> None:
    path = tmp_path / "hand.yaml"
    head = "format: marginalia-excerpts/1\narticles:\n- id: art\n  excerpts:\n"
    path.write_text(
        head + "  - id: abc\n    quote: Hello\n    start: 0o0\n    end: 0x5\n    tags: true\n",
        encoding="utf-8",
    )
    with pytest.raises(UserError, match=r"line 9: .*boolean"):
        read_import(path)
    path.write_text(head + "  - id: abc\n    quote: Hello\n    start: 0o0\n    end: 0x5\n")
    assert (read_import(path).annotations[0].start, read_import(path).annotations[0].end) == (0, 5)


# -- W3C: the test suite's collection and page rules ------------------------------------------

W3C_SCHEMAS = Path(__file__).resolve().parent / "schemas" / "w3c-annotation-tests"
COLLECTION_MUSTS = [  # collections/collectionMusts.test
    "5.1-collectionContextValidated.json", "5.1-collectionIdValidated.json",
    "5.1-collectionTypeValidated.json", "5.1-collectionLabelValidated.json",
    "5.1-collectionTotalValidated.json", "5.1-collectionFirstValidated.json",
    "5.1-collectionLastValidated.json", "3.3.1-collectionCreatedValidated.json",
    "3.3.1-collectionModifiedValidated.json", "3.3.6-collectionRightsValidated.json",
]  # fmt: skip
PAGE_MUSTS = [  # collections/pages/pageMusts.test
    "5.2-pageContextValidated.json", "5.2-pageIdValidated.json", "5.2-pageTypeValidated.json",
    "5.2-pageItemsValidated.json", "5.2-pageStartIndexValidated.json",
    "5.2-pagePartOfValidated.json", "5.2-pageNextValidated.json", "5.2-pagePrevValidated.json",
    "5.2-pageTotalValidated.json", "5.2-pageLabelValidated.json", "5.2-pageFirstValidated.json",
    "5.2-pageLastValidated.json", "3.3.1-pageCreatedValidated.json",
    "3.3.1-pageModifiedValidated.json", "3.3.6-pageRightsValidated.json",
]  # fmt: skip


def _suite_errors(document: dict, assertions: list[str]) -> list[str]:
    """Run the suite's Draft 4 assertions as its harness does: `$ref`s resolve by file name."""
    jsonschema = pytest.importorskip("jsonschema")
    referencing = pytest.importorskip("referencing")
    from referencing.jsonschema import DRAFT4

    schemas = {p.name: json.loads(p.read_text("utf-8")) for p in W3C_SCHEMAS.glob("*.json")}
    registry = referencing.Registry().with_resources(
        (name, DRAFT4.create_resource(schema)) for name, schema in schemas.items()
    )
    errors = []
    for name in assertions:
        validator = jsonschema.Draft4Validator(
            schemas[name], registry=registry, format_checker=jsonschema.FormatChecker()
        )
        errors += [f"{name}: {e.message}" for e in validator.iter_errors(document)]
    return errors


def test_w3c_collection_and_page_pass_the_test_suites_musts(tmp_path: Path) -> None:
    """Issue 13.3: "'id' is a required property" for both, before."""
    store, articles = annotated_store(tmp_path)
    document = json.loads(to_w3c(store_excerpts(store, articles.get), exported=EXPORTED))
    assert _suite_errors(document, COLLECTION_MUSTS) == []
    assert _suite_errors(document, PAGE_MUSTS) == []
    assert document["first"]["partOf"] == document["id"] != document["first"]["id"]
    # The checks can fail: the old shape, without ids, does.
    del document["id"], document["first"]["id"]
    assert _suite_errors(document, COLLECTION_MUSTS)
    assert _suite_errors(document, PAGE_MUSTS)


def test_w3c_target_is_the_articles_url_and_times_end_in_z(tmp_path: Path) -> None:
    store, articles = annotated_store(tmp_path)
    url = "https://www.wilsoncenter.org/blog-post/ukraine-talks"
    store.set_article_meta(SEED_000, url=url)
    a = next(a for a in store.annotations() if a.article == SEED_001)
    store.import_records(
        [replace(a, created="2026-11-21T10:00:00+00:00", updated="2026-11-21T12:00:00+01:00")],
        [],
    )
    excerpts = store_excerpts(store, articles.get)
    items = json.loads(to_w3c(excerpts, exported=EXPORTED))["first"]["items"]
    by_id = {item["id"]: item for item in items}
    for excerpt in excerpts:
        item = by_id[annotation_iri(excerpt.annotation.id)]
        urn = article_iri(excerpt.annotation.article)
        expected = url if excerpt.annotation.article == SEED_000 else urn
        assert item["target"]["source"] == expected
        assert item["target"]["scope"]["id"] == urn  # our own id kept
        assert item["created"].endswith("Z") and item["modified"].endswith("Z")
    assert by_id[annotation_iri(a.id)]["modified"] == "2026-11-21T11:00:00Z"
    # and our import still finds every article
    path = tmp_path / "w3c.jsonld"
    path.write_text(to_w3c(excerpts, exported=EXPORTED), encoding="utf-8")
    assert {b.article for b in read_import(path).annotations} == {SEED_000, SEED_001}


# -- the article's own details, a block of their own in every format (issue 13.7) -------------


def test_every_text_format_carries_the_articles_author_apart_from_the_coder(
    tmp_path: Path,
) -> None:
    store, articles = annotated_store(tmp_path)  # coded by alice
    url = "https://www.wilsoncenter.org/blog-post/ukraine-talks"
    store.set_article_meta(SEED_000, author="Mary Glantz", date="2025-02-03", url=url)
    excerpts = store_excerpts(store, articles.get)
    tags = used_tags(excerpts, store.tags())

    document = yaml.safe_load(to_yaml(excerpts, tags, exported=EXPORTED))
    group = next(g for g in document["articles"] if g["id"] == SEED_000)
    assert (group["author"], group["date"], group["url"]) == ("Mary Glantz", "2025-02-03", url)
    assert {e["author"] for e in group["excerpts"]} == {"alice"}

    rows = read_csv(to_csv(excerpts))
    mine = [r for r in rows if r["article"] == SEED_000]
    assert {(r["article_author"], r["article_date"], r["article_url"]) for r in mine} == {
        ("Mary Glantz", "2025-02-03", url)
    }
    assert {r["author"] for r in mine} == {"alice"}

    markdown = to_markdown(excerpts)
    assert "coded by alice" in markdown and ", by alice" not in markdown
    block = markdown[markdown.index("## Articles") :]
    assert "  - author: Mary Glantz" in block and "  - date: 2025-02-03" in block

    items = json.loads(to_w3c(excerpts, exported=EXPORTED))["first"]["items"]
    scopes = [i["target"]["scope"] for i in items if i["target"]["source"] == url]
    assert scopes and all(s["creator"] == {"type": "Person", "name": "Mary Glantz"} for s in scopes)
    assert all(i["creator"]["name"] == "alice" for i in items)


# -- REFI-QDA: the schema, plus what QualCoder's importer needs (issue 13.1, 13.2) ------------

REFI_SCHEMA = Path(__file__).resolve().parent / "schemas" / "Project.xsd"
Q = {"q": NAMESPACE}


def _project(data: bytes) -> tuple[zipfile.ZipFile, ET.Element]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    qde = archive.read("project.qde")
    xmlschema.XMLSchema(REFI_SCHEMA).validate(io.BytesIO(qde))
    return archive, ET.fromstring(qde)


def _codings_by_name(root: ET.Element) -> list[tuple[str, str | None]]:
    """(quote, code) as a tool that looks codes up by name sees them: a name held by two codes
    maps to neither (what QualCoder did: 3 of 7 codings came in with no code)."""
    names: dict[str, list[str]] = {}
    for code in root.iter(f"{{{NAMESPACE}}}Code"):
        names.setdefault(code.get("name"), []).append(code.get("guid"))
    name_of = {g[0]: name for name, g in names.items() if len(g) == 1}
    return [
        (selection.get("name"), name_of.get(ref.get("targetGUID")))
        for selection in root.iter(f"{{{NAMESPACE}}}PlainTextSelection")
        for ref in selection.iter(f"{{{NAMESPACE}}}CodeRef")
    ]


def test_refi_code_names_are_unique_so_no_coding_loses_its_code(tmp_path: Path) -> None:
    store, articles = annotated_store(tmp_path)
    text = articles[SEED_001].text
    for phrase, tags in [
        ("Trump", ["Trump/dealmaker"]),
        ("Putin", ["Putin/dealmaker", "Russia"]),
        ("Xi", ["Negotiating positions/Russia"]),
    ]:
        start = text.index(phrase)
        store.add(SEED_001, start, start + len(phrase), text, tags)
    excerpts = store_excerpts(store, articles.get)
    result = render(excerpts, codebook_tags(excerpts, store.tags()), fmt="refi")
    _, root = _project(result.data)
    names = [code.get("name") for code in root.iter(f"{{{NAMESPACE}}}Code")]
    assert len(names) == len(set(names))
    codings = _codings_by_name(root)
    assert codings and all(code is not None for _, code in codings)
    assert ("Trump", "dealmaker (Trump)") in codings and ("Putin", "dealmaker (Putin)") in codings
    assert ("Putin", "Russia") in codings and ("Xi", "Russia (Negotiating positions)") in codings
    # ... and the summary says so
    assert any("'Trump/dealmaker'" in note and "dealmaker (Trump)" in note for note in result.notes)


def test_unique_code_names_never_collide_with_a_real_name() -> None:
    paths = [("a", "x"), ("b", "x"), ("x (a)",), ("x",)]
    names = unique_code_names(paths)
    assert len(set(names.values())) == len(paths)
    assert names[("x",)] == "x"


def test_refi_sources_have_creator_variables_an_id_name_and_the_whole_codebook(
    tmp_path: Path,
) -> None:
    store, articles = annotated_store(tmp_path)
    url = "https://www.wilsoncenter.org/blog-post/ukraine-talks"
    store.set_article_meta(
        SEED_000, title="Talks 2025/26: who wants what", author="Mary Glantz", date="2025-02-03",
        url=url,
    )  # fmt: skip
    store.create_tag("Not yet applied", description="kept in the codebook")
    excerpts = store_excerpts(store, articles.get)
    archive, root = _project(
        render(excerpts, codebook_tags(excerpts, store.tags()), fmt="refi").data
    )
    users = {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", Q)}
    variables = {
        v.get("guid"): (v.get("name"), v.get("typeOfVariable"))
        for v in root.iterfind("q:Variables/q:Variable", Q)
    }
    for source in root.iterfind("q:Sources/q:TextSource", Q):
        assert users[source.get("creatingUser")] == "alice"
        assert source.get("creationDateTime", "").endswith("Z")
        assert source.get("name") in (SEED_000, SEED_001)  # a file name without `/`
        archive.read(source.get("plainTextPath").replace("internal://", "sources/"))
        values = {
            variables[v.find("q:VariableRef", Q).get("targetGUID")][0]: v[1].text
            for v in source.iterfind("q:VariableValue", Q)
        }
        if source.get("name") == SEED_000:
            assert values == {
                "title": "Talks 2025/26: who wants what", "author": "Mary Glantz",
                "source": "Kennan Institute", "date": "2025-02-03", "url": url,
            }  # fmt: skip
    assert ("date", "Date") in variables.values()
    codes = {c.get("name"): c for c in root.iter(f"{{{NAMESPACE}}}Code")}
    assert codes["Not yet applied"].find("q:Description", Q).text == "kept in the codebook"


# -- bidi overrides and C1 controls: escaped in the file, exact after reading (issue 11.1) ----

TROJAN = "price \u202eSUR\u202c rose \u2067iso\u2069 \x85nel \x9b1m \u2028ls"


def test_bidi_and_c1_are_escapes_in_yaml_and_json_and_read_back_exactly(tmp_path: Path) -> None:
    store, articles = annotated_store(tmp_path)
    a = store.annotations()[0]
    store.import_records([replace(a, note=TROJAN)], [])
    excerpts = store_excerpts(store, articles.get)
    # (the store keeps no bidi in a description; an imported codebook file might)
    tags = [*codebook_tags(excerpts, store.tags()), Tag("Trojan", description=TROJAN)]
    for name, text in (
        ("work.yaml", to_yaml(excerpts, tags, exported=EXPORTED)),
        ("work.jsonld", to_w3c(excerpts, exported=EXPORTED)),
    ):
        assert UNSAFE.search(text.replace("\n", "")) is None, name
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        back = {b.id: b for b in read_import(path).annotations}
        assert back[a.id].note == TROJAN
    document = yaml.safe_load(to_yaml(excerpts, tags, exported=EXPORTED))
    assert {t["name"]: t["description"] for t in document["codebook"]}["Trojan"] == TROJAN
    _, root = _project(render(excerpts, tags, fmt="refi").data)
    descriptions = [d.text for d in root.iter(f"{{{NAMESPACE}}}Description")]
    assert TROJAN in descriptions
