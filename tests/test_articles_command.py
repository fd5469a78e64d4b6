"""`marginalia articles` shows every article's title, cleaning the ones the index lacks.

Before, a title came only from the index, so a folder never opened in the reader listed
bare ids. Now the articles the index lacks are cleaned (through the cleaner's cache) and
recorded, so the next listing cleans nothing; a file that does not clean is one line on
stderr and the others are still listed.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tui.cli import main
from tui.commands import articles as articles_command
from tui.config import BUNDLED_SEEDS
from tui.corpus import load_article, pipeline

SEEDS = sorted(BUNDLED_SEEDS.glob("*.txt"))
# Real prose, damaged by hand: the second seed's opening with its lines cut short.
SHORT = "Trump and Erdogan spoke by phone on Monday.\n\nThe call was short, an aide said.\n"


@pytest.fixture(autouse=True)
def _no_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    """Progress shows after a time; these tests look at stderr, so it never shows unless a
    test asks for it (the machine's speed decides nothing here)."""
    monkeypatch.setattr(articles_command, "PROGRESS_AFTER", float("inf"), raising=False)


def _titles() -> dict[str, str]:
    return {path.stem: load_article(path).title for path in SEEDS}


def _run(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["articles", *argv, "--db", str(db)])
    out, err = capsys.readouterr()
    return code, out, err


def _corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the seeds in a folder of the test's own (files may be added to it)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in SEEDS:
        shutil.copy(path, folder / path.name)
    monkeypatch.setenv("MARGINALIA_CORPUS", str(folder))
    return folder


def test_articles_never_cleaned_are_listed_with_their_titles(
    workspace: Path, db: Path, capsys: pytest.CaptureFixture[str], cleaned: list[str]
) -> None:
    titles = _titles()
    assert all(titles.values())
    cleaned.clear()
    code, out, _ = _run(capsys, db)
    assert code == 0
    lines = out.splitlines()
    assert lines == [f"{article_id}  {titles[article_id]}" for article_id in sorted(titles)]
    assert sorted(cleaned) == sorted(titles)


def test_a_second_listing_cleans_nothing_and_shows_the_same(
    workspace: Path, db: Path, capsys: pytest.CaptureFixture[str], cleaned: list[str]
) -> None:
    _, first, _ = _run(capsys, db, "--json")
    cleaned.clear()
    _, second, _ = _run(capsys, db, "--json")
    assert second == first and '"title": ""' not in second
    assert cleaned == []


def test_a_changed_file_is_cleaned_again_for_its_new_title(
    workspace: Path,
    db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    cleaned: list[str],
) -> None:
    folder = _corpus(tmp_path, monkeypatch)
    _run(capsys, db)
    changed = folder / SEEDS[1].name
    changed.write_text(SHORT, encoding="utf-8")
    cleaned.clear()
    _, out, _ = _run(capsys, db)
    assert cleaned == [SEEDS[1].stem]
    assert f"{SEEDS[1].stem}  {load_article(changed).title}" in out.splitlines()


def test_a_bad_file_is_one_line_on_stderr_and_the_others_are_listed(
    workspace: Path,
    db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = _corpus(tmp_path, monkeypatch)
    (folder / "zz_binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "zz_empty.html").write_text("<html><body><script>x()</script></body></html>")
    titles = _titles()
    for _ in range(2):  # cold, then from the index: the same lines
        code, out, err = _run(capsys, db)
        assert code == 0
        lines = out.splitlines()
        for article_id, title in titles.items():
            assert f"{article_id}  {title}" in lines
        assert "zz_binary" in lines and "zz_empty" in lines  # listed, without a title
        problems = err.splitlines()
        assert len(problems) == 2
        assert "zz_binary.txt" in problems[0] and "zz_empty.html" in problems[1]


def test_a_cleaner_failure_on_one_file_does_not_stop_the_listing(
    workspace: Path,
    db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A bug in the cleaner on one file (not a UserError) costs that file's title only."""
    _corpus(tmp_path, monkeypatch)
    broken, kept = SEEDS[0].stem, SEEDS[1].stem
    kept_title = _titles()[kept]
    real = pipeline._clean

    def failing(raw: bytes, article_id: str) -> Any:
        if article_id == broken:
            raise RuntimeError("cleaner bug")
        return real(raw, article_id)

    monkeypatch.setattr(pipeline, "_clean", failing)
    code, out, err = _run(capsys, db)
    assert code == 0
    assert out.splitlines() == [broken, f"{kept}  {kept_title}"]
    assert err.splitlines() == [f"{broken}: could not be cleaned (RuntimeError: cleaner bug)"]


def test_cleaning_for_titles_reports_progress_on_stderr(
    workspace: Path,
    db: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(articles_command, "PROGRESS_AFTER", 0.0, raising=False)
    code, out, err = _run(capsys, db, "--json")
    assert code == 0 and out.startswith("[")
    total = len(SEEDS)
    assert f"cleaning {total} of {total} articles for their titles" in err.splitlines()
    _, _, warm = _run(capsys, db)
    assert "cleaning" not in warm  # nothing left to clean


def test_a_filtered_listing_cleans_only_the_articles_it_shows(
    workspace: Path, db: Path, capsys: pytest.CaptureFixture[str], cleaned: list[str]
) -> None:
    chosen = SEEDS[1].stem
    title = _titles()[chosen]
    assert main(["article", chosen, "--set", "outlet=TASS", "--db", str(db)]) == 0
    cleaned.clear()
    _, out, _ = _run(capsys, db, "--attribute", "outlet=TASS")
    assert out.splitlines() == [f"{chosen}  {title}  outlet=TASS"]
    assert SEEDS[0].stem not in cleaned  # not listed, so not cleaned


def test_progress_on_a_terminal_redraws_one_line_through_the_inert_stream() -> None:
    """The CLI's stderr makes every control character visible (`␍`); a progress line is
    redrawn with a real carriage return, and its text still goes through the rule."""
    import io

    from tui.cli import InertText

    raw = io.StringIO()
    stream = InertText(raw)
    stream.redraw_line("cleaning 1 of 2")
    stream.redraw_line("cleaning 2 of 2 \x1b[31m")
    stream.write("a\rb\n")
    assert raw.getvalue().startswith("\rcleaning 1 of 2\rcleaning 2 of 2 ")
    assert "\x1b" not in raw.getvalue()
    assert raw.getvalue().endswith("a␍b\n")  # data keeps its carriage return visible
