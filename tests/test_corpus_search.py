"""Search across articles: folded words or a guarded regex, hits with offsets into clean text."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest

from tui.cli import main
from tui.corpus import clean_bytes, load_article
from tui.corpus.search import Hit, Skipped, compile_query, search_article, search_articles
from tui.errors import UserError

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_000 = SEEDS / "000_812b4db44989ec20.txt"
SEED_001 = SEEDS / "001_5b2a99fe7e84453b.txt"
PAGES = Path(__file__).resolve().parent / "corpus_fixtures" / "html"

PROSE = (
    "The council’s vote—taken late—was close.\n\n"
    "Nobody expected the Council to agree; the council's critics were silent."
)


def _article(text: str = PROSE, article_id: str = "a") -> object:
    return clean_bytes(text.encode(), article_id)


def test_words_fold_case_quotes_and_dashes() -> None:
    article = _article()
    hits = list(search_article(article, compile_query("council's")))  # type: ignore[arg-type]
    assert [hit.match for hit in hits] == ["council’s", "council's"]  # type: ignore[union-attr]
    for hit in hits:
        assert isinstance(hit, Hit)
        assert article.text[hit.start : hit.end] == hit.match  # type: ignore[attr-defined]
    dashes = list(search_article(article, compile_query("vote-taken")))  # type: ignore[arg-type]
    assert len(dashes) == 1
    upper = list(search_article(article, compile_query("COUNCIL")))  # type: ignore[arg-type]
    assert len(upper) == 3


def test_context_is_clean_text_around_the_hit() -> None:
    article = _article()
    (hit,) = search_article(article, compile_query("agree"), context=10)  # type: ignore[arg-type]
    assert isinstance(hit, Hit)
    text = article.text  # type: ignore[attr-defined]
    assert hit.before == text[hit.start - 10 : hit.start]
    assert hit.after == text[hit.end : hit.end + 10]


def test_regex_offsets_and_empty_matches() -> None:
    article = _article()
    query = compile_query(r"\bc\w+l\b", is_regex=True)
    hits = list(search_article(article, query))  # type: ignore[arg-type]
    assert [h.match for h in hits] == ["council", "Council", "council"]  # type: ignore[union-attr]
    assert list(search_article(article, compile_query("z*", is_regex=True))) == []  # type: ignore[arg-type]


def test_catastrophic_regex_is_skipped_not_hung() -> None:
    article = _article("x" * 3000 + " end.", "slow")
    results = list(search_article(article, compile_query(r"(x+x+)+y", is_regex=True), budget=0.05))  # type: ignore[arg-type]
    assert results == [Skipped("slow", "pattern took over 0.05 s on this article; skipped")]


def test_bad_queries_are_user_errors() -> None:
    with pytest.raises(UserError, match="not a valid regular expression"):
        compile_query("(unclosed", is_regex=True)
    with pytest.raises(UserError, match="empty search"):
        compile_query("")
    assert compile_query("(unclosed").is_regex is False  # words are taken literally


def test_search_streams_across_articles() -> None:
    seen: list[int] = []
    articles = (load_article(path) for path in (SEED_000, SEED_001))
    stream = search_articles(articles, compile_query("the"), progress=seen.append)
    first = next(stream)
    assert isinstance(first, Hit) and first.article_id == SEED_000.stem
    assert seen == []  # nothing past the first article was searched yet
    rest = list(stream)
    assert seen == [1, 2]
    assert {hit.article_id for hit in [first, *rest]} == {SEED_000.stem, SEED_001.stem}  # type: ignore[union-attr]


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MARGINALIA_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED_000, folder / "one.txt")
    shutil.copy(PAGES / "radwege-cp1252.html", folder / "radwege.html")
    (folder / "bad.txt").write_bytes(b"")
    return folder


def _run(corpus: Path, *args: str) -> list[str]:
    return ["search", "--corpus", str(corpus), "--db", str(corpus.parent / "db.json"), *args]


def test_cli_prints_hits_from_every_article(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_run(corpus, "Radwege")) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines and all(line.startswith("radwege:") for line in lines)
    assert "[Radwege]" in lines[0]
    assert "bad.txt: empty file" in err
    assert main(_run(corpus, "no such words anywhere")) == 1


def test_cli_json_lines_offsets_match_the_article(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_run(corpus, r"kilomet\w+", "--regex", "--json", "--article", "rad")) == 0
    records = [orjson.loads(line) for line in capsys.readouterr().out.splitlines()]
    article = load_article(corpus / "radwege.html")
    assert records
    for record in records:
        assert record["article"] == "radwege"
        assert article.text[record["start"] : record["end"]] == record["match"]


def test_cli_hostile_text_is_printed_inert(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (corpus / "evil.txt").write_bytes(
        b"A quiet paragraph about the harbour and the\x1b]0;pwned\x07 town.\n"
    )
    main(_run(corpus, "harbour", "--article", "evil"))
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "[harbour]" in out


def test_offsets_hold_when_folding_changes_length() -> None:
    """`İ` lowers to two characters: the fast folded search must not shift offsets."""
    article = _article("İzmir’s council met in İstanbul; the council's mayor spoke.")
    hits = list(search_article(article, compile_query("council's")))  # type: ignore[arg-type]
    assert [hit.match for hit in hits] == ["council's"]  # type: ignore[union-attr]
    text = article.text  # type: ignore[attr-defined]
    assert all(text[h.start : h.end] == h.match for h in hits)  # type: ignore[union-attr]
    both = list(search_article(article, compile_query("COUNCIL")))  # type: ignore[arg-type]
    assert [text[h.start : h.end] for h in both] == ["council", "council"]  # type: ignore[union-attr]
