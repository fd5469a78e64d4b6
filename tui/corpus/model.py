"""What cleaning produces: an Article with its blocks, segments and the report of changes.

Offsets everywhere are code points into `Article.text` (blocks joined by one blank line, `\n`
line endings), end exclusive: the unit of W3C TextPositionSelector and REFI-QDA.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Literal, overload

# Part of the cache key: bump whenever the same bytes would clean differently. It lives here,
# not with the pipeline, so that reading articles from the cache never loads the cleaner.
# 21: closing sentences and the body below a box kept; 20: Big5 repair ends on bytes UTF-8
# never starts with; 19: whole titles.
CLEANER_VERSION = "21"

BlockKind = Literal["paragraph", "heading"]


@dataclass(frozen=True, slots=True)
class Change:
    """One thing a cleaning stage did, so the reader can check and trust the cleaning.

    `start`/`end` locate the result in the final clean text; both are None when the change
    removed the text from the body (furniture, a repeated paragraph, a control character) or
    concerns the whole document (a guessed encoding). Where something was removed in place (a
    BOM, the CR of a CRLF) the change is zero-width: `start == end`, where it was.

    Stages and their kinds: decode (bom, line-endings, invalid-bytes, encoding, cesu-8),
    controls (ansi-escape, control-char, c1-punctuation), markup (html-entity, html-tag,
    heading-tag, no-break-space, invisible), cp932 (mojibake), big5 and gbk (mojibake;
    lost-byte: a guessed character, confidence below 1, or U+FFFD at confidence 0), latin
    (mojibake, ligature), normalize (nfc), layout (kicker, byline, author-line, furniture,
    heading-marker, dateline), dedupe (repeated-paragraph), suspect (suspect: kept, but
    foreign script).
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


class Spans(Sequence[tuple[int, int]]):
    """(start, end) pairs kept in one flat array: 16 bytes a span instead of about 120.

    A 1 MB article has some 170,000 words; as a tuple of tuples they took 17 times the text's
    size in memory (issue 11: memory a small multiple of the text). Reads as a sequence of
    pairs, and equals any sequence holding the same pairs.
    """

    __slots__ = ("_flat",)

    def __init__(self, pairs: Iterable[tuple[int, int]] = ()) -> None:
        self._flat = array("q", chain.from_iterable(pairs))

    @classmethod
    def from_flat(cls, flat: Iterable[int]) -> Spans:
        """From `[start, end, start, end, ...]`, as the cache stores them."""
        spans = cls()
        spans._flat = array("q", flat)
        return spans

    def flat(self) -> list[int]:
        return self._flat.tolist()

    def __len__(self) -> int:
        return len(self._flat) // 2

    @overload
    def __getitem__(self, index: int) -> tuple[int, int]: ...
    @overload
    def __getitem__(self, index: slice) -> Spans: ...
    def __getitem__(self, index: int | slice) -> tuple[int, int] | Spans:
        if isinstance(index, slice):
            return Spans(self[i] for i in range(*index.indices(len(self))))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("span index out of range")
        return self._flat[2 * index], self._flat[2 * index + 1]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        flat = iter(self._flat)
        return zip(flat, flat, strict=True)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Spans):
            return self._flat == other._flat
        if isinstance(other, Sequence):
            if len(other) != len(self):
                return False
            return all(mine == tuple(theirs) for mine, theirs in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._flat.tobytes())

    def __repr__(self) -> str:
        return f"Spans({list(self)!r})"


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    title: str
    text: str
    blocks: tuple[Block, ...]
    sentences: tuple[tuple[int, int], ...]
    words: Sequence[tuple[int, int]]  # a Spans when cleaned or cached: one per word
    report: tuple[Change, ...]
    source: str | None = None
    author: str | None = None
    text_hash: str = ""
    raw_hash: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
