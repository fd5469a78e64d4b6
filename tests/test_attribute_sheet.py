"""Article attributes through a spreadsheet (r6): `articles --csv` writes one row per article,
`articles --set-from FILE` reads such a sheet back in one store write, as spreadsheets save it
(BOM, `,` `;` or tab, UTF-16), with every problem listed and nothing written while one is left.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import pytest

from tui.cli import main
from tui.store import AnnotationStore
from tui.store.attribute_batch import plan_batch
from tui.store.model import ArticleMeta

STORIES = {
    "0001_kyiv": "Talks in Kyiv\n\nThe delegation arrived on Monday and met the mayor.",
    "0002_moscow": "A briefing in Moscow\n\nThe ministry said the sanctions would not last.",
    "0003_geneva": "Geneva, again\n\nNegotiators returned to the lakeside hotel for a third round.",
}
FORMULA = "=cmd|' /C calc'!A0"


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in STORIES.items():
        (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
    monkeypatch.setenv("MARGINALIA_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("MARGINALIA_CORPUS", str(corpus))
    monkeypatch.setenv("MARGINALIA_USER", "alice")
    monkeypatch.delenv("MARGINALIA_DB", raising=False)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], ws: Path, *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--db", str(ws / "store.json")])
    out, err = capsys.readouterr()
    return code, out, err


def store(ws: Path) -> AnnotationStore:
    return AnnotationStore(ws / "store.json", "alice")


def attributes(ws: Path) -> dict[str, dict[str, str]]:
    return {a: meta.attributes for a, meta in store(ws).article_metas().items()}


def sheet(ws: Path, text: str, *, encoding: str = "utf-8") -> str:
    path = ws / "sheet.csv"
    path.write_bytes(text.encode(encoding))
    return str(path)


# -- round trip ---------------------------------------------------------------------------------


def test_export_edit_import_round_trip(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store(ws).set_article_attributes("0001_kyiv", {"outlet": FORMULA, "country": "UA"})
    out_path = ws / "out.csv"
    code, out, _ = run(capsys, ws, "articles", "--csv", "-o", str(out_path))
    assert code == 0 and "wrote 3 articles" in out
    raw = out_path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["id", "title", "country", "outlet"]
    by_id = {row[0]: row for row in rows[1:]}
    assert set(by_id) == set(STORIES)
    assert by_id["0001_kyiv"][1] == "Talks in Kyiv"
    assert by_id["0001_kyiv"][3] == "'" + FORMULA  # guarded for the spreadsheet
    # Imported as exported: nothing changes (the guard comes off, empty cells keep).
    code, out, _ = run(capsys, ws, "articles", "--set-from", str(out_path))
    assert code == 0 and "nothing to change" in out
    assert attributes(ws) == {"0001_kyiv": {"outlet": FORMULA, "country": "UA"}}
    # Edited in the spreadsheet: one more outlet.
    by_id["0002_moscow"][3] = "TASS"
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([rows[0], *by_id.values()])
    code, out, _ = run(capsys, ws, "articles", "--set-from", sheet(ws, buffer.getvalue()))
    assert code == 0 and "set the attributes of 1 article: outlet (1)" in out
    assert attributes(ws)["0002_moscow"] == {"outlet": "TASS"}
    assert attributes(ws)["0001_kyiv"] == {"outlet": FORMULA, "country": "UA"}


def test_csv_to_stdout_has_no_bom(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, ws, "articles", "--csv")
    assert code == 0 and out.startswith("id,title\r\n")


# -- spreadsheets' ways of saving -------------------------------------------------------------


def test_semicolons_bom_file_names_and_formulas_as_data(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "\ufefffile;outlet;country\r\n"
        f'corpus/0001_kyiv.txt;"{FORMULA}";UA\r\n'
        "0002_moscow.txt;TASS;RU\r\n"
        '0003_geneva;"Le Temps; Genève";\r\n'
    )
    code, out, _ = run(capsys, ws, "articles", "--set-from", sheet(ws, text))
    assert code == 0, out
    assert "';'-separated" in out
    assert attributes(ws) == {
        "0001_kyiv": {"outlet": FORMULA, "country": "UA"},
        "0002_moscow": {"outlet": "TASS", "country": "RU"},
        "0003_geneva": {"outlet": "Le Temps; Genève"},
    }


def test_utf16_tab_separated_as_excel_saves_unicode_text(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "id\toutlet\r\n0003_geneva\tTribune de Genève\r\n"
    code, _, _ = run(capsys, ws, "articles", "--set-from", sheet(ws, text, encoding="utf-16"))
    assert code == 0
    assert attributes(ws) == {"0003_geneva": {"outlet": "Tribune de Genève"}}


def test_a_legacy_code_page_is_refused_with_the_way_to_save(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sheet(ws, "id,outlet\n0003_geneva,Tribune de Genève\n", encoding="cp1252")
    code, _, err = run(capsys, ws, "articles", "--set-from", path)
    assert code == 2 and "not UTF-8" in err and "CSV UTF-8" in err
    assert attributes(ws) == {}


# -- preview, one write, empty cells ----------------------------------------------------------


def test_dry_run_shows_changes_and_writes_nothing(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store(ws).set_article_attributes("0001_kyiv", {"outlet": "Kyiv Post"})
    before = (ws / "store.json").read_bytes()
    text = "id,outlet\n0001_kyiv,Ukrainska Pravda\n0002_moscow,TASS\n"
    code, out, _ = run(capsys, ws, "articles", "--set-from", sheet(ws, text), "--dry-run")
    assert code == 0
    assert "would set the attributes of 2 articles: outlet (2)" in out
    assert "0001_kyiv: outlet 'Ukrainska Pravda' (was 'Kyiv Post')" in out
    assert "nothing written" in out
    assert (ws / "store.json").read_bytes() == before


def test_all_rows_are_one_locked_write(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "id,outlet\n" + "".join(f"{name},Outlet {name}\n" for name in STORIES)
    assert run(capsys, ws, "articles", "--set-from", sheet(ws, text))[0] == 0
    again = store(ws)
    assert len(again.article_metas()) == len(STORIES)
    lines = (ws / "store.json.journal").read_text().splitlines()
    assert len(lines) == 1  # one locked write, one journal line


def test_the_batch_is_one_undo_step(ws: Path) -> None:
    session = store(ws)
    session.set_article_attributes("0001_kyiv", {"outlet": "Kyiv Post"})
    written = session.attributes.set_many({name: {"outlet": "X"} for name in STORIES})
    assert set(written.changed) == set(STORIES)
    session.undo()
    assert attributes(ws) == {"0001_kyiv": {"outlet": "Kyiv Post"}}


def test_empty_cells_keep_unless_asked_to_unset(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store(ws).set_article_attributes("0001_kyiv", {"outlet": "Kyiv Post", "country": "UA"})
    text = "id,outlet,country\n0001_kyiv,,UA\n"
    assert run(capsys, ws, "articles", "--set-from", sheet(ws, text))[0] == 0
    assert attributes(ws)["0001_kyiv"] == {"outlet": "Kyiv Post", "country": "UA"}
    code, out, _ = run(capsys, ws, "articles", "--set-from", sheet(ws, text), "--empty", "unset")
    assert code == 0 and "outlet (1)" in out
    assert attributes(ws)["0001_kyiv"] == {"country": "UA"}


# -- bad input: everything listed, nothing written --------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id,outlet\n0001_kyiv,TASS\n0009_nowhere,RT\n", "row 3: '0009_nowhere'"),
        ("id,outlet\n0001_kyiv,TASS\n0001_kyiv,RT\n", "rows 2 and 3: the same article"),
        ('id,outlet\n0001_kyiv,"two\nlines"\n', "row 2, column 2: attribute 'outlet'"),
        ("id,outlet\n0001_kyiv,\x1b[2Jgone\n", "control character"),
        ("id,outlet\n,TASS\n", "row 2: no article id"),
        ("id,outlet,Outlet\n0001_kyiv,a,b\n", "column 3 (Outlet) repeats column 2"),
        ("id,,outlet\n0001_kyiv,a,b\n", "column 2 has no heading"),
        ("id\n0001_kyiv\n", "at least one attribute column"),
        ("id,outlet\n0001_kyiv,a,b\n", "row 2: 3 cells"),
        ("id,a=b\n0001_kyiv,x\n", "holds '='"),
    ],
)
def test_bad_sheets_write_nothing(
    ws: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    code, _, err = run(capsys, ws, "articles", "--set-from", sheet(ws, text))
    assert code == 2
    assert expected in err
    assert "nothing written" in err
    assert "\x1b" not in err
    assert attributes(ws) == {}


def test_a_heading_in_other_capitals_is_the_attribute_in_use(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trial's UTF-16 sheet headed `Outlet` was refused on every row ('0001_story: ...
    only in case') where the articles used `outlet`: the heading is that attribute (one
    variable, one column), and a note says so. (It was refused before, on purpose changed.)"""
    store(ws).set_article_attributes("0003_geneva", {"Outlet": "Le Temps"})
    code, out, _ = run(capsys, ws, "articles", "--set-from", sheet(ws, "id,outlet\n0001_kyiv,a\n"))
    assert code == 0
    assert "column 2 (outlet) is the attribute 'Outlet'" in out
    assert attributes(ws) == {"0003_geneva": {"Outlet": "Le Temps"}, "0001_kyiv": {"Outlet": "a"}}


