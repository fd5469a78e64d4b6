"""The headless commands over the store: `tag`, `list`, `tags`, `tags rename|merge`."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

import pytest

from tui.cli import main
from tui.config import BUNDLED_SEEDS
from tui.corpus import load_article
from tui.store import Annotation, AnnotationStore
from tui.store import storage as storage_module

ARTICLE = "001_5b2a99fe7e84453b"


@pytest.fixture
def clean_text(workspace: Path) -> str:
    return load_article(BUNDLED_SEEDS / f"{ARTICLE}.txt", cache=workspace / "cache").text


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_tag_prints_the_id_of_an_annotation_on_the_clean_text(
    workspace: Path, clean_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = workspace / "s.json"
    code, out, err = run(
        capsys, "tag", ARTICLE, "--db", str(db), "--quote", "Putin", "--occurrence", "3",
        "--tag", "Russia/Putin", "--tag", "People", "--note", "third mention",
    )  # fmt: skip
    assert (code, err) == (0, "")
    annotation = AnnotationStore(db, "x").get(out.strip())
    assert annotation is not None
    third = clean_text.index("Putin", clean_text.index("Putin", clean_text.index("Putin") + 1) + 1)
    assert (annotation.start, annotation.end) == (third, third + len("Putin"))
    assert annotation.tags == ("Russia/Putin", "People")
    assert (annotation.note, annotation.author) == ("third mention", "alice")
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_tagging_the_same_passage_again_adds_to_the_same_annotation(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(workspace / "s.json")
    first = run(capsys, "tag", ARTICLE, "--db", db, "--quote", "Xi Jinping", "--tag", "China")
    second = run(capsys, "--db", db, "tag", ARTICLE, "--quote", "Xi Jinping", "--tag", "Leader")
    assert first[1] == second[1]
    assert AnnotationStore(db, "x").get(first[1].strip()).tags == ("China", "Leader")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["tag", "no_such_article", "--quote", "x", "--tag", "t"], "no article 'no_such_article'"),
        (["tag", ARTICLE, "--quote", "not in this article", "--tag", "t"], "quote not found"),
        (["tag", ARTICLE, "--quote", "Putin", "--occurrence", "99", "--tag", "t"], "13 time"),
        (["tag", ARTICLE, "--quote", "Putin", "--tag", "a//b"], "empty part"),
    ],
)
def test_tag_errors_exit_2_with_a_clear_message(
    workspace: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    db = workspace / "s.json"
    code, out, err = run(capsys, *argv, "--db", str(db))
    assert code == 2 and out == ""
    assert err.startswith("marginalia: ") and message in err and err.count("\n") == 1
    assert not db.exists()


def test_shared_flag_creates_a_group_writable_store(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = workspace / "team" / "s.json"
    code, _, _ = run(
        capsys, "tag", ARTICLE, "--db", str(db), "--quote", "Putin", "--tag", "t", "--shared"
    )
    assert code == 0 and stat.S_IMODE(db.stat().st_mode) == 0o660


def test_failed_write_exits_2_and_says_nothing_was_written(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*args: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(storage_module.os, "write", full_disk)
    code, out, err = run(
        capsys, "tag", ARTICLE, "--db", str(workspace / "s.json"), "--quote", "Putin", "--tag", "t"
    )
    assert (code, out) == (2, "")
    assert "No space left on device" in err and "nothing was written" in err


def add(store: AnnotationStore, text: str, phrase: str, *tags: str) -> Annotation:
    start = text.index(phrase)
    return store.add(ARTICLE, start, start + len(phrase), text, list(tags))


def test_list_filters_and_prints_one_line_each(
    workspace: Path, clean_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = workspace / "s.json"
    code, out, err = run(capsys, "list", "--db", str(db))
    assert (code, out) == (0, "") and err == f"no annotations yet in {db}\n"
    store = AnnotationStore(db, "alice")
    xi = add(store, clean_text, "Xi Jinping", "China/Xi")
    add(store, clean_text, "Panama Canal", "Places")
    code, out, err = run(capsys, "list", "--db", str(db), "--author", "bob")
    assert (code, out) == (0, "") and "no match among the 2 annotations" in err
    code, out, _ = run(capsys, "list", "--db", str(db))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    # The coder is a column of its own (issue 13.16): teams share one store.
    assert lines[0] == f'{ARTICLE}  {xi.start}-{xi.end}  @alice  [China/Xi]  "Xi Jinping"'
    code, out, _ = run(capsys, "list", "--db", str(db), "--tag", "China")
    assert out.splitlines() == lines[:1]
    code, out, _ = run(capsys, "list", "--db", str(db), "--article", ARTICLE[:3])
    assert out.splitlines() == lines  # a unique start of the id is enough
    code, out, err = run(capsys, "list", "--db", str(db), "--json", "--article", "nope")
    assert (code, out) == (2, "")  # a typo in a filter is said, not shown as "nothing found"
    assert "no article 'nope'" in err and ARTICLE in err
    code, out, err = run(capsys, "list", "--db", str(db), "--tag", "Chna")
    assert (code, out) == (2, "")
    assert "no tag 'Chna'" in err and "China/Xi" in err
    code, out, _ = run(capsys, "list", "--db", str(db), "--json")
    assert [record["quote"] for record in json.loads(out)] == ["Xi Jinping", "Panama Canal"]
    store.add("retired", 0, 5, "Hello world", ["Old"])  # its article file is gone
    code, out, _ = run(capsys, "list", "--db", str(db), "--json", "--article", "retired")
    assert (code, [r["quote"] for r in json.loads(out)]) == (0, ["Hello"])


def test_list_anchors_against_the_current_corpus(
    workspace: Path, clean_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = workspace / "s.json"
    store = AnnotationStore(db, "alice")
    add(store, clean_text, "Xi Jinping", "China")
    stale = "Xi Jinping " + clean_text  # made when the clean text had extra words in front
    add(store, stale, "Panama Canal", "Places")
    gone = store.add("retired_article", 0, 5, "Hello world", ["Old"])
    code, out, _ = run(capsys, "list", "--db", str(db), "--anchors", "--json")
    statuses = {record["quote"]: record["anchor"] for record in json.loads(out)}
    assert statuses == {"Xi Jinping": "exact", "Panama Canal": "moved", gone.quote: "orphaned"}
    code, out, _ = run(capsys, "list", "--db", str(db), "--anchors")
    assert code == 0 and "  moved  " in out and "  orphaned  " in out


def test_list_output_is_safe_for_terminals(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = workspace / "s.json"
    hostile = Annotation(
        "b" * 32, "x\x1b]0;pwned\x07", 0, 9, "evil\x1b[2J\u202equote", tags=("t",),
        note="line one\nline two\x9b31m",
    )  # fmt: skip
    AnnotationStore(db, "alice").import_records([hostile])
    code, out, _ = run(capsys, "list", "--db", str(db))
    assert code == 0 and out.count("\n") == 1
    assert not any(ch in out for ch in "\x1b\x07\x9b\u202e")
    assert "evil [2J quote" in out


def test_tags_lists_renames_and_merges(
    workspace: Path, clean_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = workspace / "s.json"
    store = AnnotationStore(db, "alice")
    add(store, clean_text, "Xi Jinping", "China/Xi", "Leaders")
    add(store, clean_text, "Panama Canal", "Places")
    store.bind_key("Places", 2)
    code, out, _ = run(capsys, "tags", "--db", str(db))
    assert out.splitlines()[-1].startswith("2  Places  1 annotation  ")
    code, out, _ = run(capsys, "tags", "rename", "China", "PRC", "--db", str(db))
    assert (code, out) == (0, "renamed 'China' to 'PRC' on 1 annotation\n")
    code, out, _ = run(capsys, "tags", "merge", "Leaders", "PRC/Xi", "--db", str(db))
    assert (code, out) == (0, "merged 'Leaders' into 'PRC/Xi' on 1 annotation\n")
    code, out, _ = run(capsys, "tags", "--json", "--db", str(db))
    assert {r["name"]: r["count"] for r in json.loads(out)} == {"PRC/Xi": 1, "Places": 1}
    code, out, err = run(capsys, "tags", "rename", "PRC/Xi", "Places", "--db", str(db))
    assert code == 2 and "already exists" in err
    code, out, err = run(capsys, "tags", "merge", "Nothing", "Places", "--db", str(db))
    assert code == 2 and "no tag named 'Nothing'" in err


def test_a_bad_store_exits_2_naming_the_file_and_stays_untouched(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = workspace / "s.json"
    db.write_bytes(b'{"annotations": ')
    for argv in (
        ["list"],
        ["tags"],
        ["tags", "rename", "a", "b"],
        ["tag", ARTICLE, "--quote", "Putin", "--tag", "t"],
    ):
        code, out, err = run(capsys, *argv, "--db", str(db))
        assert code == 2 and out == ""
        assert str(db) in err and "not valid JSON" in err and "left untouched" in err
    assert db.read_bytes() == b'{"annotations": '


def test_a_first_tag_from_the_command_line_starts_from_the_starter_codebook(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = workspace / "annotations" / "marginalia.json"
    code, out, _ = run(
        capsys, "tag", ARTICLE, "--quote", "Kremlin", "--tag", "my own", "--db", str(db)
    )
    assert code == 0 and len(out.strip()) == 32  # the new annotation's id
    names = {tag.name for tag in AnnotationStore(db, "bob").tags()}
    assert "my own" in names and len(names) > 8  # the starter codebook, then the new tag
