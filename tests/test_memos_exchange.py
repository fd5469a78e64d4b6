"""Memos in the exports (YAML with import, Markdown, REFI-QDA), the `memo` command and the
corpus search (issue 17)."""

from __future__ import annotations

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
from tui.export.excerpts import ExportFilter, store_excerpts, store_memos, used_tags
from tui.export.importer import import_file
from tui.export.markdown_format import escape_inline, to_markdown
from tui.export.parse import read_import
from tui.export.refi_format import NAMESPACE, guid, to_qdpx
from tui.export.yaml_format import to_yaml
from tui.store import AnnotationStore
from tui.store.memos import PROJECT

EXPORTED = "2026-11-21T12:00:00Z"
REFI_SCHEMA = Path(__file__).resolve().parent / "schemas" / "Project.xsd"
# Damaged, hostile and YAML-special text a memo may hold.
HOSTILE = "null\n: x\n# not a heading\n<script>alert(1)</script> *[x](y)*\nyes  \n\u202eevil"


@pytest.fixture
def work(tmp_path: Path) -> tuple[AnnotationStore, dict]:
    store, articles = annotated_store(tmp_path)
    store.memos.add(PROJECT, "Codebook v2: split costs into human and economic.")
    store.memos.add(SEED_001, HOSTILE)
    store.memos.add(SEED_000, "Zelensky framed as a negotiator.")
    return store, articles


def test_yaml_carries_memos_and_import_restores_them(work: tuple, tmp_path: Path) -> None:
    store, articles = work
    excerpts = store_excerpts(store, articles.get)
    memos = store_memos(store)
    text = to_yaml(excerpts, used_tags(excerpts, store.tags()), exported=EXPORTED, memos=memos)
    document = yaml.safe_load(text)
    assert {m["text"] for m in document["memos"]} == {m.text for m in store.memos.list()}
    assert "\u202e" not in text  # written escaped: the file is inert in a terminal
    path = tmp_path / "memos.yaml"
    path.write_text(text, encoding="utf-8")
    assert set(read_import(path).memos) == set(store.memos.list())

    fresh = AnnotationStore(tmp_path / "fresh.json", "bob")
    report = import_file(path, fresh, lambda a: articles[a].text, articles.get)
    assert set(fresh.memos.list()) == set(store.memos.list())
    assert any("memos: 3 added or updated" in line for line in report.summary())
    again = import_file(path, fresh, lambda a: articles[a].text, articles.get)
    assert any("0 added or updated, 3 kept" in line for line in again.summary())
    fresh.undo()  # the second import changed nothing; the first is one undo for its memos
    assert fresh.memos.list() == []


