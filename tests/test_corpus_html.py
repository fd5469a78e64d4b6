"""Saved web pages are articles: main text kept with its headings, page furniture left out."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tui.corpus import load_article, load_corpus
from tui.corpus.web_page import looks_like_page
from tui.errors import UserError

PAGES = Path(__file__).resolve().parent / "corpus_fixtures" / "html"
SEED_000 = Path(__file__).resolve().parent.parent / "seeds" / "000_812b4db44989ec20.txt"


def test_news_page_keeps_article_and_drops_furniture() -> None:
    article = load_article(PAGES / "radwege-cp1252.html")
    assert "zwölf Kilometer neue Radwege" in article.text  # windows-1252 from <meta charset>
    assert "„zu spät und zu zaghaft“" in article.text
    for furniture in ("Startseite", "Cookies", "Mehr zum Thema", "Neue Buslinie", "Endlich!"):
        assert furniture not in article.text, furniture
    assert "dataLayer" not in article.text and "Impressum" not in article.text
    headings = [article.text[b.start : b.end] for b in article.blocks if b.kind == "heading"]
    assert headings == ["Stadtrat beschließt neue Radwege", "Kritik aus der Opposition"]
    assert article.title == "Stadtrat beschließt neue Radwege"
    assert article.author == "Jana Müller"  # from JSON-LD
    assert article.source == "Lokalblatt"
    assert article.metadata["date"] == "2024-03-14"
    assert article.metadata["url"] == "https://lokalblatt.example/stadt/radwege-2024"
    assert article.report[0].kind == "page-extracted"


def test_paywall_page_metadata_from_meta_tags() -> None:
    article = load_article(PAGES / "paywall-teaser.html")
    assert article.text.startswith("Harbour expansion splits the council\n\n")
    assert "four hundred jobs" in article.text
    for furniture in ("Log in", "privacy", "Most read", "Storm closes", "All rights reserved"):
        assert furniture not in article.text, furniture
    assert article.author == "Tom Rees"
    assert article.source == "The Coastal Herald"
    assert article.metadata["date"] == "2023-11-02"


def test_txt_that_is_a_page_is_read_as_a_page() -> None:
    path = PAGES / "saved-as-text.txt"
    assert looks_like_page(path.read_bytes())
    article = load_article(path)
    assert "<" not in article.text and "querySelectorAll" not in article.text
    assert "Events" not in article.text and "CityCMS" not in article.text
    assert "nine o'clock every Friday" in article.text


def test_plain_text_is_not_sniffed_as_a_page() -> None:
    assert not looks_like_page(SEED_000.read_bytes())
    assert not looks_like_page(b"The <html> tag starts a page.\n")
    assert looks_like_page(b"\xef\xbb\xbf\n  <!-- saved -->\n<!DOCTYPE HTML>\n<html>")


def test_page_cache_is_apart_from_text_cache(tmp_path: Path) -> None:
    """A page once cleaned as text (before pages were read) is not taken from the cache."""
    cache = tmp_path / "cache"
    path = PAGES / "saved-as-text.txt"
    first = load_article(path, cache)
    second = load_article(path, cache)
    assert second == first
    assert "querySelectorAll" not in second.text


def _write(folder: Path, name: str, data: bytes) -> None:
    (folder / name).write_bytes(data)


BAD_PAGES = {
    "empty-body.html": (b"<!DOCTYPE html><html><head><title>x</title></head><body></body></html>"),
    "only-scripts.html": b"<html><body><script>var a = 1; for(;;){}</script>"
    b"<script>document.write('<p>hi</p>')</script></body></html>",
    "binary.html": bytes(range(256)) * 16,
    "blank.htm": b"   \n ",
}


def test_bad_pages_each_give_one_line_and_the_rest_load(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(PAGES / "paywall-teaser.html", folder / "good.html")
    for name, data in BAD_PAGES.items():
        _write(folder, name, data)
    big = folder / "huge.html"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: refused by size before it is read
    broken = (PAGES / "radwege-cp1252.html").read_bytes()
    _write(folder, "broken.html", broken.replace(b"</p>", b"").replace(b"</div>", b"<div")[:-200])
    corpus = load_corpus(folder)
    assert sorted(a.id for a in corpus.articles) == ["broken", "good"]
    assert "zwölf Kilometer" in corpus.get("broken").text  # type: ignore[union-attr]
    assert len(corpus.problems) == len(BAD_PAGES) + 1
    for line in corpus.problems:
        assert "\n" not in line
    text = "\n".join(corpus.problems)
    assert "binary.html: not a web page (binary" in text
    assert "huge.html: file is 50.0 MiB; articles are limited to" in text
    assert "empty-body.html: no article text found" in text
    assert "only-scripts.html: no article text found" in text
    assert "blank.htm: empty web page" in text


def test_other_types_are_named(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED_000, folder / "a.txt")
    _write(folder, "report.pdf", b"%PDF-1.4\n")
    _write(folder, "notes.docx", b"PK\x03\x04")
    _write(folder, ".DS_Store", b"\x00")
    (folder / "sub").mkdir()
    corpus = load_corpus(folder)
    assert [a.id for a in corpus.articles] == ["a"]
    assert len(corpus.problems) == 2
    assert corpus.problems[0].endswith(
        "notes.docx: not an article type marginalia reads (.txt, .html, .htm)"
    )
    assert "report.pdf: not an article type" in corpus.problems[1]


def test_many_other_files_are_counted_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED_000, folder / "a.txt")
    for number in range(25):
        _write(folder, f"scan{number:02}.jpg", b"\xff\xd8")
    problems = load_corpus(folder).problems
    assert len(problems) == 11
    assert problems[-1].endswith("15 more files not of a type marginalia reads")


def test_same_id_in_two_files_reads_one(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED_000, folder / "a.txt")
    shutil.copy(PAGES / "paywall-teaser.html", folder / "a.html")
    corpus = load_corpus(folder)
    assert len(corpus.articles) == 1
    assert corpus.problems == [f"{folder / 'a.txt'}: same article id as a.html, not read"]


def test_folder_of_only_pdfs_says_so(tmp_path: Path) -> None:
    _write(tmp_path, "a.pdf", b"%PDF")
    with pytest.raises(
        UserError, match=r"no articles \(\*\.txt, \*\.html, \*\.htm files\).*a\.pdf"
    ):
        load_corpus(tmp_path)
