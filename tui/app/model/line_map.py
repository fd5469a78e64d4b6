"""Wrapping an article into screen lines by cell width, kept apart from drawing.

The article view asks two questions many times per key press: "which screen line holds this
offset?" and "which offsets does this screen line show?". Both are answered here from a list
of line starts computed once per width, so a cursor move on a 1 MB article costs a bisect.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from rich.cells import cell_len

from tui.corpus.model import Article

_TOKEN = re.compile(r"\S+\s*|\s+")
SEPARATOR = -1
"""`VisualLine.block` of the blank line drawn between two blocks."""


@dataclass(frozen=True, slots=True)
class VisualLine:
    """One screen line: the offsets `[start, end)` of the clean text it shows."""

    start: int
    end: int
    block: int


def _token_cells(token: str) -> int:
    # Measured as the pane draws it (Rich's cell widths): CJK and emoji take two cells.
    return len(token) if token.isascii() else cell_len(token)


def _wrap_run(text: str, offset: int, width: int, block: int, out: list[VisualLine]) -> None:
    """Wrap one run of text without newlines, breaking between words where possible."""
    if not text:
        out.append(VisualLine(offset, offset, block))
        return
    line_start = 0
    used = 0
    for match in _TOKEN.finditer(text):
        token_start = match.start()
        token = match.group()
        word_cells = _token_cells(token.rstrip())
        if used and used + word_cells > width:
            out.append(VisualLine(offset + line_start, offset + token_start, block))
            line_start = token_start
            used = 0
        if word_cells > width:
            # A word wider than the pane (a URL, a run of CJK): cut it by cells.
            for index, char in enumerate(token, start=token_start):
                cells = cell_len(char)
                if used and used + cells > width and not char.isspace():
                    out.append(VisualLine(offset + line_start, offset + index, block))
                    line_start = index
                    used = 0
                used += cells
            continue
        used += _token_cells(token)
    out.append(VisualLine(offset + line_start, offset + len(text), block))


def wrap_article(article: Article, width: int) -> list[VisualLine]:
    """Screen lines for `article` at `width` cells, with a blank line between blocks."""
    width = max(1, width)
    lines: list[VisualLine] = []
    text = article.text
    for index, block in enumerate(article.blocks):
        if index:
            lines.append(VisualLine(block.start, block.start, SEPARATOR))
        position = block.start
        for part in text[block.start : block.end].split("\n"):
            _wrap_run(part, position, width, index, lines)
            position += len(part) + 1
    return lines


class LineMap:
    """The wrapped lines of one article at one width, with offset lookups."""

    def __init__(self, article: Article, width: int) -> None:
        self.width = width
        self.lines = wrap_article(article, width)
        self._starts = [line.start for line in self.lines]

    def __len__(self) -> int:
        return len(self.lines)

    def line_of(self, offset: int) -> int:
        """The screen line showing `offset` (the last line for an offset past the text)."""
        if not self.lines:
            return 0
        index = bisect_right(self._starts, offset) - 1
        index = max(0, index)
        # Separators share their start with the next block's first line: skip to the text.
        while index + 1 < len(self.lines) and self.lines[index].block == SEPARATOR:
            index += 1
        return index

    def lines_of(self, start: int, end: int) -> range:
        """The screen lines showing any of the offsets `[start, end)`."""
        first = self.line_of(start)
        last = self.line_of(max(start, end - 1))
        return range(first, last + 1)
