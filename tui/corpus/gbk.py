"""Repair UTF-8 text that was decoded as GBK with `errors="ignore"` and saved again.

The damage is mechanical, so the repair is too: a run of GBK-encodable characters is encoded
back to GBK and decoded as UTF-8. Python's GBK decoder, on a byte it cannot pair, drops that one
byte and carries on, so a UTF-8 sequence may come back one byte short (`鈥` before a space is
`e2 80` with the third byte of ” ’ “ — – … lost). Which bytes could have been dropped is
computed from the codec itself; which of the possible characters was meant is chosen from its
context (quotation balance in the paragraph, spacing, digits), and recorded as a guess.

Genuine Chinese text almost never survives the round trip (its GBK bytes are rarely UTF-8);
where a short run does by chance, the result must also look like text (`_plausibility`), so
genuine Chinese is left exactly as it is.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from tui.corpus.model import Change

STAGE = "gbk"

# A GBK mojibake run always starts with a CJK ideograph: UTF-8 lead bytes (C2-F4) land in the
# GBK rows of hanzi. Lines without one are skipped without further work.
_HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")

REPLACEMENT = "\ufffd"

# How common each character is where a byte was lost, before context is weighed (log scale).
# Characters not listed are possible but unlikely; if nothing listed fits, the slot gets U+FFFD.
_PRIOR: dict[str, float] = {
    "”": 2.0,
    "’": 1.5,
    "—": 1.2,
    "…": 0.8,
    "–": 0.6,
    "“": 0.5,
    "•": 0.3,
    "‘": 0.2,
    "€": 0.5,
    "™": 0.3,
    "″": -1.0,
    "′": -1.0,
}
_UNKNOWN_PRIOR = -6.0
_OPEN_AT_END_PENALTY = 3.0
_CLOSE_WITHOUT_OPEN_PENALTY = 4.0
_NESTED_OPEN_PENALTY = 2.0
_IMPROPER_NESTING_PENALTY = 2.0
_SINGLE_OPEN_AT_END_PENALTY = 1.5
_OPTIONS = 6  # candidates weighed per slot, best local fit first
_HOPELESS = 8.0  # a candidate this far below the best local fit cannot win (penalties are less)


@dataclass(frozen=True, slots=True)
class _Slot:
    """A character that lost a byte: the characters it may have been, best first."""

    candidates: tuple[str, ...]
    observed: str


_Piece = str | _Slot


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
def _decode_run(run: str, following: bytes) -> tuple[_Piece, ...] | None:
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
    pieces: list[_Piece] = []
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
        pieces.append(_Slot(candidates, observed))
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
    found.sort(key=lambda char: (-_PRIOR.get(char, _UNKNOWN_PRIOR), char))
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
    return tuple(sorted(found, key=lambda char: (-_PRIOR.get(char, _UNKNOWN_PRIOR), char)))


@lru_cache(maxsize=16384)
def _slot_options(
    candidates: tuple[str, ...],
    before: str,
    after: str,
    spaced_dash: str,
    single_open: bool,
    between_numbers: bool = False,
) -> tuple[tuple[str, float], ...]:
    """The best-fitting candidates here with their scores; unlisted characters only as a last
    resort (candidates come sorted with the listed ones first)."""
    likely = [c for c in candidates if c in _PRIOR] or list(candidates[:1])
    scored = [
        (c, _local_score(c, before, after, spaced_dash, single_open, between_numbers))
        for c in likely
    ]
    scored.sort(key=lambda item: -item[1])
    floor = scored[0][1] - _HOPELESS
    return tuple(item for item in scored[:_OPTIONS] if item[1] >= floor)


def _local_score(
    char: str,
    before: str,
    after: str,
    spaced_dash: str,
    single_open: bool = False,
    between_numbers: bool = False,
) -> float:
    """How well a candidate fits its neighbours, on the prior's log scale.

    `single_open`: a ‘ opened earlier in the paragraph, so ’ after punctuation may close it.
    `between_numbers`: digits on both sides, spaces allowed (`10 – 15`): a range.
    """
    score = _PRIOR.get(char, _UNKNOWN_PRIOR)
    space_before = before == "" or before.isspace()
    space_after = after == "" or after.isspace()
    word_before = before.isalnum()
    word_after = after.isalnum()
    if char == "”":
        if space_before:
            score -= 4.0
        if word_after:
            score -= 3.0
        if before in ".,!?":
            score += 1.5
    elif char == "“":
        if not space_before and before not in "([—–":
            score -= 3.0
        if space_after:
            score -= 4.0
    elif char == "’":
        if space_before:
            score -= 2.0
        if single_open and before in ".,!?" and (space_after or after in "”"):
            score += 1.0
        elif space_after:
            score += 0.3 if before in "sS" else -1.0
        if space_before and after.isdigit():  # an elided year: the ’90s
            score += 2.5
    elif char == "‘":
        if not space_before:
            score -= 3.0
    elif char in "—–":
        if (before.isdigit() and after.isdigit()) or between_numbers:
            score += 3.5 if char == "–" else -1.0
        elif space_before and space_after:
            score += 1.5 + (1.0 if char == spaced_dash else 0.0)
        elif space_before != space_after:
            score -= 1.5
    elif char == "…":
        if after.isascii() and after.isalpha():  # before a letter only … and • lose a byte
            score += 3.0
        elif word_before and space_after:
            score += 0.3
        if before == ".":
            score -= 1.0
    elif char == "•":
        score += 4.0 if before == "" and space_after else -2.0
    elif char == "€" and after.isdigit():
        score += 1.0
    return score


_MAX_DEPTH = 3
_QUOTES = "“”‘’"
_CLOSING_AFTER = ".,!?;:"
_STATES = range((_MAX_DEPTH + 1) * 2)  # curly double-quote depth x single quote open


def _after_events(state: int, events: str) -> tuple[int, float]:
    """Quotation state and penalty after these quote events, from `state`.

    Double quotes should open before they close and not nest (depth is capped: deeper is no
    likelier); a double quote should not close while a single quote inside it is open. A ’
    event closes an open single quote and is otherwise an apostrophe (no penalty either way).
    """
    depth, single = divmod(state, 2)
    penalty = 0.0
    for mark in events:
        if mark == "“":
            if depth:
                penalty += _NESTED_OPEN_PENALTY
            depth = min(depth + 1, _MAX_DEPTH)
        elif mark == "”":
            if single:
                penalty += _IMPROPER_NESTING_PENALTY
                single = 0
            if depth:
                depth -= 1
            else:
                penalty += _CLOSE_WITHOUT_OPEN_PENALTY
        elif mark == "‘":
            single = 1
        else:
            single = 0
    return depth * 2 + single, penalty


def _end_penalty(state: int) -> float:
    depth, single = divmod(state, 2)
    return _OPEN_AT_END_PENALTY * depth + _SINGLE_OPEN_AT_END_PENALTY * single


_QUOTE_EVENT = re.compile(r"[“”‘]|(?<=[.,!?;:])’")


def _quote_events(text: str, previous: str) -> str:
    """The quotation marks of known text; ’ counts only where it can close (after `,` etc.)."""
    events = "".join(_QUOTE_EVENT.findall(text))
    if text.startswith("’") and previous in _CLOSING_AFTER:
        events = "’" + events
    return events


@dataclass(frozen=True, slots=True)
class _Choice:
    char: str
    confidence: float
    candidates: tuple[str, ...]


def _resolve(pieces: list[_Piece], spaced_dash: str) -> list[_Choice]:
    """Choose every slot of one paragraph together, so the quotation marks pair up.

    An exact max-sum (Viterbi) pass over (slot, quotation state): the local fit of each
    candidate plus the penalties of `_after_events` and `_end_penalty`. The confidence of a
    choice weighs the best reading against the best reading with each rival in its place.
    """
    slots: list[_Slot] = []
    options: list[tuple[tuple[str, float], ...]] = []
    gaps: list[str] = [""]  # quote events of the known text between slots
    single_open = False
    for index, piece in enumerate(pieces):
        if isinstance(piece, _Slot):
            before = _neighbour(pieces, index, -1)
            after = _neighbour(pieces, index, 1)
            numbers = _between_numbers(pieces, index)
            slots.append(piece)
            options.append(
                _slot_options(piece.candidates, before, after, spaced_dash, single_open, numbers)
            )
            gaps.append("")
        else:
            gaps[-1] += _quote_events(piece, _neighbour(pieces, index, -1))
            single_open = single_open or "‘" in piece

    steps: dict[tuple[int, int, str], tuple[int, float]] = {}

    def step(position: int, state: int, char: str) -> tuple[int, float]:
        key = (position, state, char)
        if key not in steps:
            own = char if char in _QUOTES else ""
            steps[key] = _after_events(state, own + gaps[position + 1])
        return steps[key]

    count = len(slots)
    # forward[i][s]: best score before slot i in state s; back[i][s]: how it was reached
    forward = [[-math.inf] * len(_STATES) for _ in range(count + 1)]
    back: list[list[tuple[int, str]]] = [[(0, "")] * len(_STATES) for _ in range(count + 1)]
    first_state, first_penalty = _after_events(0, gaps[0])
    forward[0][first_state] = -first_penalty
    for position, option in enumerate(options):
        for state in _STATES:
            base = forward[position][state]
            if base == -math.inf:
                continue
            for char, score in option:
                new_state, penalty = step(position, state, char)
                total = base + score - penalty
                if total > forward[position + 1][new_state]:
                    forward[position + 1][new_state] = total
                    back[position + 1][new_state] = (state, char)
    # backward[i][s]: best score from slot i on, starting in state s (end penalty included)
    backward = [[-math.inf] * len(_STATES) for _ in range(count + 1)]
    backward[count] = [-_end_penalty(state) for state in _STATES]
    for position in range(count - 1, -1, -1):
        for state in _STATES:
            if forward[position][state] == -math.inf:
                continue  # unreachable: never asked for
            best = -math.inf
            for char, score in options[position]:
                new_state, penalty = step(position, state, char)
                best = max(best, score - penalty + backward[position + 1][new_state])
            backward[position][state] = best
    state = max(_STATES, key=lambda s: forward[count][s] - _end_penalty(s))
    path: list[str] = []
    for position in range(count, 0, -1):
        state, char = back[position][state]
        path.append(char)
    path.reverse()
    choices = []
    for position, slot in enumerate(slots):
        with_char: dict[str, float] = {}
        for char, score in options[position]:
            best = -math.inf
            for state in _STATES:
                if forward[position][state] == -math.inf:
                    continue
                new_state, penalty = step(position, state, char)
                total = forward[position][state] + score - penalty
                best = max(best, total + backward[position + 1][new_state])
            with_char[char] = best
        char = path[position]
        top = with_char[char]
        rivals = sum(math.exp(min(0.0, total - top)) for c, total in with_char.items() if c != char)
        confidence = min(0.95, 1.0 / (1.0 + rivals))
        if char not in _PRIOR:
            char, confidence = REPLACEMENT, 0.0
        choices.append(_Choice(char, round(confidence, 2), slot.candidates))
    return choices


def _between_numbers(pieces: list[_Piece], index: int) -> bool:
    """Digits on both sides of the slot, past at most one space each."""
    if not 0 < index < len(pieces) - 1:
        return False
    before, after = pieces[index - 1], pieces[index + 1]
    if isinstance(before, _Slot) or isinstance(after, _Slot):
        return False
    left, right = before[-2:].rstrip(" "), after[:2].lstrip(" ")
    return left[-1:].isdigit() and right[:1].isdigit()


def _neighbour(pieces: list[_Piece], index: int, step: int) -> str:
    neighbour = index + step
    if not 0 <= neighbour < len(pieces):
        return ""
    piece = pieces[neighbour]
    if isinstance(piece, _Slot):
        return "."  # two lost characters side by side: treat the other as punctuation
    return piece[-1] if step < 0 else piece[0]


def _kind_of(char: str) -> str:
    """The family a repaired character belongs to, for judging whether a repair is real."""
    code = ord(char)
    if 0x2000 <= code <= 0x214F:
        return "punctuation"
    if 0xA0 <= code <= 0xBF or code in (0xD7, 0xF7):
        return "latin-1 sign"
    if 0xC0 <= code <= 0x17F:
        return "LATIN"
    if (
        0x3000 <= code <= 0x303F
        or 0x3400 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3134F
    ):
        return "CJK"
    if 0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF:
        return "emoji"
    if unicodedata.category(char).startswith("L"):
        return unicodedata.name(char, "OTHER").split(" ", 1)[0]
    return "other"


_STRONG, _LIKELY, _WEAK = 3, 2, 1
# Accented letters and signs of everyday European text: a repair to one of them inside or at
# the end of a Latin word is likely even without other evidence (`caf茅` is café).
_COMMON_LATIN = frozenset(
    "àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßœÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŒąćęłńśźżčďěňřšťůžğışİŞĞőűāēīū"
    "ĄĆĘŁŃŚŹŻČĎĚŇŘŠŤŮŽ£°«»·±×÷¢¥§©®½¼¾¡¿²³µ"
)


def _plausibility(pieces: tuple[_Piece, ...], before: str, after: str) -> int:
    """Is this decoding the text that was damaged, or a coincidence in genuine Chinese?

    About one random run of hanzi in 25 decodes as UTF-8 of something (mostly a lone Latin or
    Greek letter), so a repair must also look like text. Strong (and evidence that the whole
    document is damaged): general punctuation (the common case in news), a guessed lost
    character, several CJK characters, a word of one other script. Likely: a common accented
    letter or sign beside a Latin word. Weak (trusted only in a document with strong damage):
    any other Latin letter or sign beside a word. 0: not a repair.
    """
    kinds: dict[str, int] = {}
    guessed = 0
    unknown = 0
    for piece in pieces:
        if isinstance(piece, _Slot):
            if piece.candidates[0] in _PRIOR:
                guessed += 1
            else:
                unknown += 1
            continue
        for char in piece:
            if ord(char) > 0x7F:
                kind = _kind_of(char)
                kinds[kind] = kinds.get(kind, 0) + 1
    if "other" in kinds:
        return 0
    cjk = kinds.get("CJK", 0)
    if unknown and cjk < 2:
        return 0
    scripts = [kind for kind in kinds if kind not in ("punctuation", "latin-1 sign", "emoji")]
    if len(scripts) > 1:
        return 0
    if guessed or "punctuation" in kinds or "emoji" in kinds:
        return _STRONG
    beside_text = (before.isascii() and before.isalnum()) or (after.isascii() and after.isalnum())
    script = scripts[0] if scripts else "LATIN"
    if script == "LATIN":
        if not beside_text:
            return 0
        decoded = [char for piece in pieces if isinstance(piece, str) for char in piece]
        common = all(char in _COMMON_LATIN for char in decoded if ord(char) > 0x7F)
        return _LIKELY if common else _WEAK
    if script == "CJK":
        return _STRONG if cjk >= 2 else 0
    signs = "latin-1 sign" in kinds
    return _STRONG if kinds[script] >= (2 if signs else 3) else 0


def _runs(line: str) -> Iterator[tuple[int, int, tuple[_Piece, ...], int]]:
    """Every run of the line that decodes, with its place and plausibility."""
    for match in _NON_ASCII_RUN.finditer(line):
        for start, end in _encodable_spans(line, match.start(), match.end()):
            following = line[end : end + 1].encode("utf-8")[:1]
            decoded = _decode_run(line[start:end], following)
            if decoded is not None:
                level = _plausibility(decoded, line[start - 1 : start], line[end : end + 1])
                if level:
                    yield start, end, decoded, level
            elif end - start > 2:
                yield from _edge_runs(line, start, end, following)


_EDGE = 6  # characters of mojibake punctuation tried at each end of a run that does not decode


def _edge_runs(
    line: str, start: int, end: int, following: bytes
) -> Iterator[tuple[int, int, tuple[_Piece, ...], int]]:
    """Mojibake punctuation glued to genuine CJK text (`鈥一带一路鈥`: a Chinese quote inside
    damaged English): the longest piece at each end that decodes to punctuation alone; the
    genuine text between, which the damage never touched, ends the piece as the input did."""
    head = start
    for cut in range(min(_EDGE, end - start - 1), 0, -1):
        decoded = _decode_run(line[start : start + cut], b"")
        if decoded is not None and _punctuation_only(decoded):
            yield start, start + cut, decoded, _STRONG
            head = start + cut
            break
    for cut in range(min(_EDGE, end - head - 1), 0, -1):
        decoded = _decode_run(line[end - cut : end], following)
        if decoded is not None and _punctuation_only(decoded):
            yield end - cut, end, decoded, _STRONG
            break


def _punctuation_only(pieces: tuple[_Piece, ...]) -> bool:
    for piece in pieces:
        if isinstance(piece, _Slot):
            if piece.candidates[0] not in _PRIOR:
                return False
        elif any(ord(char) > 0x7F and _kind_of(char) != "punctuation" for char in piece):
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
            if level == _STRONG:
                return True
            weak += level == _WEAK
            if weak >= _WEAK_RUNS_FOR_EVIDENCE:
                return True
    return False


def spaced_dash_style(text: str) -> str:
    """The dash this text puts between spaces, so a lost one is guessed in the house style."""
    return "–" if text.count(" – ") > text.count(" — ") else "—"


def repair_gbk(
    line: str, spaced_dash: str = "—", trust_weak: bool = True
) -> tuple[str, list[Change]]:
    """Repair one paragraph. Change offsets are into the returned text.

    `trust_weak`: also make weak repairs (see `_plausibility`); pass `damaged(document)`.
    """
    if not _HANZI.search(line):
        return line, []
    pieces: list[_Piece] = []
    repaired_runs: list[tuple[int, int, str]] = []  # (index in pieces of first, count, before)
    position = 0
    for start, end, decoded, level in _runs(line):
        if level == _WEAK and not trust_weak:
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
    choices = iter(_resolve(pieces, spaced_dash))
    out: list[str] = []
    changes: list[Change] = []
    run_at = {first: (count, before) for first, count, before in repaired_runs}
    length = 0
    index = 0
    while index < len(pieces):
        if index not in run_at:
            piece = pieces[index]
            assert isinstance(piece, str)
            out.append(piece)
            length += len(piece)
            index += 1
            continue
        count, before = run_at[index]
        run_start = length
        run_out: list[str] = []
        guesses: list[Change] = []
        for piece in pieces[index : index + count]:
            if isinstance(piece, _Slot):
                choice = next(choices)
                guesses.append(
                    Change(
                        stage=STAGE,
                        kind="lost-byte",
                        before=piece.observed,
                        after=choice.char,
                        confidence=choice.confidence,
                        start=length,
                        end=length + 1,
                        detail="lost byte; could also be: "
                        + " ".join(c for c in choice.candidates[:6] if c != choice.char),
                    )
                )
                run_out.append(choice.char)
                length += 1
            else:
                run_out.append(piece)
                length += len(piece)
        after = "".join(run_out)
        out.append(after)
        if len(guesses) == len(after):  # only lost bytes: the guesses say it all
            changes.extend(guesses)
            index += count
            continue
        changes.append(
            Change(
                stage=STAGE,
                kind="mojibake",
                before=before,
                after=after,
                confidence=1.0 if not guesses else min(g.confidence for g in guesses),
                start=run_start,
                end=length,
                detail="UTF-8 read as GBK",
            )
        )
        changes.extend(guesses)
        index += count
    return "".join(out), changes


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
