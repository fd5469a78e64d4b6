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


def fold_many(texts: list[str]) -> list[str]:
    """`[fold(t) for t in texts]` in a few passes over one joined string: `fold` maps one
    character at a time in `translate`, which cost 0.4 s for 20,000 annotations."""
    joined = "\0".join(texts).lower()
    for plain, group in VARIANTS.items():
        for variant in group:
            if variant != plain:
                joined = joined.replace(variant, plain)
    folded = joined.split("\0")
    return folded if len(folded) == len(texts) else [fold(text) for text in texts]


def search_pattern(query: str) -> re.Pattern[str]:
    """A pattern for `query` in the article's own text, so matches keep their offsets."""
    parts = []
    for char in query:
        group = VARIANTS.get(char.translate(_PLAIN))
        parts.append(f"[{re.escape(group)}]" if group else re.escape(char))
    return re.compile("".join(parts), re.IGNORECASE)
