"""CSV, W3C JSON-LD, REFI-QDA and Markdown exports, and the filters every format shares."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema
from test_export_support import SEED_000, SEED_001, annotated_store, article_from_text

from tui.corpus.model import Article
from tui.errors import UserError
from tui.export.csv_format import BOM, COLUMNS, guard_cell, read_csv, to_csv, unguard_cell
from tui.export.excerpts import (
    Excerpt,
    ExportFilter,
    parse_since,
    select_excerpts,
    store_excerpts,
    used_tags,
)
from tui.export.formats import default_filename
from tui.export.markdown_format import escape_inline, to_markdown
from tui.export.refi_format import NAMESPACE, guid, to_qdpx
from tui.export.render import render, write_atomically
from tui.export.w3c_format import CONTEXT, to_w3c
from tui.store import Annotation, AnnotationStore, Tag

# The REFI-QDA 1.0 schema, copied from ../shared/refi-qda so the tests run wherever the
# checkout sits.
SCHEMA = Path(__file__).resolve().parent / "schemas" / "Project.xsd"
EXPORTED = "2026-11-21T12:00:00Z"


Work = tuple[AnnotationStore, dict[str, Article], list[Excerpt], list[Tag]]


@pytest.fixture
def work(tmp_path: Path) -> Work:
    store, articles = annotated_store(tmp_path)
    excerpts = store_excerpts(store, articles.get)
    return store, articles, excerpts, used_tags(excerpts, store.tags())


# -- CSV --------------------------------------------------------------------------------------


def test_csv_reads_back_to_the_same_rows(work: Work) -> None:
    _, articles, excerpts, _ = work
    text = to_csv(excerpts)
    assert text.startswith(BOM + ",".join(COLUMNS) + "\r\n")
    rows = read_csv(text)
    # One row per excerpt and tag; the untagged excerpt has one row with an empty tag.
    assert len(rows) == sum(max(1, len(e.annotation.tags)) for e in excerpts) == 7
    expected = [
        (e.annotation.id, tag, e.annotation.quote, e.annotation.note, str(e.annotation.start))
        for e in excerpts
        for tag in e.annotation.tags or ("",)
    ]
    assert [(r["id"], r["tag"], r["quote"], r["note"], r["start"]) for r in rows] == expected
    zelensky = next(r for r in rows if r["quote"] == "Volodymyr Zelensky")
    assert zelensky["note"] == "line one\nline two"
    assert zelensky["title"] == articles[SEED_000].title


def test_csv_guards_formulas_but_reads_them_back(work: Work) -> None:
    _, _, excerpts, _ = work
    text = to_csv(excerpts, bom=False)
    assert not text.startswith(BOM)
    assert ",'=SUM(A1)," in text  # a spreadsheet shows it, never evaluates it
    assert any(row["tag"] == "=SUM(A1)" for row in read_csv(text))
    # "-2" left this list: a minus before a digit is data now (issue 13.6), see below.
    for value in ["=1+1", "+cmd", "-cmd", "-", "@x", "\tx", "'quoted", "''", "plain", ""]:
        assert unguard_cell(guard_cell(value)) == value
        assert not guard_cell(value).startswith(("=", "+", "-", "@", "\t"))


def test_csv_keeps_a_leading_minus_before_a_digit_or_space(work: Work) -> None:
    """Issue 13.6: `-5% ...` is data; guarding it made the quote longer than its offsets."""
    _, _, excerpts, _ = work
    a = excerpts[0].annotation
    for quote in ("-5% of output was lost", "- a dash, then prose", "-12"):
        excerpt = replace(excerpts[0], annotation=replace(a, quote=quote, end=a.start + len(quote)))
        row = read_csv(to_csv([excerpt]))[0]
        assert row["quote"] == quote
        assert int(row["end"]) - int(row["start"]) == len(row["quote"])
        raw_row = next(csv.DictReader(io.StringIO(to_csv([excerpt], bom=False))))
        assert raw_row["quote"] == quote  # no apostrophe for anyone to strip


def test_csv_raw_writes_cells_exactly(work: Work) -> None:
    _, _, excerpts, _ = work
    a = excerpts[0].annotation
    hostile = replace(a, quote="=SUM(A1)\u202e", note="\x1b[31mred")
    text = to_csv([replace(excerpts[0], annotation=hostile)], raw=True)
    row = next(csv.DictReader(io.StringIO(text.removeprefix(BOM))))
    assert (row["quote"], row["note"]) == (hostile.quote, hostile.note)
    guarded = next(
        csv.DictReader(
            io.StringIO(to_csv([replace(excerpts[0], annotation=hostile)]).removeprefix(BOM))
        )
    )
    assert guarded["quote"] != hostile.quote  # the default still guards


# -- W3C --------------------------------------------------------------------------------------


def test_w3c_carries_both_selectors_bodies_creator_and_dates(work: Work) -> None:
    _, articles, excerpts, _ = work
    document = json.loads(to_w3c(excerpts, exported=EXPORTED))
    assert document["@context"] == CONTEXT
    assert document["type"] == "AnnotationCollection"
    items = document["first"]["items"]
    assert document["total"] == len(items) == 4
    for item, excerpt in zip(items, excerpts, strict=True):
        a = excerpt.annotation
        assert (
            item["id"]
            == f"urn:uuid:{a.id[:8]}-{a.id[8:12]}-{a.id[12:16]}-{a.id[16:20]}-{a.id[20:]}"
        )
        selectors = {s["type"]: s for s in item["target"]["selector"]}
        text = articles[a.article].text
        position = selectors["TextPositionSelector"]
        quote = selectors["TextQuoteSelector"]
        assert text[position["start"] : position["end"]] == quote["exact"] == a.quote
        assert text[: position["start"]].endswith(quote["prefix"])
        assert text[position["end"] :].startswith(quote["suffix"])
        tags = [b["value"] for b in item["body"] if b["purpose"] == "tagging"]
        notes = [b["value"] for b in item["body"] if b["purpose"] == "commenting"]
        assert tags == list(a.tags)
        assert notes == ([a.note] if a.note else [])
        assert item["creator"] == {"type": "Person", "name": "alice"}
        assert item["created"] == a.created and item["modified"] == a.updated


# -- REFI-QDA ---------------------------------------------------------------------------------


def _qde(data: bytes) -> tuple[zipfile.ZipFile, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return archive, archive.read("project.qde")


def test_refi_validates_and_positions_point_into_the_sources(work: Work) -> None:
    _, articles, excerpts, tags = work
    result = to_qdpx(excerpts, tags, exported=EXPORTED)
    archive, qde = _qde(result.data)
    assert qde.startswith(b'<?xml version="1.0" encoding="utf-8"?>')  # no BOM before it
    xmlschema.XMLSchema(SCHEMA).validate(io.BytesIO(qde))
    names = archive.namelist()
    assert names[0] == "project.qde"
    assert all(name.startswith("sources/") for name in names[1:]) and len(names) == 3
    ns = {"q": NAMESPACE}
    root = ET.fromstring(qde)
    for source in root.iterfind("q:Sources/q:TextSource", ns):
        path = source.get("plainTextPath", "").replace("internal://", "sources/")
        raw = archive.read(path)
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
        text = raw.decode("utf-8")
        assert text in (articles[SEED_000].text, articles[SEED_001].text)
        for selection in source.iterfind("q:PlainTextSelection", ns):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert text[start:end].startswith(selection.get("name"))
    # Hierarchical tags become nested codes; every coding points at a code.
    russia = root.find("q:CodeBook/q:Codes/q:Code[@name='Russia']", ns)
    assert russia is not None
    assert russia.find("q:Code", ns).get("name") == "war aims"
    codes = {code.get("guid") for code in root.iter(f"{{{NAMESPACE}}}Code")}
    refs = {ref.get("targetGUID") for ref in root.iter(f"{{{NAMESPACE}}}CodeRef")}
    assert refs <= codes and guid("code", "Russia/war aims") in refs


def test_a_parent_only_a_path_implies_is_structure_in_projects_and_codebooks() -> None:
    from tui.export.codebook import codebook_qdc
    from tui.export.refi_format import add_codes

    tags = [Tag("Economic leverage/sanctions", "ansi_red"), Tag("NATO")]
    codes = ET.Element("Codes")
    guids = add_codes(codes, tags, str)
    parent = codes.find("Code[@name='Economic leverage']")
    assert parent is not None and parent.get("isCodable") == "false"
    child = parent.find("Code[@name='sanctions']")
    assert child is not None and child.get("isCodable") == "true"
    assert guids == {
        "Economic leverage/sanctions": guid("code", "Economic leverage/sanctions"),
        "NATO": guid("code", "NATO"),
    }
    assert b'name="Economic leverage" isCodable="false"' in codebook_qdc(tags)


def test_refi_reexport_differs_only_in_export_time(work: Work) -> None:
    _, _, excerpts, tags = work
    # Pinned: a changed namespace would change every GUID and break diffs with old exports.
    assert guid("article", SEED_001) == "3f3fe5f0-9870-52b1-aa8e-031d1243043b"
    first = to_qdpx(excerpts, tags, exported=EXPORTED).data
    assert to_qdpx(excerpts, tags, exported=EXPORTED).data == first
    later = to_qdpx(excerpts, tags, exported="2026-12-01T00:00:00Z").data
    _, a = _qde(first)
    _, b = _qde(later)
    assert a.replace(b"2026-11-21T12:00:00Z", b"") == b.replace(b"2026-12-01T00:00:00Z", b"")


def test_refi_leaves_out_orphans_and_says_so(work: Work) -> None:
    store, articles, _, tags = work
    text = articles[SEED_001].text.replace("strengthening their relationship", "drifting apart")
    changed = {**articles, SEED_001: article_from_text(SEED_001, text)}
    excerpts = store_excerpts(store, changed.get)
    result = to_qdpx(excerpts, tags, exported=EXPORTED)
    orphan = next(e for e in excerpts if e.annotation.anchor == "orphaned")
    assert result.skipped == (orphan.annotation.id,)
    _, qde = _qde(result.data)
    xmlschema.XMLSchema(SCHEMA).validate(io.BytesIO(qde))
    assert guid("annotation", orphan.annotation.id).encode() not in qde


def test_refi_survives_hostile_strings() -> None:
    text = "Plain \x00 text"  # a control character that XML 1.0 cannot carry
    article = article_from_text("a", text, title="<b>&title\x01")
    annotation = Annotation(
        id="x" * 32, article="a", start=0, end=5, quote="Plain", tags=("]]>", "a/b"),
        note="\x0bnote </Description>", author="\x07bob", created="not a time",
    )  # fmt: skip
    excerpts = select_excerpts([annotation], {"a": article})
    _, qde = _qde(to_qdpx(excerpts, used_tags(excerpts, []), exported=EXPORTED).data)
    xmlschema.XMLSchema(SCHEMA).validate(io.BytesIO(qde))
    root = ET.fromstring(qde)
    # (the selection's Description: the TextSource now has one too, issue 13.2)
    note = root.find(f".//{{{NAMESPACE}}}PlainTextSelection/{{{NAMESPACE}}}Description")
    assert note.text == "\ufffdnote </Description>"


# -- Markdown ---------------------------------------------------------------------------------


def test_markdown_groups_by_tag_with_article_paragraph_and_note(work: Work) -> None:
    _, articles, excerpts, _ = work
    text = to_markdown(excerpts)
    assert "## Russia/war aims\n" in text
    assert "## \\=SUM(A1)\n" in text  # a line starting with = would underline a heading
    assert "> Volodymyr Zelensky" in text
    paragraph = next(e.paragraph for e in excerpts if e.annotation.quote == "Volodymyr Zelensky")
    title = escape_inline(articles[SEED_000].title)
    assert (
        f"— *{title}*, paragraph {paragraph} (Kennan Institute), coded by alice" in text
    )  # issue 13.7
    assert "line one\\\nline two" in text
    assert text.index("## Excerpts without tags") > text.index("## yes")


@pytest.mark.parametrize(
    ("raw", "rendered"),
    [
        ("*bold* _it_ `code`", "\\*bold\\* \\_it\\_ \\`code\\`"),
        ("[link](http://x)", "\\[link\\](http://x)"),
        ("<script>&amp;", "\\<script>\\&amp;"),
        ("# not a heading", "\\# not a heading"),
        ("> not a quote", "\\> not a quote"),
        ("- not a list", "\\- not a list"),
        ("12. not a list", "12\\. not a list"),
        ("    not code", "&#32;   not code"),
        ("a | b ~~c~~ $x$", "a \\| b \\~\\~c\\~\\~ \\$x\\$"),
    ],
)
def test_markdown_escapes_data(raw: str, rendered: str) -> None:
    assert escape_inline(raw) == rendered


# -- filters, shared by every format ----------------------------------------------------------


def _quotes(work: Work, export_filter: ExportFilter) -> set[str]:
    store, articles, _, _ = work
    return {e.annotation.quote for e in store_excerpts(store, articles.get, export_filter)}


def test_filters(work: Work) -> None:
    assert _quotes(work, ExportFilter(tags=("Russia",))) == {
        "Volodymyr Zelensky",
        "strengthening their relationship",  # tagged Russia/war aims: a child of Russia
    }
    assert _quotes(work, ExportFilter(tags=("Russia/war aims",))) == {
        "strengthening their relationship"
    }
    assert _quotes(work, ExportFilter(tags=("Russ",))) == set()
    assert len(_quotes(work, ExportFilter(articles=(SEED_001,)))) == 2
    assert _quotes(work, ExportFilter(authors=("bob",))) == set()
    assert len(_quotes(work, ExportFilter(authors=("alice",)))) == 4
    assert len(_quotes(work, ExportFilter(since=parse_since("2000-01-01")))) == 4
    assert _quotes(work, ExportFilter(since=datetime(2999, 1, 1, tzinfo=UTC))) == set()
    both = ExportFilter(tags=("yes",), articles=(SEED_000,))
    assert _quotes(work, both) == set()


def test_since_accepts_dates_and_times_and_refuses_junk() -> None:
    assert parse_since("2026-11-21") == datetime(2026, 11, 21, tzinfo=UTC)
    assert parse_since("2026-11-21T12:30Z") == datetime(2026, 11, 21, 12, 30, tzinfo=UTC)
    assert parse_since("2026-11-21T12:30") == datetime(2026, 11, 21, 12, 30, tzinfo=UTC)
    with pytest.raises(UserError, match="--since 'last week'"):
        parse_since("last week")


# -- rendering and writing --------------------------------------------------------------------


def test_render_every_format_and_write_atomically(work: Work, tmp_path: Path) -> None:
    _, _, excerpts, tags = work
    now = datetime(2026, 11, 21, 12, 0, 0, tzinfo=UTC)
    for fmt in ("yaml", "markdown", "csv", "w3c", "refi"):
        rendered = render(excerpts, tags, fmt=fmt, exported=EXPORTED)
        assert rendered.count == 4
        target = tmp_path / "exports" / default_filename(fmt, now)
        write_atomically(target, rendered.data, make_folder=True)
        assert target.read_bytes() == rendered.data
    assert default_filename("yaml", now) == "export-20261121-120000.yaml"
    assert sorted(p.name for p in (tmp_path / "exports").iterdir()) == [
        "export-20261121-120000.csv",
        "export-20261121-120000.jsonld",
        "export-20261121-120000.md",
        "export-20261121-120000.qdpx",
        "export-20261121-120000.yaml",
    ]
    with pytest.raises(UserError, match="is a folder"):
        write_atomically(tmp_path / "exports", b"x")
    typo = tmp_path / "exprots" / "work.yaml"  # a folder typed wrong is not made
    with pytest.raises(UserError, match=r"the folder .*exprots does not exist"):
        write_atomically(typo, b"x")
    assert not typo.parent.exists()
    with pytest.raises(UserError, match="unknown export format 'pdf'"):
        render(excerpts, tags, fmt="pdf")  # type: ignore[arg-type]


def test_lone_surrogates_are_refused_naming_the_annotation(work: Work) -> None:
    _, _, excerpts, tags = work
    broken = replace(excerpts[0], annotation=replace(excerpts[0].annotation, note="bad \ud800"))
    for fmt in ("yaml", "markdown", "csv", "w3c", "refi"):
        with pytest.raises(UserError, match=f"lone surrogate.*{broken.annotation.id}"):
            render([broken, *excerpts[1:]], tags, fmt=fmt, exported=EXPORTED)  # type: ignore[arg-type]


# -- the format registry ----------------------------------------------------------------------


def test_the_registry_lists_every_format_once_with_a_writer_that_loads() -> None:
    import importlib
    from typing import get_args

    from tui.export.formats import BY_NAME, FORMATS, REGISTRY, Format

    assert get_args(Format) == FORMATS and len(BY_NAME) == len(REGISTRY)
    suffixes = [suffix for spec in REGISTRY for suffix in spec.suffixes]
    assert len(suffixes) == len(set(suffixes))  # one format per file ending
    for spec in REGISTRY:
        module, _, function = spec.writer.partition(":")
        assert callable(getattr(importlib.import_module(module), function)), spec.name


def test_cli_choices_and_import_refusals_come_from_the_registry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main
    from tui.export.formats import REGISTRY
    from tui.export.parse import read_import

    with pytest.raises(SystemExit):
        main(["export", "--help"])
    shown = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    assert "{" + ",".join(spec.name for spec in REGISTRY) + "}" in shown
    for spec in REGISTRY:
        assert f"{spec.name} ({spec.help})" in shown
        if spec.importable:
            continue
        path = tmp_path / f"work{spec.suffixes[0]}"
        path.write_bytes(b"article,start,end\n")
        with pytest.raises(UserError, match=f"a {spec.kind} export cannot be imported back"):
            read_import(path)


def test_a_binary_format_is_refused_on_standard_output_naming_its_extension(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.cli import main
    from tui.export.formats import REGISTRY

    monkeypatch.setenv("MARGINALIA_CACHE", str(tmp_path / "cache"))
    for spec in (spec for spec in REGISTRY if spec.binary):
        code = main(["export", "--format", spec.name, "--db", str(tmp_path / "a.json")])
        assert code == 2
        assert f"-o work.{spec.extension}" in capsys.readouterr().err
