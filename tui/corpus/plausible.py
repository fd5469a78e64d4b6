"""Is a decoding the text that was damaged, or a coincidence in genuine CJK text?

Shared by the GBK, cp932 and Big5 repairs: a run that happens to round-trip must also look like
text before it is rewritten, so genuine Chinese and Japanese are left as written.
"""

from __future__ import annotations

import unicodedata

from tui.corpus.lost_chars import PRIOR, Piece, Slot


def kind_of(char: str) -> str:
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


STRONG, LIKELY, WEAK = 3, 2, 1
# Accented letters and signs of everyday European text: a repair to one of them inside or at
# the end of a Latin word is likely even without other evidence (`caf茅` is café).
COMMON_LATIN = frozenset(
    "àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßœÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŒąćęłńśźżčďěňřšťůžğışİŞĞőűāēīū"
    "ĄĆĘŁŃŚŹŻČĎĚŇŘŠŤŮŽ£°«»·±×÷¢¥§©®½¼¾¡¿²³µ"
)


def plausibility(pieces: tuple[Piece, ...], before: str, after: str) -> int:
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
        if isinstance(piece, Slot):
            if piece.candidates[0] in PRIOR:
                guessed += 1
            else:
                unknown += 1
            continue
        for char in piece:
            if ord(char) > 0x7F:
                kind = kind_of(char)
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
        return STRONG
    beside_text = (before.isascii() and before.isalnum()) or (after.isascii() and after.isalnum())
    script = scripts[0] if scripts else "LATIN"
    if script == "LATIN":
        if not beside_text:
            return 0
        decoded = [char for piece in pieces if isinstance(piece, str) for char in piece]
        common = all(char in COMMON_LATIN for char in decoded if ord(char) > 0x7F)
        return LIKELY if common else WEAK
    if script == "CJK":
        return STRONG if cjk >= 2 else 0
    signs = "latin-1 sign" in kinds
    return STRONG if kinds[script] >= (2 if signs else 3) else 0
