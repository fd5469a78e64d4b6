"""A short readable title when the page gives none: the lead sentence, cut where it reads well."""

from __future__ import annotations

import re

MAX_TITLE = 60
_CLAUSE = re.compile(r"[,;:—–]\s|\s[—–]\s")


def derive_title(lead: str, is_heading: bool) -> str:
    """`lead` is the first block if it is a heading, else the first sentence."""
    text = " ".join(lead.split())
    if is_heading and len(text) <= MAX_TITLE * 2:
        return text
    sentence = text.rstrip(".。")
    if len(sentence) <= MAX_TITLE:
        return sentence
    clause_ends = [m.start() for m in _CLAUSE.finditer(sentence) if 25 <= m.start() <= MAX_TITLE]
    if clause_ends:
        return sentence[: clause_ends[-1]].rstrip() + "…"
    cut = sentence[:MAX_TITLE]
    if " " in cut[20:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:—–") + "…"
