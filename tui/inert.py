"""The one rule that makes a string from data inert before a terminal sees it.

Article text, titles, tag names, notes, authors and file names are data: a terminal must
draw them, never obey them. What a terminal (or a bidi-aware one) would obey is replaced by a
visible stand-in, one character for one, so offsets into article text still line up:

- C0 controls U+0000-U+001F become the Control Pictures ␀-␟ (ESC shows as ␛), DEL becomes ␡:
  they say which control was there, take one cell, and are not controls themselves.
- C1 controls U+0080-U+009F (8-bit CSI/OSC on some terminals) have no pictures: U+FFFD.
- Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) become U+FFFD: they
  open a state that runs past the string (the "Trojan Source" reordering) into the next
  column, row or line of output.
- Line and paragraph separators (U+2028, U+2029) and lone surrogates become U+FFFD: the first
  break a one-line field on some terminals, the second cannot even be encoded to UTF-8.

The marks U+200E, U+200F and U+061C (LRM, RLM, ALM) and joiners such as U+200D are kept:
they open no state, so they cannot reorder anything past their own word, and real Arabic and
Hebrew prose (and emoji sequences) need them. Rich markup needs no rule here: the app builds
`Text`/`Content` from plain strings and never parses data as markup.

Newline and tab are kept only where the caller says the text has lines (`multiline=True`).
"""

from __future__ import annotations

import re

BIDI_CONTROLS = frozenset([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
"""Embeddings, overrides (U+202A-U+202E) and isolates (U+2066-U+2069)."""

UNKNOWN = "\ufffd"


def _stand_in(code: int) -> str:
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return UNKNOWN


_UNSAFE_CODES = [
    *range(0x00, 0x20),
    0x7F,
    *range(0x80, 0xA0),
    *sorted(BIDI_CONTROLS),
    0x2028,
    0x2029,
]
ONE_LINE = {code: _stand_in(code) for code in _UNSAFE_CODES}
MULTI_LINE = {**ONE_LINE, ord("\n"): "\n", ord("\t"): "\t"}
CELLS = {**ONE_LINE, ord("\t"): " "}
"""Article text in a pane: one cell per character, so a tab is a space, not a jump."""

UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)
"""What must never reach a terminal raw, newline and tab aside: for checks and tests."""
UNSAFE_ON_A_LINE = re.compile(f"[\t\n{UNSAFE.pattern[1:-1]}]")
"""The same within one drawn line, where a newline or tab would move the cursor too."""
_SURROGATES = re.compile("[\ud800-\udfff]")


def inert(text: str, *, multiline: bool = False) -> str:
    """`text` with every character a terminal would obey replaced by a visible stand-in.

    One-line fields (names, titles, a note in a list) show newline and tab as ␊ and ␉;
    `multiline=True` keeps them, for output that is meant to have lines.
    """
    shown = text.translate(MULTI_LINE if multiline else ONE_LINE)
    return _SURROGATES.sub(UNKNOWN, shown)


def inert_words(text: str) -> str:
    """`text` as one line of words, for a summary that quotes it (a CLI list row): each run of
    whitespace and each character `inert` would stand in for become one space, so a quote
    full of escapes still reads as its words."""
    return " ".join(UNSAFE_ON_A_LINE.sub(" ", text).split())


def inert_lines_in_file(text: str) -> str:
    """Text for a file read as text (Markdown, CSV): the same stand-ins, lines and tabs kept.

    Lone surrogates are left alone here: the exporter's encoding refuses them, naming the
    annotation, rather than writing a U+FFFD nobody asked for.
    """
    return text.translate(MULTI_LINE)


def inert_cells(text: str) -> str:
    """Article text for a pane: one character for one, a tab drawn as one space."""
    return _SURROGATES.sub(UNKNOWN, text.translate(CELLS))


def is_inert(text: str) -> bool:
    """True if `text` holds nothing a terminal would obey (newline and tab allowed)."""
    return UNSAFE.search(text) is None
