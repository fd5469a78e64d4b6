"""Blind coding on the command line (issue 16): `list --blind` and `export --blind` show only
the current user's annotations and say that others are hidden; an export restricted to one
coder, or to the consensus layer, carries that coder as its own REFI-QDA `<User>`."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema
import yaml

from tui.cli import main
from tui.export.refi_format import NAMESPACE

ARTICLE = "001_5b2a99fe7e84453b"
REFI_SCHEMA = Path(__file__).resolve().parent / "schemas" / "Project.xsd"
Q = f"{{{NAMESPACE}}}"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def shared(workspace: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """alice and bob coded one passage each; the consensus layer kept alice's."""
    db = workspace / "s.json"
    for user, quote, tag in [
        ("alice", "Russian President Vladimir Putin", "Russia"),
        ("bob", "Notably, Ukraine and Russia", "Ukraine"),
        ("consensus", "Russian President Vladimir Putin", "Russia"),
    ]:
        code, _, err = run(
            capsys, "tag", ARTICLE, "--db", str(db), "--user", user, "--quote", quote, "--tag", tag
        )
        assert code == 0, err
    return db


def test_list_blind_shows_only_my_annotations_and_says_others_are_hidden(
    shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "list", "--db", str(shared), "--user", "bob", "--blind")
    assert code == 0
    assert [line.split()[2] for line in out.splitlines()] == ["@bob"]
    assert "blind: only bob's annotations; others hidden" in err
    _, everyone, _ = run(capsys, "list", "--db", str(shared), "--user", "bob")
    assert len(everyone.splitlines()) == 3  # without --blind, every coder's work


def test_list_blind_with_nothing_of_mine_does_not_count_the_others(
    shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "list", "--db", str(shared), "--user", "carol", "--blind")
    assert (code, out) == (0, "")
    assert "others hidden" in err and "no annotations yet" in err and "among the" not in err


def test_list_blind_json_stays_clean_json(shared: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, err = run(capsys, "list", "--db", str(shared), "--user", "alice", "--blind", "--json")
    assert [record["author"] for record in json.loads(out)] == ["alice"]
    assert "others hidden" in err


def test_blind_and_another_coders_name_contradict(
    shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "list", "--db", str(shared), "--user", "bob", "--blind", "--author", "alice"
    )
    assert (code, out) == (2, "")
    assert "blind coding shows only bob's annotations; it cannot also show those by 'alice'" in err
    code, _, err = run(
        capsys, "export", "--db", str(shared), "--user", "bob", "--blind", "--author", "alice"
    )
    assert code == 2 and "cannot also show" in err


def test_export_blind_holds_only_my_excerpts(
    shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "export", "--db", str(shared), "--user", "bob", "--blind")
    assert code == 0
    excerpts = yaml.safe_load(out)["articles"][0]["excerpts"]
    assert [e["author"] for e in excerpts] == ["bob"]
    assert "marginalia: blind: only bob's annotations; others hidden" in err


def users_and_codings(path: Path) -> tuple[dict[str, str], set[str]]:
    qde = zipfile.ZipFile(path).read("project.qde")
    xmlschema.XMLSchema(REFI_SCHEMA).validate(io.BytesIO(qde))
    root = ET.fromstring(qde)
    users = {user.get("guid"): user.get("name") for user in root.iter(f"{Q}User")}
    creators = {
        element.get("creatingUser")
        for element in root.iter()
        if element.tag in (f"{Q}PlainTextSelection", f"{Q}Coding", f"{Q}TextSource")
    }
    return users, creators


@pytest.mark.parametrize("coder", ["consensus", "bob"])
def test_refi_export_of_one_coder_names_that_coder_as_its_user(
    shared: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], coder: str
) -> None:
    out = tmp_path / f"{coder}.qdpx"
    code, _, err = run(
        capsys, "export", "--db", str(shared), "--format", "refi", "--author", coder, "-o", str(out)
    )
    assert code == 0, err
    users, creators = users_and_codings(out)
    assert list(users.values()) == [coder]
    assert creators == set(users)  # every selection, coding and source is by that user


def test_refi_export_of_everyone_keeps_each_coder_apart(
    shared: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "all.qdpx"
    assert run(capsys, "export", "--db", str(shared), "--format", "refi", "-o", str(out))[0] == 0
    users, _ = users_and_codings(out)
    assert sorted(users.values()) == ["alice", "bob", "consensus"]
