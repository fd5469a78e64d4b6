"""Text damaged here the ways the seeds are damaged comes back as it was written."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401  (registers "sloppy-windows-1252", the usual cp1252 damage)
import pytest

from tui.corpus import Article, clean_bytes

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "corpus_fixtures"
SEED_000 = HERE.parent / "seeds" / "000_812b4db44989ec20.txt"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def _paragraphs() -> list[str]:
    english = (FIXTURES / "english.txt").read_text(encoding="utf-8").splitlines()
    seed = SEED_000.read_text(encoding="utf-8").splitlines()
    return [*english, seed[1], seed[0], *seed[4:12]]  # seed 000 without its repeats


PARAGRAPHS = _paragraphs()
EXPECTED = "\n\n".join(PARAGRAPHS)


def clean_text(text: str, encoding: str = "utf-8") -> Article:
    return clean_bytes(text.encode(encoding), "sample")


def kinds(article: Article) -> set[str]:
    return {change.kind for change in article.report}


def test_utf8_read_as_gbk_is_repaired() -> None:
    damaged = "\n".join(PARAGRAPHS).encode("utf-8").decode("gbk", errors="ignore")
    assert "鈥" in damaged and "茅" in damaged  # the damage is really there
    article = clean_text(damaged)
    assert not CJK.search(article.text)
    assert len(article.text) == len(EXPECTED)
    guesses = {c.start: c for c in article.report if c.kind == "lost-byte"}
    assert len(guesses) >= 15
    wrong = [i for i, (a, b) in enumerate(zip(article.text, EXPECTED, strict=True)) if a != b]
    assert all(i in guesses for i in wrong), "every difference is a reported guess"
    assert len(wrong) <= 0.15 * len(guesses)
    for name in ("Café", "São Paulo", "Müller", "Brasília", "João", "4–6 percent"):
        assert name in article.text


@pytest.mark.parametrize("codec", ["sloppy-windows-1252", "latin-1"])
def test_utf8_read_as_a_latin_codepage_is_repaired(codec: str) -> None:
    damaged = "\n".join(PARAGRAPHS).encode("utf-8").decode(codec)
    assert "Ã©" in damaged
    article = clean_text(damaged)
    assert article.text == EXPECTED
    repairs = [change for change in article.report if change.stage == "latin"]
    assert len(repairs) > 40
    for change in repairs:
        assert article.text[change.start : change.end] == change.after
        assert change.before in damaged


def test_a_legacy_encoding_is_detected() -> None:
    article = clean_bytes("\n".join(PARAGRAPHS).encode("cp1252"), "legacy")
    assert article.text == EXPECTED
    assert "encoding" in kinds(article)


def test_stray_invalid_bytes_never_crash() -> None:
    raw = "“Fine,” he said.\n".encode() + b"We don\x92t know \xff yet, and that is the point.\n"
    article = clean_bytes(raw, "stray")
    assert "We don’t know" in article.text
    assert "“Fine,” he said." in article.text
    assert "invalid-bytes" in kinds(article)


def test_repeated_leading_block_keeps_reading_order() -> None:
    a, b, c, d, e = PARAGRAPHS[5:10]
    article = clean_text("\n".join([a, b, b, a, c, d, e]))
    assert article.text == "\n\n".join([b, a, c, d, e])
    assert sum(change.kind == "repeated-paragraph" for change in article.report) == 2


def test_later_and_near_copies_are_removed() -> None:
    a, b, c, d = PARAGRAPHS[6:10]
    near = c.replace("Russian", "Russia’s", 1).rstrip(".") + " "
    assert near != c
    article = clean_text("\n".join([a, b, c, d, b, near]))
    assert article.text == "\n\n".join([a, b, c, d])
    removed = [change for change in article.report if change.kind == "repeated-paragraph"]
    assert [change.before for change in removed] == [b, near.strip()]


def test_furniture_before_and_after_the_body() -> None:
    body = PARAGRAPHS[5:11]
    lines = [
        "A publication of the Example Foundation",
        "By Jane Doe",
        "January 24, 2025",
        body[0],
        "Advertisement",
        body[1],
        body[2],
        "Photo: Reuters/John Smith",
        body[3],
        "Share this article",
        body[4],
        body[5],
        "Related articles",
        "Why the Talks Stalled Again",
        "",
        "Five Things to Know About Sanctions",
        "© 2025 Example News. All rights reserved.",
    ]
    article = clean_text("\n".join(lines))
    assert article.text == "\n\n".join(body)
    assert article.source == "Example Foundation"
    assert article.author == "Jane Doe"
    assert article.metadata.get("date") == "January 24, 2025"
    removed = [change.before for change in article.report if change.stage == "layout"]
    assert removed == [line for line in lines if line and line not in body]


def test_section_headings_become_heading_blocks() -> None:
    a, b, c = PARAGRAPHS[5:8]
    article = clean_text("\n".join([a, "What Comes Next for Kyiv", b, c]))
    assert [block.kind for block in article.blocks] == [
        "paragraph",
        "heading",
        "paragraph",
        "paragraph",
    ]


def test_controls_and_ansi_escapes_are_stripped() -> None:
    a, b = PARAGRAPHS[5:7]
    dirty = (
        "\x1b]0;owned\x07"
        + a[:20]
        + "\x1b[1;31m"
        + a[20:40]
        + "\x1b[0m\x07\x00\x7f"
        + a[40:]
        + "\n\x0b"
        + b[:10]
        + "\u009b"
        + b[10:]
    )
    article = clean_text(dirty)
    assert article.text == f"{a}\n\n{b}"
    assert {"ansi-escape", "control-char"} <= kinds(article)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", article.text)


def test_bom_and_crlf() -> None:
    raw = b"\xef\xbb\xbf" + "\r\n".join(PARAGRAPHS[:4]).encode() + b"\r\n"
    article = clean_bytes(raw, "windows")
    assert article.text == "\n\n".join(PARAGRAPHS[:4])
    assert {"bom", "line-endings"} <= kinds(article)


@pytest.mark.parametrize("codec", ["utf-16", "utf-32", "utf-16-le", "utf-16-be"])
def test_utf16_and_utf32(codec: str) -> None:
    article = clean_bytes("\n".join(PARAGRAPHS[:3]).encode(codec), "wide")
    assert article.text == "\n\n".join(PARAGRAPHS[:3])


def test_hard_wrapped_paragraphs_are_joined() -> None:
    body = PARAGRAPHS[5:9]
    wrapped = "\n\n".join(textwrap.fill(paragraph, 72) for paragraph in body)
    assert wrapped.count("\n") > 2 * len(body)
    assert clean_text(wrapped).text == "\n\n".join(body)


def test_clean_english_is_unchanged() -> None:
    article = clean_text(EXPECTED)
    assert article.text == EXPECTED
    assert article.report == ()


def test_genuine_chinese_is_unchanged() -> None:
    raw = (FIXTURES / "chinese.txt").read_bytes()
    article = clean_bytes(raw, "zh")
    assert article.text == raw.decode("utf-8").strip().replace("\n", "\n\n")
    assert article.report == ()
    assert len(article.sentences) == 6
    assert article.title == "北京时间周三，俄罗斯总统普京与中国国家主席习近平举行了视频会谈"


def test_foreign_script_in_english_is_kept_and_flagged() -> None:
    text = "The slogan 为人民服务 was painted on every wall in the village, residents said."
    article = clean_text(text)
    assert article.text == text
    [suspect] = [change for change in article.report if change.kind == "suspect"]
    assert article.text[suspect.start : suspect.end] == "为人民服务"


@pytest.mark.parametrize("codec", ["iso-8859-2", "cp1251", "macroman", "cp437"])
def test_other_single_byte_code_pages(codec: str) -> None:
    text = (
        "Zażółć gęślą jaźń — “Straße” naïve café, he said. "
        "It’s the Müller–Łukasiewicz result… for Dvořák."
    )
    article = clean_text(text.encode("utf-8").decode(codec))
    assert article.text == text


def test_lost_characters_are_guessed_from_context() -> None:
    """Spaced and range dashes, ellipses, elided years, plural possessives, nested quotes,
    a quotation over two paragraphs and short closing paragraphs, all losing bytes."""
    text = (FIXTURES / "typography.txt").read_text(encoding="utf-8").strip()
    expected = text.replace("\n", "\n\n")
    assert clean_text(text).text == expected
    article = clean_text(text.encode("utf-8").decode("gbk", errors="ignore"))
    assert article.text == expected
    guesses = [change for change in article.report if change.kind == "lost-byte"]
    assert {guess.after for guess in guesses} == set("”’—–…")
    assert all(0.3 < guess.confidence <= 0.95 for guess in guesses)


def test_wire_story_layout() -> None:
    """Section label, headline, byline and date above; credits and "Read Next" links below."""
    article = clean_bytes((FIXTURES / "wire_layout.txt").read_bytes(), "wire")
    assert article.title == "Ukraine says it repelled Russian assault near Pokrovsk"
    assert article.blocks[0].kind == "heading"
    assert article.author == "Tom Balmforth and Olena Harmash"
    assert article.metadata == {"section": "World", "date": "January 24, 2025 3:45 PM GMT"}
    assert article.text.startswith("Ukraine says it repelled")
    assert article.text.endswith("could not independently verify the battlefield accounts.")
    assert len(article.blocks) == 4


def test_newspaper_layout() -> None:
    """Age warning, headline, standfirst, a name above the date, share buttons, topic links."""
    article = clean_bytes((FIXTURES / "newspaper_layout.txt").read_bytes(), "paper")
    assert article.title == "Kremlin dismisses Trump’s threat of sanctions as ‘nothing new’"
    assert article.author == "Pjotr Sauer"
    assert article.metadata["date"] == "Thu 23 Jan 2025 12.12 GMT"
    kept = [article.text[b.start : b.end] for b in article.blocks]
    assert kept[1].startswith("Spokesperson says Moscow is ready for dialogue")
    assert kept[-1].endswith("was waiting for concrete signals.")
    assert "Share" not in kept and "Vladimir Putin" not in kept and len(kept) == 4


def test_sentences_that_only_resemble_furniture_stay() -> None:
    body = PARAGRAPHS[5:10]
    lookalikes = [
        "Copyright law in Ukraine was rewritten in 2019.",
        "Sign up rates for the army fell sharply last year.",
        "This does not reflect the views of most voters, he said.",
        "More on that in a moment.",
    ]
    article = clean_text("\n".join([*body, *lookalikes]))
    assert article.text == "\n\n".join([*body, *lookalikes])
    assert article.report == ()


def test_decomposed_accents_are_composed() -> None:
    article = clean_text(
        "The Cafe\u0301 Mu\u0308ller in Sa\u0303o Paulo reopened on Monday after a long wait."
    )
    assert article.text == "The Café Müller in São Paulo reopened on Monday after a long wait."
    assert [change.kind for change in article.report] == ["nfc"]
    assert "Café" in [article.text[start:end] for start, end in article.words]


def test_accented_words_alone_are_repaired_but_chinese_beside_latin_is_not() -> None:
    """`caf茅` is café even with no damaged quote nearby; a hanzi glued to a Latin model name
    that happens to decode as a rare letter (犬 = c8 ae = Ȯ) is left as written."""
    french = "The café in Zürich served crème brûlée, the owner said on Monday."
    damaged = french.encode("utf-8").decode("gbk", errors="ignore")
    assert "caf茅" in damaged
    assert clean_text(damaged).text == french
    chinese = (
        "这款手机的型号为ABC犬 2024，售价三千元。我们在北京和上海的门店都能买到，消费者反映很好。"
    )
    article = clean_text(chinese)
    assert article.text == chinese
    assert article.report == ()


def test_hanzi_whose_big5_bytes_no_utf8_starts_with_are_left_alone() -> None:
    """`亹` is F9 D8 in Big5; F9 starts no UTF-8 sequence. The Big5 repair looped forever on
    it (found by the property test): a Chinese page holding it hung the cleaner."""
    from tui.corpus import cjk_codecs
    from tui.corpus.pipeline import clean_bytes

    text = "他說：「亹亹不倦，儺儺有節。」\n\nHe quoted the line in full.\n"
    assert cjk_codecs._big5_decode("亹", 0x0A) is None
    article = clean_bytes(text.encode("utf-8"), "hanzi")
    assert "亹亹不倦" in article.text
