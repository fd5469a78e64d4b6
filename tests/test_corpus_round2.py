"""Round-2 damage, built from prose written for the tests (not the seeds): every fixture in
corpus_fixtures/r2 cleans to its gold text, block for block (`make.py` there writes them)."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.corpus import Article, clean_bytes

R2 = Path(__file__).resolve().parent / "corpus_fixtures" / "r2"
GOLDS = sorted(R2.glob("*.gold.txt"))
PROSE = (R2 / "prose.txt").read_text(encoding="utf-8").splitlines()
HEADING = 3


def as_gold(article: Article) -> list[str]:
    return [
        ("## " if block.kind == "heading" else "") + article.text[block.start : block.end]
        for block in article.blocks
    ]


@pytest.mark.parametrize("gold", GOLDS, ids=[path.name.split(".")[0] for path in GOLDS])
def test_fixture_cleans_to_its_gold_text(gold: Path) -> None:
    damaged = gold.with_name(gold.name.replace(".gold", ""))
    article = clean_bytes(damaged.read_bytes(), damaged.stem)
    assert as_gold(article) == gold.read_text(encoding="utf-8").strip().split("\n\n")
    for change in article.report:  # every change placed in the text says what it made
        if change.start is not None and change.kind not in ("suspect",):
            assert 0 <= change.start <= change.end <= len(article.text)


def test_gold_texts_clean_to_themselves() -> None:
    for gold in GOLDS:
        text = gold.read_text(encoding="utf-8")
        article = clean_bytes(text.encode(), "gold")
        assert as_gold(article) == text.strip().split("\n\n")
        kinds = [change.kind for change in article.report if change.kind != "suspect"]
        assert kinds == ["heading-marker"] * text.count("## ")


def test_teaser_report_says_which_copy_went() -> None:
    article = clean_bytes((R2 / "teaser_3_2.txt").read_bytes(), "t")
    repeats = [change for change in article.report if change.kind == "repeated-paragraph"]
    assert [change.before for change in repeats] == [PROSE[2], PROSE[1]]
    assert all("in the teaser above the body" in change.detail for change in repeats)
    assert [change.detail.split(" at line ")[1].split(",")[0] for change in repeats] == ["5", "4"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from([0, 1, 2, 4, 5, 6, 7]), min_size=2, max_size=3, unique=True),
    st.booleans(),
)
def test_any_teaser_leaves_the_body_in_order(teaser: list[int], cut_first: bool) -> None:
    lines = [PROSE[index] for index in teaser]
    if cut_first:
        lines[0] = " ".join(lines[0].split()[:12]) + "…"
    article = clean_bytes("\n".join([*lines, *PROSE]).encode(), "t")
    assert [line.removeprefix("## ") for line in as_gold(article)] == PROSE


@pytest.mark.parametrize("name", ["genuine_scripts", "big5_traditional"])
def test_genuine_scripts_are_never_repaired(name: str) -> None:
    article = clean_bytes((R2 / f"{name}.txt").read_bytes(), "g")
    assert [change.kind for change in article.report if change.kind != "suspect"] == []


def test_cp932_repairs_are_reported_with_guesses_marked() -> None:
    article = clean_bytes((R2 / "mojibake_cp932.txt").read_bytes(), "j")
    repairs = [change for change in article.report if change.stage == "cp932"]
    assert repairs and all(article.text[c.start : c.end] == c.after for c in repairs)
    guessed = [change for change in repairs if change.confidence < 1]
    assert guessed and all("\ufffd" in change.before for change in guessed)


@pytest.mark.parametrize(
    ("name", "author", "extra"),
    [
        ("furniture_cookies_captions", "Claire Dubois", {}),
        ("furniture_liveblog", "Jonas Becker und Lena Vogel", {}),
        ("furniture_dateline", "Ивану Петрову", {"dateline": "GDAŃSK, Poland (AP)"}),
    ],
)
def test_furniture_is_never_title_or_author(name: str, author: str, extra: dict[str, str]) -> None:
    article = clean_bytes((R2 / f"{name}.txt").read_bytes(), name)
    assert article.author == author
    assert article.title.startswith("The harbour authority in Gdańsk")
    for key, value in extra.items():
        assert article.metadata[key] == value
    removed = [change for change in article.report if change.stage == "layout"]
    assert removed and all(change.start is None for change in removed)


FTFY_CASES = Path(__file__).resolve().parent.parent / "bench" / "ftfy_cases"


@pytest.mark.parametrize(
    "label",
    [
        "CESU-8 / Latin-1 mixup over several emoji",
        "HTML entity on top of UTF-8 / Latin-1",
        "Italian UTF-8 / MacRoman example with ò",
        "Handle Croatian single-codepoint digraphs",
        "UTF-8 / ISO-8859-2 mixup in Czech",
        "Messy language names: Korean",
    ],
)
def test_ftfy_published_cases(label: str) -> None:
    """ftfy's own cases (Apache-2.0, bench/ftfy_cases) that the cleaner once missed."""
    import json

    cases = [
        case
        for path in FTFY_CASES.glob("*.json")
        for case in json.loads(path.read_text(encoding="utf-8"))
        if case["label"] == label
    ]
    assert cases
    for case in cases:
        article = clean_bytes(case["original"].encode(), "ftfy")
        expected = case["fixed"].replace("\u201e", '"').replace("\u201c", '"')
        got = article.text.replace("\u201e", '"').replace("\u201c", '"')
        assert got == expected


