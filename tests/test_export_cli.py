"""`marginalia export` and `marginalia import` from the command line, on the cleaned seeds."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
import yaml

from tui.cli import main
from tui.config import BUNDLED_SEEDS

SEED = "001_5b2a99fe7e84453b"


@pytest.fixture
def flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("MARGINALIA_CACHE", str(tmp_path / "cache"))
    common = ["--corpus", str(BUNDLED_SEEDS), "--db", str(tmp_path / "store.json")]
    for quote, tag in [("Putin", "Russia/war aims"), ("Xi Jinping", "China"), ("Moscow", "=1+1")]:
        assert main([*common, "--user", "alice", "tag", SEED, "--quote", quote, "--tag", tag]) == 0
    return common


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_yaml_to_stdout_is_the_default(
    flags: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, *flags, "export")
    assert code == 0
    document = yaml.safe_load(out)
    excerpts = document["articles"][0]["excerpts"]
    assert [e["quote"] for e in excerpts] == ["Moscow", "Putin", "Xi Jinping"]  # reading order
    assert all(e["anchor"] == "exact" for e in excerpts)
    code, out, _ = _run(capsys, *flags, "export", "--by", "tag", "--tag", "Russia")
    assert [group["name"] for group in yaml.safe_load(out)["tags"]] == ["Russia/war aims"]
    code, out, _ = _run(capsys, *flags, "export", "--article", SEED[:3])  # the id's start
    assert [group["id"] for group in yaml.safe_load(out)["articles"]] == [SEED]


def test_every_format_to_a_file(
    flags: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for fmt, name in [
        ("markdown", "x.md"),
        ("csv", "x.csv"),
        ("w3c", "x.jsonld"),
        ("refi", "x.qdpx"),
    ]:
        code, out, _ = _run(capsys, *flags, "export", "--format", fmt, "-o", str(tmp_path / name))
        assert code == 0
        assert out == f"wrote 3 excerpts to {tmp_path / name}\n"
    rows = list(csv.DictReader(io.StringIO((tmp_path / "x.csv").read_text("utf-8-sig"))))
    assert [row["tag"] for row in rows] == ["'=1+1", "Russia/war aims", "China"]
    assert json.loads((tmp_path / "x.jsonld").read_text("utf-8"))["total"] == 3
    assert "## China" in (tmp_path / "x.md").read_text("utf-8")
    assert "project.qde" in zipfile.ZipFile(tmp_path / "x.qdpx").namelist()


def test_refi_needs_a_file_and_bad_since_is_one_line(
    flags: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, *flags, "export", "--format", "refi")
    assert (code, out) == (2, "")
    assert err.startswith("marginalia: a refi export is a zip file") and err.count("\n") == 1
    code, _, err = _run(capsys, *flags, "export", "--since", "last week")
    assert code == 2 and "--since 'last week'" in err


def test_filters_that_match_nothing_still_export_and_say_so(
    flags: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, *flags, "export", "--author", "nobody")
    assert code == 0
    assert yaml.safe_load(out)["articles"] == []
    assert "no annotations match" in err


def test_import_merges_and_reports(
    flags: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "work.yaml"
    assert _run(capsys, *flags, "export", "-o", str(export))[0] == 0
    other = ["--corpus", str(BUNDLED_SEEDS), "--db", str(tmp_path / "other.json")]
    code, out, _ = _run(capsys, *other, "import", str(export))
    assert code == 0
    assert out.splitlines()[0] == f"{export}: 3 added, 0 updated, 0 unchanged, 0 conflicts"
    assert "anchors in the current text: 3 exact" in out
    code, out, _ = _run(capsys, *other, "import", str(export))
    assert out.splitlines()[0] == f"{export}: 0 added, 0 updated, 3 unchanged, 0 conflicts"
    code, out, _ = _run(capsys, *other, "list")
    assert out.count("\n") == 3


def test_import_of_a_bad_file_is_one_line_and_changes_nothing(
    flags: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: marginalia-excerpts/1\narticles: !!python/object:os.system {}\n")
    store = tmp_path / "store.json"
    before = store.read_bytes()
    code, out, err = _run(capsys, *flags, "import", str(bad))
    assert (code, out) == (2, "")
    assert err == (
        f"marginalia: {bad}: line 2: the YAML tag '!!python/object:os.system' is not allowed "
        "in an export; nothing was imported\n"
    )
    assert store.read_bytes() == before


def test_a_filter_or_folder_that_does_not_exist_is_an_error_not_an_empty_export(
    flags: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, *flags, "export", "--article", "nosuch")
    assert (code, out) == (2, "") and "no article 'nosuch'" in err and SEED in err
    code, out, err = _run(capsys, *flags, "export", "--tag", "Rusia")
    assert (code, out) == (2, "") and "no tag 'Rusia'" in err
    missing = tmp_path / "no-such-folder" / "x.yaml"
    code, out, err = _run(capsys, *flags, "export", "-o", str(missing))
    assert code == 2 and "does not exist" in err
    assert not missing.parent.exists()


def test_hypothesis_out_and_in_and_raw_csv_from_the_command_line(
    flags: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 13.4 and 13.6 through the CLI: `--format hypothesis`, `import x.json`, `--raw`."""
    out_path = tmp_path / "h.json"
    code, out, _ = _run(capsys, *flags, "export", "--format", "hypothesis", "-o", str(out_path))
    assert code == 0 and out == f"wrote 3 excerpts to {out_path}\n"
    assert len(json.loads(out_path.read_text("utf-8"))["annotations"]) == 3
    other = ["--corpus", str(BUNDLED_SEEDS), "--db", str(tmp_path / "other.json")]
    code, out, _ = _run(capsys, *other, "import", str(out_path))
    assert code == 0 and "3 added" in out
    code, out, _ = _run(capsys, *other, "import", str(out_path))
    assert "0 added, 0 updated, 3 unchanged, 0 conflicts" in out
    code, out, _ = _run(capsys, *flags, "export", "--format", "csv", "--raw")
    assert next(row["tag"] for row in csv.DictReader(io.StringIO(out))) == "=1+1"