def test_import_keeps_a_newer_memo_and_takes_a_newer_file(work: tuple, tmp_path: Path) -> None:
    store, articles = work
    memo = store.memos.list(SEED_000)[0]
    path = tmp_path / "old.yaml"
    path.write_text(to_yaml([], [], exported=EXPORTED, memos=[memo]), encoding="utf-8")
    edited = store.memos.edit(memo.id, "edited after the export")
    import_file(path, store, lambda a: articles[a].text, articles.get)
    assert store.memos.get(memo.id) == edited  # the store's is newer
    soon = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    newer = [type(memo)(memo.id, memo.article, "the file's, newer", "carol", memo.created, soon)]
    path.write_text(to_yaml([], [], exported=EXPORTED, memos=newer), encoding="utf-8")
    import_file(path, store, lambda a: articles[a].text, articles.get)
    assert store.memos.get(memo.id).text == "the file's, newer"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("memo", "expected"),
    [
        ("{id: m1}", "a memo has no `text`"),
        ("{id: m1, text: ''}", "empty"),
        ('{id: m1, text: "\\e\\a"}', "empty"),
        ("{id: m1, text: x, article: [a]}", "must be text"),
        ("{id: m1, text: x, updated: '9999-01-01T00:00:00Z'}", "in the future"),
        ("{id: m1, text: x, colour: red}", "unknown field `colour`"),
        ('{id: "m\\e1", text: x}', "control characters"),
    ],
)
def test_bad_memos_refuse_the_file_with_its_line(tmp_path: Path, memo: str, expected: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(f"format: marginalia-excerpts/1\nmemos:\n- {memo}\n", encoding="utf-8")
    with pytest.raises(Exception, match=f"line 3: .*{expected}"):
        read_import(path)


def test_memo_filters(work: tuple) -> None:
    store, _ = work
    store.set_article_attributes(SEED_001, {"outlet": "Wilson"})
    chosen = store_memos(store, ExportFilter(articles=(SEED_000,)))
    assert {m.article for m in chosen} == {PROJECT, SEED_000}
    chosen = store_memos(store, ExportFilter(attributes=(("outlet", "Wilson"),)))
    assert {m.article for m in chosen} == {PROJECT, SEED_001}
    assert store_memos(store, ExportFilter(authors=("bob",))) == []
    assert len(store_memos(store, ExportFilter(tags=("Russia",)))) == 3  # tags do not apply


def test_markdown_has_a_memos_section_escaped(work: tuple) -> None:
    store, articles = work
    text = to_markdown(store_excerpts(store, articles.get), memos=store_memos(store))
    section = text[text.index("## Memos") :]
    assert section.index("### On the project") < section.index(f"({escape_inline(SEED_000)})")
    assert "Codebook v2" in section
    assert "\\<script>" in section and "<script>" not in section.replace("\\<script>", "")
    assert "\n> \\# not a heading" in section
    assert "\u202e" not in text


def test_refi_notes_validate_and_are_referenced(work: tuple) -> None:
    store, articles = work
    excerpts = store_excerpts(store, articles.get)
    memos = store_memos(store)
    qdpx = to_qdpx(excerpts, used_tags(excerpts, store.tags()), exported=EXPORTED, memos=memos)
    qde = zipfile.ZipFile(io.BytesIO(qdpx.data)).read("project.qde")
    xmlschema.XMLSchema(str(REFI_SCHEMA)).validate(io.BytesIO(qde))
    ns = {"q": NAMESPACE}
    root = ET.fromstring(qde)
    notes = {n.get("guid"): n for n in root.iterfind("q:Notes/q:Note", ns)}
    assert len(notes) == 3
    texts = {n.find("q:PlainTextContent", ns).text for n in notes.values()}  # type: ignore[union-attr]
    assert "Zelensky framed as a negotiator." in texts
    project_refs = [r.get("targetGUID") for r in root.iterfind("q:NoteRef", ns)]
    project_memo = store.memos.list(PROJECT)[0]
    assert project_refs == [guid("memo", project_memo.id)]
    users = {u.get("guid") for u in root.iterfind("q:Users/q:User", ns)}
    for source in root.iterfind("q:Sources/q:TextSource", ns):
        refs = [r.get("targetGUID") for r in source.iterfind("q:NoteRef", ns)]
        wanted = [guid("memo", m.id) for m in store.memos.list(source.get("name"))]
        assert refs == wanted and all(ref in notes for ref in refs)
    assert all(n.get("creatingUser") in users for n in notes.values())


# -- the command line ---------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([*argv, "--db", str(db)])
    out, err = capsys.readouterr()
    return code, out, err


def test_memo_command_add_list_edit_delete(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = workspace / "s.json"
    code, project_id, _ = run(capsys, db, "memo", "--add", "On the project")
    assert code == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("Two\nlines\x1b[31m"))
    code, memo_id, _ = run(capsys, db, "memo", "--article", "001", "--add", "-")
    assert code == 0
    code, out, _ = run(capsys, db, "memo")
    rows = out.splitlines()
    assert len(rows) == 2 and "project" in rows[0] and SEED_001 in rows[1]
    assert "\x1b" not in out and "Two lines[31m" in rows[1]
    code, out, _ = run(capsys, db, "memo", "--article", "001", "--json")
    assert [m["text"] for m in json.loads(out)] == ["Two\nlines[31m"]
    run(capsys, db, "memo", "--edit", memo_id.strip()[:6], "Edited")
    assert AnnotationStore(db, "x").memos.get(memo_id.strip()).text == "Edited"  # type: ignore[union-attr]
    code, _, err = run(capsys, db, "memo", "--delete", "nothing")
    assert code == 2 and "no memo 'nothing'" in err
    code, out, _ = run(capsys, db, "memo", "--delete", project_id.strip())
    assert code == 0 and "deleted memo" in out
    code, _, err = run(capsys, db, "memo", "--add", "")
    assert code == 2 and "empty" in err
    code, out, _ = run(capsys, db, "export", "--format", "markdown")
    assert "## Memos" in out and "Edited" in out


def test_search_lists_memo_hits_as_their_own_kind(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = workspace / "s.json"
    run(capsys, db, "memo", "--add", "Why does Zelensky echo Trump?")
    run(capsys, db, "memo", "--article", "000", "--add", "zelensky\u202e framing")
    code, out, _ = run(capsys, db, "search", "Zelensky")
    assert code == 0
    memo_rows = [row for row in out.splitlines() if row.startswith("memo ")]
    assert len(memo_rows) == 2
    assert any("(project):9-17: Why does [Zelensky] echo" in row for row in memo_rows)
    assert "\u202e" not in out
    code, out, _ = run(capsys, db, "search", "Zelensky", "--article", "001", "--json")
    records = [json.loads(line) for line in out.splitlines()]
    assert not any(r.get("kind") == "memo" for r in records)  # no memo on 001, none of the project
    code, out, _ = run(capsys, db, "search", "framing", "--article", "000", "--json")
    memo_hits = [json.loads(line) for line in out.splitlines() if '"kind":"memo"' in line]
    assert [(h["article"], h["match"]) for h in memo_hits] == [(SEED_000, "framing")]
