"""`marginalia report full` carries the memos: the project's before the codebook, each
article's in a section by article, escaped and inert as the rest of the report, and filtered
as the report's filters select articles and coders."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_analysis_support import A_ID, B_ID, write_workspace

from tui.cli import main
from tui.store import AnnotationStore
from tui.store.model import Memo
from tui.store.schema import MEMOS_TABLE

# As a store edited by hand or by another tool may hold them: the store's own writer drops
# controls, the report must not rely on that.
HOSTILE_TEXT = "See [link](x) and *stars* | pipe\n# not a heading\n\x1b[2Jcleared \u202eevil"
HOSTILE_AUTHOR = "mal\u202elory*|"


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[AnnotationStore, list[str]]:
    coded, flags = write_workspace(tmp_path)
    store = coded.store
    store.memos.add("", "What the coding is for: framing of the war.")
    AnnotationStore(store.path, "bob").memos.add(A_ID, "Bob reads A as hawkish.")
    store.memos.add(B_ID, "Alice: B's dates need checking.")
    return store, flags


def _write_raw_memo(store: AnnotationStore, memo: Memo) -> None:
    records = store._records
    records.transact(lambda: records.set(MEMOS_TABLE, memo.id, memo.to_record()))


def report(capsys: pytest.CaptureFixture[str], flags: list[str], *more: str) -> str:
    code = main(["report", "full", *more, *flags])
    out, _ = capsys.readouterr()
    assert code == 0
    return out


def test_project_memos_come_before_the_codebook_article_memos_by_article(
    workspace: tuple[AnnotationStore, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    _, flags = workspace
    out = report(capsys, flags)
    top, rest = out.split("## Codebook")
    assert "## Memos on the project" in top
    assert "> What the coding is for: framing of the war." in top
    assert "hawkish" not in top
    on_articles = rest.split("## Memos on articles")[1].split("## Articles")[0]
    on_a = on_articles.split(f"(a\\_{A_ID[2:]})")[1].split("### On")[0]
    assert "Talks on Ukraine" in on_articles
    assert "— by bob, " in on_a and "> Bob reads A as hawkish." in on_a
    assert "B's dates" not in on_a and "B's dates need checking" in on_articles


def test_hostile_memo_text_and_author_are_inert(
    workspace: tuple[AnnotationStore, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    store, flags = workspace
    for article in ("", A_ID):
        memo = Memo(f"hostile{article}", article, HOSTILE_TEXT, HOSTILE_AUTHOR, "2026-01-02")
        _write_raw_memo(store, memo)
    out = report(capsys, flags)
    assert "\x1b" not in out and "\u202e" not in out
    assert "[link](x)" not in out and "\\[link\\](x)" in out
    assert "\\*stars\\* \\| pipe" in out
    assert "\n# not a heading" not in out and "\\# not a heading" in out
    assert "by mal" in out and "lory\\*\\|, 2026-01-02" in out
    assert out.count("\\[link\\](x)") == 2  # the project's and A's


def test_an_article_filter_keeps_that_articles_memos_and_the_projects(
    workspace: tuple[AnnotationStore, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    _, flags = workspace
    out = report(capsys, flags, "--article", A_ID)
    assert "framing of the war" in out and "hawkish" in out
    assert "dates need checking" not in out
    out = report(capsys, flags, "--attribute", "outlet=Times")
    assert "framing of the war" in out and "dates need checking" in out
    assert "hawkish" not in out


def test_a_coder_filter_keeps_that_coders_memos(
    workspace: tuple[AnnotationStore, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    _, flags = workspace
    out = report(capsys, flags, "--coder", "bob")
    assert "hawkish" in out
    assert "framing of the war" not in out and "dates need checking" not in out


def test_a_memo_on_an_article_without_a_passage_in_scope_is_named_by_its_title(
    workspace: tuple[AnnotationStore, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    """`--tag economy` selects passages in B alone; A's memo is still named by A's title."""
    _, flags = workspace
    out = report(capsys, flags, "--tag", "economy")
    on_articles = out.split("## Memos on articles")[1].split("## Articles")[0]
    assert f"### On *Talks on Ukraine* (a\\_{A_ID[2:]})" in on_articles


def test_a_report_without_memos_has_no_memo_sections(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, flags = write_workspace(tmp_path)
    out = report(capsys, flags)
    assert "Memos on" not in out
