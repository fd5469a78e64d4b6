"""`marginalia agreement` through `tui.cli.main`: figures, formats and the messages for what
cannot be measured (issue 16)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tui.cli import main
from tui.config import BUNDLED_SEEDS
from tui.corpus import load_article

ARTICLE = "001_5b2a99fe7e84453b"
PUTIN = "Russian President Vladimir Putin’s response was indirect."
CONVERSATION = "This conversation came on the heels"
NOTABLY = "Notably, Ukraine and Russia did not feature"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def tag(capsys: pytest.CaptureFixture[str], db: Path, user: str, quote: str, name: str) -> None:
    code, _, err = run(
        capsys, "tag", ARTICLE, "--db", str(db), "--user", user, "--quote", quote, "--tag", name
    )
    assert code == 0, err


@pytest.fixture
def coded(workspace: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """alice: Russia on PUTIN, China on CONVERSATION; bob: Russia/war aims (a child) on
    PUTIN, Russia on NOTABLY. Each quote lies in one sentence."""
    db = workspace / "s.json"
    tag(capsys, db, "alice", PUTIN, "Russia")
    tag(capsys, db, "alice", CONVERSATION, "China")
    tag(capsys, db, "bob", PUTIN, "Russia/war aims")
    tag(capsys, db, "bob", NOTABLY, "Russia")
    return db


def sentences(workspace: Path) -> int:
    return len(load_article(BUNDLED_SEEDS / f"{ARTICLE}.txt", cache=workspace / "cache").sentences)


def test_json_figures_for_a_tag_and_its_children(
    workspace: Path, coded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "agreement", "--db", str(coded), "--tag", "Russia", "--format", "json"
    )
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["coders"] == ["alice", "bob"] and report["articles"] == [ARTICLE]
    russia = report["tags"][0]
    assert russia["tag"] == "Russia"
    total = sentences(workspace)
    # Both coded PUTIN's sentence (bob through a child tag); bob alone NOTABLY's.
    assert russia["all_units"]["units"] == total
    assert russia["all_units"]["percent"] == pytest.approx(100 * (total - 1) / total)
    assert russia["coded_units"]["units"] == 2
    assert russia["coded_units"]["percent"] == pytest.approx(50.0)
    assert russia["coded_units"]["kappa"] is not None and russia["all_units"]["kappa"] is not None
    assert "nobody coded" in report["scopes"]["all_units"]


def test_table_says_which_figure_counts_uncoded_text(
    coded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "agreement", "--db", str(coded))
    assert code == 0
    assert "agreement of alice, bob by sentence, over 1 article" in out
    assert "all units: every sentence, including those nobody coded with the tag" in out
    rows = [line.split() for line in out.splitlines() if line.startswith(("China", "Russia", "("))]
    # Default tags: every tag used (China, Russia, Russia/war aims), then all tags pooled.
    names = ["China", "Russia", "Russia/war", "(all"]
    assert [row[0] for row in rows] == [name for name in names for _ in range(2)]
    assert all(("all" in line or "coded" in line) for line in out.splitlines()[-8:])


def test_csv_and_markdown_hold_the_same_rows(
    coded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, "agreement", "--db", str(coded), "--format", "csv", "--unit", "char")
    table = list(csv.DictReader(io.StringIO(out)))
    assert [row["scope"] for row in table[:2]] == ["all units", "coded units"]
    assert {row["tag"] for row in table} == {"China", "Russia", "Russia/war aims", "(all tags)"}
    china_coded = next(r for r in table if r["tag"] == "China" and r["scope"] == "coded units")
    # Only alice used China: every coded character is a disagreement.
    assert (china_coded["units"], china_coded["agreement %"]) == (f"{len(CONVERSATION)}", "0.0")
    _, markdown, _ = run(capsys, "agreement", "--db", str(coded), "--format", "markdown")
    assert markdown.count("| coded units |") == len(table) // 2


def test_the_consensus_layer_is_not_a_coder_unless_named(
    coded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tag(capsys, coded, "consensus", PUTIN, "Russia")
    _, out, _ = run(capsys, "agreement", "--db", str(coded), "--format", "json")
    assert json.loads(out)["coders"] == ["alice", "bob"]
    _, out, _ = run(
        capsys, "agreement", "--db", str(coded), "--coders", "alice,consensus", "--format", "json"
    )
    assert json.loads(out)["coders"] == ["alice", "consensus"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--coders", "alice"], "at least two coders; --coders names 1"),
        (
            ["--coders", "alice,zed"],
            "no annotations by 'zed' (coders with annotations: alice, bob)",
        ),
        (["--tag", "Nowhere"], "no tag 'Nowhere'"),
        (["--article", "999"], "no article '999'"),
        (["--tag", "China", "--coders", "bob,bob"], "--coders names 1"),
    ],
)
def test_what_cannot_be_measured_is_one_clear_line(
    coded: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, "agreement", "--db", str(coded), *argv)
    assert (code, out) == (2, "")
    assert err.startswith("marginalia: ") and message in err and err.count("\n") == 1


def test_one_coder_or_an_empty_store(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = workspace / "s.json"
    code, _, err = run(capsys, "agreement", "--db", str(db))
    assert code == 2 and "at least two coders; nobody annotated" in err
    tag(capsys, db, "alice", PUTIN, "Russia")
    code, _, err = run(capsys, "agreement", "--db", str(db))
    assert code == 2 and "at least two coders; only alice annotated" in err


def test_coders_who_never_share_an_article_or_a_tag(
    coded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "agreement", "--db", str(coded), "--tag", "Nowhere/else")
    assert code == 2 and "no tag" in err
    run(capsys, "tag", "000_812b4db44989ec20", "--db", str(coded), "--user", "carol",
        "--quote", "Putin", "--tag", "Russia")  # fmt: skip
    code, _, err = run(capsys, "agreement", "--db", str(coded), "--coders", "alice,carol")
    assert code == 2 and "no article was coded by at least two of alice, carol" in err
    code, _, err = run(
        capsys, "agreement", "--db", str(coded), "--coders", "bob,carol", "--tag", "China"
    )
    assert code == 2 and "nobody coded anything to compare" in err
