"""Counts in words: "1 annotation", "2 annotations", never "1 annotations" or "annotation(s)"."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`count` and `noun`, the noun plural unless the count is one (`plural` if not +s)."""
    word = noun if count == 1 else (plural or noun + "s")
    return f"{count:,} {word}"