def _cesu8(text: str) -> bytes:
    halves = "".join(
        chr(unit)
        if unit < 0x10000
        else chr(0xD800 + ((unit - 0x10000) >> 10)) + chr(0xDC00 + ((unit - 0x10000) & 0x3FF))
        for unit in map(ord, text)
    )
    return halves.encode("utf-8", errors="surrogatepass")


def _stray_cp1252(text: str) -> bytes:
    """UTF-8, but for quotes and an accent pasted in from a windows-1252 page."""
    return b"".join(
        char.encode("cp1252") if char in "“”é" else char.encode("utf-8") for char in text
    )


@pytest.mark.parametrize("wrapped", [False, True])
def test_decode_changes_are_placed_in_the_clean_text(wrapped: bool) -> None:
    body = [PROSE[0], PROSE[1].replace("Marta", "Renée"), PROSE[2] + " 🚢🌾", PROSE[4]]
    paragraphs = [_stray_cp1252(p) if i % 2 else _cesu8(p) for i, p in enumerate(body)]
    if wrapped:
        import textwrap

        paragraphs = [
            textwrap.fill(p.decode("utf-8", "surrogateescape"), 70).encode(
                "utf-8", "surrogateescape"
            )
            for p in paragraphs
        ]
    separator = b"\r\n\r\n" if wrapped else b"\r\n"
    raw = codecs.BOM_UTF8 + separator.join(p.replace(b"\n", b"\r\n") for p in paragraphs)
    article = clean_bytes(raw, "crlf")
    assert as_gold(article) == body
    decoded = [change for change in article.report if change.stage == "decode"]
    kinds = {change.kind for change in decoded}
    assert kinds == {"bom", "line-endings", "invalid-bytes", "cesu-8"}
    assert sum(c.kind == "line-endings" for c in decoded) == raw.count(b"\r\n")
    for change in decoded:
        assert change.start is not None and change.end is not None
        assert article.text[change.start : change.end] == change.after
    emoji = [change.after for change in decoded if change.kind == "cesu-8"]
    assert emoji == ["🚢", "🌾"]
    stray = [change.after for change in decoded if change.kind == "invalid-bytes"]
    assert stray == [c for p in body[1::2] for c in p if c in "“”é"]


BIG5_PROSE = (R2 / "prose_big5.txt").read_text(encoding="utf-8").splitlines()


def test_big5_repairs_are_placed_and_guesses_marked() -> None:
    article = clean_bytes((R2 / "big5_replace.txt").read_bytes(), "b")
    repairs = [change for change in article.report if change.stage == "big5"]
    assert repairs and all(article.text[c.start : c.end] == c.after for c in repairs)
    exact = [change for change in repairs if change.confidence == 1]
    assert sorted(change.after for change in exact) == sorted(
        char for p in BIG5_PROSE for char in p if char in "éíêüçó"
    )
    guessed = [change for change in repairs if change.confidence < 1]
    assert guessed and all(set(change.before) == {"\ufffd"} for change in guessed)
    assert {change.after for change in guessed} == set("“”’—–€")


def test_big5_lost_letter_is_one_unknown_character() -> None:
    """ń loses both its bytes to Big5: one U+FFFD, confidence 0, not a guessed letter."""
    lines = [PROSE[0], *BIG5_PROSE]
    damaged = "\n".join(line.encode().decode("big5", "replace") for line in lines)
    article = clean_bytes(damaged.encode(), "b")
    assert as_gold(article) == [PROSE[0].replace("ń", "\ufffd"), *BIG5_PROSE]
    unknown = [c for c in article.report if c.stage == "big5" and c.after == "\ufffd"]
    assert [(c.before, c.confidence) for c in unknown] == [("\ufffd\ufffd", 0.0)]


def test_big5_ignore_repairs_only_what_left_a_byte() -> None:
    article = clean_bytes((R2 / "big5_ignore.txt").read_bytes(), "b")
    repairs = [change for change in article.report if change.stage == "big5"]
    assert repairs and all(change.confidence == 1 for change in repairs)
    assert all(article.text[c.start : c.end] == c.after for c in repairs)


def test_big5_keeps_a_genuine_chinese_quote() -> None:
    article = clean_bytes((R2 / "big5_beside_chinese.txt").read_bytes(), "b")
    quote = article.text.index("一條互利共贏的通道")
    for change in article.report:
        if change.start is not None and change.kind != "suspect":  # flagged, kept
            assert change.end <= quote or change.start >= quote + 9
