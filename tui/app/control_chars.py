"""Control characters drawn as stand-ins, one for one.

Text from articles reaches the screen through these: no escape sequence (ESC, C1) is ever
written to the terminal, and a character still takes one place, so offsets line up.
"""

from __future__ import annotations

STAND_INS = {code: "\ufffd" for code in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if code != 0x09}
STAND_INS[0x09] = " "


def without_controls(text: str) -> str:
    """`text` with every C0/C1 control character replaced by U+FFFD (a tab by a space)."""
    return text.translate(STAND_INS)
