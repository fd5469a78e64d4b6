"""Characters that lost bytes to a legacy decoder, chosen by their context.

A damaged run decodes to text and slots: a slot is a character some of whose bytes were lost,
with every character that fits what is left (the codec modules compute those). Which one was
meant is chosen here for a whole paragraph at once: how common each is where bytes go missing
in news text, spacing and digits around it, and quotation marks that must pair up. The choice
is reported with a confidence below 1; a slot nothing common fits becomes U+FFFD.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from tui.corpus.model import Change

REPLACEMENT = "\ufffd"

# How common each character is where a byte was lost, before context is weighed (log scale).
# Characters not listed are possible but unlikely; if nothing listed fits, the slot gets U+FFFD.
PRIOR: dict[str, float] = {
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
UNKNOWN_PRIOR = -6.0
_OPEN_AT_END_PENALTY = 3.0
_CLOSE_WITHOUT_OPEN_PENALTY = 4.0
_NESTED_OPEN_PENALTY = 2.0
_IMPROPER_NESTING_PENALTY = 2.0
_SINGLE_OPEN_AT_END_PENALTY = 1.5
_OPTIONS = 6  # candidates weighed per slot, best local fit first
_HOPELESS = 8.0  # a candidate this far below the best local fit cannot win (penalties are less)


@dataclass(frozen=True, slots=True)
class Slot:
    """A character that lost a byte: the characters it may have been, best first."""

    candidates: tuple[str, ...]
    observed: str


Piece = str | Slot


@lru_cache(maxsize=16384)
def _slot_options(
    candidates: tuple[str, ...],
    before: str,
    after: str,
    spaced_dash: str,
    single_open: bool,
    between_numbers: bool = False,
    year: bool = True,
) -> tuple[tuple[str, float], ...]:
    """The best-fitting candidates here with their scores; unlisted characters only as a last
    resort (candidates come sorted with the listed ones first)."""
    likely = [c for c in candidates if c in PRIOR] or list(candidates[:1])
    scored = [
        (c, local_score(c, before, after, spaced_dash, single_open, between_numbers, year))
        for c in likely
    ]
    scored.sort(key=lambda item: -item[1])
    floor = scored[0][1] - _HOPELESS
    return tuple(item for item in scored[:_OPTIONS] if item[1] >= floor)


def local_score(
    char: str,
    before: str,
    after: str,
    spaced_dash: str,
    single_open: bool = False,
    between_numbers: bool = False,
    year: bool = True,
) -> float:
    """How well a candidate fits its neighbours, on the prior's log scale.

    `single_open`: a ‘ opened earlier in the paragraph, so ’ after punctuation may close it.
    `between_numbers`: digits on both sides, spaces allowed (`10 – 15`): a range.
    `year`: the digits after, if any, are two (`’90s`) or not known; `€180` is no year.
    """
    score = PRIOR.get(char, UNKNOWN_PRIOR)
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
        if space_before and after.isdigit() and year:  # an elided year: the ’90s
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


def resolve(pieces: list[Piece], spaced_dash: str) -> list[_Choice]:
    """Choose every slot of one paragraph together, so the quotation marks pair up.

    An exact max-sum (Viterbi) pass over (slot, quotation state): the local fit of each
    candidate plus the penalties of `_after_events` and `_end_penalty`. The confidence of a
    choice weighs the best reading against the best reading with each rival in its place.
    """
    slots: list[Slot] = []
    options: list[tuple[tuple[str, float], ...]] = []
    gaps: list[str] = [""]  # quote events of the known text between slots
    single_open = False
    for index, piece in enumerate(pieces):
        if isinstance(piece, Slot):
            before = _neighbour(pieces, index, -1)
            after = _neighbour(pieces, index, 1)
            numbers = _between_numbers(pieces, index)
            year = _two_digits_after(pieces, index)
            slots.append(piece)
            options.append(
                _slot_options(
                    piece.candidates, before, after, spaced_dash, single_open, numbers, year
                )
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
        if char not in PRIOR:
            char, confidence = REPLACEMENT, 0.0
        choices.append(_Choice(char, round(confidence, 2), slot.candidates))
    return choices


def _two_digits_after(pieces: list[Piece], index: int) -> bool:
    """Two digits and no third after the slot (or no digit), as after the ’ of `’90s`."""
    after = pieces[index + 1] if index + 1 < len(pieces) else ""
    if isinstance(after, Slot) or not after[:1].isdigit():
        return True
    return len(after) >= 2 and after[1].isdigit() and not after[2:3].isdigit()


def _between_numbers(pieces: list[Piece], index: int) -> bool:
    """Digits on both sides of the slot, past at most one space each."""
    if not 0 < index < len(pieces) - 1:
        return False
    before, after = pieces[index - 1], pieces[index + 1]
    if isinstance(before, Slot) or isinstance(after, Slot):
        return False
    left, right = before[-2:].rstrip(" "), after[:2].lstrip(" ")
    return left[-1:].isdigit() and right[:1].isdigit()


def _neighbour(pieces: list[Piece], index: int, step: int) -> str:
    neighbour = index + step
    if not 0 <= neighbour < len(pieces):
        return ""
    piece = pieces[neighbour]
    if isinstance(piece, Slot):
        return "."  # two lost characters side by side: treat the other as punctuation
    return piece[-1] if step < 0 else piece[0]


def spaced_dash_style(text: str) -> str:
    """The dash this text puts between spaces, so a lost one is guessed in the house style."""
    return "–" if text.count(" – ") > text.count(" — ") else "—"


def apply_runs(
    pieces: list[Piece],
    repaired_runs: list[tuple[int, int, str]],
    spaced_dash: str,
    stage: str,
    detail: str,
) -> tuple[str, list[Change]]:
    """A paragraph's pieces (text between runs, and each run's decoded pieces) -> the repaired
    text and a change per run, with each lost character chosen in context and reported.

    `repaired_runs`: (index in `pieces` of the run's first piece, its piece count, the
    damaged text it replaces).
    """
    choices = iter(resolve(pieces, spaced_dash))
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
            if isinstance(piece, Slot):
                choice = next(choices)
                guesses.append(
                    Change(
                        stage=stage,
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
                stage=stage,
                kind="mojibake",
                before=before,
                after=after,
                confidence=1.0 if not guesses else min(g.confidence for g in guesses),
                start=run_start,
                end=length,
                detail=detail,
            )
        )
        changes.extend(guesses)
        index += count
    return "".join(out), changes
