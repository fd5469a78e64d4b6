"""A title when the page gives none: the lead heading, else the lead sentence, kept whole.

Stored and exported whole, so that a citation names the article as it reads; whatever draws a
title cuts it to the room it has (a pane's border, a list row), never the corpus.
"""

from __future__ import annotations

MAX_TITLE = 300
"""A lead "sentence" longer than this (a paragraph without a full stop) is not a title: it
is cut at a word, with "…", so a list of articles stays a list."""


def derive_title(lead: str, is_heading: bool) -> str:
    """`lead` is the first block if it is a heading, else the first sentence: on one line,
    without the sentence's full stop."""
    text = " ".join(lead.split())
    if not is_heading:
        text = text.rstrip(".。")
    if len(text) <= MAX_TITLE:
        return text
    cut = text[:MAX_TITLE]
    if " " in cut[MAX_TITLE // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:—–") + "…"
