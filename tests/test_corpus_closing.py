"""An article's own closing lines stay in the body; the page furniture after them still goes.

A trial lost a saved page's short closing paragraph to the furniture rules. These pages and
scraped texts end in several ways real sites end: a short exclamation or question, a sign-off,
Russian and Chinese prose, and then share buttons, copyright lines, related links, newsletter
boxes. Each case says both sides: what must be kept and what must go.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.corpus import Article, clean_bytes
from tui.corpus.page_article import clean_page

HERE = Path(__file__).resolve().parent / "corpus_fixtures" / "closing"
BODY = (HERE / "bodies.txt").read_text(encoding="utf-8").splitlines()
OTTERS, BAKERY, TRAMS = BODY[0:4], BODY[4:7], BODY[7:10]
RUSSIAN = [
    "Тридцать лет река текла серой через промышленные города, унося отходы литейных и "
    "кожевенных заводов. Рыбаки перестали приходить на её берега ещё в семидесятых годах.",
    "Потом заводы закрылись один за другим, и вода начала меняться. Экологи из университета "
    "начали считать беспозвоночных в 1998 году.",
]
TITLE_LINKS = [
    "Why the Ruble Fell Again",
    "Five Things to Know About Sanctions",
    "A World Ready for Realignment?",
]


def blocks(article: Article) -> list[str]:
    return [article.text[block.start : block.end] for block in article.blocks]


def removed(article: Article) -> list[str]:
    return [change.before for change in article.report if change.stage == "layout"]


@pytest.mark.parametrize(
    ("name", "closing", "furniture"),
    [
        ("otters_article.html", "Still, the otters are back!", ["Share this article", "©"]),
        ("bakery_divsoup.html", "Will anyone take the shop on?", ["Share this:", "Copyright"]),
        ("tram_related.html", "Thanks for reading", ["Related", "Sign up", "Bus fares"]),
        ("vydry_ru.html", "И всё же выдры вернулись!", ["©"]),
        ("shuiqi_zh.html", "不过，水獭回来了！", ["版权所有", "©"]),
        # the trial's shape: a promotion ending "Read more" inside the article, body below it
        ("courier_promo.html", "The shop stays empty for now.", ["Dale Courier is", "Read more"]),
    ],
)
def test_saved_page_keeps_its_closing_paragraph(
    name: str, closing: str, furniture: list[str]
) -> None:
    article = clean_page((HERE / name).read_bytes(), "page")
    assert blocks(article)[-1] == closing
    assert len(blocks(article)) >= 4
    for line in furniture:
        assert line not in article.text
    assert not any(closing in line for line in removed(article))


@pytest.mark.parametrize(
    ("body", "closing", "after"),
    [
        (OTTERS, "Still, the otters are back!", ["Share this article", "© 2024 Midlands Weekly."]),
        (BAKERY, "Will anyone take the shop on?", ["Share this:", "Email", "Print"]),
        (OTTERS, "See you next week!", TITLE_LINKS),
        (
            TRAMS,
            "Thanks for reading",
            [
                "Related",
                "Bus fares frozen for another year",
                "Council approves new cycle lanes on Wilmslow Road",
                "Get the Evening Briefing",
                "Sign up to our free newsletter for the top stories, delivered to your inbox.",
                "Subscribe",
            ],
        ),
        (RUSSIAN, "И всё же выдры вернулись!", ["Поделиться", "© 2024 Городские новости."]),
        (RUSSIAN, "Выдры вернулись.", ["Все права защищены."]),
    ],
)
def test_scraped_text_keeps_its_closing_line_and_drops_what_follows(
    body: list[str], closing: str, after: list[str]
) -> None:
    article = clean_bytes("\n".join([*body, closing, *after]).encode("utf-8"), "text")
    assert blocks(article) == [*body, closing]
    assert removed(article) == after


@pytest.mark.parametrize(
    "after",
    [
        TITLE_LINKS,
        TITLE_LINKS[2:],  # one question headline alone, in Title Case
        ["Bus fares frozen for another year", "Council approves new cycle lanes"],
        ["Get our free newsletter", "Sign up"],
        ["Jane Roe"],
        ["Share this story!"],
        ["Subscribe now, it is free!"],
        ["Have a tip? Email us"],
        ["Support our journalism today!"],
    ],
)
def test_links_and_calls_to_action_after_the_body_still_go(after: list[str]) -> None:
    article = clean_bytes("\n".join([*OTTERS, *after]).encode("utf-8"), "text")
    assert blocks(article) == OTTERS
    assert removed(article) == after


RELATED_BOX = ["Related stories", "Why the Ruble Fell Again", "Five Things to Know About Sanctions"]


@pytest.mark.parametrize(
    "resumed", [OTTERS[:2], ["The otters, at least, seem to agree.", *OTTERS[2:4]]]
)
def test_body_below_a_related_box_late_in_the_article_is_kept(resumed: list[str]) -> None:
    """A box of links set inside the article's last third is not where the article ends."""
    body = [*BAKERY, *TRAMS]
    article = clean_bytes("\n".join([*body, *RELATED_BOX, *resumed]).encode("utf-8"), "text")
    assert blocks(article) == [*body, *resumed]
    assert removed(article) == RELATED_BOX


@pytest.mark.parametrize(
    "after",
    [
        [  # teasers: titles and one-sentence summaries
            "More from the Courier",
            "Why the village bakery closed",
            "Margaret Ellis sold her last teacakes after thirty-eight years on Church Street.",
            "Night trams return to the city centre",
            "Trams will run all night at weekends from March, the transport authority said.",
        ],
        [  # a box, then an author's blurb in prose, then the copyright line
            "Related",
            "Bus fares frozen for another year",
            "Jane Roe reports on the environment and transport for the Courier. She has lived "
            "beside the Tame in Walsall since 2009.",
            "© 2024 Midlands Weekly.",
        ],
        [  # a disclaimer ends the article whatever prose follows it
            "The views expressed in this article are the author's own.",
            "Jane Roe writes about rivers, floods and the people who live beside them, and has "
            "reported from the Black Country since 2009.",
            "Her book about the Tame, The River That Came Back, was published last spring by "
            "a small press in Birmingham and is in its second printing.",
        ],
    ],
)
def test_page_below_the_article_still_goes_when_it_reads_as_prose(after: list[str]) -> None:
    article = clean_bytes("\n".join([*OTTERS, *after]).encode("utf-8"), "text")
    assert blocks(article) == OTTERS
    assert removed(article) == after


def test_prose_about_copyright_owners_is_not_a_copyright_line() -> None:
    chinese = [
        "三十年来，这条河一直是灰色的，流经工业城镇，把铸造厂和制革厂的废水带到下游。",
        "根据著作权法，版权所有者可以决定作品的使用方式，但学校的课堂使用不受限制。",
        "他说，版权所有人应当得到补偿。",
    ]
    article = clean_bytes("\n".join([*chinese, "版權所有，翻印必究"]).encode("utf-8"), "zh")
    assert blocks(article) == chinese
    assert removed(article) == ["版權所有，翻印必究"]
