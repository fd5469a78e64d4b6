"""UTF-8 read as a CJK double-byte codec: Shift-JIS (cp932, `窶冱` is ’s, `cafﾃｩ` is café)
and Big5 (`caf矇` is café; its limits are described where its repair begins). GBK, which
drops bytes differently, has a module of its own.

Unlike GBK with errors="ignore", cp932 keeps every byte (0x80 comes back as U+0080, which the
ingest leaves for this stage), so the repair is a strict round trip: a run of cp932-encodable
characters, encoded back, must be valid UTF-8 and look like text (the GBK stage's test of
plausibility). Genuine Japanese or Chinese almost never round-trips, and where a piece of it
happens to, the result is judged implausible and the text is left as written.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tui.corpus import lost_chars, plausible
from tui.corpus.edits import remap
from tui.corpus.model import Change

STAGE = "cp932"
CODEC = "cp932"

# A UTF-8 lead byte read as cp932 is a kanji (E0-EF), a half-width katakana (C2-DF) or, for
# E2 80 (general punctuation), 窶. A line without one of these has nothing to repair.
_LEAD = re.compile("[\uff61-\uff9f\u7aa1-\u7ab6\u4e00-\u9fff]")
_RUN = re.compile("[^\x00-\x7f]+")
_GUESSED = 0.6  # confidence of a repair that guessed a lost byte
_EDGE = 6


@lru_cache(maxsize=65536)
def _round_trip(run: str, before: str = "", after: str = "", quoting: bool = False) -> str | None:
    """The run encoded back and read as UTF-8, or None. A U+FFFD (a byte the reader could not
    pair, replaced) stands for one lost continuation byte: the fitting character is guessed,
    as the GBK stage guesses its lost bytes, from the punctuation of news text and context."""
    if "\ufffd" not in run:
        try:
            fixed = run.encode(CODEC).decode("utf-8")
        except UnicodeError:
            return None
        return fixed if fixed != run else None
    parts = run.split("\ufffd")
    try:
        encoded = [part.encode(CODEC) for part in parts]
    except UnicodeError:
        return None
    out = encoded[0]
    for index, part in enumerate(encoded[1:], start=1):
        best: tuple[float, bytes] | None = None
        for byte in range(0x80, 0xC0):
            candidate = out + bytes((byte,))
            try:
                char = candidate[-3:].decode("utf-8")[-1:]
                candidate.decode("utf-8")
            except UnicodeError:
                continue
            if char in lost_chars.PRIOR:
                following = parts[index][:1] or (after if index == len(parts) - 1 else "")
                previous = out.decode("utf-8", errors="ignore")[-1:] or before
                score = lost_chars.local_score(char, previous, following, "—")
                so_far = out.decode("utf-8", errors="ignore")
                if char == "”" and quoting + so_far.count("“") <= so_far.count("”"):
                    score -= 4.0  # closes no quotation
                if best is None or score > best[0]:
                    best = (score, candidate)
        if best is None:
            return None
        out = best[1] + part
    try:
        return out.decode("utf-8")
    except UnicodeError:
        return None


def _plausible(fixed: str, before: str, after: str) -> bool:
    if any(plausible.kind_of(char) == "other" for char in fixed if ord(char) > 0x7F):
        return False
    return plausible.plausibility((fixed,), before, after) >= 2


def repair_cp932(line: str, changes: list[Change]) -> tuple[str, list[Change]]:
    """Repair one paragraph; earlier changes are moved to the repaired text's offsets."""
    if line.isascii() or not _LEAD.search(line):
        return line, changes
    out: list[str] = []
    found: list[Change] = []
    position = length = 0
    for match in _RUN.finditer(line):
        for start, end in _pieces(line, match.start(), match.end()):
            repaired = "".join(out)
            quoting = repaired.count("“") > repaired.count("”")
            fixed = _round_trip(
                line[start:end], line[start - 1 : start], line[end : end + 1], quoting
            )
            assert fixed is not None
            out.append(line[position:start])
            length += start - position
            found.append(
                Change(
                    STAGE,
                    "mojibake",
                    line[start:end],
                    fixed,
                    _GUESSED if "\ufffd" in line[start:end] else 1.0,
                    length,
                    length + len(fixed),
                    "UTF-8 read as Shift-JIS (cp932)"
                    + ("; a lost byte guessed" if "\ufffd" in line[start:end] else ""),
                )
            )
            out.append(fixed)
            length += len(fixed)
            position = end
    if not found:
        return line, changes
    out.append(line[position:])
    fixed_line = "".join(out)
    return fixed_line, [*remap(changes, line, fixed_line), *found]


def _pieces(line: str, start: int, end: int) -> list[tuple[int, int]]:
    """The whole run if it repairs; else the longest repairable piece at each of its ends
    (damaged punctuation glued to genuine CJK text)."""
    before, after = line[start - 1 : start], line[end : end + 1]
    fixed = _round_trip(line[start:end], before, after)
    if fixed is not None and _plausible(fixed, before, after):
        return [(start, end)]
    pieces = []
    head = start
    for cut in range(min(_EDGE, end - start - 1), 0, -1):
        fixed = _round_trip(line[start : start + cut], before)
        if fixed is not None and _punctuation(fixed):
            pieces.append((start, start + cut))
            head = start + cut
            break
    for cut in range(min(_EDGE, end - head - 1), 0, -1):
        fixed = _round_trip(line[end - cut : end], "", after)
        if fixed is not None and _punctuation(fixed):
            pieces.append((end - cut, end))
            break
    return pieces


