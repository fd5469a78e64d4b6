"""`marginalia tags ...` from the command line: every codebook action, delete's confirmation
paths, the tree listing, export and import."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import xmlschema

from tui.cli import main
from tui.export.codebook import STARTER_CODEBOOK, read_codebook
from tui.store import AnnotationStore, Tag

SEED = "001_5b2a99fe7e84453b"
# The REFI-QDA 1.0 schema, copied from ../shared/refi-qda so the tests run wherever the
# checkout sits.
CODEBOOK_XSD = Path(__file__).resolve().parent / "schemas" / "Codebook.xsd"


class _Terminal(io.StringIO):
    """Standard input as a terminal where the user types `answer`."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def db(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal unless a test says so
    return workspace / "store" / "s.json"


@pytest.fixture
def bare_db(db: Path) -> Path:
    """A store whose folder brings an empty codebook: only the tags a test makes exist."""
    db.parent.mkdir(parents=True)
    (db.parent / "codebook.yaml").write_text(
        "format: marginalia-codebook/1\ncodebook: []\n", encoding="utf-8"
    )
    return db


def run(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([*argv, "--db", str(db)])
    out, err = capsys.readouterr()
    return code, out, err


def tagged(db: Path, capsys: pytest.CaptureFixture[str], quote: str, *tags: str) -> str:
    flags = [item for tag in tags for item in ("--tag", tag)]
    code, out, err = run(capsys, db, "tag", SEED, "--quote", quote, *flags)
    assert code == 0, err
    return out.strip()


def test_a_new_store_lists_the_starter_codebook_as_a_tree(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, db, "tags")
    lines = out.splitlines()
    assert code == 0 and len(lines) == len(read_codebook(STARTER_CODEBOOK)) + 3  # 3 parents
    assert "-  Russia  0 annotations" in lines
    war_aims = lines[lines.index("-  Russia  0 annotations") + 2]
    assert war_aims.startswith("1    war aims  0 annotations  ansi_bright_red  What Moscow")
    code, out, _ = run(capsys, db, "tags")
    assert len(out.splitlines()) == len(lines)  # seeded once, not twice


def test_the_tree_counts_annotations_of_a_tag_and_its_children_once(
    bare_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tagged(bare_db, capsys, "Putin", "Russia/war aims", "Russia/economy")
    tagged(bare_db, capsys, "Moscow", "Russia")
    tagged(bare_db, capsys, "Xi Jinping", "China")
    code, out, _ = run(capsys, bare_db, "tags")
    assert code == 0
    # Colours and quick keys are handed out in order of first use.
    assert out.splitlines() == [
        "4  China  1 annotation  ansi_bright_magenta",
        "3  Russia  2 annotations  ansi_bright_green",  # itself and below, Putin counted once
        "2    economy  1 annotation  ansi_bright_cyan",
        "1    war aims  1 annotation  ansi_bright_yellow",
    ]
    _, out, _ = run(capsys, bare_db, "tags", "--json")
    flat = {r["name"]: r["count"] for r in json.loads(out)}
    assert flat == {
        "China": 1,
        "Russia": 2,
        "Russia/economy": 1,
        "Russia/war aims": 1,
    }  # as the tree


def test_a_description_with_lines_and_escapes_stays_on_its_row(
    bare_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = AnnotationStore(bare_db, "alice")
    store.create_tag("A", description="first line\nsecond \x1b[2J\u202eend")
    store.create_tag("B")
    code, out, _ = run(capsys, bare_db, "tags")
    assert code == 0 and len(out.splitlines()) == 2
    (row,) = [line for line in out.splitlines() if "first line" in line]
    assert "\x1b" not in row and "\u202e" not in row and "second" in row and "end" in row


def test_a_new_tag_gets_the_first_free_quick_key_unless_told_otherwise(
    bare_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, bare_db, "tags", "create", "A", "--key", "1")
    code, out, _ = run(capsys, bare_db, "tags", "create", "B")
    assert (code, out) == (0, "created 'B' (ansi_bright_cyan, key 2)\n")
    run(capsys, bare_db, "tags", "create", "C", "--key", "none")
    tagged(bare_db, capsys, "Putin", "D")  # made by first use, as the reader makes one
    store = AnnotationStore(bare_db, "x")
    assert [(t.name, t.key) for t in store.tags()] == [("A", 1), ("B", 2), ("C", None), ("D", 3)]


def test_create_recolour_bind_describe(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, db, "tags", "create", "Energy/oil", "--colour", "ansi_bright_blue", "--key", "2",
        "--description", "oil and gas revenue",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out == "created 'Energy/oil' (ansi_bright_blue, key 2)\n"
    store = AnnotationStore(db, "x")
    assert store.tag("Energy/oil") == Tag(
        "Energy/oil", "ansi_bright_blue", 2, "oil and gas revenue"
    )
    assert store.tag("Economic leverage/sanctions").key is None  # key 2 moved to the new tag
    code, out, _ = run(capsys, db, "tags", "recolour", "Energy/oil", "#00aa00")
    assert (code, out) == (0, "'Energy/oil' is now #00aa00\n")
    code, out, _ = run(capsys, db, "tags", "bind", "NATO", "2")
    assert out == "key 2 applies 'NATO' (taken from 'Energy/oil')\n"
    code, out, _ = run(capsys, db, "tags", "bind", "NATO", "none")
    assert (code, out) == (0, "'NATO' has no key now\n")
    code, out, _ = run(capsys, db, "tags", "describe", "NATO", "the alliance")
    assert (code, out) == (0, "described 'NATO'\n")
    store = AnnotationStore(db, "x")
    assert store.tag("NATO") == Tag("NATO", "ansi_blue", None, "the alliance")
    assert store.tag("Energy/oil") == Tag("Energy/oil", "#00aa00", None, "oil and gas revenue")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["tags", "create", "NATO"], "tag 'NATO' already exists"),
        (["tags", "create", "X", "--color", "not a colour"], "is not a colour name"),
        (["tags", "recolour", "Nothing", "ansi_red"], "no tag named 'Nothing'"),
        (["tags", "recolour", "NATO", "notacolour"], "is not a colour name"),
        (["tags", "recolour", "NATO", "ansi_bright_purple"], "is not a colour name"),
        (["tags", "recolour", "NATO", "default"], "is not a colour name"),
        (["tags", "bind", "Nothing", "3"], "no tag named 'Nothing'"),
        (["tags", "describe", "A//B", "x"], "empty part"),
        (["tags", "delete", "Nothing"], "no tag named 'Nothing'"),  # not "confirm first"
        (["tags", "merge", "NATO", "NATO"], "cannot merge 'NATO' into itself"),
    ],
)
def test_bad_codebook_actions_exit_2_with_one_line(
    db: Path, capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    run(capsys, db, "tags")  # the starter codebook
    code, out, err = run(capsys, db, *argv)
    assert (code, out) == (2, "")
    assert expected in err and err.count("\n") == 1


def test_an_import_the_codebook_rules_refuse_names_the_file(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, db, "tags")  # the starter codebook: NATO
    codebook = tmp_path / "theirs.yaml"
    codebook.write_text(
        "format: marginalia-codebook/1\ncodebook:\n- name: nato\n  color: ansi_red\n",
        encoding="utf-8",
    )
    excerpts = tmp_path / "theirs-export.yaml"
    excerpts.write_text(
        "format: marginalia-excerpts/1\nexported: '2024-01-01T00:00:00Z'\narticles: []\n"
        "codebook:\n- {name: nato, color: ansi_red, key: null, description: ''}\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, db, "tags", "import", str(codebook))
    assert (code, out) == (2, "")
    assert f"{codebook}: tag 'nato' differs from the existing 'NATO' only in case" in err
    assert err.rstrip().endswith("nothing was imported")
    # An excerpts export's codebook entry no passage uses gives way to the store's tag, named
    # (it refused the file: a whole-codebook export brings every tag of its project); a twin
    # a passage carries is still refused (test_export_whole_codebook.py).
    code, out, err = run(capsys, db, "import", str(excerpts))
    assert (code, err) == (0, "") and "'NATO' for 'nato'" in out
    assert "nato" not in {tag.name for tag in AnnotationStore(db, "x").tags()}


def test_a_bad_key_is_refused_by_the_parser(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["tags", "bind", "NATO", "10", "--db", str(db)])
    assert caught.value.code == 2
    # One line, like every other bad input: the reason, then where the usage is.
    assert capsys.readouterr().err == (
        "marginalia tags bind: argument KEY: '10' is not a key 1-9 (or 0/none for no key) "
        "(see marginalia tags bind --help)\n"
    )


def test_delete_without_a_terminal_needs_yes(
    bare_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tagged(bare_db, capsys, "Putin", "Russia/war aims", "Leaders")
    tagged(bare_db, capsys, "Moscow", "Russia")
    before = bare_db.read_bytes(), bare_db.with_name(bare_db.name + ".journal").read_bytes()
    code, out, err = run(capsys, bare_db, "tags", "delete", "Russia")
    assert (code, out) == (2, "")
    assert "not deleting the tag 'Russia' and its 1 child tag" in err
    assert "on 2 annotations" in err and "--yes" in err
    assert (
        bare_db.read_bytes(),
        bare_db.with_name(bare_db.name + ".journal").read_bytes(),
    ) == before
    code, out, _ = run(capsys, bare_db, "tags", "delete", "Russia", "--yes")
    assert (code, out) == (
        0,
        "deleted the tag 'Russia' and its 1 child tag from 2 annotations\n",
    )
    store = AnnotationStore(bare_db, "x")
    assert sorted(a.tags for a in store.annotations()) == [(), ("Leaders",)]  # both stay
    assert [t.name for t in store.tags()] == ["Leaders"]


def test_delete_on_a_terminal_asks_and_honours_the_answer(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    tagged(db, capsys, "Putin", "Leaders")
    monkeypatch.setattr("sys.stdin", _Terminal("n\n"))
    code, out, err = run(capsys, db, "tags", "delete", "Leaders")
    assert (code, out) == (0, "kept 'Leaders'; nothing was deleted\n")
    assert "Delete the tag 'Leaders'? It is on 1 annotation" in err and "[y/N]" in err
    assert AnnotationStore(db, "x").tag("Leaders") is not None
    monkeypatch.setattr("sys.stdin", _Terminal(""))  # end of input: no
    assert run(capsys, db, "tags", "delete", "Leaders")[1].startswith("kept")
    monkeypatch.setattr("sys.stdin", _Terminal("y\n"))
    code, out, _ = run(capsys, db, "tags", "delete", "Leaders")
    assert (code, out) == (0, "deleted the tag 'Leaders' from 1 annotation\n")
    assert AnnotationStore(db, "x").tag("Leaders") is None


def test_rename_and_merge_still_work_on_the_starter_codebook(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, db, "tags")
    tagged(db, capsys, "Putin", "Russia/war aims")
    code, out, _ = run(capsys, db, "tags", "rename", "Russia", "Kremlin")
    assert (code, out) == (0, "renamed 'Russia' to 'Kremlin' on 1 annotation\n")
    code, out, _ = run(capsys, db, "tags", "merge", "Kremlin/economy", "Costs of war")
    assert code == 0
    names = {t.name for t in AnnotationStore(db, "x").tags()}
    assert "Kremlin/war aims" in names and "Kremlin/economy" not in names
    assert not any(name.startswith("Russia/") for name in names)


def test_export_then_import_into_another_store_and_twice_changes_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, db, "tags")
    run(capsys, db, "tags", "create", "Extra/child", "--key", "5", "--description", "mine")
    other = tmp_path / "other" / "s.json"
    for name in ("book.yaml", "book.qdc"):
        path = tmp_path / name
        code, out, _ = run(capsys, db, "tags", "export", str(path))
        assert (code, out) == (0, f"wrote 13 tags to {path}\n")
        code, out, _ = run(capsys, other, "tags", "import", str(path))
        assert code == 0 and out.startswith(f"{path}: 13 tags, ")
        files = other.read_bytes(), other.with_name(other.name + ".journal").read_bytes()
        code, out, _ = run(capsys, other, "tags", "import", str(path))
        assert (code, out) == (0, f"{path}: 13 tags, 0 created or changed\n")
        assert (other.read_bytes(), other.with_name(other.name + ".journal").read_bytes()) == files
    assert AnnotationStore(other, "x").tags() == AnnotationStore(db, "x").tags()
    xmlschema.XMLSchema(str(CODEBOOK_XSD)).validate(str(tmp_path / "book.qdc"))
    first = (tmp_path / "book.qdc").read_bytes()
    run(capsys, db, "tags", "export", str(tmp_path / "book.qdc"))
    assert (tmp_path / "book.qdc").read_bytes() == first


def test_import_into_a_new_store_does_not_add_the_starter_codebook(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "format: marginalia-codebook/1\ncodebook:\n- {name: Only, color: ansi_red}\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, db, "tags", "import", str(path))
    assert (code, out) == (0, f"{path}: 1 tag, 1 created or changed\n")
    run(capsys, db, "tags")
    assert [t.name for t in AnnotationStore(db, "x").tags()] == ["Only"]


def test_export_to_stdout_and_refusals(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, db, "tags", "export", "-")
    assert code == 0 and out.startswith("format: marginalia-codebook/1\ncodebook:\n")
    code, out, err = run(capsys, db, "tags", "export", str(tmp_path / "book.txt"))
    assert (code, out) == (2, "") and "book.txt: a codebook file ends in .yaml" in err
    assert not (tmp_path / "book.txt").exists()
    code, out, err = run(capsys, db, "tags", "import", str(tmp_path / "missing.qdc"))
    assert (code, out) == (2, "") and "missing.qdc: cannot read" in err
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: marginalia-codebook/1\ncodebook:\n- name: A\n  key: 44\n")
    code, out, err = run(capsys, db, "tags", "import", str(bad))
    assert (code, err) == (2, f"marginalia: {bad}: line 4: `key` must be a digit from 1 to 9, "
                              "or null; nothing was imported\n")  # fmt: skip


def test_tags_import_takes_the_codebook_of_an_excerpts_export(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An excerpts export carries a codebook section; `tags import` takes it from there too:
    the whole codebook, codes not yet applied included (it was the one tag in use)."""
    tagged(db, capsys, "Putin", "Russia/war aims")
    run(capsys, db, "tags", "bind", "Russia/war aims", "4")
    path = tmp_path / "excerpts.yaml"
    assert main(["export", "-o", str(path), "--db", str(db)]) == 0
    other = tmp_path / "other.json"
    code, out, _ = run(capsys, other, "tags", "import", str(path))
    count = len(AnnotationStore(db, "x").tags())
    assert count > 1
    assert (code, out) == (0, f"{path}: {count} tags, {count} created or changed\n")
    assert AnnotationStore(other, "x").tag("Russia/war aims").key == 4
