"""Small pieces of wording shared by every screen.

Counts in words ("1 annotation", "2 annotations", never "annotation(s)"), and text squeezed
into one line of a given length that shows it was cut.
"""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`count` and `noun`, the noun plural unless the count is one (`plural` if not +s)."""
    word = noun if count == 1 else (plural or noun + "s")
    return f"{count:,} {word}"


def one_line(text: str, limit: int) -> str:
    """`text` on one line (runs of whitespace one space), cut to `limit` with … if longer."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: max(limit - 1, 0)] + "…"
