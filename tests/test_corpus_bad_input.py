"""Bad files: one line naming the file and the reason, exit code 2, and the rest still loads."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tui.cli import main
from tui.corpus import clean_bytes, load_article, load_corpus
from tui.corpus.decode import MAX_BYTES
from tui.errors import UserError

SEED_000 = Path(__file__).resolve().parent.parent / "seeds" / "000_812b4db44989ec20.txt"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + bytes(range(256)) * 8


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED_000, folder / "good.txt")
    return folder


def test_clean_bytes_reasons() -> None:
    with pytest.raises(UserError, match=r"^empty file$"):
        clean_bytes(b"", "a")
    with pytest.raises(UserError, match=r"^x\.txt: empty file$"):
        clean_bytes(b" \n\t\r\n ", "a", source_name="x.txt")
    with pytest.raises(UserError, match="binary"):
        clean_bytes(PNG, "a")
    high_bytes = bytes((0x80 + (i * 37) % 128) for i in range(4000))  # no controls, no text
    with pytest.raises(UserError, match="binary"):
        clean_bytes(high_bytes, "a")
    with pytest.raises(UserError, match="no article text left"):
        clean_bytes(b"\x1b[31m\x1b]0;title\x1b\\ \x1b[0m\n\n", "a")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"\n \n", "empty file"),
        ("image.txt", PNG, "binary file"),
        ("furniture.txt", b"Advertisement\nShare this article\n", "no article text left"),
    ],
)
def test_bad_file_is_a_problem_and_the_others_load(
    corpus: Path, name: str, content: bytes, reason: str
) -> None:
    bad = corpus / name
    bad.write_bytes(content)
    loaded = load_corpus(corpus)
    assert [article.id for article in loaded.articles] == ["good"]
    [problem] = loaded.problems
    assert problem.startswith(f"{bad}: {reason}")
    assert "\n" not in problem


def test_oversized_file_is_refused_without_reading_it(corpus: Path) -> None:
    big = corpus / "big.txt"
    with big.open("wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50 * 1000 * 1000)
    loaded = load_corpus(corpus)
    assert [article.id for article in loaded.articles] == ["good"]
    [problem] = loaded.problems
    assert problem.startswith(f"{big}: file is 47.7 MiB")
    assert f"{MAX_BYTES // 1024 // 1024} MiB" in problem


def test_unreadable_entries(corpus: Path) -> None:
    (corpus / "folder.txt").mkdir()
    (corpus / "dangling.txt").symlink_to(corpus / "missing-target")
    os.mkfifo(corpus / "pipe.txt")  # reading it would block forever
    loaded = load_corpus(corpus)
    assert [article.id for article in loaded.articles] == ["good"]
    assert sorted(loaded.problems) == [
        f"{corpus / 'dangling.txt'}: no such file (or a broken link)",
        f"{corpus / 'folder.txt'}: is a directory, not an article file",
        f"{corpus / 'pipe.txt'}: not a regular file",
    ]


@pytest.mark.skipif(
    os.geteuid() == 0, reason="root reads files whatever their mode; covered by test_unreadable"
)
def test_permission_denied(corpus: Path) -> None:
    locked = corpus / "locked.txt"
    locked.write_text("A perfectly good article that nobody may read.\n")
    locked.chmod(0)
    try:
        loaded = load_corpus(corpus)
    finally:
        locked.chmod(0o644)
    assert loaded.problems == [f"{locked}: permission denied"]


def test_folders_without_articles(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("not an article")
    with pytest.raises(UserError, match=f"^{tmp_path}: no articles"):
        load_corpus(tmp_path)
    with pytest.raises(UserError, match="no such folder"):
        load_corpus(tmp_path / "nowhere")
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(UserError, match=r"no readable articles; .*empty\.txt: .*empty") as caught:
        load_corpus(tmp_path)
    assert "more bad" not in str(caught.value)
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(UserError, match=r"\(and 1 more bad file\)$"):
        load_corpus(tmp_path)


def test_load_article_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"\x00\x01\x02\x03" * 100)
    with pytest.raises(UserError, match=f"^{path}: binary file"):
        load_article(path)


@pytest.mark.parametrize("content", [b"", PNG, None])
def test_cli_prints_one_line_and_exits_2(
    tmp_path: Path, content: bytes | None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.txt"
    if content is None:  # 50 MB, sparse
        with path.open("wb") as handle:
            handle.truncate(50 * 1000 * 1000)
    else:
        path.write_bytes(content)
    assert main(["clean", "--no-cache", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"marginalia: {path}: ")
    assert captured.err.count("\n") == 1


def test_hostile_file_names_are_shown_escaped(corpus: Path) -> None:
    hostile = corpus / "evil\x1b]0;owned\x07\u202e.txt"
    hostile.write_bytes(b"")
    [problem] = load_corpus(corpus).problems
    assert problem == f"{corpus}/evil\\x1b]0;owned\\x07\\u202e.txt: empty file"
