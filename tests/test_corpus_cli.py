"""`marginalia clean FILE`: the article and nothing else, or its JSON, or its report."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tui.cli import main
from tui.corpus import clean_bytes

SEED_001 = Path(__file__).resolve().parent.parent / "seeds" / "001_5b2a99fe7e84453b.txt"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["clean", "--no-cache", *args]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def test_plain_output(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, str(SEED_001))
    article = clean_bytes(SEED_001.read_bytes(), SEED_001.stem)
    blocks = out.removesuffix("\n").split("\n\n")
    assert len(blocks) == len(article.blocks)
    assert "\n\n\n" not in out and out.endswith(".\n")
    assert "## From Domestic Concerns to Ukraine" in blocks
    assert sum(block.startswith("## ") for block in blocks) == 3
    assert blocks[0].startswith("Throughout his campaign")
    assert out.replace("## ", "").removesuffix("\n") == article.text


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    data = orjson.loads(run(capsys, "--json", str(SEED_001)))
    assert data["id"] == SEED_001.stem
    assert data["source"] == "Kennan Institute"
    assert data["author"] == "Editor-at-Large, Meduza"
    assert {block["kind"] for block in data["blocks"]} == {"paragraph", "heading"}
    guesses = [change for change in data["report"] if change["kind"] == "lost-byte"]
    assert guesses and all(data["text"][g["start"] : g["end"]] == g["after"] for g in guesses)


def test_report_output(capsys: pytest.CaptureFixture[str]) -> None:
    lines = run(capsys, "--report", str(SEED_001)).splitlines()
    assert lines[0].startswith(f"{SEED_001.stem}: ")
    assert "source: Kennan Institute" in lines
    assert any(line.startswith("[gbk/lost-byte] 0.") and '-> "”"' in line for line in lines)
    assert any(line.startswith("[layout/kicker]") and "not in the body" in line for line in lines)
    assert any("[suspect/suspect]" in line and "浪花直播" in line for line in lines)


def test_help_lists_clean(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "clean" in capsys.readouterr().out


def test_plain_output_cleans_to_the_same_article(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    printed = tmp_path / "printed.txt"
    printed.write_text(run(capsys, str(SEED_001)), encoding="utf-8")
    again = clean_bytes(printed.read_bytes(), "printed")
    article = clean_bytes(SEED_001.read_bytes(), SEED_001.stem)
    assert again.text == article.text
    assert again.blocks == article.blocks
    assert [c.kind for c in again.report] == ["heading-marker"] * 3
