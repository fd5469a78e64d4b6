"""Repair UTF-8 text that was decoded as GBK with `errors="ignore"` and saved again.

The damage is mechanical, so the repair is too: a run of GBK-encodable characters is encoded
back to GBK and decoded as UTF-8. Python's GBK decoder, on a byte it cannot pair, drops that one
byte and carries on, so a UTF-8 sequence may come back one byte short (`鈥` before a space is
`e2 80` with the third byte of ” ’ “ — – … lost). Which bytes could have been dropped is
computed from the codec itself (here); which of the possible characters was meant is chosen
from its context (`lost_chars`: quotation balance in the paragraph, spacing, digits), and
recorded as a guess.

Genuine Chinese text almost never survives the round trip (its GBK bytes are rarely UTF-8);
where a short run does by chance, the result must also look like text (`plausible`), so
genuine Chinese is left exactly as it is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from tui.corpus.lost_chars import PRIOR, UNKNOWN_PRIOR, Piece, Slot, apply_runs
from tui.corpus.model import Change
from tui.corpus.plausible import STRONG, WEAK, kind_of, plausibility

STAGE = "gbk"

# A GBK mojibake run always starts with a CJK ideograph: UTF-8 lead bytes (C2-F4) land in the
# GBK rows of hanzi. Lines without one are skipped without further work.
_HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


@lru_cache(maxsize=65536)
def _gbk_bytes(char: str) -> bytes | None:
    try:
        return char.encode("gbk")
    except UnicodeEncodeError:
        return None


def _dropped(byte: int, following: bytes) -> bool:
    """Would the GBK decoder (errors="ignore") drop `byte` when `following` comes next?"""
    if byte in (0x80, 0xFF):
        return True
    if not following:  # an incomplete pair at the end of the input is dropped
        return True
    try:
        bytes((byte, following[0])).decode("gbk")
    except UnicodeDecodeError:
        return True
    return False


def _utf8_length(lead: int) -> int | None:
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return None


def _acceptable(char: str) -> bool:
    return unicodedata.category(char) not in ("Cc", "Cf", "Cn", "Co", "Cs") or char in "\t\n"


@lru_cache(maxsize=65536)
def _decode_run(run: str, following: bytes) -> tuple[Piece, ...] | None:
    """Undo the damage on one run, or None when the run is not this kind of mojibake."""
    encoded = bytearray()
    boundaries = set()
    for char in run:
        boundaries.add(len(encoded))
        gbk = _gbk_bytes(char)
        if gbk is None:
            return None
        encoded += gbk
    size = len(encoded)
    boundaries.add(size)
    pieces: list[Piece] = []
    text: list[str] = []
    i = 0
    while i < size:
        lead = encoded[i]
        if lead < 0x80:
            text.append(chr(lead))
            i += 1
            continue
        need = _utf8_length(lead)
        if need is None:  # a continuation byte with no lead, or a byte UTF-8 never uses
            return None
        j = i + 1
        while j < size and j - i < need and 0x80 <= encoded[j] <= 0xBF:
            j += 1
        if j - i == need:
            try:
                char = bytes(encoded[i:j]).decode("utf-8")
            except UnicodeDecodeError:
                return None
            if not _acceptable(char):
                return None
            text.append(char)
            i = j
            continue
        if j - i == need - 1:
            candidates = _lost_byte_candidates(
                bytes(encoded[i:j]), i, boundaries, encoded, following
            )
        elif need == 3 and j == i + 1 and j in boundaries:
            after = bytes(encoded[j : j + 1]) if j < size else following
            candidates = _two_lost_bytes_candidates(lead, after)
        else:
            return None
        if not candidates:
            return None
        if text:
            pieces.append("".join(text))
            text = []
        observed = _observed_chars(run, i, j)
        pieces.append(Slot(candidates, observed))
        i = j
    if text:
        pieces.append("".join(text))
    texts = [piece for piece in pieces if isinstance(piece, str)]
    if len(texts) == len(pieces) and "".join(texts) == run:
        return None
    return tuple(pieces)


def _observed_chars(run: str, start: int, end: int) -> str:
    """The damaged characters that hold bytes start..end of the run's GBK encoding."""
    position = 0
    chars = []
    for char in run:
        width = len(_gbk_bytes(char) or b"")
        if position < end and position + width > start:
            chars.append(char)
        position += width
    return "".join(chars)


def _lost_byte_candidates(
    present: bytes, start: int, boundaries: set[int], encoded: bytearray, following: bytes
) -> tuple[str, ...]:
    """Every character that, missing one byte here, gives exactly what we see."""
    found: list[str] = []
    for offset in range(1, len(present) + 1):
        position = start + offset
        if position not in boundaries:
            continue  # the decoder only drops a byte where it starts a new character
        after = bytes(encoded[position : position + 1]) if position < len(encoded) else following
        for byte in range(0x80, 0xC0):
            if not _dropped(byte, after):
                continue
            try:
                char = (present[:offset] + bytes((byte,)) + present[offset:]).decode("utf-8")
            except UnicodeDecodeError:
                continue
            if _acceptable(char) and char not in found:
                found.append(char)
    found.sort(key=lambda char: (-PRIOR.get(char, UNKNOWN_PRIOR), char))
    return tuple(found)


