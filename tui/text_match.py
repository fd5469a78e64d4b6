"""What a reader types finds what the article prints.

Articles print curly quotes and dashes (`Russia’s`, `1990–91`); nobody types them. A straight
quote or a hyphen in a search therefore finds its typographic variants too, and case never
matters. Used by the reader's `/`, the annotations list filter and `marginalia list --text`.
"""

from __future__ import annotations

import re
from typing import Final

VARIANTS: Final = {"'": "'’‘ʼ", '"': '"“”„', "-": "-‐‑‒–—−"}
"""The character typed, and what it finds."""
_PLAIN = str.maketrans({variant: plain for plain, group in VARIANTS.items() for variant in group})


def fold(text: str) -> str:
    """`text` for comparing: typographic variants plain, any case. `lower`, not `casefold`:
    the reader's `/` (a pattern on the text itself, to keep offsets) cannot turn ß into ss,
    and every search in marginalia finds the same things."""
    return text.translate(_PLAIN).lower()


def search_pattern(query: str) -> re.Pattern[str]:
    """A pattern for `query` in the article's own text, so matches keep their offsets."""
    parts = []
    for char in query:
        group = VARIANTS.get(char.translate(_PLAIN))
        parts.append(f"[{re.escape(group)}]" if group else re.escape(char))
    return re.compile("".join(parts), re.IGNORECASE)
