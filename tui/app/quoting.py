"""Quote marks around a passage or note, unless it already brings its own."""

from __future__ import annotations

OPENING_QUOTES = "“‘\"'«„‚‹「『"


def quoted(text: str) -> str:
    """`text` in curly quotes, unless it starts with a quote mark of its own.

    A passage is often a quotation itself: `““I think …”` would show the article's mark and ours.
    """
    if text and text[0] in OPENING_QUOTES:
        return text
    return f"“{text}”"
