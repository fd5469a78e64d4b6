"""UTF-8 read as Shift-JIS (cp932): `窶冱` is ’s, `cafﾃｩ` is café.

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
