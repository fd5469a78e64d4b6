"""Wrapping articles into screen lines by cell width, and the offset lookups the cursor uses."""

from __future__ import annotations

from rich.cells import cell_len

from tui.app.model.line_map import SEPARATOR, LineMap, wrap_article
from tui.corpus.model import Article, Block

SEED_SENTENCE = (
    "Russian President Vladimir Putin’s response was indirect. The day after Trump’s "
    "inauguration, Putin held an hour-and-a-half video call with Chinese President Xi Jinping."
)


def article_of(*blocks: tuple[str, str]) -> Article:
    text = "\n\n".join(body for _kind, body in blocks)
    spans = []
    position = 0
    for kind, body in blocks:
        spans.append(Block(kind, position, position + len(body)))  # type: ignore[arg-type]
        position += len(body) + 2
    return Article("a", "A", text, tuple(spans), ((0, len(text)),), (), ())


def shown(article: Article, width: int) -> list[str]:
    return [
        article.text[line.start : line.end].rstrip()
        for line in wrap_article(article, width)
        if line.block != SEPARATOR
    ]


def test_lines_fit_the_width_and_cover_every_character_once() -> None:
    article = article_of(
        ("heading", "From Domestic Concerns to Ukraine"), ("paragraph", SEED_SENTENCE)
    )
    for width in (12, 30, 47, 80):
        lines = wrap_article(article, width)
        covered = "".join(article.text[line.start : line.end] for line in lines if line.block >= 0)
        assert covered == article.text.replace("\n\n", "")
        for line in lines:
            assert cell_len(article.text[line.start : line.end].rstrip()) <= width


def test_words_are_not_split_when_they_fit() -> None:
    article = article_of(("paragraph", SEED_SENTENCE))
    for text in shown(article, 30):
        assert not text.endswith(("Vladi", "Jin", "inaugu"))
    assert shown(article, 30)[0] == "Russian President Vladimir"


def test_wide_characters_count_two_cells() -> None:
    chinese = "俄罗斯总统普京与中国国家主席习近平举行视频会晤"  # 23 characters, 46 cells
    article = article_of(("paragraph", chinese + " 🙂🙂 done"))
    lines = shown(article, 10)
    assert all(cell_len(text) <= 10 for text in lines)
    assert lines[0] == chinese[:5]
    assert "".join(lines).replace(" ", "") == (chinese + "🙂🙂done")


def test_blocks_are_separated_by_one_blank_line() -> None:
    article = article_of(("heading", "Title"), ("paragraph", "Body one."), ("paragraph", "Two."))
    kinds = [line.block for line in wrap_article(article, 40)]
    assert kinds == [0, SEPARATOR, 1, SEPARATOR, 2]


def test_line_of_finds_the_line_of_an_offset_and_skips_separators() -> None:
    article = article_of(("heading", "Title"), ("paragraph", SEED_SENTENCE))
    line_map = LineMap(article, 30)
    body = article.text.index("Russian")
    assert line_map.line_of(0) == 0
    assert line_map.line_of(body) == 2  # not the blank separator line 1
    last = len(article.text) - 1
    assert line_map.line_of(last) == len(line_map) - 1
    span = line_map.lines_of(body, len(article.text))
    assert span.start == 2 and span.stop == len(line_map)
