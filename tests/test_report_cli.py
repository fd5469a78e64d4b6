"""`marginalia report` on the hand-counted fixture: figures, every format parsed back, the
80-column table, inert output, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from test_analysis_support import A_ID, B_ID, store_attributes, write_workspace

from tui.cli import main
from tui.store.model import ArticleMeta


@pytest.fixture
def flags(tmp_path: Path) -> list[str]:
    return write_workspace(tmp_path)[1]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


HAND_PASSAGES = {
    ("economy", A_ID): 0,
    ("economy", B_ID): 1,
    ("Russia", A_ID): 2,
    ("Russia", B_ID): 1,
    ("Russia/war aims", A_ID): 1,
    ("Russia/war aims", B_ID): 1,
    ("sanctions", A_ID): 3,
    ("sanctions", B_ID): 1,
}


def test_matrix_csv_parses_back_to_the_hand_counts(
    flags: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "report", "matrix", "--format", "csv", *flags)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    cells = {
        (row["code"], row["column"]): int(row["passages"])
        for row in rows
        if "Total" not in (row["code"], row["column"])
    }
    assert cells == HAND_PASSAGES
    totals = {(r["code"], r["column"]): int(r["passages"]) for r in rows if r["code"] == "Total"}
    assert totals == {("Total", A_ID): 4, ("Total", B_ID): 3, ("Total", "Total"): 7}
    labels = {row["column"]: row["label"] for row in rows}
    assert labels[A_ID] == "Talks on Ukraine"  # full titles in CSV


def test_a_code_or_coder_filter_narrows_the_counts_never_the_articles(
    flags: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """`--tag economy` (coded in B only) keeps A as a column, so economy's total % of
    characters is the same as unfiltered, as in the analysis screen (it was over B alone)."""

    def economy(*more: str) -> dict[str, dict[str, str]]:
        _, out, _ = run(capsys, "report", "matrix", "--format", "csv", *more, *flags)
        rows = list(csv.DictReader(io.StringIO(out)))
        assert {row["column"] for row in rows} == {A_ID, B_ID, "Total"}
        return {row["column"]: row for row in rows if row["code"] == "economy"}

    everything = economy()
    for narrowed in (economy("--tag", "economy"), economy("--coder", "bob")):
        assert narrowed["Total"] == everything["Total"]
        assert narrowed[A_ID]["passages"] == "0" and narrowed[A_ID]["chars"] != "0"


def test_matrix_json_grouped_by_attribute(
    flags: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "report", "matrix", "--group-by", "outlet", "--format", "json", *flags
    )
    assert code == 0
    document = json.loads(out)
    assert [c["key"] for c in document["columns"]] == ["Guardian", "Times"]
    cells = {(c["code"], c["column"]): c["passages"] for c in document["cells"]}
    assert cells[("sanctions", "Guardian")] == 3
    assert cells[("Russia", "Total")] == 3


def test_cooccurrence_json_and_sentence_unit(
    flags: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, "report", "cooccurrence", "--format", "json", *flags)
    pairs = {(p["code"], p["other_code"]): p["count"] for p in json.loads(out)["pairs"]}
    assert pairs == {  # one coder's pairs (test_analysis.test_cooccurrence_by_passage)
        ("Russia", "sanctions"): 2,
        ("Russia/war aims", "sanctions"): 1,
        ("economy", "Russia"): 1,
        ("economy", "Russia/war aims"): 1,
        ("economy", "sanctions"): 1,
    }
    _, out, _ = run(
        capsys, "report", "cooccurrence", "--unit", "paragraph", "--format", "csv", *flags
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {(r["code"], r["other_code"]): int(r["count"]) for r in rows}[
        ("Russia", "sanctions")
    ] == 2


def test_frequencies_with_filters(flags: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    def bars(*more: str) -> dict[str, int]:
        _, out, _ = run(capsys, "report", "frequencies", "--format", "json", *flags, *more)
        return {bar["key"]: bar["passages"] for bar in json.loads(out)["bars"]}

    assert bars() == {"sanctions": 4, "Russia": 3, "Russia/war aims": 2, "economy": 1}
    assert bars("--coder", "alice") == {"sanctions": 2, "Russia": 2, "Russia/war aims": 1}
    assert bars("--tag", "Russia") == {"Russia": 3, "Russia/war aims": 2}
    assert bars("--attribute", "outlet=Times") == {
        "Russia": 1,
        "Russia/war aims": 1,
        "sanctions": 1,
        "economy": 1,
    }
    assert bars("--article", "a_g", "--group-by", "coder") == {"alice": 3, "bob": 1}
    assert bars("--group-by", "outlet") == {"Guardian": 4, "Times": 3}


def test_markdown_tables_have_the_shape_of_a_table(
    flags: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    for view in ("matrix", "cooccurrence", "frequencies"):
        _, out, _ = run(capsys, "report", view, "--format", "markdown", *flags)
        rows = [line for line in out.splitlines() if line.startswith("|")]
        assert len(rows) >= 3, view
        widths = {line.count(" | ") for line in rows[:1] + rows[2:]}
        assert len(widths) == 1, view  # every row has as many cells as the heading
        assert set(rows[1]) <= set("|-:"), view
        assert all(line.endswith("|") for line in rows), view


def test_table_fits_80_columns_and_cuts_long_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    coded, flags = write_workspace(tmp_path)
    a = coded.articles[A_ID]
    long_name = "Economic leverage/" + "very long subcode about energy " * 4
    coded.store.add(A_ID, *a.sentences[1], a.text, [long_name.strip()])  # meets others
    for view in ("matrix", "cooccurrence", "frequencies"):
        _, out, _ = run(capsys, "report", view, *flags)
        assert max(len(line) for line in out.splitlines()) <= 80, view
        assert "…" in out, view
    _, out, _ = run(capsys, "report", "frequencies", "--format", "csv", *flags)
    assert long_name.strip() in out  # whole in CSV


def test_data_is_inert_in_every_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    coded, flags = write_workspace(tmp_path)
    hostile = "Gua\u202erdian\x1b[2J|*x*"
    store_attributes(coded.store, {A_ID: ArticleMeta(A_ID, attributes={"outlet": hostile})})
    coded.store.create_tag("*emph*|pipe", description="a [link](x)")
    a = coded.articles[A_ID]
    coded.store.add(A_ID, *a.sentences[2], a.text, ["*emph*|pipe"])
    for fmt in ("table", "markdown", "json", "csv"):
        _, out, _ = run(
            capsys, "report", "frequencies", "--group-by", "outlet", "--format", fmt, *flags
        )
        assert "\x1b" not in out and "\u202e" not in out, fmt
    _, out, _ = run(capsys, "report", "frequencies", "--format", "markdown", *flags)
    assert "\\*emph\\*\\|pipe" in out  # escaped as the Markdown export escapes
    _, out, _ = run(capsys, "report", "full", *flags)
    assert "\\*emph\\*\\|pipe" in out and "\\[link\\](x)" in out


def test_full_report(flags: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    code, out, _ = run(capsys, "report", "full", "-o", str(target), *flags)
    assert code == 0 and str(target) in out
    text = target.read_text(encoding="utf-8")
    codebook = text.split("## Codebook")[1].split("## Excerpts")[0]
    assert "- **Russia** (3 passages)" in codebook
    assert "  - **war aims** (2 passages)" in codebook
    assert "- **sanctions** (4 passages)" in codebook
    sanctions = text.split("### sanctions")[1].split("###")[0]
    assert "4 excerpts." in sanctions
    assert "coded by bob" in sanctions and "coded by alice" in sanctions
    assert "paragraph 3" in sanctions  # A3 is in A's second paragraph of prose
    assert "check the date" in text  # the note-only annotation, with its note


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "matrix", "--coder", "carol"],
        ["report", "matrix", "--tag", "nonesuch"],
        ["report", "matrix", "--attribute", "outlet"],
        ["report", "matrix", "--group-by", "stance"],
        ["report", "matrix", "--sort", "nonesuch"],
        ["report", "frequencies", "--sort", "sideways"],
    ],
)
def test_mistakes_are_one_line(
    flags: list[str], capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, _, err = run(capsys, *argv, *flags)
    assert code == 2
    assert len(err.strip().splitlines()) == 1


def test_sorted_matrix_table(flags: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "report", "matrix", "--sort", "total", *flags)
    names = [line.split()[0] for line in out.splitlines()[4:8]]
    assert names == ["sanctions", "Russia", "Russia/war", "economy"]


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_full_refuses_a_format_it_does_not_write(
    flags: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str
) -> None:
    """It wrote Markdown and exited 0 whatever `--format` said (a `.json` full of Markdown)."""
    target = tmp_path / f"report.{fmt}"
    code, out, err = run(capsys, "report", "full", "--format", fmt, "-o", str(target), *flags)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and fmt in err and "Markdown" in err
    assert not target.exists()


@pytest.mark.parametrize("view", ["matrix", "cooccurrence", "frequencies", "full"])
@pytest.mark.parametrize("fmt", [None, "table", "csv", "markdown", "json"])
def test_every_view_and_format_gives_that_format_or_a_refusal(
    flags: list[str], capsys: pytest.CaptureFixture[str], view: str, fmt: str | None
) -> None:
    asked = ["--format", fmt] if fmt else []
    code, out, err = run(capsys, "report", view, *asked, *flags)
    if view == "full" and fmt not in (None, "markdown"):
        assert code == 2 and out == "" and err
        return
    assert code == 0
    shown = fmt or ("markdown" if view == "full" else "table")
    if shown == "json":
        assert json.loads(out)["view"] == view
    elif shown == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert len(rows) > 1 and len({len(row) for row in rows}) == 1
    elif shown == "markdown":
        assert out.startswith("# " if view == "full" else "## ")
        assert view == "full" or "\n| " in out
    else:
        assert not out.startswith(("#", "{")) and "|" not in out.splitlines()[2]


def test_a_tag_filter_in_other_capitals_or_by_its_last_part_is_that_tag(
    flags: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """As the analysis screen's filter: names are unique whatever their case, and the end of
    one tag's path is that tag (a trial had `--tag 'russia/war aims'` refused)."""
    _, wanted, _ = run(capsys, "report", "frequencies", "--tag", "Russia/war aims", *flags)
    for typed in ("russia/war aims", "WAR AIMS", "war aims"):
        code, out, err = run(capsys, "report", "frequencies", "--tag", typed, *flags)
        assert (code, out, err) == (0, wanted, ""), typed
    code, _, err = run(capsys, "report", "frequencies", "--tag", "war aim", *flags)
    assert code == 2 and "did you mean" in err and "war aims" in err


def test_cooccurrence_as_tagged(flags: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "report", "cooccurrence", "--as-tagged", "--format", "json", *flags)
    document = json.loads(out)
    pairs = {(p["code"], p["other_code"]): p["count"] for p in document["pairs"]}
    assert document["as_tagged"] is True and pairs[("Russia", "sanctions")] == 1
    _, out, _ = run(capsys, "report", "cooccurrence", "--as-tagged", *flags)
    assert "codes as tagged" in out.splitlines()[0]
    code, _, err = run(capsys, "report", "matrix", "--as-tagged", *flags)
    assert code == 2 and "--as-tagged goes with cooccurrence" in err