def _punctuation(fixed: str) -> bool:
    wide = [char for char in fixed if ord(char) > 0x7F]
    return bool(wide) and all(plausible.kind_of(char) == "punctuation" for char in wide)


# UTF-8 read as Big5 (`errors="replace"` or `"ignore"`, as scrapers do), saved as UTF-8.
#
# Big5 pairs a lead byte A1-F9 with a trail byte 40-7E or A1-FE, and drops (or replaces with
# one U+FFFD each) every byte it cannot pair. A two-byte UTF-8 character whose second byte is
# A1-BF comes through as a hanzi (`caf矇` is café) and is repaired exactly. A byte 80-A0 is
# never a trail, so the punctuation of news text (E2 80 xx: “ ” ’ — – …) loses all its bytes:
# with "replace" three U+FFFD mark its place and which character it was is guessed in context
# (`lost_chars`) and reported with a confidence below 1; a lost accented letter is one U+FFFD,
# confidence 0. With "ignore" a lost character leaves no trace (`authoritys`): only what still
# has a byte in the text can be repaired, and the rest is a limit of this repair.
BIG5_STAGE = "big5"
REPLACEMENT = lost_chars.REPLACEMENT
_BIG5_RUN = re.compile("[^\x00-\x7f]+")
_BIG5_SIGN = re.compile("[\u3400-\u9fff\uf900-\ufaff\ufffd]")
_LOST_TRIPLE = re.compile("(?<!\ufffd)\ufffd{3}(?!\ufffd)")
_Pattern = tuple[int | None, ...]  # bytes, None where one was lost (a U+FFFD)


@lru_cache(maxsize=65536)
def _big5_bytes(char: str) -> bytes | None:
    if char == "\ufffd":
        return None
    try:
        return char.encode("big5")
    except UnicodeError:
        return None


@lru_cache(maxsize=65536)
def _pairs(lead: int, trail: int) -> bool:
    try:
        return len(bytes((lead, trail)).decode("big5")) == 1
    except UnicodeDecodeError:
        return False


def _big5_lost(data: bytes) -> list[bool]:
    """Which bytes the Big5 decoder could not read (each such error is one byte)."""
    lost: list[bool] = []
    at = 0
    while at < len(data):
        if data[at] < 0x80:
            lost.append(False)
            at += 1
        elif at + 1 < len(data) and _pairs(data[at], data[at + 1]):
            lost += [False, False]
            at += 2
        else:
            lost.append(True)
            at += 1
    return lost


def _utf8_length(lead: int) -> int:
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    return 4 if 0xF0 <= lead <= 0xF4 else 0


def _big5_candidates(segment: _Pattern, following: int | None) -> tuple[str, ...]:
    """The common characters (`lost_chars.PRIOR`) that fit the known bytes of `segment` and,
    read as Big5 before `following` (None: not known), lose exactly its unknown bytes."""
    found = []
    for char in lost_chars.PRIOR:
        data = char.encode("utf-8")
        if len(data) != len(segment) or any(
            known is not None and known != byte for known, byte in zip(segment, data, strict=True)
        ):
            continue
        tail = b"" if following is None else bytes((following,))
        lost = _big5_lost(data + tail)[: len(data)]
        if following is None and lost[-1] is False and segment[-1] is None:
            lost[-1] = True  # paired with a byte that was lost too: cannot be checked
        if lost == [known is None for known in segment]:
            found.append(char)
    found.sort(key=lambda char: -lost_chars.PRIOR[char])
    return tuple(found) or (REPLACEMENT,)


def _split_lost(group: _Pattern) -> list[_Pattern] | None:
    """Cut bytes that begin with a lost lead into characters of 2-4 bytes, the most common
    characters first (three lost bytes are most often one punctuation mark)."""
    best: dict[int, tuple[float, list[_Pattern]]] = {0: (0.0, [])}
    for end in range(2, len(group) + 1):
        options = []
        for size in (2, 3, 4):
            start = end - size
            if start in best and group[start] is None:
                segment = group[start:end]
                fits = _big5_candidates(segment, None)
                score = max(lost_chars.PRIOR.get(char, lost_chars.UNKNOWN_PRIOR) for char in fits)
                options.append((best[start][0] + score, [*best[start][1], segment]))
        if options:
            best[end] = max(options, key=lambda option: option[0])
    return best[len(group)][1] if len(group) in best else None


def _continuation_or_lost(byte: int | None) -> bool:
    return byte is None or 0x80 <= byte <= 0xBF


