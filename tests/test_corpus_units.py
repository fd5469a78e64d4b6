"""What a search hit codes (`tui.corpus.units`, `Hit.passage`, `tui.app.model.hit_coding`):
its words, or the sentence or paragraph it sits in, by the article's own sentence rule, with
hits in one sentence made one passage and passages already coded so left out."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_app_support import seed_articles

from tui.app.model.hit_coding import plan_coding
from tui.corpus import clean_bytes
from tui.corpus.model import Article
from tui.corpus.search import Hit, compile_query, search_article
from tui.corpus.units import CODING_UNITS, UnitIndex, merged, next_unit, unit_spans
from tui.store.model import Annotation

# Damaged as scraped: `Russia鈥檚` is UTF-8 read as GBK (cleaning mends it to `Russia’s`).
RAW = (
    "Envoys meet in Washington\n\n"
    "The U.S. envoy met Lt. Gen. Smith in D.C. on Monday. Smith said Russia\u9225\u6a9a aims "
    "had not changed. \u201cWe will not retreat,\u201d Putin said. Then he left.\n\n"
    "他说：“我们会赢。”然后走了。这是第三句。\n\n"
    "A second paragraph names Putin and Smith once more.\n"
)
# The sentences and paragraphs as a reader counts them, written out by hand.
ABBREVIATED = "The U.S. envoy met Lt. Gen. Smith in D.C. on Monday."
MENDED = "Smith said Russia’s aims had not changed."
QUOTED = "“We will not retreat,” Putin said."
LEFT = "Then he left."
CJK = "然后走了。"
PARAGRAPH = f"{ABBREVIATED} {MENDED} {QUOTED} {LEFT}"
LAST = "A second paragraph names Putin and Smith once more."


@pytest.fixture(scope="module")
def article() -> Article:
    return clean_bytes(RAW.encode(), "envoys")


def hits(article: Article, pattern: str, *, is_regex: bool = False) -> list[Hit]:
    found = search_article(article, compile_query(pattern, is_regex=is_regex), units=True)
    return [hit for hit in found if isinstance(hit, Hit)]


def quote(article: Article, passage: tuple[str, int, int]) -> str:
    article_id, start, end = passage
    assert article_id == article.id
    return article.text[start:end]


def test_a_hit_codes_the_sentence_it_sits_in_abbreviations_and_quotes_kept(
    article: Article,
) -> None:
    found = {hit.match: hit for hit in hits(article, "Gen") + hits(article, "Russia’s")}
    assert quote(article, found["Gen"].passage("sentence")) == ABBREVIATED  # "U.S." goes on
    assert quote(article, found["Russia’s"].passage("sentence")) == MENDED
    (retreat,) = hits(article, "retreat")
    assert quote(article, retreat.passage("sentence")) == QUOTED  # the quote's comma goes on
    assert quote(article, retreat.passage("paragraph")) == PARAGRAPH
    assert quote(article, retreat.passage("words")) == "retreat"
    (walked,) = hits(article, "走")
    assert quote(article, walked.passage("sentence")) == CJK  # a CJK full stop ends one


def test_a_hit_across_two_sentences_codes_both_and_one_in_the_gap_its_own_words(
    article: Article,
) -> None:
    (across,) = hits(article, r"said\. Then", is_regex=True)
    assert quote(article, across.passage("sentence")) == f"{QUOTED} {LEFT}"
    (gap,) = hits(article, r"(?<=said\.) (?=Then)", is_regex=True)  # the space between
    assert quote(article, gap.passage("sentence")) == " "
    assert quote(article, gap.passage("paragraph")) == PARAGRAPH


def test_hits_in_one_sentence_make_one_passage(article: Article) -> None:
    smith = hits(article, "Smith")
    assert len(smith) == 3  # in the first, the second and the last sentence
    last = hits(article, "Putin|Smith", is_regex=True)
    in_last = [hit for hit in last if article.text.find(LAST) <= hit.start]
    assert len(in_last) == 2  # the fixture's premise: two hits in one sentence
    passages = merged(hit.passage("sentence") for hit in last)
    assert [quote(article, p) for p in passages] == [ABBREVIATED, MENDED, QUOTED, LAST]
    paragraphs = merged(hit.passage("paragraph") for hit in last)
    assert [quote(article, p) for p in paragraphs] == [PARAGRAPH, LAST]
    words = merged(hit.passage("words") for hit in last)
    assert len(words) == len(last)  # words: every hit its own passage, as before


def test_merging_joins_overlaps_only_and_keeps_each_article_apart() -> None:
    given = [("b", 10, 20), ("a", 5, 9), ("b", 0, 4), ("b", 15, 30), ("a", 9, 12), ("a", 5, 9)]
    # "a" came after "b": articles in the order they first come, passages in text order;
    # (5, 9) and (9, 12) only touch, so they stay two.
    assert merged(given) == [("b", 0, 4), ("b", 10, 30), ("a", 5, 9), ("a", 9, 12)]
    assert merged([]) == []


def test_every_seed_hit_s_sentence_is_the_one_holding_it() -> None:
    """Against a plain scan of the article's sentences (the bisection must agree)."""
    for article in seed_articles():
        for hit in hits(article, "the"):
            holding = [
                (start, end)
                for start, end in article.sentences
                if start < hit.end and hit.start < end
            ]
            assert len(holding) == 1
            assert hit.passage("sentence") == (article.id, *holding[0])
            block = next(b for b in article.blocks if b.start <= hit.start < b.end)
            assert hit.passage("paragraph") == (article.id, block.start, block.end)


