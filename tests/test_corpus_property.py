"""Cleaning is idempotent: the clean output, cleaned again, comes back unchanged."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.corpus import clean_bytes

VOCABULARY = (
    "the a of and to in Putin Kyiv said war peace talks U.S. Lt. Gen. 2024 200,000 "
    "don’t it’s “deal” ‘no’ — – … café São Müller 北京 浪花直播 Москва (NATO) sanctions, "
    "Read more Share Advertisement By Related Author © 鈥 攈 茅 Ã© â€™ January 24 World Jane Doe"
)
WORDS = st.sampled_from(VOCABULARY.split())
SENTENCE = st.lists(WORDS, min_size=1, max_size=25).map(lambda words: " ".join(words))
LINE = st.one_of(
    SENTENCE.map(lambda s: s[0].upper() + s[1:] + "."),  # prose
    SENTENCE,  # fragments, headings, links
    st.just(""),  # blank lines
)
ARTICLE = st.lists(LINE, min_size=1, max_size=14).map("\n".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ARTICLE)
def test_cleaning_clean_output_changes_nothing(raw: str) -> None:
    try:
        first = clean_bytes(raw.encode("utf-8"), "x")
    except Exception as error:  # only a UserError (nothing left) is acceptable
        from tui.errors import UserError

        assert isinstance(error, UserError)
        return
    second = clean_bytes(first.text.encode("utf-8"), "x")
    assert second.text == first.text
    assert second.blocks == first.blocks
    assert second.sentences == first.sentences
    assert second.title == first.title
    assert [c for c in second.report if c.kind != "suspect"] == []


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=400),
        st.text(max_size=300).map(str.encode),
        ARTICLE.map(
            lambda text: text.encode("utf-8").decode("gbk", errors="ignore").encode("utf-8")
        ),
    )
)
def test_any_input_gives_an_article_or_a_user_error(raw: bytes) -> None:
    from tui.errors import UserError

    try:
        article = clean_bytes(raw, "x")
    except UserError as error:
        assert "\n" not in str(error)
        return
    text = article.text
    assert text == text.strip() and "\n\n\n" not in text
    assert "\n\n".join(text[b.start : b.end] for b in article.blocks) == text
    for start, end in article.sentences:
        assert any(b.start <= start < end <= b.end for b in article.blocks)
    assert all(0 <= start < end <= len(text) for start, end in article.words)
    rewritten = any(change.stage == "latin" for change in article.report)
    for change in article.report:
        if change.start is not None:
            assert change.end is not None and 0 <= change.start <= change.end <= len(text)
            if change.stage == "suspect" or (change.stage == "gbk" and not rewritten):
                assert text[change.start : change.end] == change.after


LATIN_VOCABULARY = (
    "the a of and to in Putin Kyiv said war peace talks U.S. 2024 12 don’t it’s “deal” "
    "“deal,” ‘no’ ‘no,’ — – … café São Müller (NATO) sanctions, “Yes.” ’90s workers’ • € ™"
)
LATIN_WORDS = st.sampled_from(LATIN_VOCABULARY.split())
LATIN_ARTICLE = st.lists(
    st.lists(LATIN_WORDS, min_size=1, max_size=30).map(" ".join), min_size=1, max_size=8
).map("\n".join)


@settings(max_examples=150, deadline=None)
@given(LATIN_ARTICLE)
def test_gbk_damage_leaves_no_mojibake(text: str) -> None:
    """Whatever the text, its GBK damage is undone: no CJK is left, nothing unreadable."""
    from tui.errors import UserError

    damaged = text.encode("utf-8").decode("gbk", errors="ignore").encode("utf-8")
    try:
        article = clean_bytes(damaged, "x")
    except UserError:
        return
    assert not any("\u3400" <= char <= "\u9fff" for char in article.text), article.text
    assert "\ufffd" not in article.text
