"""What cleaning produces: an Article with its blocks, segments and the report of changes.

Offsets everywhere are code points into `Article.text` (blocks joined by one blank line, `\n`
line endings), end exclusive: the unit of W3C TextPositionSelector and REFI-QDA.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# Part of the cache key: bump whenever the same bytes would clean differently. It lives here,
# not with the pipeline, so that reading articles from the cache never loads the cleaner.
CLEANER_VERSION = "16"

BlockKind = Literal["paragraph", "heading"]


@dataclass(frozen=True, slots=True)
class Change:
    """One thing a cleaning stage did, so the reader can check and trust the cleaning.

    `start`/`end` locate the result in the final clean text; both are None when the change
    removed the text from the body (furniture, a repeated paragraph, a control character).

    Stages and their kinds: decode (bom, line-endings, invalid-bytes, encoding, cesu-8),
    controls (ansi-escape, control-char, c1-punctuation), markup (html-entity, html-tag,
    heading-tag, no-break-space, invisible), cp932 (mojibake), gbk (mojibake; lost-byte: a
    guessed character, confidence below 1), latin (mojibake, ligature), normalize (nfc), layout
    (kicker, byline, author-line, furniture, heading-marker, dateline), dedupe
    (repeated-paragraph), suspect (suspect: kept, but foreign script).
    """

    stage: str
    kind: str
    before: str
    after: str
    confidence: float
    start: int | None = None
    end: int | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Block:
    kind: BlockKind
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    title: str
    text: str
    blocks: tuple[Block, ...]
    sentences: tuple[tuple[int, int], ...]
    words: tuple[tuple[int, int], ...]
    report: tuple[Change, ...]
    source: str | None = None
    author: str | None = None
    text_hash: str = ""
    raw_hash: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