@lru_cache(maxsize=16384)
def _big5_decode(run: str, following: int | None) -> tuple[lost_chars.Piece, ...] | None:
    """Undo the damage on one run (hanzi and U+FFFD), or None when it is not this damage."""
    pattern: list[int | None] = []
    for char in run:
        data = _big5_bytes(char)
        if data is None and char != REPLACEMENT:
            return None
        pattern.extend(data if data is not None else (None,))
    pieces: list[lost_chars.Piece] = []
    text: list[str] = []
    at = 0
    while at < len(pattern):
        byte = pattern[at]
        if byte is not None and byte < 0x80:
            text.append(chr(byte))
            at += 1
            continue
        segments: list[_Pattern]
        if byte is not None and _utf8_length(byte):
            end = at + _utf8_length(byte)
            segments = [tuple(pattern[at:end])]
        else:  # a lost lead: the lost bytes and the continuation bytes after them
            end = at
            while end < len(pattern) and _continuation_or_lost(pattern[end]):
                end += 1
            if end == at:  # a byte UTF-8 never starts with (0xF5-0xFF): not this damage
                return None
            split = _split_lost(tuple(pattern[at:end]))
            if split is None:
                return None
            segments = split
        if end > len(pattern) or not all(
            _continuation_or_lost(byte) for segment in segments for byte in segment[1:]
        ):
            return None
        position = at
        for segment in segments:
            position += len(segment)
            known = bytes(byte for byte in segment if byte is not None)
            if len(known) == len(segment):
                try:
                    text.append(known.decode("utf-8"))
                except UnicodeDecodeError:
                    return None
                continue
            after = pattern[position] if position < len(pattern) else following
            if text:
                pieces.append("".join(text))
                text = []
            observed = REPLACEMENT * segment.count(None)
            pieces.append(lost_chars.Slot(_big5_candidates(segment, after), observed))
        at = end
    if text:
        pieces.append("".join(text))
    if len(pieces) == 1 and pieces[0] == run:
        return None
    return tuple(pieces)


def _big5_plausible(pieces: tuple[lost_chars.Piece, ...], before: str, after: str) -> bool:
    """Lost bytes alone are the damage itself; a run with hanzi must also read as text."""
    known = tuple(piece for piece in pieces if isinstance(piece, str))
    text = "".join(known)
    if any(plausible.kind_of(char) == "other" for char in text if ord(char) > 0x7F):
        return False
    if len(known) < len(pieces):
        return True
    return plausible.plausibility(known, before, after) >= plausible.LIKELY


def _big5_runs(line: str) -> list[tuple[int, int, tuple[lost_chars.Piece, ...]]]:
    runs = []
    for match in _BIG5_RUN.finditer(line):
        start, end = match.span()
        following = ord(line[end]) if end < len(line) else 0x0A
        decoded = _big5_decode(line[start:end], following)
        if decoded is not None:
            if _big5_plausible(decoded, line[start - 1 : start], line[end : end + 1]):
                runs.append((start, end, decoded))
            continue
        runs.extend(_big5_edges(line, start, end, following))
    return runs


def _big5_edges(
    line: str, start: int, end: int, following: int
) -> list[tuple[int, int, tuple[lost_chars.Piece, ...]]]:
    """Lost punctuation glued to genuine Chinese (a quoted Chinese phrase in damaged English):
    the U+FFFD at each end of the run, the genuine text between left as written."""
    runs = []
    head = len(line[start:end]) - len(line[start:end].lstrip(REPLACEMENT))
    if head >= 2:
        decoded = _big5_decode(line[start : start + head], None)
        if decoded is not None:
            runs.append((start, start + head, decoded))
    tail = len(line[start:end]) - len(line[start:end].rstrip(REPLACEMENT))
    if tail >= 2 and end - tail >= start + head:
        decoded = _big5_decode(line[end - tail : end], following)
        if decoded is not None:
            runs.append((end - tail, end, decoded))
    return runs


def big5_damaged(text: str) -> bool:
    """Does the document show this damage? Lost punctuation (U+FFFD in threes) twice, or a
    hanzi run that reads as Latin text: only then are its lines repaired."""
    if len(_LOST_TRIPLE.findall(text, 0, 1 << 20)) >= 2:
        return True
    for line in text.splitlines():
        if not _BIG5_SIGN.search(line):
            continue
        for _, _, decoded in _big5_runs(line):
            if all(isinstance(piece, str) for piece in decoded):
                return True
    return False


def repair_big5(
    line: str, changes: list[Change], spaced_dash: str = "—"
) -> tuple[str, list[Change]]:
    """Repair one paragraph of a document `big5_damaged` found damaged."""
    if line.isascii() or not _BIG5_SIGN.search(line):
        return line, changes
    pieces: list[lost_chars.Piece] = []
    repaired: list[tuple[int, int, str]] = []
    position = 0
    for start, end, decoded in _big5_runs(line):
        if start > position:
            pieces.append(line[position:start])
        repaired.append((len(pieces), len(decoded), line[start:end]))
        pieces.extend(decoded)
        position = end
    if not repaired:
        return line, changes
    if position < len(line):
        pieces.append(line[position:])
    fixed, found = lost_chars.apply_runs(
        pieces, repaired, spaced_dash, BIG5_STAGE, "UTF-8 read as Big5"
    )
    return fixed, [*remap(changes, line, fixed), *found]