@lru_cache(maxsize=256)
def _two_lost_bytes_candidates(lead: int, following: bytes) -> tuple[str, ...]:
    """A three-byte character of which only the lead survived (`”…` before a space)."""
    found = set()
    for second in range(0x80, 0xC0):
        for third in range(0x80, 0xC0):
            if not (_dropped(second, bytes((third,))) and _dropped(third, following)):
                continue
            try:
                char = bytes((lead, second, third)).decode("utf-8")
            except UnicodeDecodeError:
                continue
            if _acceptable(char):
                found.add(char)
    return tuple(sorted(found, key=lambda char: (-PRIOR.get(char, UNKNOWN_PRIOR), char)))


def _runs(line: str) -> Iterator[tuple[int, int, tuple[Piece, ...], int]]:
    """Every run of the line that decodes, with its place and plausibility."""
    for match in _NON_ASCII_RUN.finditer(line):
        for start, end in _encodable_spans(line, match.start(), match.end()):
            following = line[end : end + 1].encode("utf-8")[:1]
            decoded = _decode_run(line[start:end], following)
            if decoded is not None:
                level = plausibility(decoded, line[start - 1 : start], line[end : end + 1])
                if level:
                    yield start, end, decoded, level
            elif end - start > 2:
                yield from _edge_runs(line, start, end, following)


_EDGE = 6  # characters of mojibake punctuation tried at each end of a run that does not decode


def _edge_runs(
    line: str, start: int, end: int, following: bytes
) -> Iterator[tuple[int, int, tuple[Piece, ...], int]]:
    """Mojibake punctuation glued to genuine CJK text (`鈥一带一路鈥`: a Chinese quote inside
    damaged English): the longest piece at each end that decodes to punctuation alone; the
    genuine text between, which the damage never touched, ends the piece as the input did."""
    head = start
    for cut in range(min(_EDGE, end - start - 1), 0, -1):
        decoded = _decode_run(line[start : start + cut], b"")
        if decoded is not None and _punctuation_only(decoded):
            yield start, start + cut, decoded, STRONG
            head = start + cut
            break
    for cut in range(min(_EDGE, end - head - 1), 0, -1):
        decoded = _decode_run(line[end - cut : end], following)
        if decoded is not None and _punctuation_only(decoded):
            yield end - cut, end, decoded, STRONG
            break


def _punctuation_only(pieces: tuple[Piece, ...]) -> bool:
    for piece in pieces:
        if isinstance(piece, Slot):
            if piece.candidates[0] not in PRIOR:
                return False
        elif any(ord(char) > 0x7F and kind_of(char) != "punctuation" for char in piece):
            return False
    return True


_WEAK_RUNS_FOR_EVIDENCE = 3


def damaged(text: str) -> bool:
    """Does the document show this damage beyond doubt? Then weak repairs are trusted too.

    Genuine Chinese glued to a Latin word decodes as an accented letter often enough that a
    lone weak repair is not evidence; a damaged quote, dash or apostrophe is.
    """
    weak = 0
    for line in text.splitlines():
        if not _HANZI.search(line):
            continue
        for *_, level in _runs(line):
            if level == STRONG:
                return True
            weak += level == WEAK
            if weak >= _WEAK_RUNS_FOR_EVIDENCE:
                return True
    return False


def repair_gbk(
    line: str, spaced_dash: str = "—", trust_weak: bool = True
) -> tuple[str, list[Change]]:
    """Repair one paragraph. Change offsets are into the returned text.

    `trust_weak`: also make weak repairs (see `plausibility`); pass `damaged(document)`.
    """
    if not _HANZI.search(line):
        return line, []
    pieces: list[Piece] = []
    repaired_runs: list[tuple[int, int, str]] = []  # (index in pieces of first, count, before)
    position = 0
    for start, end, decoded, level in _runs(line):
        if level == WEAK and not trust_weak:
            continue
        if start > position:
            pieces.append(line[position:start])
        repaired_runs.append((len(pieces), len(decoded), line[start:end]))
        pieces.extend(decoded)
        position = end
    if not repaired_runs:
        return line, []
    if position < len(line):
        pieces.append(line[position:])
    return apply_runs(pieces, repaired_runs, spaced_dash, STAGE, "UTF-8 read as GBK")


def _encodable_spans(line: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a non-ASCII run where a character has no GBK form (it cannot be mojibake)."""
    spans = []
    span_start = start
    for index in range(start, end):
        if _gbk_bytes(line[index]) is None:
            if index > span_start:
                spans.append((span_start, index))
            span_start = index + 1
    if end > span_start:
        spans.append((span_start, end))
    return spans