def test_unknown_rows_can_be_skipped(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "id,outlet\n0001_kyiv,TASS\n0009_nowhere,RT\n"
    code, out, _ = run(capsys, ws, "articles", "--set-from", sheet(ws, text), "--skip-unknown")
    assert code == 0 and "skipped 1 row naming no article: row 3: '0009_nowhere'" in out
    assert attributes(ws) == {"0001_kyiv": {"outlet": "TASS"}}


def test_many_problems_are_counted_after_the_first_few(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "id,outlet\n" + "".join(f"missing_{n},x\n" for n in range(25))
    code, _, err = run(capsys, ws, "articles", "--set-from", sheet(ws, text))
    assert code == 2 and "25 rows name no article" in err and "and 15 more" in err
    assert len(err.splitlines()) < 5


def test_identical_repeated_rows_and_detail_columns_are_notes(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "id,title,date,outlet\n0001_kyiv,T,2020,TASS\n0001_kyiv,T,2020,TASS\n"
    code, out, _ = run(capsys, ws, "articles", "--set-from", sheet(ws, text))
    assert code == 0
    assert "row 3 repeats row 2" in out and "column 3 (date) is an article detail" in out
    assert "title" not in out.split("attribute columns:")[1].splitlines()[0]
    assert attributes(ws) == {"0001_kyiv": {"outlet": "TASS"}}
    assert store(ws).article_meta("0001_kyiv").date is None


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--dry-run"], "--dry-run goes with --set-from"),
        (["-o", "x.csv"], "-o goes with --csv"),
        (["--set-from", "s.csv", "--attribute", "outlet=x"], "--attribute is a filter"),
        (["--set-from", "nowhere.csv"], "no such file"),
    ],
)
def test_options_out_of_place_are_refused(
    ws: Path, capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    code, _, err = run(capsys, ws, "articles", *argv)
    assert code == 2 and expected in err


# -- the store's batch ------------------------------------------------------------------------


def test_plan_batch_checks_case_twins_across_the_batch() -> None:
    metas = {"a": ArticleMeta("a", attributes={"Stance": "x"})}
    batch = plan_batch(
        metas,
        {"a": {"Stance": "", "stance": "y"}, "b": {"stance": "z"}, "c": {"STANCE": "w"}},
    )
    # `a` gives up `Stance` for `stance`: allowed, as for one article; `c` then differs in case.
    assert batch.changed == {"a": {"stance": "y"}, "b": {"stance": "z"}}
    assert set(batch.refused) == {"c"} and "only in case" in batch.refused["c"]


def test_plan_batch_leaves_out_a_refused_name_and_keeps_the_rest() -> None:
    batch = plan_batch({}, {"d": {"outlet": "ok", "bad": "x\x1b[2J"}, "e": {"title": "x"}})
    assert batch.changed == {"d": {"outlet": "ok"}}
    assert "control character" in batch.refused["d"] and "own details" in batch.refused["e"]
    assert batch.unchanged == ()


def test_a_sheet_from_standard_input(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = b"id;stance\n0002_moscow;hawkish\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run(capsys, ws, "articles", "--set-from", "-")
    assert code == 0 and out.startswith("standard input: 1 article row")
    assert attributes(ws) == {"0002_moscow": {"stance": "hawkish"}}