@pytest.mark.parametrize("unit", ["sentence", "paragraph"])
def test_the_extent_of_any_span_is_the_units_it_shares_a_character_with(unit: str) -> None:
    """Every span of a seed (some empty, some across units or in the blank between two),
    against a plain scan of the units: the index's fast path and bisections must agree."""
    article = seed_articles()[1]
    spans = unit_spans(article, unit)  # type: ignore[arg-type]
    index = UnitIndex(spans)
    for start in range(0, len(article.text) + 1, 7):
        for length in (0, 1, 5, 60, 400):
            end = min(start + length, len(article.text))
            reached = [(s, e) for s, e in spans if s < max(end, start + 1) and start < e]
            wanted = (reached[0][0], reached[-1][1]) if reached else (start, end)
            assert index.extent(start, end) == wanted, (start, end)


def test_extent_of_a_span_in_no_units_and_the_unit_cycle(article: Article) -> None:
    assert UnitIndex(()).extent(3, 7) == (3, 7)
    assert unit_spans(article, "words") == ()
    assert [next_unit(unit) for unit in CODING_UNITS] == ["sentence", "paragraph", "words"]
    hit = hits(article, "Putin")[0]
    assert replace(hit, sentence=None).passage("sentence") == (article.id, hit.start, hit.end)
    # Not asked for (the CLI's search): no units, so a hit codes its words.
    (plain,) = [h for h in search_article(article, compile_query("retreat")) if isinstance(h, Hit)]
    assert plain.sentence is None and plain.paragraph is None
    assert plain.passage("paragraph") == (article.id, plain.start, plain.end)


def annotation(article_id: str, start: int, end: int, tags: tuple[str, ...]) -> Annotation:
    return Annotation(
        id=f"{start}", article=article_id, start=start, end=end, quote="", prefix="", suffix="",
        tags=tags, note="", author="alice", created="", updated="", text_hash="",
    )  # fmt: skip


def test_a_passage_already_carrying_every_code_is_left_and_the_confirm_says_so(
    article: Article,
) -> None:
    smith = hits(article, "Smith|Putin", is_regex=True)
    sentences = merged(hit.passage("sentence") for hit in smith)
    assert len(sentences) == 4 < len(smith)
    first, second = sentences[0], sentences[1]
    mine = [
        annotation(*first, ("War aims", "Envoys")),  # every code: left
        annotation(*second, ("War aims",)),  # one of the two: tagged (joined by the store)
        annotation(first[0], first[1], first[2] - 1, ("War aims", "Envoys")),  # not the range
    ]
    plan = plan_coding(smith, "sentence", ["War aims", "Envoys"], mine)
    assert plan.passages == sentences[1:] and plan.already == 1
    question = plan.question("u")
    assert question.startswith("Tag 3 sentences in 1 article with War aims, Envoys?")
    assert "5 hits in all: a sentence with several is coded once." in question
    assert "1 sentence already carries War aims, Envoys: left as it is." in question
    done = plan_coding(smith, "sentence", ["War aims"], mine[:2])
    assert done.passages == sentences[2:] and done.already == 2
    assert "2 sentences already carry War aims: left as they are." in done.question("u")
    nothing = plan_coding(smith[:1], "sentence", ["War aims"], mine)
    assert nothing.passages == []  # one hit, in a sentence coded so already: said alone
    assert nothing.question("u") == "Nothing to tag: every sentence already carries War aims."
    words = plan_coding(smith, "words", ["War aims"], [])
    assert words.question("u").startswith("Tag 5 passages in 1 article with War aims?")
    assert "in all" not in words.question("u")


def test_a_passage_within_one_coded_so_is_left_and_one_around_it_is_said(
    article: Article,
) -> None:
    """The reader's rule for `t` inside a longer passage with the code: a sentence within a
    paragraph coded "War aims" is left (a trial coded a paragraph, then its sentences, and
    counted both); a paragraph around a coded sentence is coded, and the confirm says it
    will count as one more passage."""
    smith = hits(article, "Smith")
    paragraph = merged(hit.passage("paragraph") for hit in smith)[0]
    sentences = merged(hit.passage("sentence") for hit in smith)
    coded_paragraph = [annotation(*paragraph, ("War aims",))]
    within = plan_coding(smith[:2], "sentence", ["War aims"], coded_paragraph)
    assert within.passages == [] and within.already == len(sentences[:2])
    assert within.question("u") == "Nothing to tag: every sentence already carries War aims."
    coded_sentence = [annotation(*sentences[0], ("War aims",))]
    around = plan_coding(smith[:1], "paragraph", ["War aims"], coded_sentence)
    assert around.passages == [paragraph] and around.holding == 1
    assert "1 paragraph holds a passage you already coded War aims: both will" in around.question(
        "u"
    )
    other_code = plan_coding(smith[:1], "paragraph", ["Envoys"], coded_sentence)
    assert other_code.holding == 0 and "already coded" not in other_code.question("u")
