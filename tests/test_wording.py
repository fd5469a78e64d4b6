"""Counts in words."""

from __future__ import annotations

import pytest

from tui.wording import counted


@pytest.mark.parametrize(
    ("count", "noun", "plural", "expected"),
    [
        (0, "annotation", None, "0 annotations"),
        (1, "annotation", None, "1 annotation"),
        (2, "child tag", None, "2 child tags"),
        (1, "passage", None, "1 passage"),
        (12_345, "excerpt", None, "12,345 excerpts"),
        (3, "analysis", "analyses", "3 analyses"),
    ],
)
def test_counted(count: int, noun: str, plural: str | None, expected: str) -> None:
    assert counted(count, noun, plural) == expected
